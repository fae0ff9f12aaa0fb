// L003 dependency-not-restarted: `needs` under one_for_one.
#include "supc/lint/Rule.h"

#include <fmt/format.h>

namespace supc::lint {

namespace {

constexpr RuleInfo kInfo = {
    "L003",
    "dependency-not-restarted",
    Severity::Warning,
    "a child needs an earlier sibling but the strategy is one_for_one",
    R"(`needs = [repo]` says that a child depends on an earlier sibling: it looks the sibling
up when it starts, holds a connection through it, or subscribes to it. Under `one_for_one`
only the crashed child is restarted: when `repo` crashes and comes back as a new actor,
its dependants keep their references to the old one, and fail later, somewhere else.
`rest_for_one` restarts a crashed child and every child started after it, so dependants
start again with fresh references; that is what OTP recommends for chains of
dependencies. (A dependency on a temporary sibling is not reported: it is never
restarted, by any strategy.))",
    R"(worker Repo = "app::Repo" from "app/repo.hpp";
worker Api = "app::Api" from "app/api.hpp";
application App {
    child repo = Repo;
    child api = Api { needs = [repo]; }
}
)",
    R"(worker Repo = "app::Repo" from "app/repo.hpp";
worker Api = "app::Api" from "app/api.hpp";
application App {
    strategy = rest_for_one;
    child repo = Repo;
    child api = Api { needs = [repo]; }
}
)",
    "sets the strategy to rest_for_one",
    {},
};

class DependencyNotRestarted final : public Rule {
public:
    const RuleInfo& info() const override { return kInfo; }
    void checkNode(const Node& node, LintContext& ctx) const override {
        if (node.kind != NodeKind::Supervisor || !node.isDeclaredSupervisor())
            return;
        const auto& strategy = node.supervisor->strategy;
        if (strategy.value != Strategy::OneForOne)
            return;
        for (const auto& c : node.children)
            for (const Need& need : c->needs) {
                if (!need.target || need.target->restart.value == RestartType::Temporary)
                    continue;
                bool defaulted = strategy.origin == SettingOrigin::Default;
                ctx.report(settingSite(strategy, declSite(node)),
                           fmt::format("{} needs '{}', but '{}' restarts only the crashed child "
                                       "(one_for_one{}): when '{}' restarts, {} keeps its stale "
                                       "references",
                                       childName(*c), need.id, node.decl->name,
                                       defaulted ? ", the default" : "", need.id, childName(*c)))
                    .note(fmt::format("{} needs '{}' here", childName(*c), need.id), need.range)
                    .note(defaulted ? "add 'strategy = rest_for_one;': it restarts a crashed child "
                                      "and every child started after it"
                                    : "rest_for_one restarts a crashed child and every child "
                                      "started after it")
                    .fixIt(defaulted ? addSupervisorSetting(node, "strategy = rest_for_one;")
                                     : std::optional<FixIt>(
                                           FixIt{settingValue(strategy), "rest_for_one"}));
                return;
            }
    }
};

} // namespace

std::unique_ptr<Rule> makeDependencyNotRestartedRule() {
    return std::make_unique<DependencyNotRestarted>();
}

} // namespace supc::lint
