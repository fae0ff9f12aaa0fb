#include "restart_intensity.hpp"

namespace sup::detail {

namespace {
std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    std::int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}
} // namespace

RestartIntensity::RestartIntensity(int max_restarts, Clock::duration period) : max_(max_restarts) {
    using namespace std::chrono;
    seconds_ = period % seconds(1) == Clock::duration::zero();
    period_ = seconds_ ? duration_cast<seconds>(period).count()
                       : duration_cast<milliseconds>(period).count();
}

std::int64_t RestartIntensity::units(Clock::time_point t) const {
    std::int64_t ns = t.time_since_epoch().count();
    return floor_div(ns, seconds_ ? 1'000'000'000 : 1'000'000);
}

bool RestartIntensity::add_restart(Clock::time_point t) {
    std::int64_t now = units(t);
    std::int64_t threshold = now - period_;
    while (!restarts_.empty() && restarts_.back() < threshold)
        restarts_.pop_back();
    restarts_.push_front(now);
    return static_cast<std::int64_t>(restarts_.size()) <= max_;
}

std::size_t RestartIntensity::used(Clock::time_point t) const {
    std::int64_t threshold = units(t) - period_;
    std::size_t n = 0;
    for (std::int64_t r : restarts_) { // newest first
        if (r < threshold)
            break;
        ++n;
    }
    return n;
}

} // namespace sup::detail
