#include "timers.hpp"

#include "access.hpp"
#include "runtime_impl.hpp"

#include <algorithm>

namespace sup::detail {

SendTimer::~SendTimer() {
    delete env_.load(std::memory_order_relaxed);
    target_->release();
}

void SendTimer::unregister() noexcept {
    bool had = false;
    {
        Guard<SpinLock> g(target_->lock);
        if (target_->extras) {
            auto& v = target_->extras->timers;
            auto it = std::find(v.begin(), v.end(), this);
            if (it != v.end()) {
                *it = v.back();
                v.pop_back();
                had = true;
            }
        }
    }
    if (had)
        release(); // the list's reference
}

void SendTimer::fire() noexcept {
    unregister();
    if (Envelope* e = env_.exchange(nullptr, std::memory_order_acq_rel))
        enqueue(target_, e);
}

TimerRef send_after_impl(CellHeader* to, Clock::duration d, Envelope* e) {
    Cell* c = as_cell(to);
    if (!c || c->dead()) {
        delete e;
        return {};
    }
    Clock& clk = *c->rt->clock;
    auto* t = new SendTimer(c, e);
    {
        Guard<SpinLock> g(c->lock);
        if (c->life.load(std::memory_order_relaxed) == Life::dead) {
            t->release();
            return {};
        }
        c->ex().timers.push_back(t);
        t->retain();
    }
    Clock::time_point now = clk.now();
    Clock::time_point at = d > Clock::time_point::max() - now ? Clock::time_point::max() : now + d;
    clk.schedule(at, t);
    return Access::timer_ref(t, &clk); // adopts our reference
}

bool cancel_timer(TimerTask* t, Clock* clock) {
    if (!clock->cancel(t))
        return false;
    static_cast<SendTimer*>(t)->unregister();
    return true;
}

} // namespace sup::detail
