// A static supervisor (one_for_one, one_for_all, rest_for_one), laid out as OTP's
// supervisor.erl: init/1 (init_children, check_startspec), the run-time API (handle_call/3),
// a child's exit (restart_child, do_restart, restart/2, restart/3 per strategy,
// try_again_restart), terminate/2 and the children (start_children, terminate_children,
// do_terminate, del_child, split_child). Restart backoff, which OTP does not have, is the last
// section.
#include "supervisor.hpp"

#include "cell.hpp"
#include "runtime_impl.hpp"

namespace sup::detail {

namespace {
SupError error(SupError::Code c, ExitReason r = {}, Pid p = {}, std::string d = {}) {
    return SupError{c, std::move(r), std::move(p), std::move(d)};
}
} // namespace

SupervisorActor::State::State(SupervisorSpec spec, std::string path)
    : SupState(spec.flags, std::move(spec.name), std::move(path)),
      start_spec(std::move(spec.children)) {}

SupervisorActor::SupervisorActor(SupervisorSpec spec, std::string path)
    : state_(std::move(spec), std::move(path)) {}

// ---------------------------------------------------------------- init/1

// init/1 and init_state/4: the flags are checked first ({supervisor_data, Error}).
InitResult SupervisorActor::init() {
    trap_exit(true);
    state_.bind(as_cell(self().cell()));
    if (auto e = check_flags(state_.flags))
        return InitResult::stop(ExitReason::error("{supervisor_data," + *e + "}"));
    return init_children();
}

// init_children/2: the specs are checked ({start_spec, Error}), then the children started in
// order; if one fails, those started are stopped again, newest first, and the supervisor fails
// with {shutdown, {failed_to_start_child, Id, Reason}}.
InitResult SupervisorActor::init_children() {
    if (auto e = check_startspec())
        return InitResult::stop(ExitReason::error("{start_spec," + *e + "}"));
    std::vector<Child*> all = all_children();
    std::string failed;
    ExitReason why;
    if (start_children(all, false, &failed, &why))
        return InitResult::ok();
    std::vector<Child*> started;
    for (Child* c : all_children())
        if (c->running())
            started.push_back(c);
    terminate_children(started);
    return InitResult::stop(
        ExitReason::shutdown("{failed_to_start_child," + failed + "," + why.to_string() + "}"));
}

// check_startspec/2: each spec valid, ids unique; the children in start order, not started.
std::optional<std::string> SupervisorActor::check_startspec() {
    std::vector<ChildSpec> specs = std::move(state_.start_spec);
    state_.start_spec.clear();
    for (ChildSpec& c : specs) {
        if (auto e = check_childspec(c, state_.flags.auto_shutdown))
            return e;
        if (state_.children.find(c.id))
            return "{duplicate_child_name," + c.id + "}";
        state_.children.add(std::move(c));
    }
    return std::nullopt;
}

// ---------------------------------------------------------------- run-time API (handle_call/3)

SupResult<Pid> SupervisorActor::handle_call(StartChildReq r) {
    if (auto e = check_childspec(r.spec, state_.flags.auto_shutdown))
        return fail(error(SupError::Code::invalid_spec, {}, {}, *e));
    // handle_start_child/2
    if (Child* old = state_.children.find(r.spec.id)) {
        if (old->running())
            return fail(error(SupError::Code::already_started, {}, old->pid));
        return fail(error(SupError::Code::already_present));
    }
    std::unique_ptr<ChildName> given;
    StartResult<Pid> res = state_.do_start_child(r.spec.id, r.spec.start, r.spec, false, &given);
    if (res.failed())
        return fail(error(SupError::Code::start_failed, res.reason()));
    if (res.ignored() && r.spec.restart == Restart::temporary)
        return Pid(); // {ok, undefined}
    Child& c = state_.children.add(std::move(r.spec));
    c.given_name = std::move(given);
    // save_child/2: a temporary child is never restarted, its start arguments are not kept.
    if (c.spec.restart == Restart::temporary)
        c.spec.start = nullptr;
    if (res.started()) {
        state_.children.set_pid(c, res.value());
        c.backoff.started_at = state_.now();
    }
    return c.pid;
}

SupResult<void> SupervisorActor::handle_call(TerminateChildReq r) {
    Child* c = state_.children.find(r.id);
    if (!c)
        return fail(error(SupError::Code::not_found));
    do_terminate(*c);
    del_child(*c);
    return {};
}

SupResult<Pid> SupervisorActor::handle_call(RestartChildReq r) {
    Child* c = state_.children.find(r.id);
    if (!c)
        return fail(error(SupError::Code::not_found));
    if (c->restarting)
        return fail(error(SupError::Code::restarting));
    if (c->running())
        return fail(error(SupError::Code::running));
    StartResult<Pid> res =
        state_.do_start_child(c->spec.id, c->spec.start, c->spec, true, &c->given_name);
    if (res.failed())
        return fail(error(SupError::Code::start_failed, res.reason()));
    if (res.started()) {
        state_.children.set_pid(*c, res.value());
        c->backoff.started_at = state_.now();
    }
    return c->pid;
}

SupResult<void> SupervisorActor::handle_call(DeleteChildReq r) {
    Child* c = state_.children.find(r.id);
    if (!c)
        return fail(error(SupError::Code::not_found));
    if (c->restarting)
        return fail(error(SupError::Code::restarting));
    if (c->running())
        return fail(error(SupError::Code::running));
    state_.children.remove(*c);
    return {};
}

std::vector<ChildInfo> SupervisorActor::handle_call(WhichChildrenReq) {
    std::vector<ChildInfo> out;
    out.reserve(state_.children.size());
    auto& l = state_.children.list();
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
    for (const Child& c : state_.children.list()) {
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
    Child* c = state_.children.find(r.id);
    if (!c)
        return fail(error(SupError::Code::not_found));
    return c->spec;
}

SupervisorSnapshot SupervisorActor::handle_call(InspectReq) {
    SupervisorSnapshot s;
    s.kind = SupervisorSnapshot::Kind::supervisor;
    s.pid = self_pid();
    s.name = state_.registered_name;
    s.path = state_.path;
    s.flags = state_.flags;
    s.taken_at = state_.now();
    s.restarts_in_period = state_.restarts.used(s.taken_at);
    s.children.reserve(state_.children.size());
    for (const Child& c : state_.children.list()) { // start order
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
        x.name = c.given_name ? *c.given_name : c.spec.name;
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

// ---------------------------------------------------------------- a child's exit

// handle_info({'EXIT', Pid, Reason}) and restart_child/3: an exit from an unknown pid (a child
// already replaced or stopped) is ignored.
void SupervisorActor::handle_info(ExitSignal s) {
    if (Child* c = state_.children.find(s.from))
        restart_child(*c, s.reason);
}

void SupervisorActor::restart_child(Child& c, const ExitReason& reason) {
    state_.report(EventKind::child_exited, c.spec.id, c.pid, &c.spec, reason);
    c.live.on_exit(reason, state_.now(), false);
    c.backoff.on_exit(state_.flags, state_.now()); // beyond OTP
    do_restart(c, reason);
}

// do_restart/3: a permanent child is restarted whatever its exit; a transient one after an
// abnormal exit; otherwise (normal, shutdown, {shutdown, _}, or any exit of a temporary child)
// it is deleted, and a significant one may shut the supervisor down.
void SupervisorActor::do_restart(Child& c, const ExitReason& reason) {
    Restart type = c.spec.restart;
    if (type == Restart::permanent || (type == Restart::transient && reason.is_abnormal())) {
        restart(c);
        return;
    }
    ChildSpec spec = c.spec;
    del_child(c);
    do_auto_shutdown(spec);
}

// restart/2: counts the restart (add_restart/1; beyond the intensity the supervisor gives up
// with reason shutdown, and terminate/2 stops the others), then applies the strategy; a start
// that failed is tried again later.
void SupervisorActor::restart(Child& c) {
    if (!state_.add_restart(c.spec, c.spec.id, c.pid)) {
        del_child(c);
        stop(ExitReason::shutdown());
        return;
    }
    if (state_.flags.backoff.enabled()) { // beyond OTP
        delay_restart(c);
        return;
    }
    std::optional<std::string> again;
    switch (state_.flags.strategy) {
    case Strategy::one_for_one:
        again = restart_one_for_one(c);
        break;
    case Strategy::rest_for_one:
        again = restart_rest_for_one(c);
        break;
    case Strategy::one_for_all:
        again = restart_one_for_all(c);
        break;
    }
    if (again)
        try_again_restart(*again);
}

// restart(one_for_one, Child, State): the child alone; if its start fails it stays
// restarting.
std::optional<std::string> SupervisorActor::restart_one_for_one(Child& c) {
    StartResult<Pid> r =
        state_.do_start_child(c.spec.id, c.spec.start, c.spec, true, &c.given_name);
    if (r.failed()) {
        state_.children.set_pid(c, {});
        c.restarting = true;
        return c.spec.id;
    }
    state_.children.set_pid(c, r.started() ? r.value() : Pid());
    c.restarting = false;
    c.backoff.started_at = state_.now();
    return std::nullopt;
}

// restart(rest_for_one, Child, State): the child and those started after it (split_child/2).
std::optional<std::string> SupervisorActor::restart_rest_for_one(Child& c) {
    return restart_multiple_children(c, split_child(c));
}

// restart(one_for_all, Child, State): every child.
std::optional<std::string> SupervisorActor::restart_one_for_all(Child& c) {
    return restart_multiple_children(c, all_children());
}

// restart_multiple_children/3: `children` (in start order, `c` among them) are stopped newest
// first (temporary ones are dropped), then started in start order.
std::optional<std::string>
SupervisorActor::restart_multiple_children(Child& c, std::vector<Child*> children) {
    state_.children.set_pid(c, {}); // it exited
    terminate_children(children);
    return start_restarted_children(children);
}

// The second half of restart_multiple_children/3: a start that fails leaves that child
// restarting and the later ones stopped; its id is tried again.
std::optional<std::string>
SupervisorActor::start_restarted_children(std::vector<Child*>& children) {
    std::string failed;
    ExitReason why;
    if (start_children(children, true, &failed, &why))
        return std::nullopt;
    Child* f = state_.children.find(failed);
    state_.children.set_pid(*f, {});
    f->restarting = true;
    return failed;
}

// try_again_restart/1 and handle_cast({try_again_restart, Id}).
void SupervisorActor::try_again_restart(const std::string& id) {
    sup::cast(self(), TryAgainRestart{id});
}

void SupervisorActor::handle_cast(TryAgainRestart r) {
    Child* c = state_.children.find(r.id);
    if (c && c->restarting)
        restart(*c);
}

// do_auto_shutdown/2: a significant child exited on its own.
void SupervisorActor::do_auto_shutdown(const ChildSpec& spec) {
    AutoShutdown mode = state_.flags.auto_shutdown;
    if (mode == AutoShutdown::never || !spec.significant)
        return;
    if (mode == AutoShutdown::all_significant) {
        for (const Child& c : state_.children.list())
            if ((c.running() || c.restarting) && c.spec.significant)
                return;
    }
    state_.report(EventKind::auto_shutdown, spec.id, {}, &spec, ExitReason::shutdown());
    stop(ExitReason::shutdown());
}

// ---------------------------------------------------------------- terminate/2

void SupervisorActor::terminate(const ExitReason& reason) {
    std::vector<Child*> all = all_children();
    terminate_children(all);
    state_.report(EventKind::supervisor_stopped, "", {}, nullptr, reason);
}

// ---------------------------------------------------------------- children

// start_children/2: in start order, each with do_start_child; stops at the first failure
// (`failed_id`, `why`), leaving `children` as the children started (an ignored temporary one
// is forgotten) followed by the failed one and those not tried.
bool SupervisorActor::start_children(std::vector<Child*>& children, bool restart,
                                     std::string* failed_id, ExitReason* why) {
    std::vector<Child*> kept;
    kept.reserve(children.size());
    for (std::size_t i = 0; i < children.size(); ++i) {
        Child* c = children[i];
        StartResult<Pid> r =
            state_.do_start_child(c->spec.id, c->spec.start, c->spec, restart, &c->given_name);
        if (r.failed()) {
            *failed_id = c->spec.id;
            *why = r.reason();
            kept.insert(kept.end(), children.begin() + i, children.end());
            children = std::move(kept);
            return false;
        }
        c->restarting = false;
        if (r.ignored() && c->spec.restart == Restart::temporary) {
            state_.children.remove(*c); // an ignored temporary child is not kept
            continue;
        }
        state_.children.set_pid(*c, r.started() ? r.value() : Pid());
        c->backoff.started_at = state_.now();
        kept.push_back(c);
    }
    children = std::move(kept);
    return true;
}

// terminate_children/2: `children` in start order are stopped newest first; temporary ones are
// removed from the supervisor, the others keep their spec without a process. `children` is
// left with those kept, in start order. A supervisor killed meanwhile stops there.
void SupervisorActor::terminate_children(std::vector<Child*>& children) {
    std::vector<Child*> kept;
    kept.reserve(children.size());
    for (auto it = children.rbegin(); it != children.rend(); ++it) {
        Child* c = *it;
        if (!do_terminate(*c))
            return; // killed meanwhile: it does nothing more
        if (c->spec.restart == Restart::temporary) {
            state_.children.remove(*c);
        } else {
            state_.children.set_pid(*c, {});
            c->restarting = false;
            kept.push_back(c);
        }
    }
    children.assign(kept.rbegin(), kept.rend());
}

// do_terminate/2: a running child is shut down (shutdown/1); false if the supervisor was
// killed meanwhile.
bool SupervisorActor::do_terminate(Child& c) {
    if (!c.running())
        return true;
    std::optional<ExitReason> r = state_.shutdown(c.spec.id, c.pid, c.spec);
    if (!r)
        return false;
    c.live.on_exit(*r, state_.now(), true);
    return true;
}

// del_child/2: a temporary child is forgotten; the others stay without a process.
void SupervisorActor::del_child(Child& c) {
    if (c.spec.restart == Restart::temporary) {
        state_.children.remove(c);
    } else {
        state_.children.set_pid(c, {});
        c.restarting = false;
    }
}

// split_child/2: `c` and the children started after it, in start order.
std::vector<Child*> SupervisorActor::split_child(Child& c) {
    std::vector<Child*> v;
    for (auto it = state_.children.position(c); it != state_.children.list().end(); ++it)
        v.push_back(&*it);
    return v;
}

std::vector<Child*> SupervisorActor::all_children() {
    std::vector<Child*> v;
    v.reserve(state_.children.size());
    for (Child& c : state_.children.list())
        v.push_back(&c);
    return v;
}

// ================================================================ beyond OTP: restart backoff
//
// With a backoff (sup::Backoff), restart/2 does not restart at once: the children restart/3
// would restart are stopped now, and started together after the delay; a child that stayed up
// for the period starts counting from the first delay again (restart_child above). A failed
// delayed start is a new restart (counted, delayed longer).

// The children restart/3 restarts with `c`, in start order.
std::vector<Child*> SupervisorActor::restart_group(Child& c) {
    switch (state_.flags.strategy) {
    case Strategy::one_for_all:
        return all_children();
    case Strategy::rest_for_one:
        return split_child(c);
    case Strategy::one_for_one:
        break;
    }
    return {&c};
}

void SupervisorActor::delay_restart(Child& c) {
    Clock::duration d = c.backoff.next_delay(state_.flags.backoff, state_.backoff);
    std::vector<Child*> group = restart_group(c);
    state_.children.set_pid(c, {}); // it exited
    if (state_.flags.strategy != Strategy::one_for_one)
        terminate_children(group);
    c.restarting = true;
    c.live.restart_due = state_.now() + d;
    state_.report(EventKind::restart_delayed, c.spec.id, {}, &c.spec, {}, true, d);
    send_after(d, DelayedRestart{c.spec.id, c.backoff.delay});
}

void SupervisorActor::handle_info(DelayedRestart r) {
    Child* c = state_.children.find(r.id);
    if (!c || !c->restarting || c->backoff.delay != r.delay)
        return; // stale
    std::vector<Child*> group;
    for (Child* x : restart_group(*c))
        if (!x->running())
            group.push_back(x);
    if (auto again = start_restarted_children(group))
        restart(*state_.children.find(*again));
}

} // namespace sup::detail
