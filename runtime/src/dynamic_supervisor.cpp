// A dynamic supervisor: OTP's simple_one_for_one and Elixir's DynamicSupervisor. Children come
// from one template with extra start arguments, are one_for_one, and are stopped all at once.
#include "cell.hpp"
#include "child_shutdown.hpp"
#include "runtime_impl.hpp"
#include "supervisor.hpp"

#include <algorithm>

namespace sup::detail {

namespace {
SupError error(SupError::Code c, ExitReason r = {}, Pid p = {}, std::string d = {}) {
    return SupError{c, std::move(r), std::move(p), std::move(d)};
}
} // namespace

DynamicSupervisorActor::DynamicSupervisorActor(DynamicSupervisorSpec spec, std::string path)
    : spec_(std::move(spec)), core_(spec_.flags, spec_.name, std::move(path)) {
    template_spec_ = as_spec("");
}

ChildSpec DynamicSupervisorActor::as_spec(const std::string& id) const {
    ChildSpec s;
    s.id = id;
    const ChildTemplate& t = spec_.child;
    if (t.start) {
        DynamicStartFn fn = t.start;
        s.start = [fn](StartContext& ctx) { return fn(ctx, StartArgs()); };
    }
    s.restart = t.restart;
    s.shutdown = t.shutdown;
    s.type = t.type;
    s.significant = t.significant;
    return s;
}

InitResult DynamicSupervisorActor::init() {
    trap_exit(true);
    core_.bind(as_cell(self().cell()));
    if (auto e = check_flags(spec_.flags))
        return InitResult::stop(ExitReason::error("{supervisor_data," + *e + "}"));
    if (spec_.flags.strategy != Strategy::one_for_one)
        return InitResult::stop(
            ExitReason::error(std::string("{supervisor_data,{invalid_strategy,") +
                              to_string(spec_.flags.strategy) + "}}"));
    ChildSpec probe = template_spec_;
    probe.id = "template";
    if (auto e = check_childspec(probe, spec_.flags.auto_shutdown))
        return InitResult::stop(ExitReason::error("{start_spec," + *e + "}"));
    return InitResult::ok();
}

void DynamicSupervisorActor::terminate(const ExitReason& reason) {
    // terminate_dynamic_children/1: everyone at once, then wait for all.
    std::vector<Pid> pids;
    std::vector<std::string> ids;
    for (auto it = children_.rbegin(); it != children_.rend(); ++it)
        if (it->pid && !it->restarting) {
            pids.push_back(it->pid);
            ids.push_back(it->id);
        }
    Shutdown how = template_spec_.effective_shutdown();
    std::optional<std::vector<ExitReason>> stopped = shutdown_children(core_.self, pids, how);
    if (!stopped)
        return; // killed meanwhile
    const std::vector<ExitReason>& reasons = *stopped;
    for (std::size_t i = 0; i < pids.size(); ++i) {
        core_.report(EventKind::child_terminated, ids[i], pids[i], &template_spec_, reasons[i]);
        if (!expected_shutdown_reason(reasons[i], how, template_spec_.restart))
            core_.report(EventKind::shutdown_error, ids[i], pids[i], &template_spec_, reasons[i]);
    }
    core_.report(EventKind::supervisor_stopped, "", {}, nullptr, reason);
}

// ---------------------------------------------------------------- run-time API

SupResult<Pid> DynamicSupervisorActor::handle_call(StartDynamicChildReq r) {
    if (spec_.max_children && children_.size() >= *spec_.max_children)
        return fail(error(SupError::Code::max_children));
    std::string id = std::to_string(next_seq_);
    const DynamicStartFn& fn = spec_.child.start;
    const StartArgs& args = r.args;
    StartFn start = [&fn, &args](StartContext& ctx) { return fn(ctx, args); };
    StartResult<Pid> res = core_.start(id, start, template_spec_, false);
    if (res.failed())
        return fail(error(SupError::Code::start_failed, res.reason()));
    if (res.ignored())
        return Pid(); // {ok, undefined}: not kept
    DynChild c;
    c.seq = next_seq_++;
    c.id = std::move(id);
    c.pid = res.value();
    if (spec_.child.restart != Restart::temporary)
        c.args = std::move(r.args);
    c.started_at = core_.now();
    c.live.on_start();
    children_.push_back(std::move(c));
    auto it = std::prev(children_.end());
    by_pid_.emplace(it->pid.cell(), it);
    by_id_.emplace(it->id, it);
    return it->pid;
}

SupResult<void> DynamicSupervisorActor::handle_call(TerminateDynamicChildReq r) {
    auto f = by_pid_.find(r.pid.cell());
    if (f == by_pid_.end()) {
        // A dead pid that is not (or no longer) ours: nothing to do (OTP answers ok).
        if (r.pid.alive())
            return fail(error(SupError::Code::not_found));
        return {};
    }
    List::iterator it = f->second;
    if (!it->restarting)
        core_.terminate(it->id, it->pid, template_spec_);
    remove(it);
    return {};
}

std::vector<ChildInfo> DynamicSupervisorActor::handle_call(WhichChildrenReq) {
    std::vector<ChildInfo> out;
    out.reserve(children_.size());
    for (auto it = children_.rbegin(); it != children_.rend(); ++it) {
        ChildInfo i;
        i.id = it->id;
        i.pid = it->restarting ? Pid() : it->pid;
        i.state = it->restarting ? ChildInfo::State::restarting : ChildInfo::State::running;
        i.type = spec_.child.type;
        out.push_back(std::move(i));
    }
    return out;
}

ChildCounts DynamicSupervisorActor::handle_call(CountChildrenReq) {
    ChildCounts n;
    n.specs = 1;
    n.active = children_.size() - restarting_;
    if (spec_.child.type == ChildType::supervisor)
        n.supervisors = children_.size();
    else
        n.workers = children_.size();
    return n;
}

SupResult<ChildSpec> DynamicSupervisorActor::handle_call(GetDynamicChildspecReq r) {
    if (!by_pid_.count(r.pid.cell()))
        return fail(error(SupError::Code::not_found));
    return template_spec_;
}

SupervisorSnapshot DynamicSupervisorActor::handle_call(InspectReq) {
    SupervisorSnapshot s;
    s.kind = SupervisorSnapshot::Kind::dynamic_supervisor;
    s.pid = self_pid();
    s.name = spec_.name;
    s.path = core_.path;
    s.flags = core_.flags;
    s.max_children = spec_.max_children;
    TemplateSnapshot t;
    t.type = template_spec_.type;
    t.restart = template_spec_.restart;
    t.shutdown = template_spec_.effective_shutdown();
    t.significant = template_spec_.significant;
    s.child_template = t;
    s.taken_at = core_.now();
    s.restarts_in_period = core_.intensity.used(s.taken_at);
    s.children.reserve(children_.size());
    for (const DynChild& c : children_) { // start order
        ChildSnapshot x;
        c.live.describe(x, c.restarting, s.taken_at);
        x.id = c.id;
        x.pid = c.restarting ? Pid() : c.pid;
        x.state = c.restarting ? ChildInfo::State::restarting : ChildInfo::State::running;
        x.type = t.type;
        x.restart = t.restart;
        x.shutdown = t.shutdown;
        x.significant = t.significant;
        s.children.push_back(std::move(x));
    }
    return s;
}

SupResult<Pid> DynamicSupervisorActor::handle_call(StartChildReq) {
    return fail(
        error(SupError::Code::invalid_spec, {}, {}, "a dynamic supervisor takes StartArgs"));
}
SupResult<void> DynamicSupervisorActor::handle_call(TerminateChildReq) {
    return fail(error(SupError::Code::simple_one_for_one));
}
SupResult<Pid> DynamicSupervisorActor::handle_call(RestartChildReq) {
    return fail(error(SupError::Code::simple_one_for_one));
}
SupResult<void> DynamicSupervisorActor::handle_call(DeleteChildReq) {
    return fail(error(SupError::Code::simple_one_for_one));
}
SupResult<ChildSpec> DynamicSupervisorActor::handle_call(GetChildspecReq) {
    return fail(error(SupError::Code::simple_one_for_one));
}

// ---------------------------------------------------------------- exits and restarts

void DynamicSupervisorActor::handle_info(ExitSignal s) {
    auto f = by_pid_.find(s.from.cell());
    if (f == by_pid_.end() || f->second->restarting)
        return;
    do_restart(f->second, s.reason);
}

void DynamicSupervisorActor::handle_cast(TryAgainRestart r) {
    auto f = by_id_.find(r.id);
    if (f != by_id_.end() && f->second->restarting)
        restart(f->second);
}

void DynamicSupervisorActor::handle_info(DelayedRestart r) {
    auto f = by_id_.find(r.id);
    if (f == by_id_.end() || !f->second->restarting || f->second->delay_gen != r.gen)
        return;
    List::iterator it = f->second;
    try_start(it);
    if (it->restarting)
        restart(it);
}

void DynamicSupervisorActor::do_restart(List::iterator it, const ExitReason& reason) {
    core_.report(EventKind::child_exited, it->id, it->pid, &template_spec_, reason);
    it->live.on_exit(reason, core_.now(), false);
    if (core_.flags.backoff.enabled() && core_.now() - it->started_at >= core_.flags.period)
        it->backoff_count = 0;
    Restart type = spec_.child.restart;
    if (type == Restart::permanent || (type == Restart::transient && reason.is_abnormal())) {
        restart(it);
        return;
    }
    remove(it);
    do_auto_shutdown();
}

void DynamicSupervisorActor::restart(List::iterator it) {
    if (!core_.add_restart(template_spec_, it->id, it->pid)) {
        remove(it);
        stop(ExitReason::shutdown());
        return;
    }
    if (core_.flags.backoff.enabled()) {
        ++it->backoff_count;
        Clock::duration d = backoff_delay(core_.flags.backoff, it->backoff_count, core_.rng);
        if (!it->restarting) {
            it->restarting = true;
            ++restarting_;
        }
        it->delay_gen = ++next_seq_gen_;
        it->live.restart_due = core_.now() + d;
        core_.report(EventKind::restart_delayed, it->id, {}, &template_spec_, {}, true, d);
        send_after(d, DelayedRestart{it->id, it->delay_gen});
        return;
    }
    try_start(it);
    if (it->restarting)
        sup::cast(self(), TryAgainRestart{it->id});
}

void DynamicSupervisorActor::try_start(List::iterator it) {
    const DynamicStartFn& fn = spec_.child.start;
    const StartArgs& args = it->args;
    StartFn start = [&fn, &args](StartContext& ctx) { return fn(ctx, args); };
    StartResult<Pid> res = core_.start(it->id, start, template_spec_, true);
    if (res.failed()) {
        if (!it->restarting) {
            it->restarting = true; // keeps the old pid, by which it can be terminated
            ++restarting_;
        }
        return;
    }
    if (res.ignored()) {
        remove(it);
        return;
    }
    by_pid_.erase(it->pid.cell());
    it->pid = res.value();
    by_pid_.emplace(it->pid.cell(), it);
    if (it->restarting) {
        it->restarting = false;
        --restarting_;
    }
    it->started_at = core_.now();
    it->live.on_start();
}

void DynamicSupervisorActor::remove(List::iterator it) {
    by_pid_.erase(it->pid.cell());
    by_id_.erase(it->id);
    if (it->restarting)
        --restarting_;
    children_.erase(it);
}

void DynamicSupervisorActor::do_auto_shutdown() {
    AutoShutdown mode = core_.flags.auto_shutdown;
    if (mode == AutoShutdown::never || !spec_.child.significant)
        return;
    if (mode == AutoShutdown::all_significant && !children_.empty())
        return;
    core_.report(EventKind::auto_shutdown, "", {}, &template_spec_, ExitReason::shutdown());
    stop(ExitReason::shutdown());
}

} // namespace sup::detail
