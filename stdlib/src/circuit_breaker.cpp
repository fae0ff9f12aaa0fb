// The circuit breaker's state machine. Transitions happen when calls are made or reported (no
// timers): an open circuit becomes half-open at the first acquire after its reset timeout.
#include "sup/std/circuit_breaker.hpp"

#include "sup/runtime.hpp"

#include <algorithm>

namespace sup::std_lib {

const char* to_string(CircuitState s) {
    switch (s) {
    case CircuitState::closed:
        return "closed";
    case CircuitState::open:
        return "open";
    case CircuitState::half_open:
        return "half_open";
    }
    return "?";
}

std::string CircuitOpen::to_string() const {
    return std::string("circuit ") + std_lib::to_string(state) + ", retry after " +
           std::to_string(
               std::chrono::duration_cast<std::chrono::milliseconds>(retry_after).count()) +
           " ms";
}

CircuitBreaker::CircuitBreaker(const Clock& clock, CircuitBreakerOptions options)
    : clock_(clock), options_(options) {
    options_.failure_threshold = std::max(1, options_.failure_threshold);
    options_.success_threshold = std::max(1, options_.success_threshold);
    options_.half_open_max_calls = std::max(1, options_.half_open_max_calls);
    options_.reset_timeout = std::max(Clock::duration::zero(), options_.reset_timeout);
}

CircuitBreaker::CircuitBreaker(const Runtime& rt, CircuitBreakerOptions options)
    : CircuitBreaker(rt.clock(), options) {}

std::optional<std::pair<CircuitState, CircuitState>> CircuitBreaker::move_to(CircuitState s) {
    CircuitState from = state_;
    state_ = s;
    ++generation_;
    consecutive_failures_ = 0;
    consecutive_successes_ = 0;
    trials_in_flight_ = 0;
    if (s == CircuitState::open) {
        opened_at_ = clock_.now();
        ++stats_.opened;
    }
    if (from == s)
        return std::nullopt;
    return std::pair(from, s);
}

void CircuitBreaker::announce(std::optional<std::pair<CircuitState, CircuitState>> t) {
    if (!t)
        return;
    std::function<void(CircuitState, CircuitState)> fn;
    {
        std::lock_guard l(m_);
        fn = on_change_;
    }
    if (fn)
        fn(t->first, t->second);
}

Result<CircuitBreaker::Permit, CircuitOpen> CircuitBreaker::acquire() {
    std::optional<std::pair<CircuitState, CircuitState>> t;
    std::optional<CircuitOpen> refused;
    std::uint64_t g = 0;
    {
        std::lock_guard l(m_);
        if (state_ == CircuitState::open) {
            Clock::duration waited = clock_.now() - opened_at_;
            if (waited >= options_.reset_timeout)
                t = move_to(CircuitState::half_open);
            else
                refused = CircuitOpen{CircuitState::open, options_.reset_timeout - waited};
        }
        if (!refused && state_ == CircuitState::half_open) {
            if (trials_in_flight_ >= options_.half_open_max_calls)
                refused = CircuitOpen{CircuitState::half_open, Clock::duration::zero()};
            else
                ++trials_in_flight_;
        }
        if (refused)
            ++stats_.rejected;
        g = generation_;
    }
    announce(t);
    if (refused)
        return sup::fail(*refused);
    return Permit(this, g);
}

void CircuitBreaker::report(std::uint64_t generation, Permit::Outcome o) {
    std::optional<std::pair<CircuitState, CircuitState>> t;
    {
        std::lock_guard l(m_);
        if (o == Permit::Outcome::success)
            ++stats_.successes;
        else if (o == Permit::Outcome::failure)
            ++stats_.failures;
        if (generation != generation_)
            return; // started before the last transition: it says nothing about the present
        switch (state_) {
        case CircuitState::closed:
            if (o == Permit::Outcome::success)
                consecutive_failures_ = 0;
            else if (o == Permit::Outcome::failure &&
                     ++consecutive_failures_ >= options_.failure_threshold)
                t = move_to(CircuitState::open);
            break;
        case CircuitState::half_open:
            --trials_in_flight_;
            if (o == Permit::Outcome::failure)
                t = move_to(CircuitState::open);
            else if (o == Permit::Outcome::success &&
                     ++consecutive_successes_ >= options_.success_threshold)
                t = move_to(CircuitState::closed);
            break;
        case CircuitState::open: // a permit of this generation cannot exist
            break;
        }
    }
    announce(t);
}

CircuitState CircuitBreaker::state() const {
    std::lock_guard l(m_);
    if (state_ == CircuitState::open && clock_.now() - opened_at_ >= options_.reset_timeout)
        return CircuitState::half_open;
    return state_;
}

CircuitStats CircuitBreaker::stats() const {
    std::lock_guard l(m_);
    return stats_;
}

void CircuitBreaker::on_state_change(std::function<void(CircuitState, CircuitState)> fn) {
    std::lock_guard l(m_);
    on_change_ = std::move(fn);
}

void CircuitBreaker::reset() {
    std::optional<std::pair<CircuitState, CircuitState>> t;
    {
        std::lock_guard l(m_);
        t = move_to(CircuitState::closed);
    }
    announce(t);
}

void CircuitBreaker::trip() {
    std::optional<std::pair<CircuitState, CircuitState>> t;
    {
        std::lock_guard l(m_);
        t = move_to(CircuitState::open);
    }
    announce(t);
}

} // namespace sup::std_lib
