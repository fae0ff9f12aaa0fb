// Messages between actors: call (request/reply with a timeout), cast (fire and forget), send
// (plain messages to handle_info), send_after (timers), post (untyped).
//
//   sup::CallResult<int> n = sup::call(counter, Get{});          // default timeout 5 s
//   if (!n) { n.error().code == sup::CallError::Code::timeout ... }
//   sup::cast(counter, Add{2});
//
// Messages are checked at compile time against the receiver's handlers: sending Add to an actor
// without handle_cast(Add) does not compile.
#pragma once

#include "sup/actor.hpp"
#include "sup/detail/core.hpp"
#include "sup/exit_reason.hpp"
#include "sup/pid.hpp"
#include "sup/result.hpp"

#include <optional>
#include <string>
#include <type_traits>
#include <utility>

namespace sup {

inline constexpr Clock::duration infinity = Clock::duration::max();

struct CallError {
    enum class Code : unsigned char {
        timeout,      ///< no reply within the timeout
        noproc,       ///< the callee was dead (or the name unregistered) when called
        exited,       ///< the callee died before replying; `reason` is its exit reason
        calling_self, ///< an actor called itself
        no_reply,     ///< the callee dropped the reply token without replying
    };
    Code code = Code::noproc;
    ExitReason reason;

    std::string to_string() const {
        switch (code) {
        case Code::timeout:
            return "timeout";
        case Code::noproc:
            return "noproc";
        case Code::exited:
            return "exited: " + reason.to_string();
        case Code::calling_self:
            return "calling_self";
        case Code::no_reply:
            return "no_reply";
        }
        return "call error";
    }
    friend bool operator==(const CallError&, const CallError&) = default;
};

template <class R>
using CallResult = Result<R, CallError>;

namespace detail {
template <class T, class M, class R>
struct CallEnvelope;
struct Unit {};
template <class R>
using Stored = std::conditional_t<std::is_void_v<R>, Unit, R>;

template <class R>
class CallSlot final : public CompletionBase {
public:
    template <class... V>
    void reply(V&&... v) {
        if (try_begin()) {
            value_.emplace(std::forward<V>(v)...);
            finish();
        }
    }
    void fail(const ExitReason* reason) noexcept override {
        if (try_begin()) {
            error_ = reason ? CallError{CallError::Code::exited, *reason} : CallError{};
            finish();
        }
    }
    void drop() noexcept override {
        if (try_begin()) {
            error_ = CallError{CallError::Code::no_reply, {}};
            finish();
        }
    }
    void set_error(CallError e) {
        if (try_begin()) {
            error_ = std::move(e);
            finish();
        }
    }
    CallResult<R> take() {
        if (value_) {
            if constexpr (std::is_void_v<R>)
                return {};
            else
                return std::move(*value_);
        }
        return sup::fail(error_);
    }
    using CompletionBase::fail;

private:
    std::optional<Stored<R>> value_;
    CallError error_;
};
} // namespace detail

/// The right to reply to a call later (OTP's From with gen_server:reply/2). Move it into state
/// or into a message to another actor; replying twice is ignored. If it is destroyed without a
/// reply, the caller gets CallError::no_reply at once (or exited, if the callee died holding it).
template <class R>
class ReplyTo {
public:
    ReplyTo() = default;
    ReplyTo(ReplyTo&& o) noexcept
        : slot_(std::exchange(o.slot_, nullptr)), callee_(std::move(o.callee_)) {}
    ReplyTo& operator=(ReplyTo&& o) noexcept {
        if (this != &o) {
            reset();
            slot_ = std::exchange(o.slot_, nullptr);
            callee_ = std::move(o.callee_);
        }
        return *this;
    }
    ~ReplyTo() { reset(); }

    template <class... V>
    void reply(V&&... v) {
        if (!slot_)
            return;
        slot_->reply(std::forward<V>(v)...);
        slot_->release();
        slot_ = nullptr;
    }
    /// True until replied.
    explicit operator bool() const { return slot_ != nullptr; }

private:
    template <class, class, class>
    friend struct detail::CallEnvelope;
    ReplyTo(detail::CallSlot<R>* s, Pid callee) : slot_(s), callee_(std::move(callee)) {
        slot_->retain();
    }
    void reset() {
        if (!slot_)
            return;
        detail::reply_dropped(slot_, callee_.cell());
        slot_->release();
        slot_ = nullptr;
    }
    detail::CallSlot<R>* slot_ = nullptr;
    Pid callee_;
};

namespace detail {
template <class M>
concept HasReplyType = requires {
    typename M::reply_type;
};

template <class T, class M>
concept ImmediateCall = requires(T& t, M&& m) {
    t.handle_call(std::move(m));
};

template <class T, class M>
concept DeferredCall = HasReplyType<M> &&
    requires(T& t, M&& m, ReplyTo<typename M::reply_type>&& r) {
    t.handle_call(std::move(m), std::move(r));
};

template <class T, class M>
struct ReplyOf {
    using type = void;
};
template <class T, class M>
requires ImmediateCall<T, M>
struct ReplyOf<T, M> {
    using type = std::decay_t<decltype(std::declval<T&>().handle_call(std::declval<M&&>()))>;
};
template <class T, class M>
requires(!ImmediateCall<T, M> && DeferredCall<T, M>) struct ReplyOf<T, M> {
    using type = typename M::reply_type;
};

template <class T, class M, class R>
struct CallEnvelope final : Envelope {
    M msg;
    CallSlot<R>* slot;
    Pid callee;
    template <class U>
    CallEnvelope(U&& m, CallSlot<R>* s)
        : Envelope(EnvKind::call), msg(std::forward<U>(m)), slot(s) {
        slot->retain();
    }
    ~CallEnvelope() override { slot->release(); }
    void run(ActorBase& a) override {
        T& t = static_cast<T&>(a);
        if constexpr (ImmediateCall<T, M>) {
            if constexpr (std::is_void_v<R>) {
                t.handle_call(std::move(msg));
                slot->reply();
            } else {
                slot->reply(t.handle_call(std::move(msg)));
            }
        } else {
            t.handle_call(std::move(msg), ReplyTo<R>(slot, Pid(callee)));
        }
    }
    void fail(const ExitReason* reason) noexcept override { slot->fail(reason); }
    CompletionBase* completion() noexcept override { return slot; }
};

template <class T, class M>
struct CastEnvelope final : Envelope {
    M msg;
    template <class U>
    explicit CastEnvelope(U&& m) : msg(std::forward<U>(m)) {}
    void run(ActorBase& a) override { static_cast<T&>(a).handle_cast(std::move(msg)); }
};

template <class T, class M>
struct InfoEnvelope final : Envelope {
    M msg;
    template <class U>
    explicit InfoEnvelope(U&& m) : msg(std::forward<U>(m)) {}
    void run(ActorBase& a) override { static_cast<T&>(a).handle_info(std::move(msg)); }
};

struct PostEnvelope final : Envelope {
    Message msg;
    explicit PostEnvelope(Message m) : msg(std::move(m)) {}
    void run(ActorBase& a) override;
};

template <class T, class M>
void check_call() {
    static_assert(std::is_base_of_v<ActorBase, T>, "calls go to actors (sup::Actor<T>)");
    static_assert(ImmediateCall<T, M> || DeferredCall<T, M>,
                  "the actor has no public handle_call for this message type (either "
                  "R handle_call(M) or void handle_call(M, sup::ReplyTo<M::reply_type>))");
    static_assert(!(ImmediateCall<T, M> && DeferredCall<T, M>),
                  "ambiguous: both an immediate and a deferred handle_call for this message");
}

template <class R, class T, class M>
CallResult<R> do_call(const Ref<T>& to, M&& msg, Clock::duration timeout) {
    using Msg = std::decay_t<M>;
    if (!to)
        return sup::fail(CallError{});
    auto* slot = new CallSlot<R>();
    auto* env = new CallEnvelope<T, Msg, R>(std::forward<M>(msg), slot);
    if constexpr (DeferredCall<T, Msg>)
        env->callee = to;
    CallOutcome out = detail::call(to.cell(), env, slot, timeout);
    CallResult<R> result = [&]() -> CallResult<R> {
        switch (out) {
        case CallOutcome::timeout:
            return sup::fail(CallError{CallError::Code::timeout, {}});
        case CallOutcome::calling_self:
            return sup::fail(CallError{CallError::Code::calling_self, {}});
        default:
            return slot->take();
        }
    }();
    slot->release();
    return result;
}
} // namespace detail

/// The reply type of calling T with M.
template <class T, class M>
using reply_t = typename detail::ReplyOf<T, std::decay_t<M>>::type;

/// Sends `msg` to `to`'s handle_call and waits for the reply, at most `timeout` (runtime clock).
/// Never hangs on a dead callee: noproc if it is dead, exited (with its reason) if it dies first.
template <class T, class M>
CallResult<reply_t<T, M>> call(const Ref<T>& to, M&& msg, Clock::duration timeout) {
    detail::check_call<T, std::decay_t<M>>();
    return detail::do_call<reply_t<T, M>>(to, std::forward<M>(msg), timeout);
}
/// As above with the runtime's default call timeout (5 s unless configured).
template <class T, class M>
CallResult<reply_t<T, M>> call(const Ref<T>& to, M&& msg) {
    detail::check_call<T, std::decay_t<M>>();
    auto* rt = to ? detail::runtime_of(to.cell()) : nullptr;
    return detail::do_call<reply_t<T, M>>(to, std::forward<M>(msg),
                                          rt ? detail::default_call_timeout(rt) : infinity);
}

/// Fire and forget to handle_cast. False if the receiver is dead.
template <class T, class M>
bool cast(const Ref<T>& to, M&& msg) {
    using Msg = std::decay_t<M>;
    static_assert(
        requires(T & t, Msg && m) { t.handle_cast(std::move(m)); },
        "the actor has no public handle_cast for this message type");
    if (!to)
        return false;
    return detail::deliver(to.cell(), new detail::CastEnvelope<T, Msg>(std::forward<M>(msg)));
}

/// A plain message to handle_info (erlang:send/2). False if the receiver is dead.
template <class T, class M>
bool send(const Ref<T>& to, M&& msg) {
    using Msg = std::decay_t<M>;
    static_assert(
        requires(T & t, Msg && m) { t.handle_info(std::move(m)); },
        "the actor has no public handle_info for this message type");
    if (!to)
        return false;
    return detail::deliver(to.cell(), new detail::InfoEnvelope<T, Msg>(std::forward<M>(msg)));
}

/// An untyped message: arrives as sup::Message in handle_info(sup::Message&&).
template <class M>
bool post(const Pid& to, M&& msg) {
    if (!to)
        return false;
    return detail::deliver(to.cell(), new detail::PostEnvelope(Message(std::forward<M>(msg))));
}

/// Delivers `msg` to `to`'s handle_info after `delay`. The timer is cancelled when `to` dies:
/// it never reaches a successor (a successor is a different actor with a different Pid).
template <class T, class M>
TimerRef send_after(const Ref<T>& to, Clock::duration delay, M&& msg) {
    using Msg = std::decay_t<M>;
    static_assert(
        requires(T & t, Msg && m) { t.handle_info(std::move(m)); },
        "the actor has no public handle_info for this message type");
    if (!to)
        return {};
    return detail::send_after_impl(to.cell(), delay,
                                   new detail::InfoEnvelope<T, Msg>(std::forward<M>(msg)));
}

template <class Self>
template <class M>
TimerRef Actor<Self>::send_after(Clock::duration delay, M&& msg) {
    using Msg = std::decay_t<M>;
    static_assert(
        requires(Self & t, Msg && m) { t.handle_info(std::move(m)); },
        "the actor has no public handle_info for this message type");
    return detail::send_after_impl(this->cell_, delay,
                                   new detail::InfoEnvelope<Self, Msg>(std::forward<M>(msg)));
}

} // namespace sup
