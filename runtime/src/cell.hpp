// An actor's control block: mailbox, scheduling state, links, monitors, timers, name.
//
// Scheduling state (under `lock`): idle -> scheduled (a message arrived; the cell is in a run
// queue) -> running (a thread runs its handlers) -> idle or scheduled. Whoever holds `running`
// owns `obj`: it alone runs handlers and it destroys the object once the actor is dead.
// Life: init (init() runs) -> alive -> dead. Death is a single transition, made by whoever gets
// there first: the owner (stop, crash) or a killer (kill may come from any thread, even while a
// handler is stuck: the actor is dead at once, the object goes when the handler returns).
#pragma once

#include "sup/actor.hpp"
#include "sup/detail/core.hpp"
#include "sync.hpp"

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <unordered_set>
#include <vector>

namespace sup::detail {

class RuntimeImpl;
struct Worker;
class SendTimer;
class ExitWait;

enum class Sched : std::uint8_t { idle, scheduled, running };
enum class Life : std::uint8_t { init, alive, dead };

/// Runs on the thread that makes an actor die (kill, crash, stop), after the actor is marked
/// dead and before its links, monitors and waiters learn of the death: an actor that owns
/// something outside the runtime (the operating-system processes of a process child) releases
/// it here, so that whoever sees the death (its supervisor) also sees it released. May block
/// (briefly and boundedly); must not call the dying actor.
class DeathHook {
public:
    virtual ~DeathHook() = default;
    virtual void on_death(const ExitReason& why) noexcept = 0;
};

/// Someone watching this cell: a monitoring actor, or an internal waiter (exit waits).
struct Watcher {
    std::uint64_t id;
    Cell* cell;             // monitoring actor (a reference held), or null
    CompletionBase* waiter; // internal waiter (a reference held), or null
};
/// A monitor this cell holds on another.
struct Watched {
    std::uint64_t id;
    Cell* target; // a reference held
};

/// The cells an actor is linked to: a small vector (most actors have a link or two), a hash set
/// beyond that (a supervisor of 10,000 children).
class LinkSet {
public:
    /// False if already there.
    bool insert(Cell* c) {
        if (big_)
            return big_->insert(c).second;
        for (Cell* x : small_)
            if (x == c)
                return false;
        small_.push_back(c);
        if (small_.size() > kSmall) {
            big_ = std::make_unique<std::unordered_set<Cell*>>(small_.begin(), small_.end());
            small_.clear();
            small_.shrink_to_fit();
        }
        return true;
    }
    /// False if not there.
    bool erase(Cell* c) {
        if (big_)
            return big_->erase(c) > 0;
        for (auto it = small_.begin(); it != small_.end(); ++it)
            if (*it == c) {
                *it = small_.back();
                small_.pop_back();
                return true;
            }
        return false;
    }
    template <class F>
    void for_each(F f) const {
        if (big_)
            for (Cell* c : *big_)
                f(c);
        else
            for (Cell* c : small_)
                f(c);
    }

private:
    static constexpr std::size_t kSmall = 8;
    std::vector<Cell*> small_;
    std::unique_ptr<std::unordered_set<Cell*>> big_;
};

/// Rarely needed parts, allocated on first use so that an idle actor stays small.
struct Extras {
    LinkSet links; // a reference held on each
    std::vector<Watcher> watchers;
    std::vector<Watched> watching;
    std::vector<SendTimer*> timers; // timers that deliver to this cell (a reference held on each)
    std::string name;
    Cell* parent = nullptr; // a reference held
    std::shared_ptr<DeathHook> death_hook;
    /// ActorBase::stop_token()'s source, made on its first call.
    std::optional<std::stop_source> stop;
};

struct Cell : CellHeader {
    RuntimeImpl* rt = nullptr;
    ActorBase* obj = nullptr;
    SpinLock lock;
    Sched sched = Sched::running; // the creator runs init
    std::atomic<Life> life{Life::init};
    bool trap_exit = false;
    bool stops_at_once = false; // ActorTraits::stops_at_once
    bool stop_asked = false;    // asked to stop (request_stop): its stop_token is requested
    Envelope* head = nullptr;
    Envelope* tail = nullptr;
    ExitReason* pending_exit = nullptr;     // an exit signal that stops the actor before its mail
    CompletionBase* current_call = nullptr; // the call being handled (a reference held)
    ExitReason* exit_reason = nullptr;      // set once, at death
    Extras* extras = nullptr;
    Cell* run_next = nullptr; // run queue link
    Cell* live_prev = nullptr;
    Cell* live_next = nullptr;
    Worker* runner = nullptr; // scheduler thread running it, if any
    std::uint64_t runner_step = 0;

    Extras& ex() {
        if (!extras)
            extras = new Extras;
        return *extras;
    }
    bool dead() const { return life.load(std::memory_order_acquire) == Life::dead; }
};

inline Cell* as_cell(CellHeader* h) {
    return static_cast<Cell*>(h);
}

/// Per-thread state.
struct ThreadState {
    Cell* current = nullptr;  // the actor whose code runs on this thread
    Worker* worker = nullptr; // this thread's scheduler slot, if a scheduler thread
    int inline_depth = 0;
    Parker parker;
};
ThreadState& tls();

/// Switches the thread's current actor for the duration of a scope.
class CurrentScope {
public:
    explicit CurrentScope(Cell* c) : ts_(tls()), saved_(ts_.current) {
        ts_.current = c;
        ++ts_.inline_depth;
    }
    ~CurrentScope() {
        ts_.current = saved_;
        --ts_.inline_depth;
    }

private:
    ThreadState& ts_;
    Cell* saved_;
};

Pid make_pid(Cell* c);

// Lifecycle (cell.cpp)
bool enqueue(Cell* c, Envelope* e) noexcept;
bool try_claim(Cell* c) noexcept;
void release_claim(Cell* c) noexcept;
void run_step(Cell* c) noexcept;
/// Runs one envelope's handler on the owner's thread. True if the actor must now stop (`why`).
bool process(Cell* c, Envelope* e, ExitReason& why) noexcept;
/// Owner: terminate() (unless `quiet`), death, object destruction.
void exit_actor(Cell* c, ExitReason why, bool run_terminate) noexcept;
/// Marks the cell dead and notifies links, monitors, callers, the registry. False if it was
/// dead already. The caller holds a reference.
bool finalize(Cell* c, const ExitReason& why) noexcept;
void destroy_object(Cell* c) noexcept;
/// Kills the actor at once (reason `why`, normally killed). The caller holds a reference.
void kill_cell(Cell* c, const ExitReason& why) noexcept;
/// An exit signal from `from` (null: from no actor), with OTP's rules.
void exit_signal(Cell* to, Cell* from, const ExitReason& why) noexcept;
/// A request to stop as from the parent: terminate() runs (unless the actor ignores it).
bool shutdown_request(Cell* to, const ExitReason& why) noexcept;
/// The actor is asked to stop (a shutdown request, an exit signal it does not trap, its
/// death): requests its stop_token, once, on the calling thread, without the cell's lock.
void request_stop(Cell* c) noexcept;
/// Puts `e` before every message of the mailbox, after the continuations already there
/// (handle_continue: ActorBase::continue_with). Only the actor itself calls it.
bool enqueue_continuation(Cell* c, Envelope* e) noexcept;
/// The fast path of a supervisor's shutdown: when `c` is idle its shutdown request runs on this
/// thread. Returns true if `c` is dead afterwards; `asked` tells whether the request was made
/// (the actor may have ignored it).
bool shutdown_inline(Cell* c, const ExitReason& why, bool& asked) noexcept;
bool may_run_inline(RuntimeImpl* rt) noexcept;
/// As detail::call, with a deadline in real time whatever the runtime's clock (inspect).
CallOutcome call_until(CellHeader* to, Envelope* e, CompletionBase* reply,
                       std::chrono::steady_clock::time_point deadline) noexcept;

// Links and monitors (links.cpp)
void link_cells(Cell* self, Cell* other) noexcept;
void unlink_cells(Cell* self, Cell* other) noexcept;
std::uint64_t monitor_cell(Cell* self, Cell* target) noexcept;
bool demonitor_cell(Cell* self, std::uint64_t id) noexcept;
/// Completes `w` with the target's exit reason when it dies (at once if dead). Returns an id
/// for unwatch_cell.
std::uint64_t watch_cell(Cell* target, ExitWait* w) noexcept;
void unwatch_cell(Cell* target, std::uint64_t id) noexcept;
/// Sets the hook that runs when `c` dies (one per actor). False if `c` is dead already.
bool set_death_hook(Cell* c, std::shared_ptr<DeathHook> hook) noexcept;
/// At death: runs the death hook, then notifies and releases everything in `ex`.
void notify_death(Cell* c, Extras* ex, const ExitReason& why) noexcept;

/// A completion carrying an exit reason (waiting for an actor to die).
class ExitWait final : public CompletionBase {
public:
    ExitReason reason;
    void complete(const ExitReason& r) noexcept {
        if (try_begin()) {
            reason = r;
            finish();
        }
    }
    void fail(const ExitReason* r) noexcept override {
        complete(r ? *r : ExitReason::error("noproc"));
    }
};

} // namespace sup::detail
