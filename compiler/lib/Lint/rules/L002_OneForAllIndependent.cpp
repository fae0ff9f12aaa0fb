// L002 one-for-all-independent: one_for_all over children that do not depend on each other.
#include "supc/lint/Rule.h"

#include <fmt/format.h>

namespace supc::lint {

namespace {

constexpr RuleInfo kInfo = {
    "L002",
    "one-for-all-independent",
    Severity::Warning,
    "one_for_all with 3 or more children none of which needs another",
    R"(Under `one_for_all`, any child's crash stops and restarts all of its siblings. That is
right for children that cannot work without each other, and the way to say they depend on
each other is `needs`. With three or more children and no `needs` at all, nothing says the
children are coupled, and every crash of one of them costs a restart of all: lost state,
dropped connections, a longer outage. Independent children want `one_for_one`; children
that depend on earlier siblings want `rest_for_one` and their `needs` written down.)",
    R"(worker Job = "app::Job" from "app/job.hpp";
application App {
    strategy = one_for_all;
    child mail = Job;
    child sms = Job;
    child push = Job;
}
)",
    R"(worker Job = "app::Job" from "app/job.hpp";
application App {
    strategy = one_for_one;
    child mail = Job;
    child sms = Job;
    child push = Job;
}
)",
    "replaces one_for_all with one_for_one",
    {},
};

class OneForAllIndependent final : public Rule {
public:
    const RuleInfo& info() const override { return kInfo; }
    void checkNode(const Node& node, LintContext& ctx) const override {
        if (node.kind != NodeKind::Supervisor || !node.isDeclaredSupervisor())
            return;
        const auto& strategy = node.supervisor->strategy;
        if (strategy.value != Strategy::OneForAll || node.children.size() < 3)
            return;
        for (const auto& c : node.children)
            if (!c->needs.empty())
                return;
        ctx.report(settingSite(strategy, declSite(node)),
                   fmt::format("'{}' restarts all {} of its children when one of them crashes "
                               "(one_for_all), but none of them needs another",
                               node.decl->name, node.children.size()))
            .note("if they depend on each other, say so with 'needs' (and consider rest_for_one); "
                  "otherwise one_for_one restarts only the crashed child")
            .fixIt(settingValue(strategy), "one_for_one");
    }
};

} // namespace

std::unique_ptr<Rule> makeOneForAllIndependentRule() {
    return std::make_unique<OneForAllIndependent>();
}

} // namespace supc::lint
