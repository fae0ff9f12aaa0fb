// Restart backoff (beyond OTP): see sup::Backoff for the rule. OTP restarts at once; a
// supervisor with a backoff waits before each restart, longer after each consecutive one.
#pragma once

#include "sup/supervisor.hpp"

#include <cstdint>

namespace sup::detail {

/// splitmix64: a small, reproducible pseudo-random sequence for the jitter.
class BackoffRng {
public:
    explicit BackoffRng(std::uint64_t seed) : s_(seed) {}
    /// Uniform in [-1, 1].
    double next_signed_unit();
    std::uint64_t state() const { return s_; }

private:
    std::uint64_t s_;
};

/// The delay before the k-th consecutive restart (k >= 1).
Clock::duration backoff_delay(const Backoff& b, unsigned k, BackoffRng& rng);

/// A supervisor's part: the jitter's sequence, and the numbering of delayed restarts (a
/// delayed restart that is no longer the child's pending one is stale and ignored).
struct SupervisorBackoff {
    explicit SupervisorBackoff(std::uint64_t seed) : rng(seed) {}
    BackoffRng rng;
    std::uint64_t last_delay = 0;
};

/// A child's part.
struct ChildBackoff {
    /// Consecutive delayed restarts.
    unsigned count = 0;
    /// Its last start.
    Clock::time_point started_at{};
    /// The pending delayed restart (valid while the child is restarting).
    std::uint64_t delay = 0;

    /// At its exit: a child that stayed up for the period starts counting again.
    void on_exit(const SupervisorFlags& f, Clock::time_point now) {
        if (f.backoff.enabled() && now - started_at >= f.period)
            count = 0;
    }
    /// The delay before its next restart; numbers that restart (`delay`).
    Clock::duration next_delay(const Backoff& b, SupervisorBackoff& s) {
        ++count;
        Clock::duration d = backoff_delay(b, count, s.rng);
        delay = ++s.last_delay;
        return d;
    }
};

} // namespace sup::detail
