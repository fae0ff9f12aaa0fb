#include "event_log.hpp"

#include <algorithm>

namespace sup::obs {

namespace {
constexpr std::size_t kMaxOrphanEvents = 10000;
constexpr std::size_t kMaxCounterPaths = 100000;

std::size_t class_index(const ExitReason& r) {
    switch (r.kind()) {
    case ExitReason::Kind::normal:
        return 0;
    case ExitReason::Kind::shutdown:
        return 1;
    case ExitReason::Kind::killed:
        return 2;
    case ExitReason::Kind::error:
        return 3;
    }
    return 3;
}
} // namespace

const char* reason_class(const ExitReason& r) {
    static constexpr const char* names[] = {"normal", "shutdown", "killed", "error"};
    return names[class_index(r)];
}

EventLog::EventLog(std::uint64_t root_id, std::size_t history)
    : root_id_(root_id), history_(std::max<std::size_t>(history, 1)) {
    known_.insert(root_id);
}

bool EventLog::record(const SupervisorEvent& e) {
    std::lock_guard lock(m_);
    std::uint64_t sid = e.supervisor.id();
    if (known_.count(sid)) {
        std::uint64_t before = seq_;
        accept(e);
        return seq_ != before;
    }
    if (e.supervisor_path.empty())
        return false; // the root of another tree on the same runtime
    // A supervisor not seen yet: its parent reports it after its children started.
    auto& waiting = orphans_[sid];
    if (waiting.empty())
        orphan_order_.push_back(sid);
    waiting.push_back(e);
    if (++orphan_events_ > kMaxOrphanEvents) {
        // Events of supervisors that never joined (another tree's): forget the oldest.
        std::uint64_t oldest = orphan_order_.front();
        orphan_order_.pop_front();
        auto it = orphans_.find(oldest);
        if (it != orphans_.end()) {
            orphan_events_ -= it->second.size();
            orphans_.erase(it);
        }
    }
    return false;
}

void EventLog::accept(const SupervisorEvent& e) {
    events_.push_back(EventRecord{++seq_, e});
    if (events_.size() > history_)
        events_.pop_front();
    ++counters_.events_by_kind[static_cast<std::size_t>(e.kind)];

    std::uint64_t child = e.child.id();
    switch (e.kind) {
    case EventKind::child_started:
    case EventKind::child_restarted:
        if (e.child_is_supervisor)
            known_.insert(child);
        if (orphans_.count(child))
            adopt(child);
        if (e.kind == EventKind::child_restarted)
            ++counters_.children[counter_key(e)].restarts;
        break;
    case EventKind::start_failed:
        ++counters_.children[counter_key(e)].start_failures;
        break;
    case EventKind::child_exited:
        ++counters_.children[counter_key(e)].exits[class_index(e.reason)];
        break;
    case EventKind::child_terminated:
        ++counters_.children[counter_key(e)].terminations[class_index(e.reason)];
        break;
    case EventKind::give_up:
        ++counters_.give_ups[e.supervisor_path];
        break;
    case EventKind::supervisor_stopped:
        if (e.supervisor.id() == root_id_)
            root_exit_ = e.reason;
        else
            known_.erase(e.supervisor.id());
        dynamic_.erase(e.supervisor.id());
        break;
    default:
        break;
    }
}

void EventLog::adopt(std::uint64_t supervisor) {
    known_.insert(supervisor);
    auto it = orphans_.find(supervisor);
    if (it == orphans_.end())
        return;
    std::vector<SupervisorEvent> waiting = std::move(it->second);
    orphans_.erase(it);
    orphan_events_ -= waiting.size();
    orphan_order_.erase(std::remove(orphan_order_.begin(), orphan_order_.end(), supervisor),
                        orphan_order_.end());
    for (const SupervisorEvent& e : waiting)
        accept(e); // may adopt grandchildren
}

std::string EventLog::counter_key(const SupervisorEvent& e) const {
    if (dynamic_.count(e.supervisor.id()))
        return e.supervisor_path.empty() ? "*" : e.supervisor_path + "/*";
    std::string key = e.path();
    if (counters_.children.size() >= kMaxCounterPaths && !counters_.children.count(key))
        return "(other)";
    return key;
}

bool EventLog::learn(const std::vector<std::uint64_t>& supervisors,
                     const std::vector<std::uint64_t>& dynamic) {
    std::lock_guard lock(m_);
    std::uint64_t before = seq_;
    for (std::uint64_t d : dynamic)
        dynamic_.insert(d);
    for (std::uint64_t s : supervisors)
        if (!known_.count(s) || orphans_.count(s))
            adopt(s);
    return seq_ != before;
}

std::vector<EventRecord> EventLog::since(std::uint64_t after, std::size_t max, bool* lost) const {
    std::lock_guard lock(m_);
    std::vector<EventRecord> out;
    if (lost)
        *lost = !events_.empty() && events_.front().seq > after + 1;
    auto it = std::lower_bound(events_.begin(), events_.end(), after + 1,
                               [](const EventRecord& r, std::uint64_t s) { return r.seq < s; });
    for (; it != events_.end() && out.size() < max; ++it)
        out.push_back(*it);
    return out;
}

std::vector<EventRecord> EventLog::recent(const std::string& path, std::size_t max) const {
    std::lock_guard lock(m_);
    std::vector<EventRecord> out;
    for (auto it = events_.rbegin(); it != events_.rend() && out.size() < max; ++it) {
        std::string p = it->event.path();
        bool match = path.empty() || p == path ||
                     (p.size() > path.size() && p.compare(0, path.size(), path) == 0 &&
                      p[path.size()] == '/');
        if (match)
            out.push_back(*it);
    }
    std::reverse(out.begin(), out.end());
    return out;
}

std::uint64_t EventLog::last_seq() const {
    std::lock_guard lock(m_);
    return seq_;
}

Counters EventLog::counters() const {
    std::lock_guard lock(m_);
    return counters_;
}

std::optional<ExitReason> EventLog::root_exit() const {
    std::lock_guard lock(m_);
    return root_exit_;
}

} // namespace sup::obs
