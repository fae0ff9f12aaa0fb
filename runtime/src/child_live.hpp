// What a supervisor knows of each child beyond OTP's state, for sup::inspect and the observer
// (docs/runtime.md, "Inspect a running tree"): how often it was restarted, how it last
// stopped, when a delayed restart is due. Kept by the supervisor, on its own thread, at the
// steps where it learns these things: a few stores per start or exit, nothing on the paths of
// messages.
#pragma once

#include "sup/clock.hpp"
#include "sup/exit_reason.hpp"
#include "sup/inspect.hpp"

#include <cstdint>

namespace sup::detail {

struct ChildLive {
    /// Starts after the first one (restarts, as the supervisor's child_restarted events count
    /// them: after an exit, as a sibling, a retry, or restart_child).
    std::uint32_t restarts = 0;
    bool started_once = false;
    /// The last time the child stopped, and why (valid when `has_exited`).
    bool has_exited = false;
    bool stopped_by_supervisor = false; // terminated by its supervisor, not on its own
    ExitReason last_exit;
    Clock::time_point last_exit_at{};
    /// Backoff: when the delayed (re)start is due (valid while the child is restarting after a
    /// restart_delayed).
    Clock::time_point restart_due{};

    void on_start() {
        if (started_once)
            ++restarts;
        started_once = true;
    }
    void on_exit(const ExitReason& reason, Clock::time_point at, bool by_supervisor) {
        has_exited = true;
        stopped_by_supervisor = by_supervisor;
        last_exit = reason;
        last_exit_at = at;
    }
    /// The live fields of sup::inspect's ChildSnapshot.
    void describe(ChildSnapshot& x, bool restarting, Clock::time_point now) const {
        x.restarts = restarts;
        if (has_exited)
            x.last_exit = ChildSnapshot::Exit{last_exit, last_exit_at, stopped_by_supervisor};
        if (restarting && restart_due > now)
            x.restart_due = restart_due;
    }
};

} // namespace sup::detail
