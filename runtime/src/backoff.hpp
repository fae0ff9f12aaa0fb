// Restart backoff (beyond OTP): see sup::Backoff for the rule.
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

private:
    std::uint64_t s_;
};

/// The delay before the k-th consecutive restart (k >= 1).
Clock::duration backoff_delay(const Backoff& b, unsigned k, BackoffRng& rng);

} // namespace sup::detail
