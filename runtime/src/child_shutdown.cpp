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

ExitReason shutdown_child(Cell* self, const Pid& child, const Shutdown& how) {
    Cell* c = as_cell(child.cell());
    RuntimeImpl* rt = self->rt;
    unlink_cells(self, c);
    if (how.kind() == Shutdown::Kind::brutal_kill) {
        kill_cell(c, ExitReason::killed());
        return reason_of(c);
    }
    bool asked = false;
    if (shutdown_inline(c, ExitReason::shutdown(), asked))
        return reason_of(c);
    auto* w = new ExitWait;
    std::uint64_t id = watch_cell(c, w);
    if (!asked)
        shutdown_request(c, ExitReason::shutdown());
    CompletionBase::State st = how.kind() == Shutdown::Kind::infinity
                                   ? w->wait(rt, {}, true)
                                   : w->wait(rt, deadline_after(rt, how.timeout()), false);
    if (st != CompletionBase::done)
        kill_cell(c, ExitReason::killed());
    ExitReason r = reason_of(c);
    unwatch_cell(c, id);
    w->release();
    return r;
}

std::vector<ExitReason> shutdown_children(Cell* self, const std::vector<Pid>& children,
                                          const Shutdown& how) {
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
        if (shutdown_inline(c, ExitReason::shutdown(), asked))
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
    for (std::size_t i = 0; i < children.size(); ++i) {
        Cell* c = as_cell(children[i].cell());
        auto [w, id] = waits[i];
        if (w) {
            if (!expired) {
                CompletionBase::State st = how.kind() == Shutdown::Kind::infinity
                                               ? w->wait(rt, {}, true)
                                               : w->wait(rt, deadline, false);
                if (st != CompletionBase::done)
                    expired = true;
            }
            if (!c->dead())
                kill_cell(c, ExitReason::killed());
            unwatch_cell(c, id);
            w->release();
        }
        out[i] = reason_of(c);
    }
    return out;
}

} // namespace sup::detail
