// Time for the runtime: a real monotonic clock by default, or a virtual clock for tests and
// simulation, on which timers, call timeouts, shutdown timeouts, the restart-intensity window and
// backoff delays all run without sleeping.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>

namespace sup {

class Clock;
namespace detail {
class TimerHeap;
class QuiescenceSource;

/// Something a clock runs at a deadline (a message timer, a call timeout, a backoff restart).
/// Reference counted; the clock holds a reference while the task is scheduled.
class TimerTask {
public:
    TimerTask() = default;
    TimerTask(const TimerTask&) = delete;
    TimerTask& operator=(const TimerTask&) = delete;
    virtual ~TimerTask() = default;

    void retain() noexcept { refs_.fetch_add(1, std::memory_order_relaxed); }
    void release() noexcept {
        if (refs_.fetch_sub(1, std::memory_order_acq_rel) == 1)
            delete this;
    }
    /// Called once, on the clock's firing thread, unless cancelled first.
    virtual void fire() noexcept = 0;

private:
    friend class TimerHeap;
    std::atomic<std::uint32_t> refs_{1};
    std::chrono::nanoseconds deadline_{};
    std::uint64_t seq_ = 0;
    std::size_t heap_index_ = static_cast<std::size_t>(-1);
};
} // namespace detail

class Clock {
public:
    using duration = std::chrono::nanoseconds;
    using rep = duration::rep;
    using period = duration::period;
    using time_point = std::chrono::time_point<Clock, duration>;
    static constexpr bool is_steady = true;

    virtual ~Clock();
    virtual time_point now() const = 0;
    virtual bool is_virtual() const = 0;

    /// Runs `task` at `at` (at once, on the firing thread, if `at` has passed). Takes a reference.
    virtual void schedule(time_point at, detail::TimerTask* task) = 0;
    /// True if `task` was still pending and will now never fire.
    virtual bool cancel(detail::TimerTask* task) = 0;

    // Runtimes attach themselves so that a virtual clock can wait for them to settle.
    virtual void attach(detail::QuiescenceSource*) {}
    virtual void detach(detail::QuiescenceSource*) {}
};

/// std::chrono::steady_clock, with a timer thread.
class RealClock final : public Clock {
public:
    RealClock();
    ~RealClock() override;
    time_point now() const override;
    bool is_virtual() const override { return false; }
    void schedule(time_point at, detail::TimerTask* task) override;
    bool cancel(detail::TimerTask* task) override;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// Time that moves only when told to. `advance(d)` fires every timer due within `d`, in deadline
/// order (ties in scheduling order); before each firing, and before returning, it waits until the
/// attached runtimes are quiescent, so a timer set by a handler that an earlier timer triggered
/// also fires within the same advance, at its own virtual time. Call it from a thread that is
/// not an actor (the test or the simulator).
class VirtualClock final : public Clock {
public:
    explicit VirtualClock(time_point start = time_point{});
    ~VirtualClock() override;
    time_point now() const override;
    bool is_virtual() const override { return true; }
    void schedule(time_point at, detail::TimerTask* task) override;
    bool cancel(detail::TimerTask* task) override;
    void attach(detail::QuiescenceSource*) override;
    void detach(detail::QuiescenceSource*) override;

    void advance(duration d);
    void advance_to(time_point t);
    /// As advance(), without waiting for the runtimes to settle (when a handler is stuck, they
    /// never do): due timers fire in order, one after the other, at once.
    void advance_unsettled(duration d);
    /// The deadline of the earliest pending timer.
    std::optional<time_point> next_deadline() const;
    /// Advances to the earliest pending timer and fires everything due then. False if none.
    bool advance_to_next();
    std::size_t pending_timers() const;
    /// Waits (real time) until at least `n` timers are pending: for tests where a handler is
    /// stuck, so that the runtime never becomes quiescent, yet something waits on the clock.
    bool wait_pending(std::size_t n, std::chrono::milliseconds real_timeout);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace sup
