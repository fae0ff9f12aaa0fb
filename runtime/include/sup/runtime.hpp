// The runtime: scheduler threads, the clock, the name registry, the event bus.
//
//   sup::Runtime rt;                                   // one scheduler thread per core
//   auto counter = rt.spawn<Counter>(0).value();       // runs init(), returns Ref<Counter>
//   sup::cast(counter, Add{2});
//   int n = sup::call(counter, Get{}).value();
#pragma once

#include "sup/actor.hpp"
#include "sup/call.hpp"
#include "sup/clock.hpp"
#include "sup/exit_reason.hpp"
#include "sup/pid.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sup {

class EventBus;

enum class LogLevel : unsigned char {
    none,  ///< nothing
    error, ///< OTP's default: supervisor error reports (child terminated, start error,
           ///< shutdown error, max restart intensity) and actor crash reports
    info,  ///< also progress reports (child started)
};

struct RuntimeOptions {
    /// Scheduler threads; 0 means $SUPC_SCHEDULERS when it is a whole number from 1 to 1024,
    /// else one per hardware thread (std::thread::hardware_concurrency()). An unusable
    /// SUPC_SCHEDULERS is reported through the log (=WARNING REPORT, unless log_level is none)
    /// and ignored (sup/schedulers.hpp).
    unsigned threads = 0;
    /// One scheduler thread, strict FIFO scheduling, and threads that are not scheduler threads
    /// never run actor code themselves: with a virtual clock, runs are reproducible.
    bool deterministic = false;
    /// Defaults to a RealClock. Share a VirtualClock to control time.
    std::shared_ptr<Clock> clock{};
    LogLevel log_level = LogLevel::error;
    /// Where log reports go (one call per report); stderr when empty.
    std::function<void(std::string_view)> log_sink{};
    /// Timeout of call() without an explicit timeout (gen_server's default: 5 s).
    Clock::duration call_timeout = std::chrono::seconds(5);
};

/// The scheduler's figures at one moment (Runtime::scheduler_stats(); the observer's metrics).
struct SchedulerStats {
    /// Handlers that run at once (RuntimeOptions::threads, or one per core).
    unsigned schedulers = 0;
    /// OS threads the scheduler has created: the schedulers, plus those that took the place of
    /// threads blocked in a wait or stuck in a killed actor's handler.
    std::size_t threads = 0;
    /// Threads parked without work.
    std::size_t idle_threads = 0;
    /// Actors waiting in the shared run queue.
    std::size_t run_queue = 0;
    /// Actors runnable or running, minus those blocked in a wait (0: quiescent).
    std::int64_t active = 0;
    /// Steps run by scheduler threads since the start: each takes one actor from the run queue
    /// (or a thread's next slot) and runs it for up to a batch of messages.
    std::uint64_t steps = 0;
};

class Runtime {
public:
    explicit Runtime(RuntimeOptions options = {});
    ~Runtime();
    Runtime(const Runtime&) = delete;
    Runtime& operator=(const Runtime&) = delete;

    /// Constructs T(args...) and runs its init() before returning (gen_server:start/3).
    template <class T, class... A>
    StartResult<Ref<T>> spawn(A&&... args);
    template <class T, class... A>
    StartResult<Ref<T>> spawn_opt(const SpawnOptions& options, A&&... args);

    /// Registers `pid` under `name` (erlang:register/2). False if the name is taken or the
    /// actor is dead. The name is released when the actor dies.
    bool register_name(std::string name, const Pid& pid);
    bool unregister_name(std::string_view name);
    /// The actor registered under `name`, or an empty Pid.
    Pid whereis(std::string_view name) const;
    template <class T>
    Ref<T> whereis_as(std::string_view name) const {
        return whereis(name).template as<T>();
    }
    std::vector<std::string> registered() const;

    /// Asks `pid` to stop as its parent would (terminate() runs) and waits at most `timeout`
    /// (runtime clock) for it to die. Its exit reason, or nullopt on timeout.
    std::optional<ExitReason> stop(const Pid& pid, ExitReason reason = ExitReason::shutdown(),
                                   Clock::duration timeout = Clock::duration::max());
    /// Waits until `pid` has died; its exit reason, or nullopt if `timeout` (runtime clock)
    /// passes first. An empty Pid gives noproc.
    std::optional<ExitReason> wait_exit(const Pid& pid,
                                        Clock::duration timeout = Clock::duration::max());
    /// As wait_exit, with the timeout in real time whatever the clock (for tests).
    std::optional<ExitReason> wait_exit_real(const Pid& pid, std::chrono::milliseconds timeout);

    Clock& clock() const;
    /// The clock if it is virtual, else null.
    VirtualClock* virtual_clock() const;
    /// Blocks until no actor is runnable or running and no message is in flight. Actors
    /// blocked on the clock (call and shutdown timeouts) count as idle: with a virtual clock,
    /// nothing more happens until the clock advances.
    void wait_quiescent();
    /// As wait_quiescent(), giving up after `real_timeout`; false if it gave up.
    bool wait_quiescent_for(std::chrono::milliseconds real_timeout);

    /// Supervisor lifecycle events.
    EventBus& events();
    unsigned threads() const;
    bool deterministic() const;
    /// Number of actors alive.
    std::size_t live_actors() const;
    /// Messages waiting in `pid`'s mailbox (erlang:process_info(Pid, message_queue_len)).
    std::size_t message_queue_len(const Pid& pid) const;
    /// The scheduler's figures now; costs one lock of the scheduler, nothing when not called.
    SchedulerStats scheduler_stats() const;

    /// Kills every remaining actor (no terminate) and stops the scheduler threads; handlers
    /// still running are waited for. Also done by the destructor. Stop supervision trees
    /// first for an orderly shutdown.
    void shutdown();

private:
    friend detail::RuntimeImpl* detail::impl_of(Runtime& rt) noexcept;
    std::unique_ptr<detail::RuntimeImpl> impl_;
};

/// OTP's exit/2: sends an exit signal with `reason` to `pid`, from the calling actor (or from
/// no actor). A trapping receiver gets an ExitSignal message; otherwise any reason but normal
/// stops it. From the receiver's parent it is a shutdown request. False if `pid` is dead.
bool exit(const Pid& pid, ExitReason reason);
/// OTP's exit(Pid, kill): the actor dies at once with reason killed (see docs/runtime.md).
void kill(const Pid& pid);
/// The calling actor's pid, or an empty Pid outside actors.
Pid self();
/// erlang:link/1 from the calling actor (ActorBase::link, usable from library code that runs
/// in a handler). False outside actors or for an empty pid; linking to a dead actor delivers
/// an exit signal noproc to the caller, as ActorBase::link does.
bool link(const Pid& pid);
/// erlang:unlink/1 from the calling actor. False outside actors or for an empty pid.
bool unlink(const Pid& pid);

namespace detail {
template <class T, class... A>
StartResult<Ref<T>> spawn_with(RuntimeImpl* rt, const SpawnOptions& o, A&&... args) {
    static_assert(std::is_base_of_v<Actor<T>, T>, "an actor class derives from sup::Actor<itself>");
    ActorBase* obj = nullptr;
    try {
        obj = new T(std::forward<A>(args)...);
    } catch (const std::exception& e) {
        return StartResult<Ref<T>>::make_failed(ExitReason::error(e.what()));
    } catch (...) {
        return StartResult<Ref<T>>::make_failed(ExitReason::error("exception in constructor"));
    }
    ActorTraits traits;
    traits.stops_at_once = KeepsDefaultTerminate<T>;
    StartOutcome out = start_actor(rt, obj, typeid(T), traits, o);
    switch (out.status) {
    case StartOutcome::ok:
        return StartResult<Ref<T>>::make_started(out.pid.template as<T>());
    case StartOutcome::ignore:
        return StartResult<Ref<T>>::make_ignored();
    default:
        return StartResult<Ref<T>>::make_failed(std::move(out.reason));
    }
}
} // namespace detail

template <class T, class... A>
StartResult<Ref<T>> Runtime::spawn(A&&... args) {
    return detail::spawn_with<T>(impl_.get(), SpawnOptions{}, std::forward<A>(args)...);
}
template <class T, class... A>
StartResult<Ref<T>> Runtime::spawn_opt(const SpawnOptions& options, A&&... args) {
    return detail::spawn_with<T>(impl_.get(), options, std::forward<A>(args)...);
}

/// From inside an actor: spawns T linked to the calling actor (spawn_link + gen_server:start_link).
template <class T, class... A>
StartResult<Ref<T>> spawn_link(A&&... args) {
    SpawnOptions o;
    o.link = true;
    return detail::spawn_with<T>(detail::current_runtime(), o, std::forward<A>(args)...);
}

} // namespace sup
