// Task.Supervisor: a dynamic supervisor of temporary task actors, each running one function.
#include "sup/std/task_supervisor.hpp"

#include "sup/extension.hpp"

namespace sup::std_lib {

namespace {

/// Runs its task's function once, keeps the result, and exits normally. An exception escaping
/// the function crashes it with the exception's what() as reason.
class TaskActor : public Actor<TaskActor> {
public:
    struct Run {};
    explicit TaskActor(std::shared_ptr<detail::TaskCore> core) : core_(std::move(core)) {}

    void handle_info(Run) {
        // Cancelled (the function saw its stop_token requested): the request that did it (a
        // shutdown, an exit signal, a kill) stops this actor next, with its reason.
        if (core_->run(stop_token(), self_pid()))
            stop(ExitReason::normal());
    }

private:
    InitResult init() override {
        // async / async_nolink tasks run once, as Elixir's (always temporary): a restart of
        // one (a transient or permanent task supervisor) is declined.
        if (core_->awaited && core_->ran)
            return InitResult::ignore();
        core_->ran = true;
        // async: the link is made before the function runs (Elixir links the caller to the task
        // right after starting it). A dead owner stops the task with noproc.
        if (core_->link && core_->owner)
            link(core_->owner);
        // Not in init: init runs on the thread that starts the task (the supervisor's).
        sup::send(self(), Run{});
        return InitResult::ok();
    }

    std::shared_ptr<detail::TaskCore> core_;
};

Runtime& runtime_of(const Pid& task) {
    return *ext::runtime_of(task);
}

} // namespace

std::string TaskError::to_string() const {
    switch (code) {
    case Code::timeout:
        return "timeout";
    case Code::exited:
        return "exited: " + reason.to_string();
    case Code::noproc:
        return "noproc";
    case Code::max_children:
        return "max_children";
    case Code::start_failed:
        return "start_failed: " + reason.to_string();
    case Code::already_awaited:
        return "already_awaited";
    }
    return "task error";
}

namespace detail {

Result<Pid, TaskError> start_task(const Pid& sup, std::shared_ptr<TaskCore> core) {
    SupResult<Pid> r = sup::start_child(sup, sup::args(std::move(core)));
    if (r && r.value())
        return r.value();
    if (r) // a task's init never returns ignore
        return sup::fail(TaskError{TaskError::Code::start_failed, ExitReason::error("ignored")});
    switch (r.error().code) {
    case SupError::Code::noproc:
        return sup::fail(TaskError{TaskError::Code::noproc, {}});
    case SupError::Code::max_children:
        return sup::fail(TaskError{TaskError::Code::max_children, {}});
    case SupError::Code::start_failed:
        return sup::fail(TaskError{TaskError::Code::start_failed, r.error().reason});
    default:
        return sup::fail(
            TaskError{TaskError::Code::start_failed, ExitReason::error(r.error().to_string())});
    }
}

std::optional<ExitReason> wait_task(const Pid& task, Clock::duration timeout) {
    return runtime_of(task).wait_exit(task, timeout);
}

std::pair<ExitReason, bool> shutdown_task(const Pid& task, const TaskCore& core, Shutdown how) {
    // Elixir unlinks first: the shutdown must not take the owner down with the task.
    if (core.link && core.owner && core.owner == sup::self())
        sup::unlink(task);
    Runtime& rt = runtime_of(task);
    if (!task.alive())
        return {*rt.wait_exit(task), false};
    switch (how.kind()) {
    case Shutdown::Kind::brutal_kill:
        sup::kill(task);
        break;
    case Shutdown::Kind::timeout:
        sup::exit(task, ExitReason::shutdown());
        if (!rt.wait_exit(task, how.timeout()))
            sup::kill(task);
        break;
    case Shutdown::Kind::infinity:
        sup::exit(task, ExitReason::shutdown());
        break;
    }
    return {*rt.wait_exit(task), true};
}

Clock::time_point task_clock_now(const Pid& task) {
    return runtime_of(task).clock().now();
}

} // namespace detail

DynamicSupervisorSpec TaskSupervisor::spec(const TaskSupervisorOptions& o) {
    DynamicSupervisorSpec s;
    s.flags.intensity = o.intensity;
    s.flags.period = o.period;
    s.child = sup::dynamic_worker<TaskActor, std::shared_ptr<detail::TaskCore>>()
                  .with_restart(o.restart)
                  .with_shutdown(o.shutdown);
    s.max_children = o.max_children;
    s.name = o.name;
    return s;
}

namespace {
/// max_children as std.sup passes it (an int?): the options, or why the start fails.
Result<TaskSupervisorOptions, ExitReason>
options_of(const std::optional<std::int64_t>& max_children) {
    TaskSupervisorOptions o;
    if (max_children && *max_children < 0)
        return sup::fail(ExitReason::error("max_children cannot be negative, found " +
                                           std::to_string(*max_children)));
    if (max_children)
        o.max_children = static_cast<std::size_t>(*max_children);
    return o;
}
} // namespace

DynamicSupervisorSpec TaskSupervisor::spec(std::optional<std::int64_t> max_children) {
    auto o = options_of(max_children);
    return spec(o ? o.value() : TaskSupervisorOptions{});
}

StartResult<Pid> TaskSupervisor::start_link(StartContext& ctx, TaskSupervisorOptions options) {
    return ctx.start_dynamic_supervisor(spec(options));
}

StartResult<Pid> TaskSupervisor::start_link(StartContext& ctx,
                                            std::optional<std::int64_t> max_children) {
    auto o = options_of(max_children);
    if (!o)
        return StartResult<Pid>::make_failed(o.error());
    return start_link(ctx, std::move(o.value()));
}

StartResult<Pid> TaskSupervisor::start_link(StartContext& ctx,
                                            std::optional<std::int64_t> max_children,
                                            std::optional<std::string> name,
                                            std::string task_restart,
                                            std::chrono::milliseconds task_shutdown) {
    auto o = options_of(max_children);
    if (!o)
        return StartResult<Pid>::make_failed(o.error());
    if (name)
        o.value().name = std::move(*name);
    if (task_restart == "transient")
        o.value().restart = Restart::transient;
    else if (task_restart == "permanent")
        o.value().restart = Restart::permanent;
    else if (task_restart != "temporary")
        return StartResult<Pid>::make_failed(
            ExitReason::error("unknown task_restart '" + task_restart + "'"));
    if (task_shutdown.count() < 0)
        return StartResult<Pid>::make_failed(
            ExitReason::error("task_shutdown cannot be negative, found " +
                              std::to_string(task_shutdown.count()) + "ms"));
    o.value().shutdown = Shutdown::timeout(task_shutdown);
    return start_link(ctx, std::move(o.value()));
}

StartResult<Pid> TaskSupervisor::start(Runtime& rt, TaskSupervisorOptions options) {
    return sup::start_dynamic_supervisor(rt, spec(options));
}

StartResult<Pid> TaskSupervisor::start(Runtime& rt, std::optional<std::int64_t> max_children) {
    auto o = options_of(max_children);
    if (!o)
        return StartResult<Pid>::make_failed(o.error());
    return start(rt, std::move(o.value()));
}

ChildSpec TaskSupervisor::child_spec(std::string id, TaskSupervisorOptions options) {
    return sup::worker<TaskSupervisor>(std::move(id), std::move(options))
        .with_type(ChildType::supervisor);
}

ChildSpec TaskSupervisor::child_spec(std::string id, std::optional<std::int64_t> max_children) {
    return sup::worker<TaskSupervisor>(std::move(id), max_children)
        .with_type(ChildType::supervisor);
}

std::vector<Pid> TaskSupervisor::children(const Pid& sup) {
    std::vector<Pid> out;
    auto r = sup::which_children(sup);
    if (!r)
        return out;
    for (const ChildInfo& c : r.value())
        if (c.pid)
            out.push_back(c.pid);
    return out;
}

SupResult<void> TaskSupervisor::terminate_child(const Pid& sup, const Pid& task) {
    return sup::terminate_child(sup, task);
}

} // namespace sup::std_lib
