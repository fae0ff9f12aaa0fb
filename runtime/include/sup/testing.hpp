// A test kit for supervision trees, as ExUnit's start_supervised! gives Elixir users: start a
// tree in a test, kill a child, wait until it is restarted, assert on which_children -- without
// sleeping. Every wait is on an event and has a (real-time) timeout; a timeout throws WaitTimeout
// with what was awaited and what happened instead, which any test framework reports as a failure.
//
//   sup::Runtime rt;
//   sup::testing::Supervised tree(rt, spec);                 // stopped at the end of the scope
//   sup::Pid old = tree.child("services/cache");
//   sup::Pid fresh = tree.kill_and_await_restart("services/cache");
//   REQUIRE(tree.which_children("services").size() == 2);
//   REQUIRE(tree.events().lines(tree.child("services")) == std::vector<std::string>{...});
#pragma once

#include "sup/events.hpp"
#include "sup/runtime.hpp"
#include "sup/supervisor.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace sup::testing {

inline constexpr std::chrono::milliseconds default_timeout{5000};

/// A wait in the test kit timed out.
class WaitTimeout : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Records every supervisor event of a runtime, in order, from its construction on.
class EventLog {
public:
    using Predicate = std::function<bool(const SupervisorEvent&)>;

    explicit EventLog(Runtime& rt);
    EventLog(const EventLog&) = delete;
    EventLog& operator=(const EventLog&) = delete;

    std::vector<SupervisorEvent> events() const;
    std::size_t size() const;
    void clear();
    /// One line per event, optionally only those of supervisor `sup`: "child_started a",
    /// "child_restarted a",
    /// "child_exited c crash", "child_terminated d shutdown", "start_failed b reason",
    /// "give_up c", "supervisor_stopped shutdown", ...
    std::vector<std::string> lines(const Pid& sup = Pid()) const;
    static std::string line(const SupervisorEvent& e);

    /// Waits until an event at index >= `from` matches; returns it. Throws WaitTimeout.
    SupervisorEvent wait_for(const Predicate& pred, std::string_view what,
                             std::chrono::milliseconds timeout = default_timeout,
                             std::size_t from = 0);
    /// Waits for an event of `kind` about child `child_id` (of any supervisor).
    SupervisorEvent wait_for(EventKind kind, std::string_view child_id,
                             std::chrono::milliseconds timeout = default_timeout,
                             std::size_t from = 0);
    /// The index of the first event matching `pred` (size() if none).
    std::size_t find(const Predicate& pred, std::size_t from = 0) const;

private:
    void record(const SupervisorEvent& e);
    mutable std::mutex m_;
    std::condition_variable cv_;
    std::vector<SupervisorEvent> events_;
    EventBus::Subscription sub_;
};

/// A supervision tree started for a test and stopped when it goes out of scope
/// (ExUnit's start_supervised!). Construct it before the objects the test shares with workers
/// are destroyed, after the runtime.
class Supervised {
public:
    /// Starts the tree; throws std::runtime_error with the reason if the start fails.
    Supervised(Runtime& rt, SupervisorSpec spec);
    Supervised(Runtime& rt, DynamicSupervisorSpec spec);
    Supervised(const Supervised&) = delete;
    Supervised& operator=(const Supervised&) = delete;
    /// Stops the tree if it still runs (shutdown; killed if it does not stop within 5 s).
    ~Supervised();

    const Pid& pid() const { return tree_.root(); }
    const Tree& tree() const { return tree_; }
    EventLog& events() { return *log_; }

    /// The running child at `path` (child ids joined by '/'); throws if there is none.
    Pid child(std::string_view path) const;
    std::vector<ChildInfo> which_children(std::string_view path = "") const;
    ChildCounts count_children(std::string_view path = "") const;

    /// Kills the child at `path` (exit(Pid, kill)) and waits until its supervisor has started
    /// its successor; returns the successor.
    Pid kill_and_await_restart(std::string_view path,
                               std::chrono::milliseconds timeout = default_timeout);
    /// Waits until the child at `path` runs with a pid other than `old`; returns it.
    Pid await_restart(std::string_view path, const Pid& old,
                      std::chrono::milliseconds timeout = default_timeout);
    /// Waits until `pid` has died; its exit reason.
    ExitReason await_exit(const Pid& pid, std::chrono::milliseconds timeout = default_timeout);
    /// Stops the tree now; the root's exit reason.
    ExitReason stop(std::chrono::milliseconds timeout = default_timeout);

private:
    Runtime* rt_;
    std::unique_ptr<EventLog> log_;
    Tree tree_;
};

/// A stand-in worker (tests, and `supc sim`): starts, answers Ping, and misbehaves on command.
class StandIn : public Actor<StandIn> {
public:
    /// Shared by all incarnations of one child.
    struct Control {
        std::atomic<int> fail_starts{0}; ///< the next N inits fail (with `fail_reason`)
        std::atomic<bool> hang{false};   ///< ignore shutdown requests (the supervisor will kill)
        std::atomic<int> starts{0};      ///< successful inits so far
        std::string fail_reason = "start failed";
    };
    struct Ping {};
    /// Crash: the handler throws, the exit reason is `reason`.
    struct Crash {
        std::string reason = "crash";
    };
    /// Stop on its own with `reason` (normal, shutdown, {shutdown, _}, ...).
    struct Stop {
        ExitReason reason;
    };
    struct Hang {};
    struct Unlink {
        Pid pid;
    };

    explicit StandIn(std::shared_ptr<Control> control = nullptr);
    InitResult init() override;
    bool on_shutdown_request(const ExitReason& reason) override;

    std::string handle_call(Ping) { return "pong"; }
    void handle_cast(Crash c);
    void handle_cast(Stop s) { stop(std::move(s.reason)); }
    void handle_cast(Hang);
    void handle_cast(Unlink u) { unlink(u.pid); }

private:
    std::shared_ptr<Control> control_;
};

/// A child spec for a stand-in worker.
ChildSpec stand_in(std::string id, std::shared_ptr<StandIn::Control> control = nullptr);
/// A dynamic child template for stand-in workers.
ChildTemplate dynamic_stand_in(std::shared_ptr<StandIn::Control> control = nullptr);

} // namespace sup::testing
