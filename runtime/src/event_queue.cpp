// EventQueue (sup/event_queue.hpp).
#include "sup/event_queue.hpp"

#include "sup/extension.hpp"
#include "sup/runtime.hpp"

#include <stdexcept>
#include <utility>

namespace sup {

EventQueue::EventQueue(Runtime& rt, std::size_t capacity) : capacity_(capacity ? capacity : 1) {
    sub_ = rt.events().subscribe([this](const SupervisorEvent& e) { record(e); });
}

EventQueue::~EventQueue() {
    sub_.reset();
}

void EventQueue::record(const SupervisorEvent& e) {
    {
        std::lock_guard lock(m_);
        if (events_.size() >= capacity_) {
            events_.pop_front();
            ++dropped_;
        }
        events_.push_back(e);
    }
    cv_.notify_all();
}

namespace {
void refuse_on_scheduler(std::chrono::milliseconds timeout) {
    if (timeout.count() > 0 && ext::current_runtime())
        throw std::logic_error("sup::EventQueue: waiting on a scheduler's thread would stall it; "
                               "subscribe to rt.events() and send yourself a message instead");
}
} // namespace

std::optional<SupervisorEvent> EventQueue::next(std::chrono::milliseconds timeout) {
    refuse_on_scheduler(timeout);
    std::unique_lock lock(m_);
    if (!cv_.wait_for(lock, timeout, [&] { return !events_.empty(); }))
        return std::nullopt;
    SupervisorEvent e = std::move(events_.front());
    events_.pop_front();
    return e;
}

std::optional<SupervisorEvent> EventQueue::wait_for(const Predicate& pred,
                                                    std::chrono::milliseconds timeout) {
    refuse_on_scheduler(timeout);
    auto deadline = std::chrono::steady_clock::now() + timeout;
    std::unique_lock lock(m_);
    while (true) {
        while (!events_.empty()) {
            SupervisorEvent e = std::move(events_.front());
            events_.pop_front();
            if (pred(e))
                return e;
        }
        if (!cv_.wait_until(lock, deadline, [&] { return !events_.empty(); }))
            return std::nullopt;
    }
}

std::vector<SupervisorEvent> EventQueue::drain() {
    std::lock_guard lock(m_);
    std::vector<SupervisorEvent> out(std::make_move_iterator(events_.begin()),
                                     std::make_move_iterator(events_.end()));
    events_.clear();
    return out;
}

std::size_t EventQueue::size() const {
    std::lock_guard lock(m_);
    return events_.size();
}

std::size_t EventQueue::dropped() const {
    std::lock_guard lock(m_);
    return dropped_;
}

EventQueue::Predicate event_is(EventKind kind, std::string path) {
    return [kind, path = std::move(path)](const SupervisorEvent& e) {
        return e.kind == kind && e.path() == path;
    };
}

EventQueue::Predicate restarted(std::string path) {
    return [path = std::move(path)](const SupervisorEvent& e) {
        return e.kind == EventKind::child_restarted && e.restart && e.path() == path;
    };
}

EventQueue::Predicate started(std::string path) {
    return [path = std::move(path)](const SupervisorEvent& e) {
        return (e.kind == EventKind::child_started || e.kind == EventKind::child_restarted) &&
               e.path() == path;
    };
}

} // namespace sup
