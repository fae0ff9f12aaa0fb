// A circuit breaker around any call: closed (calls go through; consecutive failures are
// counted), open (calls are refused at once until the reset timeout has passed), half-open
// (a limited number of trial calls; enough successes close the circuit, a failure opens it
// again). Time is read from a sup::Clock -- a runtime's clock, or a VirtualClock in tests.
//
//   sup::std_lib::CircuitBreaker breaker(rt.clock(), {.failure_threshold = 3, .reset_timeout =
//   10s}); auto r = breaker.run([&] { return sup::call(db, Query{...}, 500ms); }); if (!r) { /*
//   refused: the circuit is open (r.error().retry_after) */ } else if (!*r) { /* the call itself
//   failed (and counted) */ }
//
// Thread-safe; not an actor (share it between actors, or keep one per actor). docs/stdlib.md.
#pragma once

#include "sup/clock.hpp"
#include "sup/result.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

namespace sup {
class Runtime;
}

namespace sup::std_lib {

enum class CircuitState : unsigned char { closed, open, half_open };
const char* to_string(CircuitState s);

struct CircuitBreakerOptions {
    /// Consecutive failures in the closed state that open the circuit (>= 1).
    int failure_threshold = 5;
    /// How long the circuit stays open before it lets trial calls through.
    Clock::duration reset_timeout = std::chrono::seconds(30);
    /// Consecutive successful trial calls in the half-open state that close the circuit (>= 1;
    /// 1 = a single trial).
    int success_threshold = 1;
    /// Trial calls allowed at the same time in the half-open state (>= 1).
    int half_open_max_calls = 1;
};

/// A call was refused: the circuit is open (or half-open with its trial calls taken).
struct CircuitOpen {
    CircuitState state = CircuitState::open;
    /// Until the circuit lets a trial call through (zero when half-open).
    Clock::duration retry_after{};
    std::string to_string() const;
};

struct CircuitStats {
    std::uint64_t successes = 0, failures = 0, rejected = 0, opened = 0;
};

class CircuitBreaker {
public:
    /// The clock must outlive the breaker.
    explicit CircuitBreaker(const Clock& clock, CircuitBreakerOptions options = {});
    /// With the runtime's clock (virtual if the runtime's is).
    explicit CircuitBreaker(const Runtime& rt, CircuitBreakerOptions options = {});
    CircuitBreaker(const CircuitBreaker&) = delete;
    CircuitBreaker& operator=(const CircuitBreaker&) = delete;

    /// The right to make one call; report its outcome. Destroyed without a report it counts as
    /// a failure (an exception between acquire and report); ignore() reports nothing.
    class Permit {
    public:
        Permit(Permit&& o) noexcept
            : cb_(std::exchange(o.cb_, nullptr)), generation_(o.generation_) {}
        Permit& operator=(Permit&&) = delete;
        ~Permit() {
            if (cb_)
                cb_->report(generation_, Outcome::failure);
        }
        void success() { done(Outcome::success); }
        void failure() { done(Outcome::failure); }
        void ignore() { done(Outcome::ignored); }

    private:
        friend class CircuitBreaker;
        enum class Outcome { success, failure, ignored };
        Permit(CircuitBreaker* cb, std::uint64_t g) : cb_(cb), generation_(g) {}
        void done(Outcome o) {
            if (cb_)
                std::exchange(cb_, nullptr)->report(generation_, o);
        }
        CircuitBreaker* cb_;
        std::uint64_t generation_;
    };

    /// A permit, or why not. Moves an open circuit whose reset timeout has passed to half-open.
    Result<Permit, CircuitOpen> acquire();

    /// Runs `fn` if the circuit lets it, and records the outcome: a failure when fn throws (the
    /// exception propagates) or when `is_success(result)` is false. By default a result with
    /// has_value() (sup::CallResult, sup::Result, std::optional) succeeds when it has a value, a
    /// bool when true, anything else when fn returns.
    template <class F, class IsSuccess>
    auto run(F&& fn, IsSuccess&& is_success)
        -> Result<std::conditional_t<std::is_void_v<std::invoke_result_t<F&>>, std::monostate,
                                     std::invoke_result_t<F&>>,
                  CircuitOpen> {
        using R = std::invoke_result_t<F&>;
        auto permit = acquire();
        if (!permit)
            return sup::fail(permit.error());
        Permit p = std::move(permit.value());
        if constexpr (std::is_void_v<R>) {
            fn(); // an exception leaves p unreported: a failure
            p.success();
            return std::monostate{};
        } else {
            R r = fn();
            if (is_success(std::as_const(r)))
                p.success();
            else
                p.failure();
            return r;
        }
    }
    template <class F>
    auto run(F&& fn) {
        return run(std::forward<F>(fn), [](const auto& r) { return default_success(r); });
    }

    /// The state now (an open circuit whose reset timeout has passed reports half_open).
    CircuitState state() const;
    CircuitStats stats() const;
    /// Called after each transition, outside the breaker's lock (from, to).
    void on_state_change(std::function<void(CircuitState, CircuitState)> fn);
    /// Forces the circuit closed (counters reset) or open (the reset timeout restarts).
    void reset();
    void trip();

    const CircuitBreakerOptions& options() const { return options_; }

private:
    template <class R>
    static bool default_success(const R& r) {
        if constexpr (requires { r.has_value(); })
            return r.has_value();
        else if constexpr (std::is_same_v<R, bool>)
            return r;
        else
            return true;
    }
    void report(std::uint64_t generation, Permit::Outcome o);
    // With the lock held; returns the transition to announce, if any.
    std::optional<std::pair<CircuitState, CircuitState>> move_to(CircuitState s);
    void announce(std::optional<std::pair<CircuitState, CircuitState>> t);

    const Clock& clock_;
    CircuitBreakerOptions options_;
    mutable std::mutex m_;
    CircuitState state_ = CircuitState::closed;
    std::uint64_t generation_ = 1; // outcomes count only in the generation they started in
    int consecutive_failures_ = 0;
    int consecutive_successes_ = 0;
    int trials_in_flight_ = 0;
    Clock::time_point opened_at_{};
    CircuitStats stats_;
    std::function<void(CircuitState, CircuitState)> on_change_;
};

} // namespace sup::std_lib
