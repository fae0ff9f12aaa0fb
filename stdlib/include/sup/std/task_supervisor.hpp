// Elixir's Task.Supervisor, with Task's meaning: short-lived actors that run one function.
//
//   sup::Pid tasks = sup::std_lib::TaskSupervisor::start(rt).value();   // or a child: below
//   auto t = sup::std_lib::TaskSupervisor::async_nolink(tasks, [] { return fetch(); });
//   sup::std_lib::TaskResult<Page> r = t.await(2s);      // the page, or an error: timeout,
//                                                         // exited (the task crashed: reason)
//   sup::std_lib::TaskSupervisor::start_child(tasks, [] { send_mail(); });   // fire and forget
//   auto c = sup::std_lib::TaskSupervisor::async_nolink(tasks, [](std::stop_token st) {
//       while (!st.stop_requested()) step();              // cooperative: c.shutdown() returns
//   });                                                   // as soon as it sees the request
//
// A task is a child of the task supervisor (a dynamic supervisor; by default temporary with
// shutdown 5000 ms, 3 restarts per 5 s, unlimited: Elixir's defaults; TaskSupervisorOptions).
// `async` links it to the calling actor (a crashing task takes the caller down unless the
// caller traps exits); `async_nolink` does not (a crash is an error result of await). A task
// function may take a std::stop_token: it is requested when the task is asked to stop
// (Task.shutdown, its supervisor's shutdown, a kill). Timeouts are on the runtime's clock, so
// a VirtualClock drives them. docs/stdlib.md.
#pragma once

#include "sup/runtime.hpp"
#include "sup/supervisor.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace sup::std_lib {

struct TaskError {
    enum class Code : unsigned char {
        timeout,         ///< no result within the timeout (the task keeps running)
        exited,          ///< the task died without a result; `reason` (a crash, killed, shutdown)
        noproc,          ///< the task supervisor was not running
        max_children,    ///< the task supervisor runs max_children tasks already
        start_failed,    ///< the task did not start (`reason`)
        already_awaited, ///< an earlier await or yield took the result
    };
    Code code = Code::exited;
    ExitReason reason;
    std::string to_string() const;
    bool operator==(Code c) const { return code == c; }
};
template <class R>
using TaskResult = Result<R, TaskError>;

namespace detail {

/// What a task actor and its Task handle share.
class TaskCore {
public:
    TaskCore() = default;
    TaskCore(const TaskCore&) = delete;
    TaskCore& operator=(const TaskCore&) = delete;
    virtual ~TaskCore() = default;
    /// Runs the function (with `stop` if it takes a std::stop_token) and keeps its result
    /// unless the task actor `self` is dead by then (killed: its value is dropped); an
    /// exception escapes (the task crashes). False if the function took the token and returned
    /// after its stop was requested: it was cancelled, and its value is not kept.
    virtual bool run(std::stop_token stop, const Pid& self) = 0;

    Pid owner;            ///< who called async / async_nolink (empty outside actors)
    bool link = false;    ///< async: the task links itself to the owner first
    bool awaited = false; ///< async / async_nolink: runs once, whatever the restart type
    bool ran = false;     ///< a task actor has started for it (set by that actor)
};

/// What a task function returns: invoked with a std::stop_token when it takes one.
template <class F>
struct TaskReturn {
    using type = std::invoke_result_t<F&>;
};
template <class F>
requires std::is_invocable_v<F&, std::stop_token>
struct TaskReturn<F> {
    using type = std::invoke_result_t<F&, std::stop_token>;
};
template <class F>
using task_return_t = typename TaskReturn<std::decay_t<F>>::type;

template <class R>
class TaskCoreResult : public TaskCore {
public:
    bool has_result() {
        std::lock_guard l(m_);
        return done_;
    }
    TaskResult<R> take() {
        std::lock_guard l(m_);
        if (taken_)
            return sup::fail(TaskError{TaskError::Code::already_awaited, {}});
        taken_ = true;
        if constexpr (std::is_void_v<R>)
            return {};
        else
            return std::move(*value_);
    }

protected:
    template <class F>
    bool run_and_keep(F& fn, std::stop_token stop, const Pid& self) {
        constexpr bool cooperative = std::is_invocable_v<F&, std::stop_token>;
        auto invoke = [&]() -> decltype(auto) {
            if constexpr (cooperative)
                return fn(stop);
            else
                return fn();
        };
        if constexpr (std::is_void_v<R>) {
            (void)invoke();
            if (cooperative && stop.stop_requested())
                return false;
            if (!self.alive())
                return true;
            std::lock_guard l(m_);
            done_ = true;
        } else {
            R v = invoke();
            if (cooperative && stop.stop_requested())
                return false;
            if (!self.alive())
                return true;
            std::lock_guard l(m_);
            value_.emplace(std::move(v));
            done_ = true;
        }
        return true;
    }

private:
    struct Unit {};
    std::mutex m_;
    bool done_ = false;
    bool taken_ = false;
    std::optional<std::conditional_t<std::is_void_v<R>, Unit, R>> value_;
};

template <class R, class F>
class TaskCoreOf final : public TaskCoreResult<R> {
public:
    explicit TaskCoreOf(F fn) : fn_(std::move(fn)) {}
    bool run(std::stop_token stop, const Pid& self) override {
        return this->run_and_keep(fn_, std::move(stop), self);
    }

private:
    F fn_;
};

// Non-template parts (task_supervisor.cpp).
/// Starts a task actor for `core` under the task supervisor: its pid, or the error.
Result<Pid, TaskError> start_task(const Pid& sup, std::shared_ptr<TaskCore> core);
/// Waits at most `timeout` (runtime clock) for `task` to die: its exit reason, or nullopt.
std::optional<ExitReason> wait_task(const Pid& task, Clock::duration timeout);
/// Task.shutdown's protocol: unlinks the owner, asks (or kills), waits; the exit reason, and
/// whether the task was alive when asked.
std::pair<ExitReason, bool> shutdown_task(const Pid& task, const TaskCore& core, Shutdown how);
/// The runtime clock's time, for the deadline of await_many / yield_many.
Clock::time_point task_clock_now(const Pid& task);

} // namespace detail

/// A running task (Elixir's %Task{}): await it, yield it, or shut it down. Move-only: its
/// result is taken once.
template <class R>
class Task {
public:
    using result_type = R;

    Task() = default;
    Task(Task&&) noexcept = default;
    Task& operator=(Task&&) noexcept = default;
    Task(const Task&) = delete;
    Task& operator=(const Task&) = delete;

    /// The task's actor (empty if it did not start).
    const Pid& pid() const { return pid_; }
    /// False if the task did not start; start_error() says why.
    bool started() const { return core_ != nullptr; }
    explicit operator bool() const { return started(); }
    const TaskError& start_error() const { return error_; }

    /// Task.await/2: the result, or an error: timeout (the task keeps running; Elixir exits the
    /// caller), exited with the task's exit reason (Elixir exits the caller with it),
    /// already_awaited, or the start error. A linked (async) task that crashed also sends its
    /// exit signal to the caller, which dies of it after its current handler unless it traps
    /// exits.
    TaskResult<R> await(Clock::duration timeout = std::chrono::seconds(5)) {
        if (!core_)
            return sup::fail(error_);
        std::optional<ExitReason> why = detail::wait_task(pid_, timeout);
        if (!why)
            return sup::fail(TaskError{TaskError::Code::timeout, {}});
        return collect(*why);
    }
    /// Task.yield/2: as await, but nullopt on timeout (the task keeps running; yield or await
    /// it again later).
    std::optional<TaskResult<R>> yield(Clock::duration timeout = std::chrono::seconds(5)) {
        if (!core_)
            return TaskResult<R>(sup::fail(error_));
        std::optional<ExitReason> why = detail::wait_task(pid_, timeout);
        if (!why)
            return std::nullopt;
        return collect(*why);
    }
    /// Task.shutdown/2: unlinks the calling owner, then stops the task: brutal_kill kills it at
    /// once; a timeout asks it to stop (exit signal shutdown) and kills it when the timeout
    /// expires; infinity asks and waits. Asking requests the task's std::stop_token at once: a
    /// function that takes one and returns when it is requested ends the task (reason
    /// shutdown) and this returns then, without waiting for the timeout. A function that does
    /// not cannot be interrupted: the task is killed at the timeout (this returns then; the
    /// thread running the function runs on until it returns, its value is dropped, and the
    /// runtime gives its scheduler permit to another thread meanwhile), or waited for
    /// (infinity). The result if it arrived before the request took effect; nullopt if the
    /// task was shut down (or cancelled) without one; exited if it died of something else.
    std::optional<TaskResult<R>>
    shutdown(Shutdown how = Shutdown::timeout(std::chrono::milliseconds(5000))) {
        if (!core_)
            return TaskResult<R>(sup::fail(error_));
        auto [why, asked] = detail::shutdown_task(pid_, *core_, how);
        if (core_->has_result())
            return core_->take();
        if (asked && (why.is_shutdown() || why.is_killed()))
            return std::nullopt;
        return TaskResult<R>(sup::fail(TaskError{TaskError::Code::exited, why}));
    }

private:
    friend class TaskSupervisor;
    Task(Pid pid, std::shared_ptr<detail::TaskCoreResult<R>> core)
        : pid_(std::move(pid)), core_(std::move(core)) {}
    explicit Task(TaskError e) : error_(std::move(e)) {}

    TaskResult<R> collect(const ExitReason& why) {
        // A task exits normally only after keeping its result.
        if (core_->has_result())
            return core_->take();
        return sup::fail(TaskError{TaskError::Code::exited, why});
    }

    Pid pid_;
    std::shared_ptr<detail::TaskCoreResult<R>> core_;
    TaskError error_{TaskError::Code::start_failed, {}};
};

/// What Elixir's Task.Supervisor.start_link/1 takes, with Elixir's defaults.
struct TaskSupervisorOptions {
    /// Registers the task supervisor under this name (`:name`); empty: none.
    std::string name;
    /// `:max_restarts` / `:max_seconds`: more than `intensity` restarts within `period` and
    /// the task supervisor gives up. Only restarted tasks count (transient, permanent).
    int intensity = 3;
    std::chrono::nanoseconds period = std::chrono::seconds(5);
    /// `:max_children`: start_child / async fail with max_children beyond it.
    std::optional<std::size_t> max_children;
    /// `:restart` of its tasks: temporary (never restarted), transient (restarted after an
    /// abnormal exit), permanent. Applies to start_child's tasks; async / async_nolink tasks
    /// run once (a restart of one is ignored), as Elixir's are always temporary.
    Restart restart = Restart::temporary;
    /// `:shutdown` of its tasks: brutal_kill, a timeout (ask, then kill), infinity.
    Shutdown shutdown = Shutdown::timeout(std::chrono::milliseconds(5000));
};

/// std.sup's std.TaskSupervisor is this class: it starts itself (start_link) as a dynamic
/// supervisor of task actors with the options' settings.
class TaskSupervisor {
public:
    /// std.TaskSupervisor(max_children, name, task_restart, task_shutdown) as generated code
    /// calls it (task_restart: "temporary", "transient" or "permanent"). The intensity a spec
    /// gives in the child's block comes through `ctx` (sup::gen::with_intensity).
    static StartResult<Pid> start_link(StartContext& ctx, std::optional<std::int64_t> max_children,
                                       std::optional<std::string> name, std::string task_restart,
                                       std::chrono::milliseconds task_shutdown);
    static StartResult<Pid> start_link(StartContext& ctx, std::optional<std::int64_t> max_children);
    static StartResult<Pid> start_link(StartContext& ctx, TaskSupervisorOptions options);
    /// A root task supervisor (not in a tree).
    static StartResult<Pid> start(Runtime& rt, TaskSupervisorOptions options = {});
    static StartResult<Pid> start(Runtime& rt, std::optional<std::int64_t> max_children);
    /// Its spec.
    static DynamicSupervisorSpec spec(const TaskSupervisorOptions& options = {});
    static DynamicSupervisorSpec spec(std::optional<std::int64_t> max_children);
    /// A child spec for a supervision tree, of type supervisor.
    static ChildSpec child_spec(std::string id, TaskSupervisorOptions options = {});
    static ChildSpec child_spec(std::string id, std::optional<std::int64_t> max_children);

    /// Task.Supervisor.start_child/2: runs `fn` in a task nobody awaits. Its pid, or the
    /// supervisor's error (noproc, max_children, ...).
    template <class F>
    static SupResult<Pid> start_child(const Pid& sup, F&& fn) {
        auto core =
            std::make_shared<detail::TaskCoreOf<void, std::decay_t<F>>>(std::forward<F>(fn));
        auto r = detail::start_task(sup, std::move(core));
        if (r)
            return r.value();
        SupError e;
        switch (r.error().code) {
        case TaskError::Code::noproc:
            e.code = SupError::Code::noproc;
            break;
        case TaskError::Code::max_children:
            e.code = SupError::Code::max_children;
            break;
        default:
            e.code = SupError::Code::start_failed;
            e.reason = r.error().reason;
        }
        return sup::fail(std::move(e));
    }
    /// Task.Supervisor.async/2: a task linked to the calling actor (outside actors there is no
    /// one to link to: as async_nolink).
    template <class F>
    static Task<detail::task_return_t<F>> async(const Pid& sup, F&& fn) {
        return start_async(sup, std::forward<F>(fn), true);
    }
    /// Task.Supervisor.async_nolink/2: a task not linked to the caller; its crash is only an
    /// error result of await / yield.
    template <class F>
    static Task<detail::task_return_t<F>> async_nolink(const Pid& sup, F&& fn) {
        return start_async(sup, std::forward<F>(fn), false);
    }
    /// Task.Supervisor.children/1: the running tasks.
    static std::vector<Pid> children(const Pid& sup);
    /// Task.Supervisor.terminate_child/2.
    static SupResult<void> terminate_child(const Pid& sup, const Pid& task);

private:
    template <class F>
    static Task<detail::task_return_t<F>> start_async(const Pid& sup, F&& fn, bool link) {
        using R = detail::task_return_t<F>;
        auto core = std::make_shared<detail::TaskCoreOf<R, std::decay_t<F>>>(std::forward<F>(fn));
        core->owner = sup::self();
        core->link = link && core->owner;
        core->awaited = true;
        auto r = detail::start_task(sup, core);
        if (!r)
            return Task<R>(r.error());
        return Task<R>(std::move(r.value()), std::move(core));
    }
};

namespace detail {
/// Calls `wait(task, time left)` for each task in order, all within one common timeout that
/// starts on the clock of the first started task (infinity stays infinity).
template <class R, class Wait>
auto wait_many(std::vector<Task<R>>& tasks, Clock::duration timeout, Wait wait) {
    std::vector<decltype(wait(tasks.front(), timeout))> out;
    out.reserve(tasks.size());
    std::optional<Clock::time_point> deadline;
    for (Task<R>& t : tasks) {
        if (!deadline && t.started() && timeout != Clock::duration::max())
            deadline = task_clock_now(t.pid()) + timeout;
        Clock::duration left = timeout;
        if (deadline && t.started())
            left = std::max(Clock::duration::zero(), *deadline - task_clock_now(t.pid()));
        out.push_back(wait(t, left));
    }
    return out;
}
} // namespace detail

/// Task.await_many/2: awaits every task within one common timeout; one result per task, in
/// order (a task still running at the deadline gives timeout).
template <class R>
std::vector<TaskResult<R>> await_many(std::vector<Task<R>>& tasks,
                                      Clock::duration timeout = std::chrono::seconds(5)) {
    return detail::wait_many(tasks, timeout,
                             [](Task<R>& t, Clock::duration left) { return t.await(left); });
}

/// Task.yield_many/2: as await_many, with nullopt for the tasks still running at the deadline.
template <class R>
std::vector<std::optional<TaskResult<R>>>
yield_many(std::vector<Task<R>>& tasks, Clock::duration timeout = std::chrono::seconds(5)) {
    return detail::wait_many(tasks, timeout,
                             [](Task<R>& t, Clock::duration left) { return t.yield(left); });
}

} // namespace sup::std_lib
