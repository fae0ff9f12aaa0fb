// A fixed pool of `size` workers and a dispatcher that hands them out, queueing requests (FIFO)
// while every worker is busy -- as poolboy does for Erlang and Elixir.
//
//   sup::Pid pool = sup::std_lib::Pool::start(rt, sup::dynamic_worker<Resizer>(), 4).value();
//   auto img = sup::std_lib::Pool::run<Resizer>(pool, Resize{...}, 2s);    // a call, queued if
//   need be sup::std_lib::Pool::submit<Resizer>(pool, Resize{...});                // the same,
//   asynchronously sup::std_lib::Pool::status(pool);                                      // idle /
//   busy / queued
//
// The pool is a supervisor (rest_for_one): its dispatcher, then a one_for_one supervisor of the
// workers "0".."size-1". A worker that crashes during a job fails that job's call (the caller
// gets exited with the reason) and is restarted; the pool keeps serving. docs/stdlib.md.
#pragma once

#include "sup/call.hpp"
#include "sup/runtime.hpp"
#include "sup/supervisor.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace sup::std_lib {

/// The dispatcher's counts (poolboy's status/1).
struct PoolStatus {
    std::int64_t size = 0;       ///< workers configured
    std::int64_t idle = 0;       ///< running and free
    std::int64_t busy = 0;       ///< running a job (checked out)
    std::int64_t restarting = 0; ///< crashed, not yet restarted
    std::int64_t queued = 0;     ///< requests waiting for a worker
    friend bool operator==(const PoolStatus&, const PoolStatus&) = default;
};

namespace detail {
struct PoolShared;
}

/// The pool's dispatcher (an actor; use the Pool functions rather than these messages).
class PoolDispatcher : public Actor<PoolDispatcher> {
public:
    /// Asks for a worker; the reply comes when one is free (FIFO).
    struct Checkout {
        using reply_type = Pid;
        std::uint64_t ticket;
        Pid caller;
    };
    struct Checkin {
        std::uint64_t ticket;
    };
    /// The caller gave up waiting (timeout): forget the request, or free the worker it got.
    struct Cancel {
        std::uint64_t ticket;
    };
    /// An asynchronous job: run by a short-lived job actor once a worker is free.
    struct Submit {
        std::uint64_t ticket;
        std::function<void(const Pid& worker)> job;
    };
    struct Status {};
    struct Workers {};
    /// Sent by the pool's start function each time worker `index` (re)starts.
    struct WorkerUp {
        std::int64_t index;
        Pid pid;
    };

    PoolDispatcher(std::shared_ptr<detail::PoolShared> shared, std::int64_t size);
    ~PoolDispatcher() override;

    void handle_call(Checkout c, ReplyTo<Pid> reply);
    PoolStatus handle_call(Status);
    std::vector<Pid> handle_call(Workers);
    void handle_cast(Checkin c);
    void handle_cast(Cancel c);
    void handle_cast(Submit s);
    void handle_info(WorkerUp w);
    void handle_info(Down d);

private:
    InitResult init() override;
    void serve();
    void finish(std::uint64_t ticket);
    void vacate(std::size_t slot);
    void make_idle(std::size_t slot);
    struct State;
    std::unique_ptr<State> st_;
};

/// std.sup's std.Pool(of, size) is this class: it starts itself (start_link) as a supervisor.
/// A template that takes one extra start argument of type std::int64_t (dynamic_worker<T,
/// std::int64_t>, or a .sup kind with one open int parameter, such as PoolWorker(worker_id:
/// int)) receives the worker's index 0..size-1; any other template, no extra argument.
class Pool {
public:
    /// `size` >= 1, else the start fails.
    static StartResult<Pid> start_link(StartContext& ctx, ChildTemplate of, std::int64_t size);
    static StartResult<Pid> start(Runtime& rt, ChildTemplate of, std::int64_t size);
    /// The pool's supervisor spec (rest_for_one: "dispatcher", then "workers", a one_for_one
    /// supervisor of the workers allowing max(3, size) restarts per 5 s).
    static SupervisorSpec spec(const ChildTemplate& of, std::int64_t size);
    /// A child spec for a supervision tree: worker<Pool>(id, of, size) of type supervisor.
    static ChildSpec child_spec(std::string id, ChildTemplate of, std::int64_t size);

    /// poolboy's transaction: checks a worker out (waiting in line while all are busy), runs
    /// fn(worker) on the calling thread, checks it in (also when fn throws). Errors: timeout
    /// (no worker within `timeout`), noproc / exited (the pool is not running).
    template <class F>
    static CallResult<std::invoke_result_t<F&, const Pid&>>
    transaction(const Pid& pool, F&& fn, Clock::duration timeout = std::chrono::seconds(5)) {
        using R = std::invoke_result_t<F&, const Pid&>;
        if constexpr (std::is_void_v<R>) {
            auto r =
                detail_with_worker(pool, timeout, [&](const Pid& w, Clock::duration) { fn(w); });
            if (!r)
                return sup::fail(r.error());
            return {};
        } else {
            std::optional<R> out;
            auto r = detail_with_worker(pool, timeout,
                                        [&](const Pid& w, Clock::duration) { out.emplace(fn(w)); });
            if (!r)
                return sup::fail(r.error());
            return std::move(*out);
        }
    }

    /// Calls a worker of class W with `msg` (sup::call) once one is free. `timeout` bounds the
    /// whole run: the wait in line and the call. Errors: those of transaction, and those of the
    /// call -- exited with the reason when the worker crashes during the job.
    template <class W, class M>
    static CallResult<reply_t<W, M>> run(const Pid& pool, M&& msg,
                                         Clock::duration timeout = std::chrono::seconds(5)) {
        using R = reply_t<W, M>;
        CallResult<R> out = sup::fail(CallError{});
        auto r = detail_with_worker(pool, timeout, [&](const Pid& w, Clock::duration left) {
            out = sup::call(worker_ref<W>(w), std::forward<M>(msg), left);
        });
        if (!r)
            return sup::fail(r.error());
        return out;
    }

    /// Queues `msg` for a worker of class W and returns at once (noproc if the pool is not
    /// running). When a worker is free, a short-lived job actor calls it (no timeout: until the
    /// worker replies or dies) and hands the result to `on_done`, on that actor's thread.
    template <class W, class M>
    static Result<void, CallError>
    submit(const Pid& pool, M msg,
           std::function<void(CallResult<reply_t<W, M>>)> on_done = nullptr) {
        auto job = [msg = std::move(msg), on_done = std::move(on_done)](const Pid& w) mutable {
            auto r = sup::call(worker_ref<W>(w), std::move(msg), sup::infinity);
            if (on_done)
                on_done(std::move(r));
        };
        return detail_submit(pool, std::move(job));
    }

    /// The dispatcher's counts.
    static CallResult<PoolStatus> status(const Pid& pool);
    /// The workers' current pids, by index (empty while one is restarting).
    static CallResult<std::vector<Pid>> workers(const Pid& pool);

private:
    template <class W>
    static Ref<W> worker_ref(const Pid& w) {
        Ref<W> ref = w.template as<W>();
        if (!ref && w)
            throw std::invalid_argument("sup::std_lib::Pool: the pool's workers are not of the "
                                        "class the job was sent to");
        return ref;
    }
    static Result<void, CallError>
    detail_with_worker(const Pid& pool, Clock::duration timeout,
                       const std::function<void(const Pid&, Clock::duration)>& fn);
    static Result<void, CallError> detail_submit(const Pid& pool,
                                                 std::function<void(const Pid&)> job);
};

} // namespace sup::std_lib
