// What static and dynamic supervisors share (supervisor_state.hpp): starting a child, stopping
// one, the restart intensity, reporting every step (events, and OTP's reports for the logger),
// and the checks of flags and child specs.
#include "supervisor_state.hpp"

#include "access.hpp"
#include "cell.hpp"
#include "child_shutdown.hpp"
#include "runtime_impl.hpp"

#include <sstream>

namespace sup::detail {

SupState::SupState(const SupervisorFlags& f, std::string n, std::string p)
    : registered_name(std::move(n)), path(std::move(p)), flags(f), restarts(f.intensity, f.period),
      backoff(f.backoff.seed) {}

void SupState::bind(Cell* s) {
    self = s;
    rt = s->rt;
    name = registered_name.empty() ? make_pid(s).to_string() : "{local," + registered_name + "}";
}

Clock::time_point SupState::now() const {
    return rt->clock->now();
}

StartResult<Pid> SupState::do_start_child(const std::string& id, const StartFn& fn,
                                          const ChildSpec& spec, bool restart,
                                          std::unique_ptr<ChildName>* given) {
    if (self->dead()) // killed while it waited for a child: it starts nothing more
        return StartResult<Pid>::make_failed(ExitReason::killed());
    StartContext ctx = Access::start_context(id, path, &spec.name);
    StartResult<Pid> r = StartResult<Pid>::make_failed(ExitReason::error("no start function"));
    try {
        if (fn)
            r = fn(ctx);
    } catch (const std::exception& e) {
        r = StartResult<Pid>::make_failed(ExitReason::error(e.what()));
    } catch (...) {
        r = StartResult<Pid>::make_failed(ExitReason::error("unknown exception in start"));
    }
    if (r.started() && !r.value())
        r = StartResult<Pid>::make_ignored();
    if (r.started() && ctx.name() && !Access::name_taken(ctx)) {
        // A named child whose start function did not start it through the context: its name
        // was not registered before its init, as the spec says. It does not start.
        sup::kill(r.value());
        r = StartResult<Pid>::make_failed(
            ExitReason::error("{name_not_registered," + ctx.name().to_string() + "}"));
    }
    if (r.started()) {
        const Pid& p = r.value();
        if (given) {
            std::optional<ChildName>& own = Access::own_name(ctx);
            if (own)
                *given = std::make_unique<ChildName>(std::move(*own));
            else
                given->reset();
        }
        // The start function must link the child to us (ctx.spawn_link does); make sure.
        if (p.alive())
            link_cells(self, as_cell(p.cell()));
        report(restart ? EventKind::child_restarted : EventKind::child_started, id, p, &spec, {},
               restart);
    } else if (r.ignored()) {
        report(EventKind::child_ignored, id, {}, &spec);
    } else {
        report(EventKind::start_failed, id, {}, &spec, r.reason());
    }
    return r;
}

bool SupState::add_restart(const ChildSpec& spec, const std::string& id, const Pid& pid) {
    if (restarts.add_restart(now()))
        return true;
    report(EventKind::give_up, id, pid, &spec, ExitReason::shutdown());
    return false;
}

std::optional<ExitReason> SupState::shutdown(const std::string& id, const Pid& pid,
                                             const ChildSpec& spec) {
    Shutdown how = spec.effective_shutdown();
    std::optional<ExitReason> r = shutdown_child(self, pid, how);
    if (!r)
        return r; // killed meanwhile
    report(EventKind::child_terminated, id, pid, &spec, *r);
    if (!expected_shutdown_reason(*r, how, spec.restart))
        report(EventKind::shutdown_error, id, pid, &spec, *r);
    return r;
}

namespace {
/// OTP's offender: [{pid,P},{id,Id},{restart_type,R},{significant,S},{shutdown,T},{child_type,W}]
std::string offender(const std::string& id, const Pid& pid, const ChildSpec* spec) {
    std::ostringstream o;
    o << "[{pid," << pid.to_string() << "},{id," << id << "}";
    if (spec) {
        o << ",{restart_type," << to_string(spec->restart) << "},{significant,"
          << (spec->significant ? "true" : "false") << "},{shutdown,"
          << spec->effective_shutdown().to_string() << "},{child_type," << to_string(spec->type)
          << "}";
    }
    o << "]";
    return o.str();
}

/// The OTP report for an event, if OTP would log one: its level and errorContext.
bool otp_report(EventKind k, const ChildSpec* spec, const ExitReason& reason, LogLevel& level,
                const char*& context) {
    level = LogLevel::error;
    switch (k) {
    case EventKind::child_started:
    case EventKind::child_restarted:
        level = LogLevel::info;
        context = nullptr;
        return true;
    case EventKind::child_exited:
        context = "child_terminated";
        // OTP reports every exit of a permanent child, and abnormal exits of the others.
        return reason.is_abnormal() || (spec && spec->restart == Restart::permanent);
    case EventKind::start_failed:
        context = "start_error";
        return true;
    case EventKind::shutdown_error:
        context = "shutdown_error";
        return true;
    case EventKind::give_up:
        context = "shutdown";
        return true;
    default:
        return false;
    }
}
} // namespace

void SupState::report(EventKind kind, const std::string& id, const Pid& child,
                      const ChildSpec* spec, const ExitReason& reason, bool restart,
                      Clock::duration delay) {
    if (self->dead())
        return; // killed: a dead supervisor reports nothing more
    bool subs = rt->events.has_subscribers();
    LogLevel level;
    const char* context = nullptr;
    bool log = otp_report(kind, spec, reason, level, context) && rt->logger.enabled(level);
    if (!subs && !log)
        return;
    if (subs) {
        SupervisorEvent e;
        e.kind = kind;
        e.supervisor = make_pid(self);
        e.supervisor_name = name;
        e.supervisor_path = path;
        e.child_id = id;
        e.child = child;
        e.child_is_supervisor = spec && spec->type == ChildType::supervisor;
        e.reason = reason;
        e.restart = restart;
        e.delay = delay;
        e.time = now();
        rt->events.emit(e);
    }
    if (log) {
        std::string r;
        if (!context) {
            r = "=PROGRESS REPORT====\n    supervisor: " + name +
                "\n    started: " + offender(id, child, spec) + "\n";
        } else {
            std::string why =
                kind == EventKind::give_up ? "reached_max_restart_intensity" : reason.to_string();
            r = "=SUPERVISOR REPORT====\n    supervisor: " + name +
                "\n    errorContext: " + context + "\n    reason: " + why +
                "\n    offender: " + offender(id, child, spec) + "\n";
        }
        rt->logger.log(r);
    }
}

std::optional<std::string> check_childspec(const ChildSpec& spec, AutoShutdown auto_shutdown) {
    if (spec.id.empty())
        return std::string("missing_id");
    if (!spec.start)
        return std::string("missing_start");
    if (spec.shutdown && spec.shutdown->kind() == Shutdown::Kind::timeout &&
        spec.shutdown->timeout().count() < 0)
        return "{invalid_shutdown," + std::to_string(spec.shutdown->timeout().count()) + "}";
    if (spec.significant) {
        if (auto_shutdown == AutoShutdown::never)
            return std::string("{bad_combination,[{auto_shutdown,never},{significant,true}]}");
        if (spec.restart == Restart::permanent)
            return std::string("{bad_combination,[{restart,permanent},{significant,true}]}");
    }
    const ChildName& n = spec.name;
    if ((n.kind == ChildName::Kind::local && n.name.empty()) ||
        (n.kind == ChildName::Kind::via &&
         (!n.module || !n.module->register_name || n.registry.empty())))
        return "{invalid_name," + n.to_string() + "}";
    return std::nullopt;
}

std::optional<std::string> check_flags(const SupervisorFlags& f) {
    using namespace std::chrono;
    if (f.intensity < 0)
        return "{invalid_intensity," + std::to_string(f.intensity) + "}";
    if (f.period <= Clock::duration::zero())
        return "{invalid_period," + std::to_string(duration_cast<milliseconds>(f.period).count()) +
               "ms}";
    const Backoff& b = f.backoff;
    if (b.enabled() &&
        (b.min < Clock::duration::zero() || b.min > b.max || b.jitter < 0 || b.jitter > 1))
        return std::string("{invalid_backoff,[min,max,jitter]}");
    return std::nullopt;
}

} // namespace sup::detail
