// L011 single-child-strategy: a strategy that cannot matter.
#include "supc/lint/Rule.h"

#include <fmt/format.h>

namespace supc::lint {

namespace {

constexpr RuleInfo kInfo = {
    "L011",
    "single-child-strategy",
    Severity::Warning,
    "a supervisor with one child and a strategy other than one_for_one",
    R"(`one_for_all` and `rest_for_one` decide what happens to a crashed child's siblings. A
supervisor with a single child has none, so the strategy has no effect: it behaves
exactly as `one_for_one`, and the setting only misleads the reader into looking for the
coupling it suggests. The rule fires only when every instance of the supervisor has one
child (a loop may give other instances more).)",
    R"(worker Cache = "app::Cache" from "app/cache.hpp";
supervisor CacheSup {
    strategy = one_for_all;
    child cache = Cache;
}
application App { child caches = CacheSup; }
)",
    R"(worker Cache = "app::Cache" from "app/cache.hpp";
supervisor CacheSup {
    strategy = one_for_one;
    child cache = Cache;
}
application App { child caches = CacheSup; }
)",
    "replaces the strategy with one_for_one, which behaves the same",
    {},
};

class SingleChildStrategy final : public Rule {
public:
    const RuleInfo& info() const override { return kInfo; }
    void checkNode(const Node& node, LintContext& ctx) const override {
        if (node.kind != NodeKind::Supervisor || !node.isDeclaredSupervisor())
            return;
        const auto& strategy = node.supervisor->strategy;
        if (strategy.value == Strategy::OneForOne || node.children.size() != 1)
            return;
        // Judge the declaration once, at its first instance: every instance must agree.
        auto instances = ctx.instancesOf(node.decl);
        if (instances.empty() || instances.front() != &node)
            return;
        for (const Node* other : instances)
            if (other->children.size() != 1)
                return;
        ctx.report(settingSite(strategy, declSite(node)),
                   fmt::format("'{}' has a single child, {}: its strategy {} has no effect",
                               node.decl->name, childName(*node.children[0]), name(strategy.value)))
            .note("with one child every strategy behaves as one_for_one")
            .fixIt(settingValue(strategy), "one_for_one");
    }
};

} // namespace

std::unique_ptr<Rule> makeSingleChildStrategyRule() {
    return std::make_unique<SingleChildStrategy>();
}

} // namespace supc::lint
