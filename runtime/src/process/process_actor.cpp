#include "process/process_actor.hpp"

#include "access.hpp"
#include "cell.hpp"
#include "runtime_impl.hpp"
#include "sup/call.hpp"
#include "sup/supervisor.hpp"

#include <cerrno>
#include <chrono>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace sup::detail::proc {

namespace {

constexpr auto kGoneWait = std::chrono::seconds(30);

ExitReason bad(const std::string& what, const std::string& text) {
    return ExitReason::error("{" + what + ",\"" + text + "\"}");
}

/// Waits (real time, at most `limit`) until every process of `c` is gone. False on timeout.
bool wait_gone(Child& c, RuntimeImpl* rt, std::chrono::steady_clock::duration limit) {
    auto* g = new GoneWait;
    {
        std::lock_guard<std::mutex> l(c.m);
        if (c.gone) {
            g->release();
            return true;
        }
        g->retain();
        c.gone_waits.push_back(g);
    }
    CompletionBase::State st = g->wait_real(rt, std::chrono::steady_clock::now() + limit);
    g->release();
    return st == CompletionBase::done;
}

/// The command line and environment, as execvp would search and as the spec says.
struct Plan {
    LaunchArgs args;
    bool searched = false;
};

void erase_name(std::vector<std::string>& env, const std::string& name) {
    std::string prefix = name + "=";
    std::erase_if(env, [&](const std::string& e) { return e.rfind(prefix, 0) == 0; });
}

Plan make_plan(const ProcessSpec& s, const std::vector<std::string>& extra) {
    Plan p;
    std::vector<std::string>& env = p.args.envp;
    if (s.inherit_env)
        for (char** e = environ; e && *e; ++e)
            env.emplace_back(*e);
    // Ours to set: never inherited from the supervising program (which may itself run under
    // systemd with a NOTIFY_SOCKET of its own).
    erase_name(env, "NOTIFY_SOCKET");
    erase_name(env, "SUPC_PROCESS_TAG");
    for (const std::string& n : s.unset_env)
        erase_name(env, n);
    for (const auto& [n, v] : s.env) {
        erase_name(env, n);
        env.push_back(n + "=" + v);
    }
    if (s.command.find('/') != std::string::npos) {
        p.args.candidates.push_back(s.command);
    } else {
        std::string path = "/bin:/usr/bin"; // execvp's default
        for (const std::string& e : env)
            if (e.rfind("PATH=", 0) == 0)
                path = e.substr(5);
        std::size_t start = 0;
        for (;;) {
            std::size_t colon = path.find(':', start);
            std::string dir =
                path.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
            p.args.candidates.push_back((dir.empty() ? "." : dir) + "/" + s.command);
            if (colon == std::string::npos)
                break;
            start = colon + 1;
        }
        p.searched = true;
    }
    p.args.argv.push_back(s.argv0.empty() ? s.command : s.argv0);
    p.args.argv.insert(p.args.argv.end(), s.args.begin(), s.args.end());
    p.args.argv.insert(p.args.argv.end(), extra.begin(), extra.end());
    p.args.cwd = s.working_dir;
    return p;
}

/// The death hook: whatever way the actor dies, its processes die first.
class KillOnDeath final : public DeathHook {
public:
    KillOnDeath(std::shared_ptr<Service> s, std::shared_ptr<Child> c, std::shared_ptr<Sink> k)
        : service_(std::move(s)), child_(std::move(c)), sink_(std::move(k)) {}
    void on_death(const ExitReason&) noexcept override {
        bool gone;
        {
            std::lock_guard<std::mutex> l(child_->m);
            gone = child_->gone;
        }
        if (!gone) {
            service_->kill(child_);
            if (!wait_gone(*child_, child_->rt, kGoneWait) &&
                child_->rt->logger.enabled(LogLevel::error))
                child_->rt->logger.log("=ERROR REPORT====\n  processes of " + child_->path +
                                       " still run 30 s after SIGKILL (uninterruptible?); "
                                       "they will be reaped when they die\n");
        }
        drain(*child_, *sink_);
        std::lock_guard<std::mutex> l(sink_->m);
        sink_->detached = true;
    }

private:
    std::shared_ptr<Service> service_;
    std::shared_ptr<Child> child_;
    std::shared_ptr<Sink> sink_;
};

void write_all(int fd, const std::string& s) {
    std::size_t off = 0;
    while (off < s.size()) {
        ssize_t n = write(fd, s.data() + off, s.size() - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;
        off += static_cast<std::size_t>(n);
    }
}

} // namespace

// ---------------------------------------------------------------- output

Sink::~Sink() {
    if (file >= 0)
        close(file);
}

void drain(Child& c, Sink& s) {
    std::lock_guard<std::mutex> w(s.m);
    if (s.detached)
        return;
    std::deque<OutLine> batch;
    std::uint64_t lost_lines, lost_bytes;
    int pid;
    {
        std::lock_guard<std::mutex> l(c.m);
        batch.swap(c.lines);
        lost_lines = std::exchange(c.unreported_lines, 0);
        lost_bytes = std::exchange(c.unreported_bytes, 0);
        c.kick_pending = false;
        pid = c.os_pid;
    }
    const Logger& log = s.rt->logger;
    bool to_log = log.enabled(LogLevel::error);
    std::string head = c.path + "[" + std::to_string(pid) + "] ";
    std::string file;
    std::size_t bytes = 0;
    for (const OutLine& l : batch) {
        bytes += l.text.size() + 1;
        if (to_log)
            log.log(head + (l.err ? "stderr: " : "stdout: ") + l.text + "\n");
        if (s.file >= 0) {
            file += l.text;
            file += '\n';
        }
    }
    if (lost_lines) {
        std::string note = "[supc: " + std::to_string(lost_lines) + " lines (" +
                           std::to_string(lost_bytes) +
                           " bytes) of output dropped: the log did not keep up]";
        if (to_log)
            log.log(head + note + "\n");
        if (s.file >= 0)
            file += note + "\n";
    }
    if (!file.empty())
        write_all(s.file, file);
    std::lock_guard<std::mutex> l(c.m);
    c.queued -= bytes;
}

// ---------------------------------------------------------------- events from the reactor

void notify_output(Child& c) {
    sup::send(c.actor.as<ProcessActor>(), ProcessActor::OutputReady{});
}

void notify_exit(Child& c) {
    sup::send(c.actor.as<ProcessActor>(), ProcessActor::Exited{});
}

void notify_status(Child& c, std::string status) {
    {
        std::lock_guard<std::mutex> l(c.m);
        c.status = status;
    }
    sup::send(c.actor.as<ProcessActor>(), ProcessActor::Status{std::move(status)});
}

// ---------------------------------------------------------------- the actor

std::shared_ptr<Service> ProcessDef::service(std::string& why) {
    std::lock_guard<std::mutex> l(m_);
    if (!service_)
        service_ = Service::acquire(why);
    return service_;
}

ProcessActor::ProcessActor(std::shared_ptr<ProcessDef> def, std::vector<std::string> extra,
                           std::string path)
    : def_(std::move(def)), extra_(std::move(extra)), path_(std::move(path)) {}

InitResult ProcessActor::init() {
    const ProcessSpec& spec = def_->spec;
    if (std::optional<std::string> problem = check_process_spec(spec))
        return InitResult::stop(bad("bad_process_spec", *problem));
    RuntimeImpl* rt = impl_of(runtime());
    std::string why;
    service_ = def_->service(why);
    if (!service_)
        return InitResult::stop(bad("spawn_failed,service", why));
    child_ = service_->new_child(path_, spec, rt, self_pid(), why);
    if (!child_)
        return InitResult::stop(bad("spawn_failed,cgroup", why));
    sink_ = std::make_shared<Sink>();
    sink_->rt = rt;
    if (!spec.output.file.empty()) {
        sink_->file =
            open(spec.output.file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        if (sink_->file < 0)
            return InitResult::stop(
                bad("spawn_failed,output_file", spec.output.file + ": " + os_error(errno)));
    }
    set_death_hook(as_cell(Access::cell(*this)),
                   std::make_shared<KillOnDeath>(service_, child_, sink_));
    if (child_->serial == 1 && rt->logger.enabled(LogLevel::info))
        rt->logger.log("=INFO REPORT====\n    " + service_->describe() + "\n");

    Plan plan = make_plan(spec, extra_);
    service_->spawn(child_, std::move(plan.args), spec.command, plan.searched, spec.notify_socket);

    // Wait until it is started (executed, or ready) or has failed, writing its output to the
    // log meanwhile; the start timeout is on the runtime's clock.
    Clock::time_point now = rt->clock->now();
    bool infinite = spec.start_timeout > Clock::time_point::max() - now;
    Clock::time_point deadline = infinite ? Clock::time_point{} : now + spec.start_timeout;
    Child::Start outcome;
    ExitReason why_not;
    for (;;) {
        Wakeup* w = nullptr;
        bool lines;
        {
            std::lock_guard<std::mutex> l(child_->m);
            outcome = child_->start;
            why_not = child_->start_reason;
            if (outcome != Child::Start::pending)
                break;
            lines = !child_->lines.empty() || child_->unreported_lines;
            if (!lines) {
                w = new Wakeup;
                w->retain(); // the child's
                child_->start_waiter = w;
            }
        }
        if (lines) {
            drain(*child_, *sink_);
            continue;
        }
        CompletionBase::State st = w->wait(rt, deadline, infinite);
        {
            std::lock_guard<std::mutex> l(child_->m);
            if (child_->start_waiter == w) {
                child_->start_waiter = nullptr;
                w->release();
            }
            if (st == CompletionBase::timed_out && child_->start == Child::Start::pending)
                child_->start = Child::Start::timed_out; // decided: too late for READY=1
        }
        w->release();
    }
    if (outcome == Child::Start::ok)
        return InitResult::ok(); // later lines: the first handler writes them
    if (outcome == Child::Start::timed_out) {
        // Not started in time: a start failure, and nothing of it may survive.
        service_->kill(child_);
        wait_gone(*child_, rt, kGoneWait);
        auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(spec.start_timeout);
        why_not = ExitReason::error("{not_ready,{timeout," + std::to_string(ms.count()) + "}}");
    }
    drain(*child_, *sink_); // its last words
    return InitResult::stop(why_not);
}

bool ProcessActor::on_shutdown_request(const ExitReason& reason) {
    {
        std::lock_guard<std::mutex> l(child_->m);
        if (child_->gone)
            return true;
    }
    // As a gen_server owning a port whose terminate stops the program and waits for it: the
    // actor stops (with `reason`) once every process is gone; the supervisor's shutdown
    // timeout, if it expires first, kills the actor, and its death hook the processes.
    if (!stopping_) {
        stopping_ = true;
        stop_reason_ = reason;
        service_->stop(child_, def_->spec.stop_signal);
    }
    return false;
}

void ProcessActor::handle_info(OutputReady) {
    drain(*child_, *sink_);
}

void ProcessActor::handle_info(Exited) {
    drain(*child_, *sink_);
    bool known;
    int status;
    {
        std::lock_guard<std::mutex> l(child_->m);
        known = child_->status_known;
        status = child_->wait_status;
    }
    stop(stopping_ ? stop_reason_ : exit_reason_of(known, status));
}

void ProcessActor::handle_info(Status s) {
    const Logger& log = child_->rt->logger;
    if (log.enabled(LogLevel::info))
        log.log(path_ + "[" + std::to_string(child_->os_pid) +
                "] status: " + LineSplitter::printable(s.text, 0) + "\n");
}

ProcessInfo ProcessActor::handle_call(InfoReq) {
    ProcessInfo i;
    std::lock_guard<std::mutex> l(child_->m);
    i.path = path_;
    i.os_pid = child_->os_pid;
    i.ready = child_->ready;
    i.status = child_->status;
    i.containment = child_->containment;
    i.cgroup = child_->cgroup;
    i.lines = child_->n_lines;
    i.lines_dropped = child_->n_dropped;
    i.bytes_dropped = child_->bytes_dropped;
    i.lines_truncated = child_->n_truncated;
    return i;
}

bool ProcessActor::handle_call(SignalReq r) {
    {
        std::lock_guard<std::mutex> l(child_->m);
        if (child_->exited)
            return false;
    }
    service_->signal(child_, r.sig);
    return true;
}

} // namespace sup::detail::proc

// ---------------------------------------------------------------- the public API

namespace sup {

using detail::proc::ProcessActor;
using detail::proc::ProcessDef;

ChildSpec process(std::string id, ProcessSpec spec) {
    auto def = std::make_shared<ProcessDef>(std::move(spec));
    ChildSpec s;
    s.id = std::move(id);
    s.start = [def](StartContext& ctx) {
        return ctx.spawn_link<ProcessActor>(def, std::vector<std::string>{}, ctx.path());
    };
    return s;
}

ChildTemplate dynamic_process(ProcessSpec spec) {
    auto def = std::make_shared<ProcessDef>(std::move(spec));
    ChildTemplate t;
    t.start = [def](StartContext& ctx, const StartArgs& extra) -> StartResult<Pid> {
        std::vector<std::string> more;
        if (!extra.empty()) {
            using Args = std::tuple<std::vector<std::string>>;
            if (const auto* a = std::any_cast<Args>(&extra.value()))
                more = std::get<0>(*a);
            else if (!std::any_cast<std::tuple<>>(&extra.value()))
                return StartResult<Pid>::make_failed(ExitReason::error("bad start arguments"));
        }
        return ctx.spawn_link<ProcessActor>(def, std::move(more), ctx.path());
    };
    t.extra_args = &typeid(std::tuple<std::vector<std::string>>);
    return t;
}

Result<ProcessInfo, CallError> process_info(const Pid& child) {
    Ref<ProcessActor> r = child.as<ProcessActor>();
    if (!r)
        return sup::fail(CallError{});
    return sup::call(r, ProcessActor::InfoReq{});
}

bool signal_process(const Pid& child, int sig) {
    Ref<ProcessActor> r = child.as<ProcessActor>();
    if (!r)
        return false;
    CallResult<bool> ok = sup::call(r, ProcessActor::SignalReq{sig});
    return ok && ok.value();
}

bool set_process_service_options(ProcessServiceOptions options) {
    return detail::proc::Service::set_options(options);
}

bool process_service_running() {
    return detail::proc::Service::running();
}

} // namespace sup
