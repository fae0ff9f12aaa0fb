// L017 permanent-auto-shutdown: a supervisor that ends by design, restarted for ever.
#include "supc/lint/Rule.h"

#include <fmt/format.h>

namespace supc::lint {

namespace {

constexpr RuleInfo kInfo = {
    "L017",
    "permanent-auto-shutdown",
    Severity::Error,
    "a supervisor with auto_shutdown is a permanent child",
    R"(A supervisor with `auto_shutdown` ends itself when its significant children finish, with
reason `shutdown`. As a `permanent` child, its parent restarts it at once; its children
start again, finish again, and it shuts down again: a restart loop that only ends when the
parent exceeds its intensity and gives up in turn. OTP's design principles say it plainly:
supervisors configured for automatic shutdown should not be permanent children. Make it
`transient` (not restarted after a normal end, still restarted after a crash) or
`temporary`. This is an error by default: the combination cannot do what it says.)",
    R"(worker Step = "app::Step" from "app/step.hpp" { restart = transient; }
supervisor Batch {
    auto_shutdown = any_significant;
    child run = Step { significant = true; }
}
application App { child batch = Batch; }
)",
    R"(worker Step = "app::Step" from "app/step.hpp" { restart = transient; }
supervisor Batch {
    auto_shutdown = any_significant;
    child run = Step { significant = true; }
}
application App { child batch = Batch { restart = transient; } }
)",
    "replaces permanent with transient (when it is written)",
    {},
};

class PermanentAutoShutdown final : public Rule {
public:
    const RuleInfo& info() const override { return kInfo; }
    void checkNode(const Node& node, LintContext& ctx) const override {
        if (node.isRoot())
            return;
        // A template with run-time parameters is not expanded: read its declaration.
        std::optional<AutoShutdown> autoShutdown =
            node.supervisor ? std::optional(node.supervisor->autoShutdown.value)
                            : declaredAutoShutdown(node);
        if (!autoShutdown || *autoShutdown == AutoShutdown::Never)
            return;
        if (node.restart.value != RestartType::Permanent)
            return;
        auto b = ctx.report(
            settingSite(node.restart, childSite(node)),
            fmt::format("{} shuts itself down when its significant children "
                        "finish (auto_shutdown = {}), but it is permanent{}: '{}' "
                        "restarts it at once, again and again, until '{}' gives up",
                        childName(node), name(*autoShutdown),
                        node.restart.origin == SettingOrigin::Default ? " (the default)" : "",
                        node.parent->decl->name, node.parent->decl->name));
        if (node.isTemplate && node.restart.origin == SettingOrigin::Default)
            b.note(fmt::format("a dynamic supervisor's template takes its restart type from its "
                               "kind, and supervisor kinds cannot set one: the children of '{}' "
                               "are always permanent; start the work as a transient worker, or "
                               "end it without auto_shutdown",
                               node.parent->decl->name));
        else
            b.note("make it transient: restarted after a crash, not after its normal end");
        b.fixIt(settingValue(node.restart), "transient");
    }
};

} // namespace

std::unique_ptr<Rule> makePermanentAutoShutdownRule() {
    return std::make_unique<PermanentAutoShutdown>();
}

} // namespace supc::lint
