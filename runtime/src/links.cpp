// Links and monitors, with OTP's meaning. Each side of a link or monitor holds a reference on
// the other; whichever side goes away removes both entries.
#include "access.hpp"
#include "cell.hpp"
#include "runtime_impl.hpp"
#include "timers.hpp"

#include <algorithm>

namespace sup::detail {

namespace {
struct DownEnvelope final : Envelope {
    Down down;
    explicit DownEnvelope(Down d) : Envelope(EnvKind::down), down(std::move(d)) {}
    void run(ActorBase& a) override { Access::down(a, std::move(down)); }
};

const ExitReason& noproc() {
    static const ExitReason r = ExitReason::error("noproc");
    return r;
}

void send_down(Cell* watcher, Cell* target, std::uint64_t id, const ExitReason& why) {
    Pid p = make_pid(target);
    enqueue(watcher, new DownEnvelope(Down{MonitorRef{p, id}, p, why}));
}

template <class V, class Pred>
bool erase_first(V& v, Pred pred) {
    auto it = std::find_if(v.begin(), v.end(), pred);
    if (it == v.end())
        return false;
    v.erase(it);
    return true;
}
} // namespace

void link_cells(Cell* self, Cell* other) noexcept {
    if (self == other)
        return;
    {
        Guard<SpinLock> g(self->lock);
        if (self->life.load(std::memory_order_relaxed) == Life::dead)
            return;
        if (!self->ex().links.insert(other))
            return;
        other->retain();
    }
    bool other_dead = false;
    {
        Guard<SpinLock> g(other->lock);
        if (other->life.load(std::memory_order_relaxed) == Life::dead)
            other_dead = true;
        else if (other->ex().links.insert(self))
            self->retain();
    }
    if (other_dead) {
        bool had = false;
        {
            Guard<SpinLock> g(self->lock);
            if (self->extras && self->extras->links.erase(other))
                had = true;
        }
        if (had)
            other->release();
        exit_signal(self, other, noproc());
    }
}

void unlink_cells(Cell* self, Cell* other) noexcept {
    bool a = false, b = false;
    {
        Guard<SpinLock> g(self->lock);
        if (self->extras && self->extras->links.erase(other))
            a = true;
    }
    {
        Guard<SpinLock> g(other->lock);
        if (other->extras && other->extras->links.erase(self))
            b = true;
    }
    if (a)
        other->release();
    if (b)
        self->release();
}

std::uint64_t monitor_cell(Cell* self, Cell* target) noexcept {
    std::uint64_t id = self->rt->new_monitor_id();
    {
        Guard<SpinLock> g(self->lock);
        // A killed actor whose handler still runs: its extras are gone and no Down can reach
        // it, so nothing is recorded (as link_cells and timers do).
        if (self->life.load(std::memory_order_relaxed) == Life::dead)
            return id;
        self->ex().watching.push_back(Watched{id, target});
        target->retain();
    }
    bool dead = false;
    {
        Guard<SpinLock> g(target->lock);
        if (target->life.load(std::memory_order_relaxed) == Life::dead) {
            dead = true;
        } else {
            target->ex().watchers.push_back(Watcher{id, self, nullptr});
            self->retain();
        }
    }
    if (dead) {
        bool had = false;
        {
            Guard<SpinLock> g(self->lock);
            if (self->extras)
                had = erase_first(self->extras->watching,
                                  [&](const Watched& w) { return w.id == id; });
        }
        if (had)
            target->release();
        send_down(self, target, id, noproc());
    }
    return id;
}

bool demonitor_cell(Cell* self, std::uint64_t id) noexcept {
    Cell* target = nullptr;
    {
        Guard<SpinLock> g(self->lock);
        if (!self->extras)
            return false;
        auto& v = self->extras->watching;
        auto it = std::find_if(v.begin(), v.end(), [&](const Watched& w) { return w.id == id; });
        if (it == v.end())
            return false;
        target = it->target;
        v.erase(it);
    }
    bool removed = false;
    {
        Guard<SpinLock> g(target->lock);
        if (target->extras)
            removed =
                erase_first(target->extras->watchers, [&](const Watcher& w) { return w.id == id; });
    }
    if (removed)
        self->release();
    target->release();
    return true;
}

std::uint64_t watch_cell(Cell* target, ExitWait* w) noexcept {
    std::uint64_t id = target->rt->new_monitor_id();
    {
        Guard<SpinLock> g(target->lock);
        if (target->life.load(std::memory_order_relaxed) != Life::dead) {
            target->ex().watchers.push_back(Watcher{id, nullptr, w});
            w->retain();
            return id;
        }
    }
    w->complete(*target->exit_reason);
    return id;
}

void unwatch_cell(Cell* target, std::uint64_t id) noexcept {
    CompletionBase* w = nullptr;
    {
        Guard<SpinLock> g(target->lock);
        if (!target->extras)
            return;
        auto& v = target->extras->watchers;
        auto it = std::find_if(v.begin(), v.end(), [&](const Watcher& x) { return x.id == id; });
        if (it == v.end())
            return;
        w = it->waiter;
        v.erase(it);
    }
    if (w)
        w->release();
}

bool set_death_hook(Cell* c, std::shared_ptr<DeathHook> hook) noexcept {
    Guard<SpinLock> g(c->lock);
    if (c->life.load(std::memory_order_relaxed) == Life::dead)
        return false;
    c->ex().death_hook = std::move(hook);
    return true;
}

void notify_death(Cell* c, Extras* ex, const ExitReason& why) noexcept {
    RuntimeImpl* rt = c->rt;
    if (ex->death_hook)
        ex->death_hook->on_death(why);
    if (!ex->name.empty())
        rt->registry.remove_if(ex->name, c);
    for (SendTimer* t : ex->timers) {
        rt->clock->cancel(t);
        t->release();
    }
    for (const Watched& w : ex->watching) {
        bool removed = false;
        {
            Guard<SpinLock> g(w.target->lock);
            if (w.target->extras)
                removed = erase_first(w.target->extras->watchers,
                                      [&](const Watcher& x) { return x.id == w.id; });
        }
        if (removed)
            c->release();
        w.target->release();
    }
    ex->links.for_each([&](Cell* peer) {
        bool was = false;
        {
            Guard<SpinLock> g(peer->lock);
            if (peer->extras && peer->extras->links.erase(c))
                was = true;
        }
        if (was) {
            exit_signal(peer, c, why);
            c->release();
        }
        peer->release();
    });
    for (const Watcher& w : ex->watchers) {
        if (w.cell) {
            bool removed = false;
            {
                Guard<SpinLock> g(w.cell->lock);
                if (w.cell->extras)
                    removed = erase_first(w.cell->extras->watching,
                                          [&](const Watched& x) { return x.id == w.id; });
            }
            if (removed)
                c->release();
            send_down(w.cell, c, w.id, why);
            w.cell->release();
        } else if (w.waiter) {
            static_cast<ExitWait*>(w.waiter)->complete(why);
            w.waiter->release();
        }
    }
    if (ex->parent)
        ex->parent->release();
    delete ex;
}

} // namespace sup::detail
