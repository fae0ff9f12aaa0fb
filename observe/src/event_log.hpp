// The observer's record of supervisor events: which events belong to the observed tree, a
// bounded history of them (for the page and for streams), and the counters /metrics shows.
// record() runs on the supervisors' threads (it is an EventBus subscriber): it takes one
// mutex, copies the event and bumps counters; everything else reads under the same mutex.
#pragma once

#include "sup/events.hpp"

#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace sup::obs {

/// normal, shutdown, killed or error: the reason classes of the metrics.
const char* reason_class(const ExitReason& r);

struct EventRecord {
    std::uint64_t seq = 0;
    SupervisorEvent event;
};

struct ChildCounters {
    std::uint64_t restarts = 0;
    std::uint64_t start_failures = 0;
    std::array<std::uint64_t, 4> exits{};        // on its own, by reason class
    std::array<std::uint64_t, 4> terminations{}; // by its supervisor, by reason class
};

struct Counters {
    /// By child path; the children of a dynamic supervisor are counted together under
    /// "SUPERVISOR/*" (their ids are start numbers: one series each would grow without bound).
    std::map<std::string, ChildCounters> children;
    std::map<std::string, std::uint64_t> give_ups;  // by supervisor path
    std::array<std::uint64_t, 11> events_by_kind{}; // by EventKind
};

class EventLog {
public:
    EventLog(std::uint64_t root_id, std::size_t history);

    /// The subscriber: keeps `e` if it comes from the observed tree. True when a kept event
    /// is new for the streams (false for another tree's events, and for events held until
    /// their supervisor joins the tree), so that only those wake the streamer.
    bool record(const SupervisorEvent& e);

    /// What a sample learned: the supervisors of the tree (pid ids) and which are dynamic.
    /// Events that waited for one of them are taken in (true if there were any).
    bool learn(const std::vector<std::uint64_t>& supervisors,
               const std::vector<std::uint64_t>& dynamic);

    /// Events with seq > `after`, at most `max`; `*lost` says some were dropped before.
    std::vector<EventRecord> since(std::uint64_t after, std::size_t max, bool* lost) const;
    /// The last `max` events whose path is `path` or under it (`path` "" is everything).
    std::vector<EventRecord> recent(const std::string& path, std::size_t max) const;
    std::uint64_t last_seq() const;
    Counters counters() const;
    /// The root's exit reason once it has stopped.
    std::optional<ExitReason> root_exit() const;

private:
    void accept(const SupervisorEvent& e);
    void adopt(std::uint64_t supervisor);
    std::string counter_key(const SupervisorEvent& e) const;

    const std::uint64_t root_id_;
    const std::size_t history_;
    mutable std::mutex m_;
    std::uint64_t seq_ = 0;
    std::deque<EventRecord> events_;
    std::unordered_set<std::uint64_t> known_;
    std::unordered_set<std::uint64_t> dynamic_;
    /// Events of supervisors not known yet (a child supervisor reports its children before its
    /// parent reports it started), by supervisor; bounded.
    std::unordered_map<std::uint64_t, std::vector<SupervisorEvent>> orphans_;
    std::deque<std::uint64_t> orphan_order_;
    std::size_t orphan_events_ = 0;
    Counters counters_;
    std::optional<ExitReason> root_exit_;
};

} // namespace sup::obs
