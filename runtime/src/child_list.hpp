// A static supervisor's children: start order, lookup by id and by pid (OTP's {Ids, Db}).
#pragma once

#include "backoff.hpp"
#include "child_live.hpp"
#include "sup/supervisor.hpp"

#include <list>
#include <memory>
#include <string>
#include <unordered_map>

namespace sup::detail {

/// OTP's #child{} record (the spec and its process), plus what sup::inspect shows and the
/// backoff's count (beyond OTP).
struct Child {
    ChildSpec spec;
    Pid pid;                 // empty: undefined or restarting
    bool restarting = false; // OTP's {restarting, OldPid}
    ChildLive live;          // restarts, last exit (sup::inspect)
    ChildBackoff backoff;    // beyond OTP
    // The name its last start gave it with StartContext::set_name (sup::inspect); null: the
    // spec's. A pointer, so that the many children without one pay 8 bytes.
    std::unique_ptr<ChildName> given_name;
    bool running() const { return static_cast<bool>(pid); }
};

class ChildList {
public:
    using List = std::list<Child>;
    using iterator = List::iterator;

    Child* find(const std::string& id) {
        auto it = by_id_.find(id);
        return it == by_id_.end() ? nullptr : &*it->second;
    }
    Child* find(const Pid& pid) {
        auto it = by_pid_.find(pid.cell());
        return it == by_pid_.end() ? nullptr : &*it->second;
    }
    /// Appended at the end: the newest child.
    Child& add(ChildSpec spec) {
        list_.push_back(Child{});
        iterator it = std::prev(list_.end());
        it->spec = std::move(spec);
        by_id_.emplace(it->spec.id, it);
        return *it;
    }
    void remove(Child& c) {
        auto it = by_id_.find(c.spec.id);
        iterator li = it->second;
        if (li->pid)
            by_pid_.erase(li->pid.cell());
        by_id_.erase(it);
        list_.erase(li);
    }
    void set_pid(Child& c, Pid p) {
        if (c.pid)
            by_pid_.erase(c.pid.cell());
        c.pid = std::move(p);
        if (c.pid) {
            by_pid_.emplace(c.pid.cell(), by_id_.at(c.spec.id));
            c.live.on_start(); // a pid is only set by a successful start
        }
    }
    iterator position(Child& c) { return by_id_.at(c.spec.id); }
    List& list() { return list_; }
    std::size_t size() const { return list_.size(); }

private:
    List list_;
    std::unordered_map<std::string, iterator> by_id_;
    std::unordered_map<CellHeader*, iterator> by_pid_;
};

} // namespace sup::detail
