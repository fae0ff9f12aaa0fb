// The scheduler: N permits to run actor code, held by scheduler threads.
//
// - Runnable actors wait in one FIFO run queue. A thread that makes an actor runnable while it
//   runs a handler puts it in its own "next" slot instead (as Tokio's LIFO slot and Go's
//   runnext): in a ping-pong both actors then run on one thread, without waking another one.
//   A monitor thread moves an actor out of a slot whose thread has been busy for a millisecond.
//   It looks only while slots are in use; once they stay empty (an idle runtime, in particular)
//   it sleeps until a handler fills a slot, so an idle runtime wakes no thread.
// - A scheduler thread that must block (a call waiting for its reply, a supervisor waiting for a
//   child to stop) gives its permit to another thread, creating one if needed, and takes a
//   permit back before it continues: N handlers run at a time, never fewer because of waits.
// - With one permit and no next slot (deterministic mode) actors run one at a time in FIFO order.
// - `active` counts actors that are runnable or running, minus those blocked on a wait: zero
//   means quiescent.
#pragma once

#include "sup/runtime.hpp"
#include "sync.hpp"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace sup::detail {

struct Cell;
class RuntimeImpl;
class Scheduler;

struct Worker {
    Scheduler* sched = nullptr;
    std::thread thread;
    Parker parker;
    std::atomic<bool> has_permit{false};
    std::atomic<Cell*> next{nullptr}; // the LIFO slot
    // (step number << 2) | forfeit << 1 | in_step. The monitor thread reads it to see a thread
    // stuck in a step; a kill of the actor it runs sets `forfeit` (see Scheduler::compensate).
    std::atomic<std::uint64_t> step{0};
    std::uint64_t seen_step = 0; // monitor thread only
    int seen_ticks = 0;          // monitor thread only
};

class Scheduler {
public:
    /// `threads` permits (at least 1); one in deterministic mode.
    Scheduler(RuntimeImpl& rt, unsigned threads, bool deterministic);
    ~Scheduler();
    void start();
    /// Stops the threads; the run queue must be empty (all actors dead).
    void stop();

    /// Makes `c` run soon. `c` is marked scheduled and the caller gave the queue a reference.
    void schedule(Cell* c);

    /// Around a blocking wait on any thread: scheduler threads give their permit away.
    void before_block();
    void after_block();
    /// An actor that `w` runs in step `step` was killed: its handler may never return. A new
    /// permit lets another thread take its place; `w` drops its permit when its step ends.
    void compensate(Worker* w, std::uint64_t step);
    static constexpr std::uint64_t kInStep = 1, kForfeit = 2;

    void active_inc(std::int64_t n = 1) noexcept {
        active_.fetch_add(n, std::memory_order_acq_rel);
    }
    void active_dec(std::int64_t n = 1) noexcept {
        if (active_.fetch_sub(n, std::memory_order_acq_rel) == n)
            notify_quiescent();
    }
    void wait_quiescent();
    bool wait_quiescent_for(std::chrono::milliseconds real_timeout);

    unsigned threads() const { return permits_; }
    /// Runtime::scheduler_stats(): read under the scheduler's lock, nothing counted for it.
    SchedulerStats stats();
    bool deterministic() const { return deterministic_; }
    bool owns(const Worker* w) const { return w && w->sched == this; }

private:
    void worker_main(Worker* w);
    Cell* next_work(Worker* w);
    void push_global(Cell* c);
    /// With m_ held: appends `c` to the run queue.
    void push_locked(Cell* c);
    /// With m_ held: gives a free permit to a resumer, an idle thread or a new thread, if there is
    /// work for it. Returns the thread to unpark (null if none or a new thread was started).
    Worker* dispatch_permit_locked();
    /// With m_ held: `w` stops holding its permit, which goes back to the pool (`to_pool`) or
    /// ceases to exist (a forfeit). Every path that takes a thread's permit goes through here or
    /// moves the next slot itself: the actor in `w`'s next slot goes to the run queue, since
    /// nothing else would run it (the monitor thread only empties the slots of threads inside a
    /// step). Returns the thread to unpark.
    Worker* give_up_permit_locked(Worker* w, bool to_pool);
    Worker* spawn_locked(bool with_permit);
    /// With m_ held (released while parked, held again on return): parks `w`, which holds no
    /// permit, as an idle thread after unparking `wake`. True once it was given a permit, false
    /// when the scheduler stops.
    bool park_idle_locked(Worker* w, std::unique_lock<std::mutex>& l, Worker* wake);
    void monitor_main();
    /// Monitor thread: moves actors out of the slots of threads stuck in a step since the last
    /// look. True if it moved one; `used` is set if it saw a slot holding an actor.
    bool monitor_look(bool& used);
    /// Whether some thread's next slot holds an actor.
    bool any_next_slot_used();
    /// After a handler filled its thread's empty next slot: wakes the monitor if it sleeps.
    void wake_monitor();
    void notify_quiescent();

    RuntimeImpl& rt_;
    const unsigned permits_;
    const bool deterministic_;
    const bool use_next_slot_;

    std::mutex m_;
    Cell* runq_head_ = nullptr;
    Cell* runq_tail_ = nullptr;
    std::size_t runq_len_ = 0;
    unsigned free_permits_ = 0;
    std::vector<Worker*> idle_;    // parked without a permit
    std::deque<Worker*> resumers_; // finished a blocking wait, waiting for a permit
    std::atomic<int> resumers_waiting_{0};
    std::vector<std::unique_ptr<Worker>> workers_;
    bool stopping_ = false;

    std::atomic<std::int64_t> active_{0};
    std::mutex q_m_;
    std::condition_variable q_cv_;

    std::thread monitor_;
    std::mutex mon_m_;
    std::condition_variable mon_cv_;
    bool mon_stop_ = false;
    /// True while the monitor sleeps with every next slot empty (it set this, then saw the
    /// slots empty; a thread that fills a slot then sees it true: see wake_monitor).
    std::atomic<bool> mon_asleep_{false};
};

} // namespace sup::detail
