// A static supervisor, step by step as OTP's supervisor.erl: the run-time API first, then the
// handling of children's exits and the restart strategies, then the internals.
#include "supervisor.hpp"

#include "cell.hpp"
#include "runtime_impl.hpp"

namespace sup::detail {

namespace {
SupError error(SupError::Code c, ExitReason r = {}, Pid p = {}, std::string d = {}) {
    return SupError{c, std::move(r), std::move(p), std::move(d)};
}
} // namespace

SupervisorActor::SupervisorActor(SupervisorSpec spec, std::string path)
    : spec_(std::move(spec)), core_(spec_.flags, spec_.name, std::move(path)) {}

// ---------------------------------------------------------------- init (init/1, init_children/2)

InitResult SupervisorActor::init() {
    trap_exit(true);
    core_.bind(as_cell(self().cell()));
    if (auto e = check_flags(spec_.flags))
        return InitResult::stop(ExitReason::error("{supervisor_data," + *e + "}"));
    // check_startspec/2
    for (ChildSpec& c : spec_.children) {
        if (auto e = check_childspec(c, spec_.flags.auto_shutdown))
            return InitResult::stop(ExitReason::error("{start_spec," + *e + "}"));
        if (children_.find(c.id))
            return InitResult::stop(
                ExitReason::error("{start_spec,{duplicate_child_name," + c.id + "}}"));
        children_.add(std::move(c));
    }
    spec_.children.clear();

    std::vector<Child*> all = all_children();
    std::string failed;
    ExitReason why;
    if (!start_children(all, false, &failed, &why)) {
        // Undo: stop the children started so far, in reverse order, and fail.
        std::vector<Child*> started;
        for (Child* c : all_children())
            if (c->running())
                started.push_back(c);
        std::vector<Child*> reverse(started.rbegin(), started.rend());
        terminate_children(reverse);
        return InitResult::stop(
            ExitReason::shutdown("{failed_to_start_child," + failed + "," + why.to_string() + "}"));
    }
    return InitResult::ok();
}

void SupervisorActor::terminate(const ExitReason& reason) {
    std::vector<Child*> all = all_children();
    std::vector<Child*> reverse(all.rbegin(), all.rend());
    terminate_children(reverse);
    core_.report(EventKind::supervisor_stopped, "", {}, nullptr, reason);
}

// ---------------------------------------------------------------- run-time API (handle_call/3)

SupResult<Pid> SupervisorActor::handle_call(StartChildReq r) {
    if (auto e = check_childspec(r.spec, core_.flags.auto_shutdown))
        return fail(error(SupError::Code::invalid_spec, {}, {}, *e));
    // handle_start_child/2
    if (Child* old = children_.find(r.spec.id)) {
        if (old->running())
            return fail(error(SupError::Code::already_started, {}, old->pid));
        return fail(error(SupError::Code::already_present));
    }
    StartResult<Pid> res = core_.start(r.spec.id, r.spec.start, r.spec, false);
    if (res.failed())
        return fail(error(SupError::Code::start_failed, res.reason()));
    if (res.ignored() && r.spec.restart == Restart::temporary)
        return Pid(); // {ok, undefined}
    Child& c = children_.add(std::move(r.spec));
    // save_child/2: a temporary child is never restarted, its start arguments are not kept.
    if (c.spec.restart == Restart::temporary)
        c.spec.start = nullptr;
    if (res.started()) {
        children_.set_pid(c, res.value());
        c.started_at = core_.now();
    }
    return c.pid;
}

SupResult<void> SupervisorActor::handle_call(TerminateChildReq r) {
    Child* c = children_.find(r.id);
    if (!c)
        return fail(error(SupError::Code::not_found));
    do_terminate(*c);
    del_child(*c);
    return {};
}

SupResult<Pid> SupervisorActor::handle_call(RestartChildReq r) {
    Child* c = children_.find(r.id);
    if (!c)
        return fail(error(SupError::Code::not_found));
    if (c->restarting)
        return fail(error(SupError::Code::restarting));
    if (c->running())
        return fail(error(SupError::Code::running));
    StartResult<Pid> res = core_.start(c->spec.id, c->spec.start, c->spec, true);
    if (res.failed())
        return fail(error(SupError::Code::start_failed, res.reason()));
    if (res.started()) {
        children_.set_pid(*c, res.value());
        c->started_at = core_.now();
    }
    return c->pid;
}

SupResult<void> SupervisorActor::handle_call(DeleteChildReq r) {
    Child* c = children_.find(r.id);
    if (!c)
        return fail(error(SupError::Code::not_found));
    if (c->restarting)
        return fail(error(SupError::Code::restarting));
    if (c->running())
        return fail(error(SupError::Code::running));
    children_.remove(*c);
    return {};
}

std::vector<ChildInfo> SupervisorActor::handle_call(WhichChildrenReq) {
    std::vector<ChildInfo> out;
    out.reserve(children_.size());
    auto& l = children_.list();
    for (auto it = l.rbegin(); it != l.rend(); ++it) { // newest first
        ChildInfo i;
        i.id = it->spec.id;
        i.pid = it->pid;
        i.state = it->restarting  ? ChildInfo::State::restarting
                  : it->running() ? ChildInfo::State::running
                                  : ChildInfo::State::undefined;
        i.type = it->spec.type;
        out.push_back(std::move(i));
    }
    return out;
}

ChildCounts SupervisorActor::handle_call(CountChildrenReq) {
    ChildCounts n;
    for (const Child& c : children_.list()) {
        ++n.specs;
        if (c.pid && c.pid.alive())
            ++n.active;
        if (c.spec.type == ChildType::supervisor)
            ++n.supervisors;
        else
            ++n.workers;
    }
    return n;
}

SupResult<ChildSpec> SupervisorActor::handle_call(GetChildspecReq r) {
    Child* c = children_.find(r.id);
    if (!c)
        return fail(error(SupError::Code::not_found));
    return c->spec;
}

SupervisorSnapshot SupervisorActor::handle_call(InspectReq) {
    SupervisorSnapshot s;
    s.kind = SupervisorSnapshot::Kind::supervisor;
    s.pid = self_pid();
    s.name = spec_.name;
    s.path = core_.path;
    s.flags = core_.flags;
    s.taken_at = core_.now();
    s.restarts_in_period = core_.intensity.used(s.taken_at);
    s.children.reserve(children_.size());
    for (const Child& c : children_.list()) { // start order
        ChildSnapshot x;
        c.live.describe(x, c.restarting, s.taken_at);
        x.id = c.spec.id;
        x.pid = c.pid;
        x.state = c.restarting  ? ChildInfo::State::restarting
                  : c.running() ? ChildInfo::State::running
                                : ChildInfo::State::undefined;
        x.type = c.spec.type;
        x.restart = c.spec.restart;
        x.shutdown = c.spec.effective_shutdown();
        x.significant = c.spec.significant;
        s.children.push_back(std::move(x));
    }
    return s;
}

SupResult<Pid> SupervisorActor::handle_call(StartDynamicChildReq) {
    return fail(error(SupError::Code::invalid_spec, {}, {}, "{invalid_child_spec,args}"));
}
SupResult<void> SupervisorActor::handle_call(TerminateDynamicChildReq) {
    return fail(error(SupError::Code::not_found)); // OTP: a pid is not a child id here
}
SupResult<ChildSpec> SupervisorActor::handle_call(GetDynamicChildspecReq) {
    return fail(error(SupError::Code::not_found));
}

// ---------------------------------------------------------------- exits and restarts

void SupervisorActor::handle_info(ExitSignal s) {
    // restart_child/3: an exit from an unknown pid (already replaced or stopped) is ignored.
    Child* c = children_.find(s.from);
    if (!c)
        return;
    do_restart(*c, s.reason);
}

void SupervisorActor::handle_cast(TryAgainRestart r) {
    Child* c = children_.find(r.id);
    if (c && c->restarting)
        restart(*c);
}

void SupervisorActor::handle_info(DelayedRestart r) {
    Child* c = children_.find(r.id);
    if (!c || !c->restarting || c->delay_gen != r.gen)
        return; // stale
    std::vector<Child*> group;
    for (Child* x : affected_by(*c))
        if (!x->running())
            group.push_back(x);
    if (auto again = start_phase(*c, group))
        restart(*children_.find(*again));
}

// do_restart/3: which exits lead to a restart.
void SupervisorActor::do_restart(Child& c, const ExitReason& reason) {
    core_.report(EventKind::child_exited, c.spec.id, c.pid, &c.spec, reason);
    c.live.on_exit(reason, core_.now(), false);
    if (core_.flags.backoff.enabled() && core_.now() - c.started_at >= core_.flags.period)
        c.backoff_count = 0; // it stayed up long enough
    Restart type = c.spec.restart;
    if (type == Restart::permanent || (type == Restart::transient && reason.is_abnormal())) {
        restart(c);
        return;
    }
    // normal, shutdown, {shutdown, _} for transient and temporary; any reason for temporary.
    ChildSpec spec = c.spec;
    del_child(c);
    do_auto_shutdown(spec);
}

// restart/2: count the restart, then apply the strategy; a failed start is tried again later.
void SupervisorActor::restart(Child& c) {
    if (!core_.add_restart(c.spec, c.spec.id, c.pid)) {
        // reached_max_restart_intensity: give up; terminate/1 stops the others.
        del_child(c);
        stop(ExitReason::shutdown());
        return;
    }
    if (core_.flags.backoff.enabled()) {
        delay_restart(c);
        return;
    }
    std::optional<std::string> again = core_.flags.strategy == Strategy::one_for_one
                                           ? restart_one_for_one(c)
                                           : restart_multiple_children(c);
    if (again)
        sup::cast(self(), TryAgainRestart{*again});
}

// restart(one_for_one, ...)
std::optional<std::string> SupervisorActor::restart_one_for_one(Child& c) {
    StartResult<Pid> r = core_.start(c.spec.id, c.spec.start, c.spec, true);
    if (r.failed()) {
        children_.set_pid(c, {});
        c.restarting = true;
        return c.spec.id;
    }
    children_.set_pid(c, r.started() ? r.value() : Pid());
    c.restarting = false;
    c.started_at = core_.now();
    return std::nullopt;
}

// restart(rest_for_one | one_for_all, ...) and restart_multiple_children/3: the affected
// children are stopped in reverse start order (temporary ones are dropped), then started in
// start order; a failure leaves the failed child restarting and the later ones stopped.
std::optional<std::string> SupervisorActor::restart_multiple_children(Child& c) {
    std::vector<Child*> affected = affected_by(c);
    terminate_phase(c, affected);
    return start_phase(c, affected);
}

std::vector<Child*> SupervisorActor::affected_by(Child& c) {
    switch (core_.flags.strategy) {
    case Strategy::one_for_all:
        return all_children();
    case Strategy::rest_for_one: {
        std::vector<Child*> v;
        for (auto it = children_.position(c); it != children_.list().end(); ++it)
            v.push_back(&*it);
        return v;
    }
    case Strategy::one_for_one:
        break;
    }
    return {&c};
}

void SupervisorActor::terminate_phase(Child& c, std::vector<Child*>& affected) {
    children_.set_pid(c, {});
    std::vector<Child*> reverse(affected.rbegin(), affected.rend());
    terminate_children(reverse);
    // Temporary children were dropped: keep the survivors, in start order.
    affected.assign(reverse.rbegin(), reverse.rend());
}

std::optional<std::string> SupervisorActor::start_phase(Child&, std::vector<Child*>& affected) {
    std::string failed;
    ExitReason why;
    if (start_children(affected, true, &failed, &why))
        return std::nullopt;
    Child* f = children_.find(failed);
    children_.set_pid(*f, {});
    f->restarting = true;
    return failed;
}

// Backoff: stop the affected siblings now, start the group after the delay.
void SupervisorActor::delay_restart(Child& c) {
    ++c.backoff_count;
    Clock::duration d = backoff_delay(core_.flags.backoff, c.backoff_count, core_.rng);
    std::vector<Child*> affected = affected_by(c);
    if (core_.flags.strategy == Strategy::one_for_one)
        children_.set_pid(c, {});
    else
        terminate_phase(c, affected);
    c.restarting = true;
    c.delay_gen = ++delay_gen_;
    c.live.restart_due = core_.now() + d;
    core_.report(EventKind::restart_delayed, c.spec.id, {}, &c.spec, {}, true, d);
    send_after(d, DelayedRestart{c.spec.id, c.delay_gen});
}

// do_auto_shutdown/2: a significant child exited on its own.
void SupervisorActor::do_auto_shutdown(const ChildSpec& spec) {
    AutoShutdown mode = core_.flags.auto_shutdown;
    if (mode == AutoShutdown::never || !spec.significant)
        return;
    if (mode == AutoShutdown::all_significant) {
        for (const Child& c : children_.list())
            if ((c.running() || c.restarting) && c.spec.significant)
                return;
    }
    core_.report(EventKind::auto_shutdown, spec.id, {}, &spec, ExitReason::shutdown());
    stop(ExitReason::shutdown());
}

// ---------------------------------------------------------------- children

// start_children/2: in start order; stops at the first failure.
bool SupervisorActor::start_children(std::vector<Child*>& children, bool restart,
                                     std::string* failed_id, ExitReason* why) {
    std::vector<Child*> kept;
    kept.reserve(children.size());
    for (std::size_t i = 0; i < children.size(); ++i) {
        Child* c = children[i];
        StartResult<Pid> r = core_.start(c->spec.id, c->spec.start, c->spec, restart);
        if (r.failed()) {
            *failed_id = c->spec.id;
            *why = r.reason();
            kept.insert(kept.end(), children.begin() + i, children.end());
            children = std::move(kept);
            return false;
        }
        c->restarting = false;
        if (r.ignored() && c->spec.restart == Restart::temporary) {
            children_.remove(*c); // an ignored temporary child is not kept
            continue;
        }
        children_.set_pid(*c, r.started() ? r.value() : Pid());
        c->started_at = core_.now();
        kept.push_back(c);
    }
    children = std::move(kept);
    return true;
}

// terminate_children/2: in the given order; temporary children are removed from the
// supervisor (and from `children`), the others keep their spec without a process.
void SupervisorActor::terminate_children(std::vector<Child*>& children) {
    std::vector<Child*> kept;
    kept.reserve(children.size());
    for (Child* c : children) {
        if (!do_terminate(*c))
            return; // killed meanwhile: it does nothing more
        if (c->spec.restart == Restart::temporary) {
            children_.remove(*c);
        } else {
            children_.set_pid(*c, {});
            c->restarting = false;
            kept.push_back(c);
        }
    }
    children = std::move(kept);
}

bool SupervisorActor::do_terminate(Child& c) {
    if (!c.running())
        return true;
    std::optional<ExitReason> r = core_.terminate(c.spec.id, c.pid, c.spec);
    if (!r)
        return false;
    c.live.on_exit(*r, core_.now(), true);
    return true;
}

// del_child/2: a temporary child is forgotten; the others stay without a process.
void SupervisorActor::del_child(Child& c) {
    if (c.spec.restart == Restart::temporary) {
        children_.remove(c);
    } else {
        children_.set_pid(c, {});
        c.restarting = false;
    }
}

std::vector<Child*> SupervisorActor::all_children() {
    std::vector<Child*> v;
    v.reserve(children_.size());
    for (Child& c : children_.list())
        v.push_back(&c);
    return v;
}

} // namespace sup::detail
