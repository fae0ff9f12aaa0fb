// Internals that the public templates need: message envelopes, one-shot completions (call
// replies, exit waits) and the entry points into the runtime. Not part of the stable API.
#pragma once

#include "sup/clock.hpp"
#include "sup/exit_reason.hpp"
#include "sup/pid.hpp"

#include <atomic>
#include <cstdint>
#include <memory>
#include <typeinfo>

namespace sup {
class ActorBase;
class Runtime;
template <class R>
class StartResult;
struct SpawnOptions;

namespace detail {
struct Cell;
class RuntimeImpl;
class CompletionBase;

enum class EnvKind : unsigned char {
    message,
    call,
    exit_signal,
    down,
    shutdown_request,
    continuation
};

/// One item in a mailbox. Allocated by the sender, owned by the mailbox, deleted after delivery.
struct Envelope {
    Envelope* next = nullptr;
    EnvKind kind = EnvKind::message;

    Envelope() = default;
    explicit Envelope(EnvKind k) : kind(k) {}
    Envelope(const Envelope&) = delete;
    Envelope& operator=(const Envelope&) = delete;
    virtual ~Envelope() = default;

    /// Delivers the message to the receiving actor's handler.
    virtual void run(ActorBase& receiver) = 0;
    /// The receiver is dead: `reason` is its exit reason, or null when it was already dead at
    /// send time (noproc). Calls complete their reply with an error.
    virtual void fail(const ExitReason* /*reason*/) noexcept {}
    /// For calls: the reply the caller waits for.
    virtual CompletionBase* completion() noexcept { return nullptr; }
};

/// A one-shot result that one thread waits for, with a deadline on the runtime's clock.
class CompletionBase {
public:
    enum State : std::uint8_t { pending, completing, done, timed_out };

    CompletionBase() = default;
    CompletionBase(const CompletionBase&) = delete;
    CompletionBase& operator=(const CompletionBase&) = delete;
    virtual ~CompletionBase() = default;

    void retain() noexcept { refs_.fetch_add(1, std::memory_order_relaxed); }
    void release() noexcept {
        if (refs_.fetch_sub(1, std::memory_order_acq_rel) == 1)
            delete this;
    }

    /// Producer: claims the right to complete. False if completed or timed out already.
    bool try_begin() noexcept {
        std::uint8_t p = pending;
        return state_.compare_exchange_strong(p, completing, std::memory_order_acq_rel);
    }
    /// Producer: publishes the result and wakes the waiter.
    void finish() noexcept;
    /// Completes with an error: the callee died (`reason`) or was dead (null: noproc).
    virtual void fail(const ExitReason* reason) noexcept;
    /// Completes with "no reply will come" (a reply token was dropped).
    virtual void drop() noexcept;

    State state() const noexcept {
        return static_cast<State>(state_.load(std::memory_order_acquire));
    }
    bool done_ok() const noexcept { return state() == done; }

    /// Blocks the calling thread until done or `deadline` (runtime clock) passes. While a
    /// scheduler thread waits, another thread takes its place. Returns the final state.
    State wait(RuntimeImpl* rt, Clock::time_point deadline, bool infinite) noexcept;
    /// As wait(), with a deadline in real (steady) time whatever the runtime's clock.
    State wait_real(RuntimeImpl* rt, std::chrono::steady_clock::time_point deadline) noexcept;
    /// The deadline passed (called by the clock).
    void expire() noexcept;

private:
    State wait_impl(RuntimeImpl* rt, Clock::time_point deadline, bool infinite,
                    const std::chrono::steady_clock::time_point* real) noexcept;
    void wake_locked() noexcept;

    std::atomic<std::uint32_t> refs_{1};
    std::atomic<std::uint8_t> state_{pending};
    std::atomic<bool> lock_{false};
    void* waiter_ = nullptr; // the waiting thread's parker
    RuntimeImpl* rt_ = nullptr;
    // How many actors the waiting thread took out of the runtime's count of busy actors: the
    // one whose handler waits, and those waiting for it in inline calls on the same thread.
    std::uint32_t discounted_ = 0;
};

/// Thrown by ActorBase::exit(reason); the runtime catches it and stops the actor with `reason`.
struct ExitException {
    ExitReason reason;
};

// Entry points into the runtime (defined in runtime/src).
Cell* to_cell(CellHeader* h) noexcept;
CellHeader* current_cell() noexcept;
RuntimeImpl* current_runtime() noexcept;
RuntimeImpl* runtime_of(CellHeader* h) noexcept;
RuntimeImpl* impl_of(Runtime& rt) noexcept;
/// Enqueues `e` (ownership taken). False, with `e` failed and deleted, if the receiver is dead.
bool deliver(CellHeader* to, Envelope* e) noexcept;
/// Calls: runs `e` on this thread when the callee is idle (it would wait anyway), otherwise
/// enqueues it and waits for `reply` until the timeout. Ownership of `e` is taken.
enum class CallOutcome { replied, timeout, noproc, calling_self };
CallOutcome call(CellHeader* to, Envelope* e, CompletionBase* reply,
                 Clock::duration timeout) noexcept;
/// handle_continue: delivers `e` to the calling actor (`self`) before any message of its
/// mailbox. Ownership of `e` is taken.
void deliver_continuation(CellHeader* self, Envelope* e) noexcept;
/// Starts an actor: registers, links, runs init. Ownership of `obj` is taken.
struct StartOutcome {
    enum Status { ok, ignore, error } status = error;
    Pid pid;
    ExitReason reason;
};
/// What the runtime knows of an actor's class at compile time.
struct ActorTraits {
    /// The class keeps ActorBase's empty terminate(): asked to stop, it stops at once, so a
    /// supervisor may stop it on its own thread without missing a shutdown timeout.
    bool stops_at_once = false;
};
StartOutcome start_actor(RuntimeImpl* rt, ActorBase* obj, const std::type_info& type,
                         ActorTraits traits, const SpawnOptions& opts) noexcept;
ExitReason cell_exit_reason(CellHeader* h);
/// A reply token was destroyed unanswered.
void reply_dropped(CompletionBase* reply, CellHeader* callee) noexcept;
Clock& clock_of(RuntimeImpl* rt) noexcept;
Clock::duration default_call_timeout(RuntimeImpl* rt) noexcept;

struct Access;
} // namespace detail
} // namespace sup
