// Waiting for a one-shot result (a call's reply, an actor's death) on the runtime's clock.
#include "cell.hpp"
#include "runtime_impl.hpp"

#include <chrono>

namespace sup::detail {

namespace {
/// Expires a completion at its deadline.
class DeadlineTask final : public TimerTask {
public:
    explicit DeadlineTask(CompletionBase* c) : c_(c) { c_->retain(); }
    ~DeadlineTask() override { c_->release(); }
    void fire() noexcept override { c_->expire(); }

private:
    CompletionBase* c_;
};

struct SpinGuard {
    std::atomic<bool>& f;
    explicit SpinGuard(std::atomic<bool>& flag) : f(flag) {
        while (f.exchange(true, std::memory_order_acquire))
            while (f.load(std::memory_order_relaxed))
                cpu_relax();
    }
    ~SpinGuard() { f.store(false, std::memory_order_release); }
};
} // namespace

void CompletionBase::wake_locked() noexcept {
    if (discounted_) {
        // The waiter no longer counted as busy; it is busy again from now on.
        rt_->sched.active_inc(discounted_);
        discounted_ = 0;
    }
    if (waiter_)
        static_cast<Parker*>(waiter_)->unpark();
}

void CompletionBase::finish() noexcept {
    SpinGuard g(lock_);
    state_.store(done, std::memory_order_release);
    wake_locked();
}

void CompletionBase::expire() noexcept {
    SpinGuard g(lock_);
    std::uint8_t p = pending;
    if (state_.compare_exchange_strong(p, timed_out, std::memory_order_acq_rel))
        wake_locked();
}

void CompletionBase::fail(const ExitReason*) noexcept {
    if (try_begin())
        finish();
}

void CompletionBase::drop() noexcept {
    if (try_begin())
        finish();
}

CompletionBase::State CompletionBase::wait(RuntimeImpl* rt, Clock::time_point deadline,
                                           bool infinite) noexcept {
    return wait_impl(rt, deadline, infinite, nullptr);
}

CompletionBase::State CompletionBase::wait_real(RuntimeImpl* rt,
                                                std::chrono::steady_clock::time_point d) noexcept {
    return wait_impl(rt, {}, true, &d);
}

CompletionBase::State
CompletionBase::wait_impl(RuntimeImpl* rt, Clock::time_point deadline, bool infinite,
                          const std::chrono::steady_clock::time_point* real) noexcept {
    auto finished = [&](State s) { return s == done || s == timed_out; };
    State s = state();
    if (finished(s))
        return s;
    if (!infinite && !real && rt->clock->now() >= deadline) {
        expire(); // the deadline has passed already
        while (state() == completing)
            cpu_relax();
        return state();
    }
    ThreadState& ts = tls();
    // Every actor whose handler is on this thread's stack waits with it: the current one, and
    // the callers that run it inline (each holds a claim counted as busy).
    std::uint32_t discount = ts.current ? static_cast<std::uint32_t>(ts.inline_depth) : 0;
    // The deadline goes on the clock before this thread stops counting as busy: whoever sees
    // the runtime quiescent also sees the timer that will wake it.
    DeadlineTask* dt = nullptr;
    if (!infinite && !real) {
        dt = new DeadlineTask(this);
        rt->clock->schedule(deadline, dt);
    }
    {
        SpinGuard g(lock_);
        s = state();
        if (!finished(s)) {
            waiter_ = &ts.parker;
            rt_ = rt;
            discounted_ = discount;
        }
    }
    if (finished(s)) {
        if (dt) {
            rt->clock->cancel(dt);
            dt->release();
        }
        return s;
    }
    // A handler blocked on a wait is not busy: quiescence can be reached while it waits.
    if (discount)
        rt->sched.active_dec(discount);
    rt->sched.before_block();
    for (;;) {
        {
            SpinGuard g(lock_);
            s = state();
            if (finished(s)) {
                waiter_ = nullptr;
                break;
            }
        }
        if (real) {
            if (!ts.parker.park_until(*real))
                expire();
        } else {
            ts.parker.park();
        }
    }
    rt->sched.after_block();
    if (dt) {
        rt->clock->cancel(dt);
        dt->release();
    }
    return s;
}

} // namespace sup::detail
