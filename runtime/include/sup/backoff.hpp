// Retry delays by the runtime's backoff rule (sup::Backoff: min * 2^(k-1), capped at max, with
// a seeded jitter), for an actor that retries something itself: "connect with retries and
// backoff" without crashing, so that its supervisor's restart intensity is not spent on it.
//
//   sup::BackoffSequence retry(sup::Backoff::exponential(100ms, 30s, 0.2));
//   send_after(retry.next(), Reconnect{});   // 100 ms, 200 ms, 400 ms, ... 30 s (jittered)
//   retry.reset();                           // connected: the next failure starts at 100 ms
//
// The pattern (docs/runtime.md, "Deferred initialisation"): init returns continue_with(Connect),
// handle_continue tries once and schedules the next try with send_after(retry.next(), ...);
// calls are answered meanwhile ("not connected").
#pragma once

#include "sup/clock.hpp"
#include "sup/spec.hpp"

#include <cstdint>

namespace sup {

class BackoffSequence {
public:
    /// `b.enabled()` false (Backoff::none()): every delay is zero.
    explicit BackoffSequence(const Backoff& b) : b_(b), rng_(b.seed) {}

    /// The delay before the next attempt (the k-th since the last reset waits
    /// min(max, min * 2^(k-1)), jittered and clamped to [min, max]: what a supervisor's
    /// k-th consecutive delayed restart waits); counts the attempt.
    Clock::duration next();
    /// Success: the next delay is `min` again.
    void reset() { attempts_ = 0; }
    /// Delays handed out since the last reset.
    unsigned attempts() const { return attempts_; }
    const Backoff& backoff() const { return b_; }

private:
    Backoff b_;
    std::uint64_t rng_;
    unsigned attempts_ = 0;
};

} // namespace sup
