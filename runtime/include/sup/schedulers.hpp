// How many scheduler threads a runtime gets when RuntimeOptions::threads is 0: the value of
// the environment variable SUPC_SCHEDULERS if it is a whole number from 1 to max_schedulers,
// else one per hardware thread. `supc dump`, `sim`, `graph` and `lint` count `schedulers()` the
// same way, so that a program and its spec's tools agree. Light on purpose: no runtime
// machinery (the compiler reads it too).
#pragma once

#include <string>

namespace sup {

/// The most scheduler threads SUPC_SCHEDULERS may ask for.
inline constexpr unsigned max_schedulers = 1024;

struct SchedulerCount {
    unsigned threads = 1;
    /// Why SUPC_SCHEDULERS was set but not used, in one line (empty otherwise), e.g.
    ///   SUPC_SCHEDULERS='abc' is not a whole number from 1 to 1024; using 2 (one per
    ///   hardware thread)
    std::string warning;
};

/// The count for `text`, the value of SUPC_SCHEDULERS (null: unset), on a machine with
/// `hardware` hardware threads (0: unknown, counted as 1). Spaces and tabs around the number
/// are ignored; anything else that is not a number from 1 to max_schedulers (0, -1, abc,
/// 99999999999999999999) gives the hardware count and a warning.
SchedulerCount scheduler_count(const char* text, unsigned hardware);

/// scheduler_count(getenv("SUPC_SCHEDULERS"), std::thread::hardware_concurrency()).
SchedulerCount default_schedulers();

} // namespace sup
