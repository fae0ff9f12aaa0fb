// The runtime's access to private parts of the public classes.
#pragma once

#include "sup/actor.hpp"
#include "sup/pid.hpp"
#include "sup/supervisor.hpp"

namespace sup::detail {

struct Access {
    /// A Pid adopting one reference of `c`.
    static Pid adopt(CellHeader* c) { return Pid(c); }
    static CellHeader*& cell(ActorBase& a) { return a.cell_; }
    static CellHeader* cell(const ActorBase& a) { return a.cell_; }
    static bool& stop_requested(ActorBase& a) { return a.stop_requested_; }
    static ExitReason& stop_reason(ActorBase& a) { return a.stop_reason_; }
    static void exit_signal(ActorBase& a, ExitSignal&& s) { a.deliver_exit_signal(std::move(s)); }
    static void down(ActorBase& a, Down&& d) { a.deliver_down(std::move(d)); }
    static void message(ActorBase& a, Message&& m) { a.deliver_message(std::move(m)); }
    static TimerRef timer_ref(TimerTask* t, Clock* c) { return TimerRef(t, c); }
    static StartContext start_context(const std::string& id, const std::string& parent_path,
                                      const ChildName* name = nullptr) {
        return StartContext(id, parent_path, name);
    }
    /// The name a start function gave with set_name, if it did (else the spec's is used).
    static std::optional<ChildName>& own_name(StartContext& ctx) { return ctx.own_name_; }
    /// Whether a start function gave the child's name to the actor it started.
    static bool name_taken(const StartContext& ctx) { return ctx.name_taken_; }
    static std::optional<ExitReason> take_name(StartContext& ctx, SpawnOptions& o) {
        return ctx.take_name(o);
    }
};

} // namespace sup::detail
