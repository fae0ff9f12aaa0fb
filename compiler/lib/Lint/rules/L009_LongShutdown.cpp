// L009 long-shutdown: a worker that can hold up the tree's shutdown.
#include "supc/lint/Rule.h"

#include <fmt/format.h>

namespace supc::lint {

namespace {

constexpr ThresholdInfo kThresholds[] = {
    {"max_shutdown", 60'000, true, "the longest shutdown a worker may have"},
};

constexpr RuleInfo kInfo = {
    "L009",
    "long-shutdown",
    Severity::Warning,
    "a worker's shutdown is infinity or longer than 60s",
    R"(Supervisors stop their children one at a time, in reverse start order, waiting for each
up to its `shutdown` time. A worker with `shutdown = infinity` that never finishes its
cleanup (a stuck call, a lost connection) blocks the shutdown of its supervisor and of
everything above it, for ever; a very long timeout does the same for minutes, and
deployments, orchestrators and operators do not wait that long. OTP's documentation
warns that `infinity` on a worker makes the whole tree's termination depend on it. Give
workers a bounded time (supervisors, on the other hand, want `infinity`: see L004).)",
    R"(worker Flusher = "app::Flusher" from "app/flusher.hpp" { shutdown = infinity; }
application App {
    child flusher = Flusher;
}
)",
    R"(worker Flusher = "app::Flusher" from "app/flusher.hpp" { shutdown = 30s; }
application App {
    child flusher = Flusher;
}
)",
    "",
    kThresholds,
};

class LongShutdown final : public Rule {
public:
    const RuleInfo& info() const override { return kInfo; }
    void checkNode(const Node& node, LintContext& ctx) const override {
        if (node.kind != NodeKind::Worker || node.isRoot())
            return;
        const auto& shutdown = node.shutdown;
        int64_t max = ctx.threshold("max_shutdown");
        bool infinite = shutdown.value.mode == Shutdown::Mode::Infinity;
        if (!infinite &&
            !(shutdown.value.mode == Shutdown::Mode::Timeout && shutdown.value.milliseconds > max))
            return;
        std::string what = node.isTemplate ? childName(node) : "worker " + childName(node);
        std::string origin = shutdown.origin == SettingOrigin::KindDefault
                                 ? fmt::format(" (the default of kind '{}')", node.decl->name)
                             : shutdown.origin == SettingOrigin::Default ? " (the default)"
                                                                         : "";
        ctx.report(settingSite(shutdown, childSite(node)),
                   infinite ? fmt::format("{} has shutdown = infinity{}: if it never finishes "
                                          "stopping, the shutdown of '{}' and of everything "
                                          "above it never ends",
                                          what, origin, node.parent->decl->name)
                            : fmt::format("{} has a shutdown of {}{}, more than {}: one slow "
                                          "worker holds up the shutdown of '{}' and of "
                                          "everything above it",
                                          what, settingText(shutdown.value), origin,
                                          formatDuration(max), node.parent->decl->name))
            .note("bound the time a worker may take to stop; supervisors stop their children "
                  "one at a time");
    }
};

} // namespace

std::unique_ptr<Rule> makeLongShutdownRule() {
    return std::make_unique<LongShutdown>();
}

} // namespace supc::lint
