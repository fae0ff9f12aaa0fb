// Supervisor lifecycle events. Every step a supervisor takes is an event; subscribers are called
// synchronously, on the supervisor's thread, in the order the steps happen (keep them short; they
// must not call the supervisor). The default logger is one such subscriber.
//
//   auto sub = rt.events().subscribe([](const sup::SupervisorEvent& e) { ... });
//   // unsubscribed when `sub` is destroyed; once that returns, the handler is not running on
//   // any thread and will not be called again, so what it uses may be destroyed next
//
// sup/event_queue.hpp keeps events for a thread that waits for them (a restart, say).
#pragma once

#include "sup/clock.hpp"
#include "sup/exit_reason.hpp"
#include "sup/pid.hpp"

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace sup {

enum class EventKind : unsigned char {
    child_started,     ///< a child started (its init succeeded)
    child_restarted,   ///< a child started again: after its exit, as a one_for_all /
                       ///< rest_for_one sibling, after a failed attempt, or restart_child
    start_failed,      ///< a child's start failed (OTP start_error); `reason` says why
    child_ignored,     ///< a child's init returned ignore
    child_exited,      ///< a child stopped on its own (OTP child_terminated); `reason`
    child_terminated,  ///< the supervisor stopped a child: `reason` shutdown (it obeyed) or
                       ///< killed (brutal_kill, or the shutdown timeout expired)
    shutdown_error,    ///< a child stopped by the supervisor died with an unexpected reason
    restart_delayed,   ///< backoff: the restart of `child_id` waits `delay`
    give_up,           ///< more restarts than the intensity allows: the supervisor gives up
                       ///< (OTP reached_max_restart_intensity), then stops its children
    auto_shutdown,     ///< a significant child's exit makes the supervisor shut down
    supervisor_stopped ///< the supervisor itself has stopped its children and exits (`reason`)
};

const char* to_string(EventKind k);

struct SupervisorEvent {
    EventKind kind;
    Pid supervisor;
    /// The supervisor's registered name, or its pid as text.
    std::string supervisor_name;
    /// The supervisor's path from the root of its tree: child ids joined by '/' ("" for the
    /// root). Known from the supervisor's first event on, even before its own start event
    /// (a supervisor's children start, and are reported, while it starts).
    std::string supervisor_path;
    /// The child's id (dynamic children: their start sequence number "1", "2", ...).
    std::string child_id;
    Pid child;
    bool child_is_supervisor = false;
    ExitReason reason;
    /// child_restarted (and nothing else): this start is a restart.
    bool restart = false;
    /// restart_delayed: the backoff delay.
    Clock::duration delay{};
    Clock::time_point time{};

    /// The child's path from the root ("services/cache"); the supervisor's own path for
    /// events about the supervisor itself (give_up, supervisor_stopped, auto_shutdown).
    std::string path() const {
        if (child_id.empty() || kind == EventKind::give_up || kind == EventKind::supervisor_stopped)
            return supervisor_path;
        return supervisor_path.empty() ? child_id : supervisor_path + "/" + child_id;
    }
};

class EventBus {
public:
    using Handler = std::function<void(const SupervisorEvent&)>;

    /// Unsubscribes when destroyed.
    class Subscription {
    public:
        Subscription() = default;
        Subscription(Subscription&& o) noexcept : bus_(o.bus_), id_(o.id_) { o.bus_ = nullptr; }
        Subscription& operator=(Subscription&& o) noexcept {
            if (this != &o) {
                reset();
                bus_ = o.bus_;
                id_ = o.id_;
                o.bus_ = nullptr;
            }
            return *this;
        }
        ~Subscription() { reset(); }
        void reset();

    private:
        friend class EventBus;
        Subscription(EventBus* b, std::uint64_t id) : bus_(b), id_(id) {}
        EventBus* bus_ = nullptr;
        std::uint64_t id_ = 0;
    };

    /// Calls `h` for every event from now on, until the subscription is reset or destroyed.
    /// Resetting waits until calls of `h` in progress on other threads have returned (from
    /// within `h` itself it cannot, and does not).
    [[nodiscard]] Subscription subscribe(Handler h);
    bool has_subscribers() const { return count_.load(std::memory_order_acquire) > 0; }
    /// Calls every subscriber (supervisors do this).
    void emit(const SupervisorEvent& e) const;

private:
    /// One subscriber: its handler, and the calls of it in progress (so that unsubscribing
    /// can wait for them).
    struct Slot {
        explicit Slot(Handler h) : handler(std::move(h)) {}
        Handler handler;
        std::atomic<int> inflight{0};
        std::atomic<bool> removed{false};
    };
    struct Entry {
        std::uint64_t id;
        std::shared_ptr<Slot> slot;
    };
    void unsubscribe(std::uint64_t id);
    mutable std::mutex m_;
    std::shared_ptr<const std::vector<Entry>> subs_ = std::make_shared<std::vector<Entry>>();
    std::atomic<int> count_{0};
    std::uint64_t next_id_ = 1;
};

} // namespace sup
