// EventQueue: supervisor events kept for a thread that waits for them (main, a control
// thread, a test), in the order they happened. The small public way to wait for a restart
// in a program:
//
//   sup::EventQueue events(rt);              // from now on
//   sup::kill(cache);
//   if (auto e = events.wait_for(sup::restarted("services/cache"), 5s))
//       use(e->child);                       // the successor's pid
//
// Waiting blocks the calling thread, so it is refused on a scheduler's thread (inside an
// actor): there, subscribe to rt.events() and send yourself a message instead.
#pragma once

#include "sup/events.hpp"

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sup {

class Runtime;

class EventQueue {
public:
    using Predicate = std::function<bool(const SupervisorEvent&)>;

    /// Subscribes to `rt`'s events; keeps at most `capacity` waiting events (the oldest are
    /// dropped first, and counted by dropped()), so that a queue nobody reads stays bounded.
    explicit EventQueue(Runtime& rt, std::size_t capacity = 65536);
    EventQueue(const EventQueue&) = delete;
    EventQueue& operator=(const EventQueue&) = delete;
    /// Unsubscribes; a supervisor's event being delivered at that moment finishes first.
    ~EventQueue();

    /// The oldest waiting event, taken from the queue; nullopt if none comes within `timeout`
    /// (0: do not wait). Throws std::logic_error on a scheduler's thread when it would wait.
    std::optional<SupervisorEvent> next(std::chrono::milliseconds timeout);
    /// Takes events in order until one matches `pred`, and returns it (the events before it
    /// are gone; see next() to look at each); nullopt if none matches within `timeout`.
    std::optional<SupervisorEvent> wait_for(const Predicate& pred,
                                            std::chrono::milliseconds timeout);
    /// Every waiting event, taken from the queue, without waiting.
    std::vector<SupervisorEvent> drain();
    /// Waiting events.
    std::size_t size() const;
    /// Events dropped because the queue was full.
    std::size_t dropped() const;

private:
    void record(const SupervisorEvent& e);
    mutable std::mutex m_;
    std::condition_variable cv_;
    std::deque<SupervisorEvent> events_;
    std::size_t capacity_;
    std::size_t dropped_ = 0;
    EventBus::Subscription sub_; // last: unsubscribed first
};

/// Predicates for EventQueue::wait_for. `path` is the child's path from the root of its tree
/// (child ids joined by '/'), as SupervisorEvent::path() spells it.
/// The child at `path` started again (a restart, not its first start).
EventQueue::Predicate restarted(std::string path);
/// The child at `path` started (first start or restart).
EventQueue::Predicate started(std::string path);
/// An event of `kind` about `path`.
EventQueue::Predicate event_is(EventKind kind, std::string path);

} // namespace sup
