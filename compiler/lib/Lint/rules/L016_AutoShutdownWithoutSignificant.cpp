// L016 auto-shutdown-without-significant: auto_shutdown that can never trigger.
#include "supc/lint/Rule.h"

#include <fmt/format.h>

namespace supc::lint {

namespace {

constexpr RuleInfo kInfo = {
    "L016",
    "auto-shutdown-without-significant",
    Severity::Warning,
    "auto_shutdown is set but no child is significant",
    R"(`auto_shutdown = any_significant` or `all_significant` makes a supervisor shut itself
down when its significant children finish. Only children marked `significant = true`
count; with none of them, the setting can never trigger, and the supervisor the author
meant to end when its work is done runs for ever. Mark the children whose end means the
end of the work as significant (they must be transient or temporary), or remove the
setting. The rule fires only when no instance of the supervisor has a significant child.)",
    R"(worker Step = "app::Step" from "app/step.hpp" { restart = transient; }
supervisor Batch {
    auto_shutdown = any_significant;
    child load = Step;
    child store = Step;
}
application App { child batch = Batch { restart = transient; } }
)",
    R"(worker Step = "app::Step" from "app/step.hpp" { restart = transient; }
supervisor Batch {
    auto_shutdown = all_significant;
    child load = Step { significant = true; }
    child store = Step { significant = true; }
}
application App { child batch = Batch { restart = transient; } }
)",
    "",
    {},
};

bool hasSignificantChild(const Node& n) {
    if (n.templ && n.templ->significant.value)
        return true;
    for (const auto& c : n.children)
        if (c->significant.value)
            return true;
    return false;
}

class AutoShutdownWithoutSignificant final : public Rule {
public:
    const RuleInfo& info() const override { return kInfo; }
    void checkNode(const Node& node, LintContext& ctx) const override {
        if (!node.isDeclaredSupervisor())
            return;
        const auto& autoShutdown = node.supervisor->autoShutdown;
        if (autoShutdown.value == AutoShutdown::Never || hasSignificantChild(node))
            return;
        // Judge the declaration once, at its first instance: no instance may have one.
        auto instances = ctx.instancesOf(node.decl);
        if (instances.empty() || instances.front() != &node)
            return;
        for (const Node* other : instances)
            if (other->supervisor && hasSignificantChild(*other))
                return;
        ctx.report(settingSite(autoShutdown, declSite(node)),
                   fmt::format("'{}' has auto_shutdown = {}, but none of its children is "
                               "significant: it can never shut itself down",
                               node.decl->name, name(autoShutdown.value)))
            .note("mark the children whose end ends the work with 'significant = true', or "
                  "remove the setting");
    }
};

} // namespace

std::unique_ptr<Rule> makeAutoShutdownWithoutSignificantRule() {
    return std::make_unique<AutoShutdownWithoutSignificant>();
}

} // namespace supc::lint
