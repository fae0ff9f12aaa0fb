#include "backoff.hpp"

#include "sup/backoff.hpp"

#include <algorithm>
#include <cmath>

namespace sup::detail {

double BackoffRng::next_signed_unit() {
    std::uint64_t z = (s_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    double u = static_cast<double>(z >> 11) / static_cast<double>(1ull << 53); // [0, 1)
    return 2.0 * u - 1.0;
}

Clock::duration backoff_delay(const Backoff& b, unsigned k, BackoffRng& rng) {
    using rep = Clock::duration::rep;
    double min = static_cast<double>(b.min.count());
    double max = static_cast<double>(b.max.count());
    double base = min * std::ldexp(1.0, static_cast<int>(std::min(k, 1u + 62u)) - 1);
    base = std::min(base, max);
    if (b.jitter > 0)
        base *= 1.0 + b.jitter * rng.next_signed_unit();
    base = std::clamp(base, min, max);
    return Clock::duration(static_cast<rep>(base));
}

} // namespace sup::detail

namespace sup {

Clock::duration BackoffSequence::next() {
    if (!b_.enabled())
        return Clock::duration::zero();
    detail::BackoffRng rng(rng_);
    if (attempts_ < ~0u)
        ++attempts_;
    Clock::duration d = detail::backoff_delay(b_, attempts_, rng);
    rng_ = rng.state();
    return d;
}

} // namespace sup
