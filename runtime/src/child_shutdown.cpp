#include "child_shutdown.hpp"

#include "runtime_impl.hpp"

namespace sup::detail {

namespace {
Clock::time_point deadline_after(RuntimeImpl* rt, std::chrono::milliseconds t) {
    Clock::time_point now = rt->clock->now();
    return t > Clock::time_point::max() - now ? Clock::time_point::max() : now + t;
}

ExitReason reason_of(Cell* c) {
    return c->dead() ? *c->exit_reason : ExitReason::killed();
}

/// Asks `c` to stop on this thread if it is idle and that cannot defeat the timeout; true if it
/// is dead afterwards. `asked`: whether the request was made (else it goes by the mailbox).
bool ask_inline(Cell* c, const Shutdown& how, bool& asked) {
    asked = false;
    return (how.kind() == Shutdown::Kind::infinity || c->stops_at_once) &&
           shutdown_inline(c, ExitReason::shutdown(), asked);
}

/// Waits for `w` (a child's exit) until `deadline` (or forever), or until `self` dies: a killed
/// supervisor stops waiting, as a killed process would. Returns the wait's state; `self`'s
/// death shows in self->dead().
CompletionBase::State wait_or_die(Cell* self, ExitWait* w, const Shutdown& how,
                                  Clock::time_point deadline) {
    std::uint64_t own = watch_cell(self, w);
    CompletionBase::State st = how.kind() == Shutdown::Kind::infinity
                                   ? w->wait(self->rt, {}, true)
                                   : w->wait(self->rt, deadline, false);
    unwatch_cell(self, own);
    return st;
}
} // namespace

bool expected_shutdown_reason(const ExitReason& r, const Shutdown& how, Restart restart) {
    if (how.kind() == Shutdown::Kind::brutal_kill && r.is_killed())
        return true;
    if (r == ExitReason::shutdown())
        return how.kind() != Shutdown::Kind::brutal_kill || restart != Restart::permanent;
    if (restart == Restart::permanent)
        return false;
    return r.is_normal() || r.is_shutdown();
}

std::optional<ExitReason> shutdown_child(Cell* self, const Pid& child, const Shutdown& how) {
    Cell* c = as_cell(child.cell());
    RuntimeImpl* rt = self->rt;
    unlink_cells(self, c);
    if (how.kind() == Shutdown::Kind::brutal_kill) {
        kill_cell(c, ExitReason::killed());
        return reason_of(c);
    }
    bool asked = false;
    if (ask_inline(c, how, asked))
        return reason_of(c);
    auto* w = new ExitWait;
    std::uint64_t id = watch_cell(c, w);
    if (!asked)
        shutdown_request(c, ExitReason::shutdown());
    Clock::time_point deadline = how.kind() == Shutdown::Kind::timeout
                                     ? deadline_after(rt, how.timeout())
                                     : Clock::time_point{};
    CompletionBase::State st = wait_or_die(self, w, how, deadline);
    bool gone = self->dead();
    if (!gone && st != CompletionBase::done)
        kill_cell(c, ExitReason::killed());
    ExitReason r = reason_of(c);
    unwatch_cell(c, id);
    w->release();
    if (gone)
        return std::nullopt;
    return r;
}

std::optional<std::vector<ExitReason>>
shutdown_children(Cell* self, const std::vector<Pid>& children, const Shutdown& how) {
    RuntimeImpl* rt = self->rt;
    std::vector<ExitReason> out(children.size());
    std::vector<std::pair<ExitWait*, std::uint64_t>> waits(children.size(), {nullptr, 0});
    // Ask (or kill) everyone first ...
    for (std::size_t i = 0; i < children.size(); ++i) {
        Cell* c = as_cell(children[i].cell());
        unlink_cells(self, c);
        if (how.kind() == Shutdown::Kind::brutal_kill) {
            kill_cell(c, ExitReason::killed());
            continue;
        }
        bool asked = false;
        if (ask_inline(c, how, asked))
            continue;
        auto* w = new ExitWait;
        waits[i] = {w, watch_cell(c, w)};
        if (!asked)
            shutdown_request(c, ExitReason::shutdown());
    }
    // ... then wait for them together, until one common deadline.
    Clock::time_point deadline = how.kind() == Shutdown::Kind::timeout
                                     ? deadline_after(rt, how.timeout())
                                     : Clock::time_point{};
    bool expired = false;
    bool gone = false;
    for (std::size_t i = 0; i < children.size(); ++i) {
        Cell* c = as_cell(children[i].cell());
        auto [w, id] = waits[i];
        if (w) {
            if (!expired && !gone) {
                CompletionBase::State st = wait_or_die(self, w, how, deadline);
                if (self->dead())
                    gone = true;
                else if (st != CompletionBase::done)
                    expired = true;
            }
            if (!gone && !c->dead())
                kill_cell(c, ExitReason::killed());
            unwatch_cell(c, id);
            w->release();
        }
        out[i] = reason_of(c);
    }
    if (gone)
        return std::nullopt;
    return out;
}

} // namespace sup::detail
