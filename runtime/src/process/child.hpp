// One process child as its actor and the process service's reactor thread share it.
#pragma once

#include "process/lines.hpp"
#include "sup/detail/core.hpp"
#include "sup/exit_reason.hpp"
#include "sup/pid.hpp"
#include "sup/process.hpp"

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace sup::detail {
class RuntimeImpl;
}

namespace sup::detail::proc {

/// Wakes a thread that waits for something of a child (one shot).
class Wakeup final : public CompletionBase {
public:
    void wake() {
        if (try_begin())
            finish();
    }
};

/// Opens when every process of the child is gone.
class GoneWait final : public CompletionBase {
public:
    void open() {
        if (try_begin())
            finish();
    }
};

struct OutLine {
    bool err = false;
    std::string text;
};

struct Child {
    // Fixed at creation.
    std::uint64_t serial = 0;
    std::string path; // in the tree ("services/web")
    std::string tag;  // SUPC_PROCESS_TAG
    ProcessOutput output;
    Readiness readiness = Readiness::exec;
    Containment containment = Containment::process_tree; // as resolved (never automatic)
    RuntimeImpl* rt = nullptr;
    Pid actor;

    std::mutex m; // everything below
    // Output captured, not yet written to the log.
    std::deque<OutLine> lines;
    std::size_t queued = 0; // bytes in `lines` and in the batch being written
    bool kick_pending = false;
    std::uint64_t n_lines = 0, n_dropped = 0, bytes_dropped = 0, n_truncated = 0;
    std::uint64_t unreported_lines = 0, unreported_bytes = 0;
    // State.
    int os_pid = 0;
    bool ready = false;
    bool exited = false; // the main process has exited
    bool gone = false;   // every process is gone
    bool status_known = false;
    int wait_status = 0;
    std::string status;
    std::string cgroup;
    // The start, decided once (by the reactor, or by the actor's timeout), under `m`.
    enum class Start { pending, ok, failed, timed_out } start = Start::pending;
    ExitReason start_reason;
    Wakeup* start_waiter = nullptr; // the actor's init waiting (a reference held)
    std::vector<GoneWait*> gone_waits;

    /// Takes the init's waiter out (to wake it once `m` is released).
    Wakeup* take_waiter() { return std::exchange(start_waiter, nullptr); }
};

/// Wakes and releases `w` (null: nothing).
inline void wake(Wakeup* w) {
    if (w) {
        w->wake();
        w->release();
    }
}

// The actor's side of the events the reactor sends (process_actor.cpp).
/// Lines were queued (sent once until the actor drains them).
void notify_output(Child& c);
/// Everything of the child is gone after its start succeeded: its main process exited with
/// `wait_status` (status_known false if someone else reaped it).
void notify_exit(Child& c);
/// A STATUS= message.
void notify_status(Child& c, std::string status);

/// The exit reason for a wait status: normal, {exit_status,N}, {signal,SIGSEGV}.
ExitReason exit_reason_of(bool known, int wait_status);

} // namespace sup::detail::proc
