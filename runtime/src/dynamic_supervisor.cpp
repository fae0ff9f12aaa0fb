// A dynamic supervisor: OTP's simple_one_for_one and Elixir's DynamicSupervisor. Children come
// from one template with extra start arguments, are one_for_one, and are stopped all at once.
// Laid out as supervisor.cpp: init/1 (init_dynamic), the run-time API, a child's exit
// (restart_child, do_restart, restart/2, restart(simple_one_for_one, ...)), terminate/2
// (terminate_dynamic_children), the dynamics; restart backoff, beyond OTP, last.
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

DynamicSupervisorActor::State::State(DynamicSupervisorSpec spec, std::string path)
    : SupState(spec.flags, std::move(spec.name), std::move(path)), child(std::move(spec.child)),
      child_spec(as_spec(child)), max_children(spec.max_children) {}

DynamicSupervisorActor::DynamicSupervisorActor(DynamicSupervisorSpec spec, std::string path)
    : state_(std::move(spec), std::move(path)) {}

ChildSpec DynamicSupervisorActor::as_spec(const ChildTemplate& t) {
    ChildSpec s;
    if (t.start) {
        DynamicStartFn fn = t.start;
        s.start = [fn](StartContext& ctx) { return fn(ctx, StartArgs()); };
    }
    s.settings() = t.settings();
    return s;
}

// ---------------------------------------------------------------- init/1

// init/1, init_state/4 and init_dynamic/2: the flags, the strategy (a dynamic supervisor is
// one_for_one), then the one child spec.
InitResult DynamicSupervisorActor::init() {
    trap_exit(true);
    state_.bind(as_cell(self().cell()));
    if (auto e = check_flags(state_.flags))
        return InitResult::stop(ExitReason::error("{supervisor_data," + *e + "}"));
    if (state_.flags.strategy != Strategy::one_for_one)
        return InitResult::stop(
            ExitReason::error(std::string("{supervisor_data,{invalid_strategy,") +
                              to_string(state_.flags.strategy) + "}}"));
    ChildSpec probe = state_.child_spec;
    probe.id = "template";
    if (auto e = check_childspec(probe, state_.flags.auto_shutdown))
        return InitResult::stop(ExitReason::error("{start_spec," + *e + "}"));
    return InitResult::ok();
}

// ---------------------------------------------------------------- run-time API

SupResult<Pid> DynamicSupervisorActor::handle_call(StartDynamicChildReq r) {
    if (state_.max_children && state_.dynamics.size() >= *state_.max_children)
        return fail(error(SupError::Code::max_children));
    std::string id = std::to_string(state_.next_seq);
    const DynamicStartFn& fn = state_.child.start;
    const StartArgs& args = r.args;
    StartFn start = [&fn, &args](StartContext& ctx) { return fn(ctx, args); };
    std::unique_ptr<ChildName> given;
    StartResult<Pid> res = state_.do_start_child(id, start, state_.child_spec, false, &given);
    if (res.failed())
        return fail(error(SupError::Code::start_failed, res.reason()));
    if (res.ignored())
        return Pid(); // {ok, undefined}: not kept
    DynChild c;
    c.seq = state_.next_seq++;
    c.id = std::move(id);
    c.pid = res.value();
    c.given_name = std::move(given);
    // save_child/2: a temporary child's start arguments are not kept.
    if (state_.child.restart != Restart::temporary)
        c.args = std::move(r.args);
    c.backoff.started_at = state_.now();
    c.live.on_start();
    state_.dynamics.push_back(std::move(c));
    auto it = std::prev(state_.dynamics.end());
    state_.by_pid.emplace(it->pid.cell(), it);
    state_.by_id.emplace(it->id, it);
    return it->pid;
}

SupResult<void> DynamicSupervisorActor::handle_call(TerminateDynamicChildReq r) {
    auto f = state_.by_pid.find(r.pid.cell());
    if (f == state_.by_pid.end()) {
        // A dead pid that is not (or no longer) ours: nothing to do (OTP answers ok).
        if (r.pid.alive())
            return fail(error(SupError::Code::not_found));
        return {};
    }
    List::iterator it = f->second;
    if (!it->restarting)
        state_.shutdown(it->id, it->pid, state_.child_spec);
    dyn_erase(it);
    return {};
}

std::vector<ChildInfo> DynamicSupervisorActor::handle_call(WhichChildrenReq) {
    std::vector<ChildInfo> out;
    out.reserve(state_.dynamics.size());
    for (auto it = state_.dynamics.rbegin(); it != state_.dynamics.rend(); ++it) {
        ChildInfo i;
        i.id = it->id;
        i.pid = it->restarting ? Pid() : it->pid;
        i.state = it->restarting ? ChildInfo::State::restarting : ChildInfo::State::running;
        i.type = state_.child.type;
        out.push_back(std::move(i));
    }
    return out;
}

ChildCounts DynamicSupervisorActor::handle_call(CountChildrenReq) {
    ChildCounts n;
    n.specs = 1;
    n.active = state_.dynamics.size() - state_.restarting;
    if (state_.child.type == ChildType::supervisor)
        n.supervisors = state_.dynamics.size();
    else
        n.workers = state_.dynamics.size();
    return n;
}

SupResult<ChildSpec> DynamicSupervisorActor::handle_call(GetDynamicChildspecReq r) {
    if (!state_.by_pid.count(r.pid.cell()))
        return fail(error(SupError::Code::not_found));
    return state_.child_spec;
}

SupervisorSnapshot DynamicSupervisorActor::handle_call(InspectReq) {
    SupervisorSnapshot s;
    s.kind = SupervisorSnapshot::Kind::dynamic_supervisor;
    s.pid = self_pid();
    s.name = state_.registered_name;
    s.path = state_.path;
    s.flags = state_.flags;
    s.max_children = state_.max_children;
    TemplateSnapshot t;
    t.type = state_.child_spec.type;
    t.restart = state_.child_spec.restart;
    t.shutdown = state_.child_spec.effective_shutdown();
    t.significant = state_.child_spec.significant;
    s.child_template = t;
    s.taken_at = state_.now();
    s.restarts_in_period = state_.restarts.used(s.taken_at);
    s.children.reserve(state_.dynamics.size());
    for (const DynChild& c : state_.dynamics) { // start order
        ChildSnapshot x;
        c.live.describe(x, c.restarting, s.taken_at);
        x.id = c.id;
        x.pid = c.restarting ? Pid() : c.pid;
        x.state = c.restarting ? ChildInfo::State::restarting : ChildInfo::State::running;
        x.type = t.type;
        x.restart = t.restart;
        x.shutdown = t.shutdown;
        x.significant = t.significant;
        x.name = c.given_name ? *c.given_name : state_.child_spec.name;
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

// ---------------------------------------------------------------- a child's exit

// handle_info({'EXIT', Pid, Reason}) and restart_child/3: an exit from a pid that is not a
// running child is ignored.
void DynamicSupervisorActor::handle_info(ExitSignal s) {
    auto f = state_.by_pid.find(s.from.cell());
    if (f == state_.by_pid.end() || f->second->restarting)
        return;
    restart_child(f->second, s.reason);
}

void DynamicSupervisorActor::restart_child(List::iterator it, const ExitReason& reason) {
    state_.report(EventKind::child_exited, it->id, it->pid, &state_.child_spec, reason);
    it->live.on_exit(reason, state_.now(), false);
    it->backoff.on_exit(state_.flags, state_.now()); // beyond OTP
    do_restart(it, reason);
}

// do_restart/3: as for a static supervisor; a child that is not restarted is erased.
void DynamicSupervisorActor::do_restart(List::iterator it, const ExitReason& reason) {
    Restart type = state_.child.restart;
    if (type == Restart::permanent || (type == Restart::transient && reason.is_abnormal())) {
        restart(it);
        return;
    }
    dyn_erase(it);
    do_auto_shutdown();
}

// restart/2: add_restart/1, then the one strategy.
void DynamicSupervisorActor::restart(List::iterator it) {
    if (!state_.add_restart(state_.child_spec, it->id, it->pid)) {
        dyn_erase(it);
        stop(ExitReason::shutdown());
        return;
    }
    if (state_.flags.backoff.enabled()) { // beyond OTP
        delay_restart(it);
        return;
    }
    restart_simple_one_for_one(it);
}

// restart(simple_one_for_one, Child, State): the child alone, with its start arguments; if
// its start fails it stays restarting (with its old pid) and is tried again.
void DynamicSupervisorActor::restart_simple_one_for_one(List::iterator it) {
    if (!try_start(it))
        return; // ignored: gone
    if (it->restarting)
        sup::cast(self(), TryAgainRestart{it->id});
}

void DynamicSupervisorActor::handle_cast(TryAgainRestart r) {
    auto f = state_.by_id.find(r.id);
    if (f != state_.by_id.end() && f->second->restarting)
        restart(f->second);
}

// do_auto_shutdown/2: the template is significant, and (all_significant) no child is left.
void DynamicSupervisorActor::do_auto_shutdown() {
    AutoShutdown mode = state_.flags.auto_shutdown;
    if (mode == AutoShutdown::never || !state_.child.significant)
        return;
    if (mode == AutoShutdown::all_significant && !state_.dynamics.empty())
        return;
    state_.report(EventKind::auto_shutdown, "", {}, &state_.child_spec, ExitReason::shutdown());
    stop(ExitReason::shutdown());
}

// ---------------------------------------------------------------- terminate/2

void DynamicSupervisorActor::terminate(const ExitReason& reason) {
    if (!terminate_dynamic_children())
        return; // killed meanwhile
    state_.report(EventKind::supervisor_stopped, "", {}, nullptr, reason);
}

// terminate_dynamic_children/1: everyone at once (restarting ones have no process), then a
// wait for all under one shutdown timer; each is reported, and reported as a shutdown_error
// when its exit reason is not the expected one. False if the supervisor was killed meanwhile.
bool DynamicSupervisorActor::terminate_dynamic_children() {
    std::vector<Pid> pids;
    std::vector<std::string> ids;
    for (auto it = state_.dynamics.rbegin(); it != state_.dynamics.rend(); ++it)
        if (it->pid && !it->restarting) {
            pids.push_back(it->pid);
            ids.push_back(it->id);
        }
    const ChildSpec& spec = state_.child_spec;
    Shutdown how = spec.effective_shutdown();
    std::optional<std::vector<ExitReason>> stopped = shutdown_children(state_.self, pids, how);
    if (!stopped)
        return false;
    const std::vector<ExitReason>& reasons = *stopped;
    for (std::size_t i = 0; i < pids.size(); ++i) {
        state_.report(EventKind::child_terminated, ids[i], pids[i], &spec, reasons[i]);
        if (!expected_shutdown_reason(reasons[i], how, spec.restart))
            state_.report(EventKind::shutdown_error, ids[i], pids[i], &spec, reasons[i]);
    }
    return true;
}

// ---------------------------------------------------------------- the dynamics

// do_start_child for an existing child (a restart), with its start arguments. False when its
// start returned ignore: the child is erased (`it` is gone).
bool DynamicSupervisorActor::try_start(List::iterator it) {
    const DynamicStartFn& fn = state_.child.start;
    const StartArgs& args = it->args;
    StartFn start = [&fn, &args](StartContext& ctx) { return fn(ctx, args); };
    StartResult<Pid> res =
        state_.do_start_child(it->id, start, state_.child_spec, true, &it->given_name);
    if (res.failed()) {
        if (!it->restarting) {
            it->restarting = true; // keeps the old pid, by which it can be terminated
            ++state_.restarting;
        }
        return true;
    }
    if (res.ignored()) {
        dyn_erase(it);
        return false;
    }
    state_.by_pid.erase(it->pid.cell());
    it->pid = res.value();
    state_.by_pid.emplace(it->pid.cell(), it);
    if (it->restarting) {
        it->restarting = false;
        --state_.restarting;
    }
    it->backoff.started_at = state_.now();
    it->live.on_start();
    return true;
}

// dyn_erase/2
void DynamicSupervisorActor::dyn_erase(List::iterator it) {
    state_.by_pid.erase(it->pid.cell());
    state_.by_id.erase(it->id);
    if (it->restarting)
        --state_.restarting;
    state_.dynamics.erase(it);
}

// ================================================================ beyond OTP: restart backoff
//
// restart/2 waits before starting the child again (see supervisor.cpp's section).

void DynamicSupervisorActor::delay_restart(List::iterator it) {
    Clock::duration d = it->backoff.next_delay(state_.flags.backoff, state_.backoff);
    if (!it->restarting) {
        it->restarting = true;
        ++state_.restarting;
    }
    it->live.restart_due = state_.now() + d;
    state_.report(EventKind::restart_delayed, it->id, {}, &state_.child_spec, {}, true, d);
    send_after(d, DelayedRestart{it->id, it->backoff.delay});
}

void DynamicSupervisorActor::handle_info(DelayedRestart r) {
    auto f = state_.by_id.find(r.id);
    if (f == state_.by_id.end() || !f->second->restarting || f->second->backoff.delay != r.delay)
        return; // stale
    List::iterator it = f->second;
    if (try_start(it) && it->restarting)
        restart(it);
}

} // namespace sup::detail
