// The real clock (steady_clock with a timer thread) and the virtual clock.
#include "sup/clock.hpp"

#include "runtime_impl.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <pthread.h>
#include <thread>
#include <vector>

namespace sup {

namespace detail {
/// Timers by deadline, ties in scheduling order; O(log n) insertion and removal.
class TimerHeap {
public:
    static constexpr std::size_t npos = static_cast<std::size_t>(-1);

    void push(TimerTask* t, std::chrono::nanoseconds deadline) {
        t->deadline_ = deadline;
        t->seq_ = seq_++;
        t->heap_index_ = v_.size();
        v_.push_back(t);
        up(v_.size() - 1);
    }
    bool remove(TimerTask* t) {
        std::size_t i = t->heap_index_;
        if (i == npos || i >= v_.size() || v_[i] != t)
            return false;
        std::size_t last = v_.size() - 1;
        if (i != last) {
            v_[i] = v_[last];
            v_[i]->heap_index_ = i;
        }
        v_.pop_back();
        t->heap_index_ = npos;
        if (i < v_.size()) {
            down(i);
            up(i);
        }
        return true;
    }
    bool empty() const { return v_.empty(); }
    std::size_t size() const { return v_.size(); }
    std::chrono::nanoseconds top_deadline() const { return v_.front()->deadline_; }
    TimerTask* pop() {
        TimerTask* t = v_.front();
        remove(t);
        return t;
    }
    /// Releases every timer (clock destruction).
    void clear() {
        for (TimerTask* t : v_) {
            t->heap_index_ = npos;
            t->release();
        }
        v_.clear();
    }

private:
    bool less(std::size_t a, std::size_t b) const {
        const TimerTask* x = v_[a];
        const TimerTask* y = v_[b];
        return x->deadline_ != y->deadline_ ? x->deadline_ < y->deadline_ : x->seq_ < y->seq_;
    }
    void swap_at(std::size_t a, std::size_t b) {
        std::swap(v_[a], v_[b]);
        v_[a]->heap_index_ = a;
        v_[b]->heap_index_ = b;
    }
    void up(std::size_t i) {
        while (i > 0) {
            std::size_t p = (i - 1) / 2;
            if (!less(i, p))
                break;
            swap_at(i, p);
            i = p;
        }
    }
    void down(std::size_t i) {
        for (;;) {
            std::size_t l = 2 * i + 1, r = l + 1, m = i;
            if (l < v_.size() && less(l, m))
                m = l;
            if (r < v_.size() && less(r, m))
                m = r;
            if (m == i)
                break;
            swap_at(i, m);
            i = m;
        }
    }
    std::vector<TimerTask*> v_;
    std::uint64_t seq_ = 0;
};
} // namespace detail

Clock::~Clock() = default;

// ---------------------------------------------------------------- RealClock

struct RealClock::Impl {
    std::mutex m;
    std::condition_variable cv;
    detail::TimerHeap heap;
    bool stop = false;
    std::thread thread;

    static std::chrono::nanoseconds now_ns() {
        return std::chrono::duration_cast<std::chrono::nanoseconds>(
            std::chrono::steady_clock::now().time_since_epoch());
    }
    void run() {
        std::unique_lock<std::mutex> l(m);
        while (!stop) {
            if (heap.empty()) {
                cv.wait(l);
                continue;
            }
            std::chrono::nanoseconds d = heap.top_deadline();
            if (now_ns() >= d) {
                detail::TimerTask* t = heap.pop();
                l.unlock();
                t->fire();
                t->release();
                l.lock();
            } else {
                cv.wait_until(
                    l, std::chrono::steady_clock::time_point(
                           std::chrono::duration_cast<std::chrono::steady_clock::duration>(d)));
            }
        }
    }
};

RealClock::RealClock() : impl_(std::make_unique<Impl>()) {
    impl_->thread = std::thread([this] {
        pthread_setname_np(pthread_self(), "sup-timer");
        impl_->run();
    });
}

RealClock::~RealClock() {
    {
        std::lock_guard<std::mutex> l(impl_->m);
        impl_->stop = true;
    }
    impl_->cv.notify_all();
    impl_->thread.join();
    impl_->heap.clear();
}

Clock::time_point RealClock::now() const {
    return time_point(Impl::now_ns());
}

void RealClock::schedule(time_point at, detail::TimerTask* task) {
    task->retain();
    bool first;
    {
        std::lock_guard<std::mutex> l(impl_->m);
        impl_->heap.push(task, at.time_since_epoch());
        first = impl_->heap.top_deadline() == at.time_since_epoch();
    }
    if (first)
        impl_->cv.notify_one();
}

bool RealClock::cancel(detail::TimerTask* task) {
    bool removed;
    {
        std::lock_guard<std::mutex> l(impl_->m);
        removed = impl_->heap.remove(task);
    }
    if (removed)
        task->release();
    return removed;
}

// ---------------------------------------------------------------- VirtualClock

struct VirtualClock::Impl {
    mutable std::mutex m;
    std::condition_variable scheduled;
    detail::TimerHeap heap;
    std::chrono::nanoseconds now{};
    std::vector<detail::QuiescenceSource*> sources;
    std::mutex advancing; // one advance at a time
    std::atomic<bool> settling{true};

    void settle() {
        if (!settling)
            return;
        std::vector<detail::QuiescenceSource*> s;
        {
            std::lock_guard<std::mutex> l(m);
            s = sources;
        }
        for (auto* q : s)
            q->wait_quiescent();
    }
};

VirtualClock::VirtualClock(time_point start) : impl_(std::make_unique<Impl>()) {
    impl_->now = start.time_since_epoch();
}

VirtualClock::~VirtualClock() {
    impl_->heap.clear();
}

Clock::time_point VirtualClock::now() const {
    std::lock_guard<std::mutex> l(impl_->m);
    return time_point(impl_->now);
}

void VirtualClock::schedule(time_point at, detail::TimerTask* task) {
    task->retain();
    {
        std::lock_guard<std::mutex> l(impl_->m);
        impl_->heap.push(task, at.time_since_epoch());
    }
    impl_->scheduled.notify_all();
}

bool VirtualClock::wait_pending(std::size_t n, std::chrono::milliseconds real_timeout) {
    std::unique_lock<std::mutex> l(impl_->m);
    return impl_->scheduled.wait_for(l, real_timeout, [&] { return impl_->heap.size() >= n; });
}

bool VirtualClock::cancel(detail::TimerTask* task) {
    bool removed;
    {
        std::lock_guard<std::mutex> l(impl_->m);
        removed = impl_->heap.remove(task);
    }
    if (removed)
        task->release();
    return removed;
}

void VirtualClock::attach(detail::QuiescenceSource* s) {
    std::lock_guard<std::mutex> l(impl_->m);
    impl_->sources.push_back(s);
}

void VirtualClock::detach(detail::QuiescenceSource* s) {
    std::lock_guard<std::mutex> l(impl_->m);
    auto& v = impl_->sources;
    v.erase(std::remove(v.begin(), v.end(), s), v.end());
}

void VirtualClock::advance(duration d) {
    advance_to(now() + d);
}

void VirtualClock::advance_unsettled(duration d) {
    impl_->settling = false;
    advance_to(now() + d);
    impl_->settling = true;
}

void VirtualClock::advance_to(time_point t) {
    std::lock_guard<std::mutex> a(impl_->advancing);
    for (;;) {
        impl_->settle();
        detail::TimerTask* task = nullptr;
        {
            std::lock_guard<std::mutex> l(impl_->m);
            if (!impl_->heap.empty() && impl_->heap.top_deadline() <= t.time_since_epoch()) {
                std::chrono::nanoseconds d = impl_->heap.top_deadline();
                task = impl_->heap.pop();
                impl_->now = std::max(impl_->now, d);
            } else {
                impl_->now = std::max(impl_->now, t.time_since_epoch());
            }
        }
        if (!task)
            break;
        task->fire();
        task->release();
    }
    impl_->settle();
}

std::optional<Clock::time_point> VirtualClock::next_deadline() const {
    std::lock_guard<std::mutex> l(impl_->m);
    if (impl_->heap.empty())
        return std::nullopt;
    return time_point(impl_->heap.top_deadline());
}

bool VirtualClock::advance_to_next() {
    auto d = next_deadline();
    if (!d)
        return false;
    advance_to(*d);
    return true;
}

std::size_t VirtualClock::pending_timers() const {
    std::lock_guard<std::mutex> l(impl_->m);
    return impl_->heap.size();
}

} // namespace sup
