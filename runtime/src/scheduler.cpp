#include "scheduler.hpp"

#include "cell.hpp"
#include "runtime_impl.hpp"

#include <algorithm>
#include <cassert>
#include <pthread.h>

namespace sup::detail {

Scheduler::Scheduler(RuntimeImpl& rt, unsigned threads, bool deterministic)
    : rt_(rt), permits_(deterministic ? 1u : std::max(1u, threads)), deterministic_(deterministic),
      use_next_slot_(!deterministic && permits_ > 0) {}

Scheduler::~Scheduler() {
    stop();
}

void Scheduler::start() {
    std::lock_guard<std::mutex> l(m_);
    for (unsigned i = 0; i < permits_; ++i)
        spawn_locked(true);
    if (use_next_slot_)
        monitor_ = std::thread([this] {
            pthread_setname_np(pthread_self(), "sup-monitor");
            monitor_main();
        });
}

void Scheduler::stop() {
    std::vector<Worker*> wake;
    {
        std::lock_guard<std::mutex> l(m_);
        if (stopping_)
            return;
        stopping_ = true;
        for (auto& w : workers_)
            wake.push_back(w.get());
    }
    for (Worker* w : wake)
        w->parker.unpark();
    for (auto& w : workers_)
        if (w->thread.joinable())
            w->thread.join();
    {
        std::lock_guard<std::mutex> l(mon_m_);
        mon_stop_ = true;
    }
    mon_cv_.notify_all();
    if (monitor_.joinable())
        monitor_.join();
}

Worker* Scheduler::spawn_locked(bool with_permit) {
    auto w = std::make_unique<Worker>();
    w->sched = this;
    w->has_permit.store(with_permit, std::memory_order_relaxed);
    Worker* raw = w.get();
    workers_.push_back(std::move(w));
    raw->thread = std::thread([this, raw] {
        pthread_setname_np(pthread_self(), "sup-scheduler"); // top -H, gdb, tests
        worker_main(raw);
    });
    return raw;
}

SchedulerStats Scheduler::stats() {
    SchedulerStats s;
    s.schedulers = permits_;
    {
        std::lock_guard<std::mutex> l(m_);
        s.threads = workers_.size();
        s.idle_threads = idle_.size();
        s.run_queue = runq_len_;
        for (const auto& w : workers_)
            s.steps += w->step.load(std::memory_order_relaxed) >> 2;
    }
    s.active = std::max<std::int64_t>(0, active_.load(std::memory_order_relaxed));
    return s;
}

void Scheduler::schedule(Cell* c) {
    ThreadState& ts = tls();
    Worker* w = ts.worker;
    if (use_next_slot_ && w && w->sched == this && w->has_permit.load(std::memory_order_relaxed)) {
        // seq_cst: ordered before the load of mon_asleep_ (against the monitor's store of it
        // and its look at the slots), so that a sleeping monitor cannot miss this actor.
        Cell* prev = w->next.exchange(c, std::memory_order_seq_cst);
        if (!prev) {
            if (mon_asleep_.load(std::memory_order_seq_cst))
                wake_monitor();
            return;
        }
        c = prev; // the previous occupant goes to the shared queue, where others can take it
    }
    push_global(c);
}

// Called from any thread: a timer thread, a thread outside the runtime, the monitor thread.
// The thread it wakes is unparked under m_: once stop() has set `stopping_` (under m_), no such
// caller touches a Worker, which stop() then destroys with the scheduler (a timer firing into
// an actor while the runtime shut down once unparked a destroyed thread).
void Scheduler::push_global(Cell* c) {
    std::lock_guard<std::mutex> l(m_);
    push_locked(c);
    if (Worker* wake = dispatch_permit_locked())
        wake->parker.unpark();
}

Worker* Scheduler::dispatch_permit_locked() {
    if (free_permits_ == 0 || stopping_)
        return nullptr;
    if (!resumers_.empty()) {
        Worker* r = resumers_.front();
        resumers_.pop_front();
        resumers_waiting_.fetch_sub(1, std::memory_order_relaxed);
        --free_permits_;
        r->has_permit.store(true, std::memory_order_release);
        return r;
    }
    if (runq_len_ == 0)
        return nullptr;
    --free_permits_;
    if (!idle_.empty()) {
        Worker* w = idle_.back();
        idle_.pop_back();
        w->has_permit.store(true, std::memory_order_release);
        return w;
    }
    spawn_locked(true);
    return nullptr;
}

void Scheduler::worker_main(Worker* w) {
    ThreadState& ts = tls();
    ts.worker = w;
    for (;;) {
        Cell* c = next_work(w);
        if (!c)
            break;
        std::uint64_t begin = ((w->step.load(std::memory_order_relaxed) >> 2) + 1) << 2 | kInStep;
        w->step.store(begin, std::memory_order_release);
        run_step(c);
        std::uint64_t expected = begin;
        if (w->step.compare_exchange_strong(expected, begin & ~kInStep, std::memory_order_acq_rel))
            continue;
        // Forfeit: the actor we ran was killed during the step, and a permit was created in our
        // place (compensate). Ours goes, and so does whatever the handler woke last. (No permit
        // only when the scheduler stops: after_block let the step finish without one.)
        w->step.store(begin & ~(kInStep | kForfeit), std::memory_order_release);
        std::unique_lock<std::mutex> l(m_);
        Worker* wake = nullptr;
        if (w->has_permit.load(std::memory_order_relaxed))
            wake = give_up_permit_locked(w, false);
        if (!park_idle_locked(w, l, wake))
            break;
    }
    ts.worker = nullptr;
}

void Scheduler::compensate(Worker* w, std::uint64_t step) {
    if (deterministic_ || !w || w->sched != this)
        return;
    {
        std::lock_guard<std::mutex> l(m_);
        if (stopping_)
            return;
        std::uint64_t expected = step;
        if ((step & kInStep) == 0 ||
            !w->step.compare_exchange_strong(expected, step | kForfeit, std::memory_order_acq_rel))
            return; // that step is over
        // A new permit in its place, whether the thread runs the handler now or waits inside it
        // (its permit lent out): a handler stuck after its wait holds the permit it takes back,
        // and the runtime still runs as many handlers as it has permits. The thread drops one
        // when the step ends.
        ++free_permits_;
        // Under m_, as in push_global: kill may come from any thread.
        if (Worker* wake = dispatch_permit_locked())
            wake->parker.unpark();
    }
}

void Scheduler::push_locked(Cell* c) {
    c->run_next = nullptr;
    if (runq_tail_)
        runq_tail_->run_next = c;
    else
        runq_head_ = c;
    runq_tail_ = c;
    ++runq_len_;
}

Worker* Scheduler::give_up_permit_locked(Worker* w, bool to_pool) {
    if (Cell* c = w->next.exchange(nullptr, std::memory_order_acq_rel))
        push_locked(c);
    w->has_permit.store(false, std::memory_order_release);
    if (to_pool)
        ++free_permits_;
    // The queue may just have grown: a free permit goes to whoever can use it.
    return dispatch_permit_locked();
}

bool Scheduler::park_idle_locked(Worker* w, std::unique_lock<std::mutex>& l, Worker* wake) {
    if (stopping_) {
        l.unlock();
        if (wake)
            wake->parker.unpark();
        l.lock();
        return false;
    }
    idle_.push_back(w);
    l.unlock();
    if (wake)
        wake->parker.unpark();
    for (;;) {
        w->parker.park();
        if (w->has_permit.load(std::memory_order_acquire))
            break;
        std::lock_guard<std::mutex> g(m_);
        if (stopping_)
            break;
    }
    l.lock();
    if (w->has_permit.load(std::memory_order_acquire))
        return true;
    // Woken by stop(): leave the idle list; the thread ends.
    for (auto it = idle_.begin(); it != idle_.end(); ++it)
        if (*it == w) {
            idle_.erase(it);
            break;
        }
    return false;
}

Cell* Scheduler::next_work(Worker* w) {
    for (;;) {
        // A thread back from a blocking wait goes first: its handler is half done.
        if (resumers_waiting_.load(std::memory_order_relaxed) == 0) {
            if (Cell* c = w->next.exchange(nullptr, std::memory_order_acq_rel))
                return c;
        }
        std::unique_lock<std::mutex> l(m_);
        if (resumers_.empty()) {
            if (Cell* c = w->next.exchange(nullptr, std::memory_order_acq_rel))
                return c; // the monitor thread did not take it meanwhile
            if (runq_head_) {
                Cell* c = runq_head_;
                runq_head_ = c->run_next;
                if (!runq_head_)
                    runq_tail_ = nullptr;
                --runq_len_;
                c->run_next = nullptr;
                return c;
            }
            if (stopping_) {
                w->has_permit.store(false, std::memory_order_release);
                return nullptr;
            }
        }
        // A resumer waits for a permit (it gets ours first), or there is nothing to do: the
        // permit goes back, and the actor in our next slot, if any, stays runnable for others.
        Worker* wake = give_up_permit_locked(w, true);
        if (!park_idle_locked(w, l, wake))
            return nullptr;
    }
}

void Scheduler::before_block() {
    Worker* w = tls().worker;
    if (!w || w->sched != this || !w->has_permit.load(std::memory_order_relaxed))
        return;
    Worker* wake = nullptr;
    {
        std::lock_guard<std::mutex> l(m_);
        wake = give_up_permit_locked(w, true);
    }
    if (wake)
        wake->parker.unpark();
}

void Scheduler::after_block() {
    Worker* w = tls().worker;
    if (!w || w->sched != this || w->has_permit.load(std::memory_order_relaxed))
        return;
    std::unique_lock<std::mutex> l(m_);
    if (free_permits_ > 0 && resumers_.empty()) {
        --free_permits_;
        w->has_permit.store(true, std::memory_order_release);
        return;
    }
    resumers_.push_back(w);
    resumers_waiting_.fetch_add(1, std::memory_order_relaxed);
    l.unlock();
    while (!w->has_permit.load(std::memory_order_acquire)) {
        w->parker.park();
        std::lock_guard<std::mutex> g(m_);
        if (stopping_ && !w->has_permit.load(std::memory_order_acquire)) {
            // Shutting down: continue without a permit; the thread ends after this step.
            for (auto it = resumers_.begin(); it != resumers_.end(); ++it)
                if (*it == w) {
                    resumers_.erase(it);
                    resumers_waiting_.fetch_sub(1, std::memory_order_relaxed);
                    break;
                }
            return;
        }
    }
}

void Scheduler::notify_quiescent() {
    std::lock_guard<std::mutex> l(q_m_);
    q_cv_.notify_all();
}

void Scheduler::wait_quiescent() {
    std::unique_lock<std::mutex> l(q_m_);
    q_cv_.wait(l, [&] { return active_.load(std::memory_order_acquire) == 0; });
}

bool Scheduler::wait_quiescent_for(std::chrono::milliseconds real_timeout) {
    std::unique_lock<std::mutex> l(q_m_);
    return q_cv_.wait_for(l, real_timeout,
                          [&] { return active_.load(std::memory_order_acquire) == 0; });
}

// The monitor thread. While some thread's next slot holds an actor, it looks every tick (1 ms;
// 10 ms after 100 looks that moved nothing) and moves an actor out of the slot of a thread that
// has been inside one step since the last look (1-2 ms), so that a long handler does not hold
// up the actor it woke. Once it has seen every slot empty at 10 looks in a row it sleeps
// without a timeout until a handler fills an empty slot (schedule): an idle runtime's slots
// are empty (a thread takes its slot's actor when its step ends, or puts it on the run queue
// when it parks), so an idle runtime wakes no thread. (The 10 looks keep a busy runtime, whose
// slots fill and empty all the time, from waking the monitor at every fill.)
void Scheduler::monitor_main() {
    using namespace std::chrono_literals;
    constexpr int kEmptyLooksToSleep = 10;
    int quiet_ticks = 0; // looks in a row that moved nothing
    int empty_looks = 0; // looks in a row that saw every slot empty
    std::unique_lock<std::mutex> l(mon_m_);
    while (!mon_stop_) {
        if (empty_looks >= kEmptyLooksToSleep) {
            // Dekker with schedule(): we store mon_asleep_ then look at the slots; a handler
            // fills a slot then loads mon_asleep_ (all seq_cst): one of us sees the other.
            mon_asleep_.store(true, std::memory_order_seq_cst);
            if (any_next_slot_used())
                mon_asleep_.store(false, std::memory_order_seq_cst);
            else
                mon_cv_.wait(
                    l, [&] { return mon_stop_ || !mon_asleep_.load(std::memory_order_seq_cst); });
            quiet_ticks = 0;
            empty_looks = 0;
            if (mon_stop_)
                break;
        }
        mon_cv_.wait_for(l, quiet_ticks > 100 ? 10ms : 1ms);
        if (mon_stop_)
            break;
        bool used = false;
        quiet_ticks = monitor_look(used) ? 0 : quiet_ticks + 1;
        empty_looks = used ? 0 : empty_looks + 1;
    }
}

bool Scheduler::any_next_slot_used() {
    std::lock_guard<std::mutex> g(m_);
    for (auto& w : workers_)
        if (w->next.load(std::memory_order_seq_cst))
            return true;
    return false;
}

void Scheduler::wake_monitor() {
    if (!mon_asleep_.exchange(false, std::memory_order_seq_cst))
        return; // another thread woke it
    {
        // Under the monitor's lock: it is either before its wait (and sees mon_asleep_ false)
        // or inside it (and gets the notification).
        std::lock_guard<std::mutex> l(mon_m_);
    }
    mon_cv_.notify_one();
}

bool Scheduler::monitor_look(bool& used) {
    bool found = false;
    std::vector<Worker*> ws;
    {
        std::lock_guard<std::mutex> g(m_);
        for (auto& w : workers_)
            ws.push_back(w.get());
    }
    for (Worker* w : ws) {
        std::uint64_t s = w->step.load(std::memory_order_acquire);
        bool in_step = s & kInStep;
        bool occupied = w->next.load(std::memory_order_relaxed) != nullptr;
        used = used || occupied;
        if (in_step && s == w->seen_step && occupied) {
            if (++w->seen_ticks >= 1) {
                if (Cell* c = w->next.exchange(nullptr, std::memory_order_acq_rel)) {
                    found = true;
                    push_global(c);
                }
            }
        } else {
            w->seen_ticks = 0;
        }
        w->seen_step = s;
    }
    return found;
}

} // namespace sup::detail
