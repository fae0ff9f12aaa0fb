// Actors in the style of OTP's gen_server.
//
//   struct Get { };                        // a call; the reply type is the handler's return type
//   struct Add { int n; };                 // a cast
//   class Counter : public sup::Actor<Counter> {
//   public:
//       explicit Counter(int start) : n_(start) {}
//       sup::InitResult init() override { return sup::InitResult::ok(); }   // optional
//       int handle_call(Get) { return n_; }
//       void handle_cast(Add a) { n_ += a.n; }
//       void terminate(const sup::ExitReason&) override {}                  // optional
//   private:
//       int n_;
//   };
//
// Handlers run one message at a time, never concurrently, on the runtime's scheduler threads.
// Handlers must be public (the runtime finds them at compile time); init() and terminate() are
// virtual and may be private. A crash is an exception escaping init() or a handler, or exit().
#pragma once

#include "sup/clock.hpp"
#include "sup/detail/core.hpp"
#include "sup/exit_reason.hpp"
#include "sup/messages.hpp"
#include "sup/pid.hpp"
#include "sup/result.hpp"

#include <exception>
#include <functional>
#include <optional>
#include <stop_token>
#include <string>
#include <type_traits>
#include <utility>

namespace sup {

class Runtime;

/// What init() returns: OTP's {ok, State} | ignore | {stop, Reason}.
class InitResult {
public:
    enum class Kind : unsigned char { ok, ignore, stop };
    static InitResult ok() { return InitResult(Kind::ok, {}); }
    /// The actor does not start; its supervisor keeps the spec (unless temporary) without a pid.
    static InitResult ignore() { return InitResult(Kind::ignore, {}); }
    static InitResult stop(ExitReason reason) { return InitResult(Kind::stop, std::move(reason)); }
    Kind kind() const { return kind_; }
    const ExitReason& reason() const { return reason_; }

private:
    InitResult(Kind k, ExitReason r) : kind_(k), reason_(std::move(r)) {}
    Kind kind_;
    ExitReason reason_;
};

/// The outcome of starting an actor: started (with a value), ignored (init returned ignore),
/// or failed with a reason.
template <class R>
class [[nodiscard]] StartResult {
public:
    enum class Status : unsigned char { started, ignored, failed };
    static StartResult make_started(R v) { return StartResult(Status::started, std::move(v), {}); }
    static StartResult make_ignored() { return StartResult(Status::ignored, R{}, {}); }
    static StartResult make_failed(ExitReason r) {
        return StartResult(Status::failed, R{}, std::move(r));
    }

    Status status() const { return status_; }
    bool started() const { return status_ == Status::started; }
    bool ignored() const { return status_ == Status::ignored; }
    bool failed() const { return status_ == Status::failed; }
    explicit operator bool() const { return started(); }

    R& value() & {
        check();
        return value_;
    }
    const R& value() const& {
        check();
        return value_;
    }
    /// On a temporary, the value is moved out (not a reference into the temporary).
    R value() && {
        check();
        return std::move(value_);
    }
    R& operator*() & { return value(); }
    R operator*() && { return std::move(*this).value(); }
    R* operator->() { return &value(); }
    /// The failure reason (normal when started or ignored).
    const ExitReason& reason() const { return reason_; }

private:
    StartResult(Status s, R v, ExitReason r)
        : status_(s), value_(std::move(v)), reason_(std::move(r)) {}
    void check() const {
        if (status_ != Status::started)
            throw BadResultAccess(status_ == Status::ignored
                                      ? "start ignored"
                                      : "start failed: " + reason_.to_string());
    }
    Status status_;
    R value_;
    ExitReason reason_;
};

/// A cancellable timer set with send_after().
class TimerRef {
public:
    TimerRef() = default;
    TimerRef(const TimerRef& o) : t_(o.t_), clock_(o.clock_) {
        if (t_)
            t_->retain();
    }
    TimerRef(TimerRef&& o) noexcept
        : t_(std::exchange(o.t_, nullptr)), clock_(std::exchange(o.clock_, nullptr)) {}
    TimerRef& operator=(TimerRef o) noexcept {
        std::swap(t_, o.t_);
        std::swap(clock_, o.clock_);
        return *this;
    }
    ~TimerRef() {
        if (t_)
            t_->release();
    }
    /// True if the timer had not fired yet and now never will (erlang:cancel_timer/1).
    bool cancel();
    explicit operator bool() const { return t_ != nullptr; }

private:
    friend struct detail::Access;
    TimerRef(detail::TimerTask* t, Clock* c) : t_(t), clock_(c) {}
    detail::TimerTask* t_ = nullptr;
    Clock* clock_ = nullptr;
};

struct SpawnOptions {
    /// Registers the actor under this name before init (OTP's {local, Name}); the start fails
    /// with "already_started" if the name is taken.
    std::string name;
    /// Links the new actor to the calling actor (spawn_link).
    bool link = false;
    /// Runs in the new actor (self() is its pid) after the name is registered and before init,
    /// where OTP registers a {via, Module, Name} name. A returned reason fails the start with
    /// it; init does not run.
    std::function<std::optional<ExitReason>()> before_init;
};

class ActorBase {
public:
    ActorBase(const ActorBase&) = delete;
    ActorBase& operator=(const ActorBase&) = delete;
    virtual ~ActorBase() = default;

    /// Runs in the new actor once it has a pid, before start returns. Throw, return
    /// InitResult::stop(reason) or InitResult::ignore() to fail or decline the start.
    virtual InitResult init() { return InitResult::ok(); }
    /// Runs when the actor stops: after stop()/exit(), an exception in a handler, a shutdown
    /// request from its supervisor, or an exit signal it does not trap. Not when it is killed
    /// (brutal_kill, shutdown timeout, sup::kill) nor when init failed.
    virtual void terminate(const ExitReason& /*reason*/) {}
    /// A shutdown request from the parent (its supervisor). Return false to ignore it; the
    /// supervisor then kills the actor when the shutdown timeout expires. For tests and
    /// simulations of misbehaving workers; a well-behaved worker obeys.
    virtual bool on_shutdown_request(const ExitReason& /*reason*/) { return true; }

protected:
    ActorBase() = default;

    /// This actor's pid.
    Pid self_pid() const;
    Runtime& runtime() const;
    Clock::time_point now() const;
    /// Stops the actor with `reason` once the current handler returns (a call's reply is sent
    /// first): OTP's {stop, Reason, ...}.
    void stop(ExitReason reason = ExitReason::normal());
    /// Stops the actor at once with `reason` (throws; terminate() runs).
    [[noreturn]] void exit(ExitReason reason) { throw detail::ExitException{std::move(reason)}; }
    /// Requested when the actor is asked to stop: a shutdown request from its parent (or
    /// Runtime::stop), an exit signal it does not trap, its death (a kill). Requested at the
    /// moment of the request, from the requesting thread, while a handler of this actor may
    /// still run: a long handler that checks it (or registers a std::stop_callback) can return
    /// early. Handlers cannot be preempted; this is how one cooperates. The actor still stops
    /// as it would (after the handler returns; at once when killed).
    std::stop_token stop_token() const;
    /// Turns exit signals into ExitSignal messages (process_flag(trap_exit, true)).
    void trap_exit(bool on);
    bool trapping_exits() const;
    /// Bidirectional link; linking to a dead actor delivers an exit signal with reason noproc.
    void link(const Pid& other);
    void unlink(const Pid& other);
    /// A `Down` message arrives when `other` dies (at once, reason noproc, if it is dead).
    MonitorRef monitor(const Pid& other);
    /// Removes the monitor; no Down for it arrives afterwards.
    bool demonitor(const MonitorRef& ref);
    /// Logs a message this actor does not handle, as gen_server does.
    void unexpected_message(const char* what) const;

private:
    friend struct detail::Access;
    template <class>
    friend class Actor;

    // Delivery of the runtime's own messages, implemented by Actor<Self>.
    virtual void deliver_exit_signal(ExitSignal&& s) = 0;
    virtual void deliver_down(Down&& d) = 0;
    virtual void deliver_message(Message&& m) = 0;

    detail::CellHeader* cell_ = nullptr;
    bool stop_requested_ = false;
    ExitReason stop_reason_;
};

namespace detail {
/// T does not override terminate() (nor does a base class between it and ActorBase).
template <class T>
concept KeepsDefaultTerminate = requires {
    requires std::is_same_v<decltype(&T::terminate), void (ActorBase::*)(const ExitReason&)>;
};

TimerRef send_after_impl(CellHeader* to, Clock::duration d, Envelope* e);
bool cancel_timer(TimerTask* t, Clock* clock);

/// handle_continue's message.
template <class Self, class M>
struct ContinueEnvelope final : Envelope {
    M msg;
    template <class U>
    explicit ContinueEnvelope(U&& m) : Envelope(EnvKind::continuation), msg(std::forward<U>(m)) {}
    void run(ActorBase& a) override { static_cast<Self&>(a).handle_continue(std::move(msg)); }
};
} // namespace detail

inline bool TimerRef::cancel() {
    return t_ && detail::cancel_timer(t_, clock_);
}

template <class Self>
class Actor : public ActorBase {
protected:
    Actor() = default;

    /// This actor as a typed handle.
    Ref<Self> self() const { return self_pid().template as<Self>(); }

    /// Delivers `msg` to this actor's handle_info after `delay` (erlang:send_after/3).
    template <class M>
    TimerRef send_after(Clock::duration delay, M&& msg);

    /// gen_server's {continue, Term}: `handle_continue(msg)` runs next, before any message
    /// already in the mailbox or arriving later (after continuations asked for earlier). In
    /// init, `return continue_with(Connect{});` is OTP's {ok, State, {continue, Connect}}: the
    /// start returns at once (the supervisor goes on to the next child) and the slow part of
    /// the set-up runs as this actor's first message. In a handler (or handle_continue), it is
    /// {noreply, State, {continue, Term}}; the result is InitResult::ok() and may be ignored.
    /// Exit signals the actor does not trap still stop it before (OTP's do too).
    template <class M>
    InitResult continue_with(M&& msg) {
        using Msg = std::decay_t<M>;
        static_assert(
            requires(Self & s, Msg && m) { s.handle_continue(std::move(m)); },
            "continue_with: the actor has no public handle_continue for this type");
        detail::deliver_continuation(cell_,
                                     new detail::ContinueEnvelope<Self, Msg>(std::forward<M>(msg)));
        return InitResult::ok();
    }

private:
    void deliver_exit_signal(ExitSignal&& s) override {
        if constexpr (requires(Self & x) { x.handle_info(std::move(s)); })
            static_cast<Self&>(*this).handle_info(std::move(s));
        else
            unexpected_message("an exit signal (trap_exit is on but there is no "
                               "handle_info(sup::ExitSignal))");
    }
    void deliver_down(Down&& d) override {
        if constexpr (requires(Self & x) { x.handle_info(std::move(d)); })
            static_cast<Self&>(*this).handle_info(std::move(d));
        else
            unexpected_message("a Down message (no handle_info(sup::Down))");
    }
    void deliver_message(Message&& m) override {
        if constexpr (requires(Self & x) { x.handle_info(std::move(m)); })
            static_cast<Self&>(*this).handle_info(std::move(m));
        else
            unexpected_message("a posted message (no handle_info(sup::Message))");
    }
};

} // namespace sup
