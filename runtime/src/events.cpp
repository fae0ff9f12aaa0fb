#include "sup/events.hpp"

namespace sup {

const char* to_string(EventKind k) {
    switch (k) {
    case EventKind::child_started:
        return "child_started";
    case EventKind::child_restarted:
        return "child_restarted";
    case EventKind::start_failed:
        return "start_failed";
    case EventKind::child_ignored:
        return "child_ignored";
    case EventKind::child_exited:
        return "child_exited";
    case EventKind::child_terminated:
        return "child_terminated";
    case EventKind::shutdown_error:
        return "shutdown_error";
    case EventKind::restart_delayed:
        return "restart_delayed";
    case EventKind::give_up:
        return "give_up";
    case EventKind::auto_shutdown:
        return "auto_shutdown";
    case EventKind::supervisor_stopped:
        return "supervisor_stopped";
    }
    return "?";
}

namespace {
/// The subscriber whose handler runs on this thread (innermost), so that a handler that
/// unsubscribes itself does not wait for its own return.
thread_local const void* running_slot = nullptr;
} // namespace

EventBus::Subscription EventBus::subscribe(Handler h) {
    std::lock_guard<std::mutex> l(m_);
    auto next = std::make_shared<std::vector<Entry>>(*subs_);
    std::uint64_t id = next_id_++;
    next->push_back(Entry{id, std::make_shared<Slot>(std::move(h))});
    subs_ = std::move(next);
    count_.fetch_add(1, std::memory_order_release);
    return Subscription(this, id);
}

void EventBus::unsubscribe(std::uint64_t id) {
    std::shared_ptr<Slot> gone;
    {
        std::lock_guard<std::mutex> l(m_);
        auto next = std::make_shared<std::vector<Entry>>();
        for (const Entry& e : *subs_) {
            if (e.id != id)
                next->push_back(e);
            else
                gone = e.slot;
        }
        if (!gone)
            return;
        count_.fetch_sub(1, std::memory_order_release);
        subs_ = std::move(next);
    }
    // emit() may still hold the old list. It counts a call in progress before it checks
    // `removed`, and this sets `removed` before it reads the count (both sequentially
    // consistent): either emit sees `removed` and skips the handler, or this sees the call and
    // waits for it to return.
    gone->removed.store(true);
    if (running_slot == gone.get())
        return; // the handler unsubscribes itself: it returns after this
    for (int n = gone->inflight.load(); n != 0; n = gone->inflight.load())
        gone->inflight.wait(n);
}

void EventBus::emit(const SupervisorEvent& e) const {
    if (!has_subscribers())
        return;
    std::shared_ptr<const std::vector<Entry>> s;
    {
        std::lock_guard<std::mutex> l(m_);
        s = subs_;
    }
    for (const Entry& x : *s) {
        Slot& slot = *x.slot;
        struct Call {
            Slot& slot;
            const void* outer = running_slot;
            explicit Call(Slot& s) : slot(s) { slot.inflight.fetch_add(1); }
            ~Call() {
                running_slot = outer;
                if (slot.inflight.fetch_sub(1) == 1)
                    slot.inflight.notify_all();
            }
        } call(slot);
        if (slot.removed.load())
            continue;
        running_slot = &slot;
        slot.handler(e);
    }
}

void EventBus::Subscription::reset() {
    if (bus_)
        bus_->unsubscribe(id_);
    bus_ = nullptr;
}

} // namespace sup
