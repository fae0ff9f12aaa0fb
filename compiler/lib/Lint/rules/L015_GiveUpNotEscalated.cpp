// L015 give-up-not-escalated: a transient supervisor whose give-up ends nowhere.
#include "supc/analysis/EscalationBudget.h"
#include "supc/lint/Rule.h"

#include <fmt/format.h>

namespace supc::lint {

namespace {

constexpr RuleInfo kInfo = {
    "L015",
    "give-up-not-escalated",
    Severity::Warning,
    "a transient supervisor child: when it gives up, its parent does not restart it",
    R"(A supervisor that exceeds its intensity stops its children and exits with reason
`shutdown`. Its parent restarts a `permanent` child after any exit, but a `transient` one
only after an abnormal exit, and `shutdown` is a normal reason: the parent does not restart
the transient supervisor, does not count the exit against its own intensity, and carries
on. The supervisor's whole subtree stays down while the rest of the application runs as
if nothing happened: escalation, the point of nesting supervisors, stops there. This is
one of OTP's best-known surprises (elixir-lang/elixir#5550).

Make the child `permanent` so that a give-up escalates, or `temporary` if losing the
subtree is acceptable. Transient supervisors that shut themselves down by design
(`auto_shutdown`) and significant ones (whose exit shuts their parent down) are not
reported.)",
    R"(worker Job = "app::Job" from "app/job.hpp";
supervisor Jobs { child job = Job; }
application App {
    child jobs = Jobs { restart = transient; }
}
)",
    R"(worker Job = "app::Job" from "app/job.hpp";
supervisor Jobs { child job = Job; }
application App {
    child jobs = Jobs { restart = permanent; }
}
)",
    "replaces transient with permanent",
    {},
};

class GiveUpNotEscalated final : public Rule {
public:
    const RuleInfo& info() const override { return kInfo; }
    void checkNode(const Node& node, LintContext& ctx) const override {
        if (node.isRoot() || !isSupervisorLike(node))
            return;
        if (node.restart.value != RestartType::Transient || node.significant.value)
            return;
        if (node.supervisor && node.supervisor->autoShutdown.value != AutoShutdown::Never)
            return;
        // What its parent makes of a give-up, by the shared escalation arithmetic.
        if (analysis::isRestarted(node, analysis::ExitReason::Shutdown))
            return;
        const Node& parent = *node.parent;
        std::string giveUp =
            node.supervisor ? fmt::format("more than {} restarts within {}",
                                          node.supervisor->intensity.value.restarts,
                                          formatDuration(node.supervisor->intensity.value.periodMs))
                            : std::string("its intensity exceeded");
        auto b = ctx.report(settingSite(node.restart, childSite(node)),
                            fmt::format("supervisor {} is transient: when it gives up ({}), it "
                                        "exits with reason shutdown, which '{}' does not restart; "
                                        "its subtree stays down while the rest runs on",
                                        childName(node), giveUp, parent.decl->name));
        if (node.restart.origin == SettingOrigin::KindDefault)
            b.note(fmt::format("kind '{}' makes its children transient; {} is one of them",
                               node.decl->name, childName(node)),
                   childSite(node));
        b.note("make it permanent so that its give-up escalates, or temporary if losing it is "
               "acceptable");
        if (node.restart.origin == SettingOrigin::Explicit)
            b.fixIt(settingValue(node.restart), "permanent");
    }
};

} // namespace

std::unique_ptr<Rule> makeGiveUpNotEscalatedRule() {
    return std::make_unique<GiveUpNotEscalated>();
}

} // namespace supc::lint
