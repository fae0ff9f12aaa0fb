// OTP's restart intensity: a sliding window of restart times (supervisor:add_restart/1).
#pragma once

#include "sup/clock.hpp"

#include <cstdint>
#include <deque>

namespace sup::detail {

class RestartIntensity {
public:
    RestartIntensity(int max_restarts, Clock::duration period);
    /// Records a restart at `now`: keeps the earlier restarts R with R >= Now - Period, adds Now,
    /// and returns false when more than `max_restarts` remain (the supervisor gives up). Time is
    /// counted in whole seconds as in OTP (erlang:monotonic_time(second)) when the period is a
    /// whole number of seconds, else in milliseconds.
    bool add_restart(Clock::time_point now);
    /// The restarts that count at `now`: those add_restart(now) would keep (sup::inspect's
    /// "2 of 3 in 5 s").
    std::size_t used(Clock::time_point now) const;

private:
    std::int64_t units(Clock::time_point t) const;
    int max_;
    bool seconds_;
    std::int64_t period_;
    std::deque<std::int64_t> restarts_; // newest first
};

} // namespace sup::detail
