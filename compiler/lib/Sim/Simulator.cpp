// Running a script against the simulated tree on the real runtime.
//
// The runtime runs in deterministic mode (one scheduler thread, FIFO) on a virtual clock.
// The simulator's thread never runs actor code and never blocks on a supervisor: every
// run-time API call goes through a small agent actor, and after each script line the
// simulator waits for quiescence, advancing the clock while a supervisor waits for a hung
// child to stop (shutdown timeouts, its own or an ancestor's), so that the tree has settled
// before the next line.
#include "SimModel.h"
#include "supc/EditDistance.h"
#include "supc/TextEscape.h"
#include "supc/analysis/TreePath.h"

#include <atomic>
#include <fmt/format.h>
#include <llvm/Support/raw_ostream.h>
#include <map>
#include <mutex>
#include <sup/sup.hpp>
#include <unordered_map>

namespace supc::sim {

namespace {

using std::chrono::milliseconds;

/// What the script says about one child (a path), shared by all its incarnations.
struct Control {
    const SimNode* node = nullptr;
    std::string path;
    std::atomic<int64_t> failStarts{0};
    std::atomic<bool> hang{false};
    std::atomic<unsigned> hangLine{0};
};

/// The simulation stops: a script error at run time, or a tree that cannot settle.
struct Halt {
    SimResult::Status status;
    ScriptError error;
};

class Simulation;

/// A stand-in worker: starts (or fails to, when the script said fail_start), crashes or
/// stops when told, and ignores shutdown requests once told to hang.
class SimWorker : public sup::Actor<SimWorker> {
public:
    struct Crash {
        std::string reason;
    };
    struct Stop {
        sup::ExitReason reason;
    };
    SimWorker(std::shared_ptr<Control> control, Simulation* sim, sup::Pid parent)
        : control_(std::move(control)), sim_(sim), parent_(std::move(parent)) {}
    sup::InitResult init() override;
    bool on_shutdown_request(const sup::ExitReason& reason) override;
    void handle_cast(Crash c) { exit(sup::ExitReason::error(std::move(c.reason))); }
    void handle_cast(Stop s) { stop(std::move(s.reason)); }

private:
    std::shared_ptr<Control> control_;
    Simulation* sim_;
    sup::Pid parent_; // its supervisor
};

/// Runs the simulator's requests (run-time API calls) inside the runtime, so that a call
/// that blocks (terminate_child of a hung child) blocks an actor, not the simulator.
class Agent : public sup::Actor<Agent> {
public:
    struct Run {
        std::function<void()> fn;
    };
    void handle_cast(Run r) { r.fn(); }
};

// A JSON string of `s`, which may hold any bytes (a crash reason comes from the script):
// ill-formed UTF-8 becomes U+FFFD, so the trace is always valid UTF-8 (docs/sim.md).
std::string jsonString(std::string_view raw) {
    std::string s = toValidUtf8(raw);
    std::string out = "\"";
    for (unsigned char c : s) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (c < 0x20 || c == 0x7f)
                out += fmt::format("\\u{:04x}", unsigned(c));
            else
                out += char(c);
        }
    }
    return out + "\"";
}

std::string stateName(sup::ChildInfo::State s) {
    switch (s) {
    case sup::ChildInfo::State::running:
        return "running";
    case sup::ChildInfo::State::restarting:
        return "restarting";
    case sup::ChildInfo::State::undefined:
        return "stopped";
    }
    return "stopped";
}

class Simulation {
public:
    Simulation(const Model& model, const Script& script, llvm::raw_ostream& out,
               const SimOptions& options)
        : model_(model), script_(script), out_(out), options_(options) {}
    ~Simulation() { shutdownRuntime(); }

    SimResult run();

    // Called by actors, on the scheduler thread.
    std::shared_ptr<Control> control(const std::string& path, const SimNode* node);
    bool takeFailure(Control& c) {
        if (runaway_.load())
            return false;
        int64_t n = c.failStarts.load();
        while (n > 0 && !c.failStarts.compare_exchange_weak(n, n - 1)) {
        }
        return n > 0;
    }
    void noteIgnored(const sup::Pid& pid, const sup::Pid& parent, std::shared_ptr<Control> c) {
        std::lock_guard<std::mutex> l(m_);
        waits_.push_back({pid, parent, std::move(c)});
    }

private:
    /// A hung stand-in its supervisor waits for (until the stand-in or the supervisor dies).
    struct Wait {
        sup::Pid pid;
        sup::Pid parent;
        std::shared_ptr<Control> control;
    };
    struct Located {
        const SimNode* node = nullptr;
        sup::Pid parent;     // its supervisor (empty for the root)
        sup::ChildInfo info; // its id, pid and state in the supervisor
        bool dynamicChild = false;
    };

    // The tree as runtime specs, built at each (re)start from the model.
    sup::StartFn startFn(const SimNode& n);
    sup::ChildSpec childSpec(const SimNode& n);
    sup::SupervisorSpec supervisorSpec(const SimNode& n);
    sup::DynamicSupervisorSpec dynamicSpec(const SimNode& n);

    void onEvent(const sup::SupervisorEvent& e);
    void emit(std::string_view event, std::string_view path, const sup::ExitReason* reason,
              sup::Clock::time_point t);
    void flush();

    void execute(const Command& c);
    void settle(const Command* c);
    template <class F>
    auto onAgent(F f, const Command* c) -> decltype(f());
    Located locate(const Command& c);
    [[noreturn]] void fail(ScriptLoc at, std::string message) {
        throw Halt{SimResult::Status::BadScript, {at, std::move(message)}};
    }
    void shutdownRuntime();

    const Model& model_;
    const Script& script_;
    llvm::raw_ostream& out_;
    SimOptions options_;

    std::mutex m_; // guards what actors and the simulator share below
    std::unordered_map<std::string, std::shared_ptr<Control>> controls_;
    std::vector<Wait> waits_;
    std::string buffer_;                         // trace lines not yet written
    std::map<sup::Pid, uint64_t> lastDynamicId_; // per dynamic supervisor: the highest id started
    std::map<std::string, unsigned> deleted_;    // path -> line of its delete_child

    std::atomic<bool> stopping_{false}; // `stop` ran: the root's end is a terminate
    std::atomic<bool> rootDown_{false};
    std::atomic<bool> runaway_{false};
    std::atomic<size_t> lineEvents_{0};

    std::shared_ptr<sup::VirtualClock> clock_;
    sup::EventBus::Subscription sub_;
    sup::Pid root_;
    sup::Ref<Agent> agent_;
    std::unique_ptr<sup::Runtime> rt_; // last: destroyed first
};

sup::InitResult SimWorker::init() {
    if (sim_->takeFailure(*control_))
        return sup::InitResult::stop(sup::ExitReason::error("start failed"));
    return sup::InitResult::ok();
}

bool SimWorker::on_shutdown_request(const sup::ExitReason& reason) {
    if (!control_->hang.load())
        return true;
    // A supervisor waits for it: until its shutdown timeout, or forever (infinity), unless the
    // supervisor is killed meanwhile. (A request from a parent that was killed, reason
    // killed, has nobody waiting.)
    if (reason == sup::ExitReason::shutdown())
        sim_->noteIgnored(self_pid(), parent_, control_);
    return false;
}

std::shared_ptr<Control> Simulation::control(const std::string& path, const SimNode* node) {
    std::lock_guard<std::mutex> l(m_);
    auto& c = controls_[path];
    if (!c) {
        c = std::make_shared<Control>();
        c->path = path;
    }
    if (!c->node)
        c->node = node;
    return c;
}

// ---------------------------------------------------------------- specs

sup::StartFn Simulation::startFn(const SimNode& n) {
    const SimNode* node = &n;
    switch (n.kind) {
    case SimNode::Kind::Worker:
        return [this, node](sup::StartContext& ctx) {
            // The start function runs in the supervisor: sup::self() is the stand-in's parent.
            return ctx.spawn_link<SimWorker>(control(ctx.path(), node), this, sup::self());
        };
    case SimNode::Kind::Supervisor:
        return [this, node](sup::StartContext& ctx) -> sup::StartResult<sup::Pid> {
            if (takeFailure(*control(ctx.path(), node)))
                return sup::StartResult<sup::Pid>::make_failed(
                    sup::ExitReason::error("start failed"));
            return ctx.start_supervisor(supervisorSpec(*node));
        };
    case SimNode::Kind::Dynamic:
        return [this, node](sup::StartContext& ctx) -> sup::StartResult<sup::Pid> {
            if (takeFailure(*control(ctx.path(), node)))
                return sup::StartResult<sup::Pid>::make_failed(
                    sup::ExitReason::error("start failed"));
            return ctx.start_dynamic_supervisor(dynamicSpec(*node));
        };
    }
    return nullptr;
}

sup::ChildSpec Simulation::childSpec(const SimNode& n) {
    sup::ChildSpec s = n.spec;
    s.id = n.id;
    s.start = startFn(n);
    return s;
}

sup::SupervisorSpec Simulation::supervisorSpec(const SimNode& n) {
    sup::SupervisorSpec s;
    s.flags = n.supervisor.flags;
    s.children.reserve(n.children.size());
    for (const auto& c : n.children)
        s.children.push_back(childSpec(*c));
    return s;
}

sup::DynamicSupervisorSpec Simulation::dynamicSpec(const SimNode& n) {
    sup::DynamicSupervisorSpec s = n.supervisor;
    const SimNode& t = *n.templ;
    sup::StartFn fn = startFn(t);
    s.child = t.templSpec;
    s.child.start = [fn](sup::StartContext& ctx, const sup::StartArgs&) { return fn(ctx); };
    return s;
}

// ---------------------------------------------------------------- the trace

void Simulation::onEvent(const sup::SupervisorEvent& e) {
    if (runaway_.load())
        return;
    if (++lineEvents_ > options_.maxEventsPerLine) {
        runaway_ = true; // start functions stop failing: the loop ends
        return;
    }
    using K = sup::EventKind;
    switch (e.kind) {
    case K::child_started:
    case K::child_restarted: {
        if (!e.restart && analysis::isDynamicChildId(e.child_id)) {
            std::lock_guard<std::mutex> l(m_);
            uint64_t& last = lastDynamicId_[e.supervisor];
            last = std::max<uint64_t>(last, std::stoull(e.child_id));
        }
        emit("start", e.path(), nullptr, e.time);
        break;
    }
    case K::child_exited:
        emit("exit", e.path(), &e.reason, e.time);
        break;
    case K::child_terminated:
        emit("terminate", e.path(), &e.reason, e.time);
        break;
    case K::start_failed:
        emit("start_failed", e.path(), &e.reason, e.time);
        break;
    case K::give_up:
        emit("give_up", e.path(), nullptr, e.time);
        break;
    case K::supervisor_stopped:
        // The root's end: `stop` terminates it; giving up or auto_shutdown is its own exit.
        // Other supervisors' ends are reported by their parents.
        if (e.supervisor_path.empty()) {
            emit(stopping_.load() ? "terminate" : "exit", "", &e.reason, e.time);
            rootDown_ = true;
        }
        break;
    default: // child_ignored, shutdown_error, restart_delayed, auto_shutdown: not traced
        break;
    }
}

void Simulation::emit(std::string_view event, std::string_view path, const sup::ExitReason* reason,
                      sup::Clock::time_point t) {
    std::string line = "{\"event\":" + jsonString(event) + ",\"path\":" + jsonString(path);
    if (reason)
        line += ",\"reason\":" + jsonString(reason->to_string());
    if (options_.timestamps)
        line += fmt::format(",\"t_ms\":{}",
                            std::chrono::duration_cast<milliseconds>(t.time_since_epoch()).count());
    line += "}\n";
    std::lock_guard<std::mutex> l(m_);
    buffer_ += line;
    if (buffer_.size() > (1u << 20)) {
        out_ << buffer_;
        out_.flush();
        buffer_.clear();
    }
}

void Simulation::flush() {
    std::lock_guard<std::mutex> l(m_);
    out_ << buffer_;
    out_.flush();
    buffer_.clear();
}

// ---------------------------------------------------------------- settling

// Waits until every supervisor has finished reacting. A supervisor that waits for a hung
// child to stop waits on the clock: advance it to the next deadline (that child's shutdown
// timeout, or an ancestor's, which kills the waiting supervisor) and settle again. When
// supervisors still wait and no deadline is left, nothing can end the wait: a hung child whose
// shutdown is infinity, with only infinity above it.
void Simulation::settle(const Command* c) {
    for (;;) {
        rt_->wait_quiescent();
        if (runaway_.load()) {
            ScriptLoc at = c ? c->loc : ScriptLoc{};
            throw Halt{SimResult::Status::Stuck,
                       {at, fmt::format("the tree had not settled after {} events: a restart loop "
                                        "that does not end in reasonable time (a large fail_start "
                                        "under a large intensity?); the simulation stops here",
                                        options_.maxEventsPerLine)}};
        }
        std::vector<Wait> waits;
        {
            std::lock_guard<std::mutex> l(m_);
            std::erase_if(waits_,
                          [](const Wait& w) { return !w.pid.alive() || !w.parent.alive(); });
            waits = waits_;
        }
        if (waits.empty())
            return;
        auto next = clock_->next_deadline();
        if (!next) {
            const Wait* forever = &waits.front();
            for (const Wait& w : waits)
                if (w.control->node &&
                    w.control->node->shutdown().kind() == sup::Shutdown::Kind::infinity) {
                    forever = &w;
                    break;
                }
            std::string parent = forever->control->path.substr(
                0, forever->control->path.rfind('/') == std::string::npos
                       ? 0
                       : forever->control->path.rfind('/'));
            unsigned hangLine = forever->control->hangLine.load();
            throw Halt{SimResult::Status::Stuck,
                       {c ? c->loc : ScriptLoc{},
                        fmt::format("the tree cannot settle: {} waits forever for '{}' to stop: "
                                    "it ignores shutdown requests ('hang'{}) and its shutdown "
                                    "is infinity (OTP would wait forever too); the simulation "
                                    "stops here",
                                    parent.empty() ? std::string("the root") : "'" + parent + "'",
                                    forever->control->path,
                                    hangLine ? fmt::format(" at line {}", hangLine) : "")}};
        }
        if (std::chrono::duration_cast<milliseconds>(next->time_since_epoch()).count() >
            kMaxVirtualTimeMs) {
            throw Halt{SimResult::Status::Stuck,
                       {c ? c->loc : ScriptLoc{},
                        fmt::format("the tree cannot settle: a supervisor waits for '{}' to stop "
                                    "past the simulator's clock limit (1000000h)",
                                    waits.front().control->path)}};
        }
        clock_->advance_to_next();
    }
}

template <class F>
auto Simulation::onAgent(F f, const Command* c) -> decltype(f()) {
    using R = decltype(f());
    auto slot = std::make_shared<std::optional<R>>();
    auto m = std::make_shared<std::mutex>();
    sup::cast(agent_, Agent::Run{[f, slot, m] {
                  R r = f();
                  std::lock_guard<std::mutex> l(*m);
                  *slot = std::move(r);
              }});
    settle(c);
    std::lock_guard<std::mutex> l(*m);
    if (!*slot) // cannot happen once settled; never hang on it
        throw Halt{SimResult::Status::Stuck,
                   {c ? c->loc : ScriptLoc{}, "the tree did not answer (internal error)"}};
    return std::move(**slot);
}

// ---------------------------------------------------------------- commands

Simulation::Located Simulation::locate(const Command& c) {
    Located at;
    at.node = model_.root.get();
    at.info.pid = root_;
    at.info.state = sup::ChildInfo::State::running;
    if (c.path.empty())
        return at;
    std::string_view rest = c.path;
    std::string sofar;
    sup::Pid sup = root_;
    for (;;) {
        size_t slash = rest.find('/');
        std::string id(rest.substr(0, slash));
        rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
        std::string full = sofar.empty() ? id : sofar + "/" + id;
        auto kids = onAgent([sup] { return sup::which_children(sup); }, &c);
        if (!kids)
            fail(c.pathLoc, fmt::format("'{}' is not running, so neither is '{}'",
                                        sofar.empty() ? std::string("the root") : sofar, c.path));
        bool dynamic = at.node->kind == SimNode::Kind::Dynamic;
        const sup::ChildInfo* found = nullptr;
        for (const auto& k : *kids)
            if (k.id == id)
                found = &k;
        if (!found) {
            std::string msg = fmt::format("'{}' does not exist now", full);
            if (dynamic) {
                std::vector<std::string> ids;
                for (auto it = kids->rbegin(); it != kids->rend(); ++it)
                    ids.push_back(it->id);
                msg += ids.empty() ? fmt::format(": '{}' has no children", sofar)
                                   : fmt::format(": the children of '{}' are {}", sofar,
                                                 fmt::join(ids, ", "));
            } else if (auto d = deleted_.find(full); d != deleted_.end()) {
                msg += fmt::format(": it was deleted at line {}", d->second);
            } else if (const SimNode* n = at.node->child(id);
                       n && n->restart() == sup::Restart::temporary) {
                msg += ": it is temporary and has stopped (a supervisor forgets temporary "
                       "children once they stop)";
            }
            fail(c.pathLoc, msg);
        }
        at.parent = sup;
        at.info = *found;
        at.dynamicChild = dynamic;
        at.node = dynamic ? at.node->templ.get() : at.node->child(id);
        if (rest.empty())
            return at;
        if (found->state != sup::ChildInfo::State::running)
            fail(c.pathLoc,
                 fmt::format("'{}' is {}, so '{}' does not exist now", full,
                             stateName(found->state) == "stopped" ? "not running" : "restarting",
                             c.path));
        sup = found->pid;
        sofar = full;
    }
}

void Simulation::execute(const Command& c) {
    auto running = [&](const Located& at) {
        if (at.info.state == sup::ChildInfo::State::running && at.info.pid)
            return;
        fail(c.pathLoc,
             fmt::format("cannot {} '{}': it is {}{}", name(c.op), c.path,
                         at.info.state == sup::ChildInfo::State::restarting ? "restarting"
                                                                            : "not running",
                         at.info.state == sup::ChildInfo::State::restarting
                             ? " (its restart waits for the backoff delay)"
                             : ""));
    };
    switch (c.op) {
    case Op::Crash: {
        Located at = locate(c);
        running(at);
        sup::Pid pid = at.info.pid;
        if (at.node->isStandIn()) {
            std::string reason = c.reason;
            onAgent(
                [pid, reason] { return sup::cast(pid.as<SimWorker>(), SimWorker::Crash{reason}); },
                &c);
        } else {
            onAgent(
                [pid] {
                    sup::kill(pid);
                    return true;
                },
                &c);
        }
        break;
    }
    case Op::Exit: {
        Located at = locate(c);
        running(at);
        sup::Pid pid = at.info.pid;
        sup::ExitReason why =
            c.reason == "normal" ? sup::ExitReason::normal() : sup::ExitReason::shutdown();
        onAgent([pid, why] { return sup::cast(pid.as<SimWorker>(), SimWorker::Stop{why}); }, &c);
        break;
    }
    case Op::Hang: {
        Located at = locate(c);
        auto ctl = control(c.path, at.node);
        ctl->hangLine = c.loc.line;
        ctl->hang = true;
        break;
    }
    case Op::FailStart: {
        // An existing child, or the next child a dynamic supervisor will start.
        std::string parentPath =
            c.path.substr(0, c.path.rfind('/') == std::string::npos ? 0 : c.path.rfind('/'));
        PathTarget t = resolve(model_, c.path);
        const SimNode* node = t.node;
        if (t.dynamicChild) {
            Command parent = c;
            parent.path = parentPath;
            Located sup = locate(parent);
            if (sup.info.state != sup::ChildInfo::State::running)
                fail(c.pathLoc,
                     fmt::format("'{}' is not running, so '{}' does not exist now",
                                 parentPath.empty() ? std::string("the root") : parentPath,
                                 c.path));
            std::string id = c.path.substr(parentPath.empty() ? 0 : parentPath.size() + 1);
            uint64_t next = 1;
            {
                std::lock_guard<std::mutex> l(m_);
                if (auto it = lastDynamicId_.find(sup.info.pid); it != lastDynamicId_.end())
                    next = it->second + 1;
            }
            if (id != std::to_string(next))
                locate(c); // an existing child, or an error
        } else {
            locate(c);
        }
        control(c.path, node)->failStarts = c.count;
        break;
    }
    case Op::StartChild: {
        Located at = locate(c);
        running(at);
        sup::Pid pid = at.info.pid;
        auto r = onAgent([pid] { return sup::start_child(pid); }, &c);
        if (!r && r.error().code == sup::SupError::Code::max_children)
            fail(c.loc,
                 fmt::format("'{}' refuses to start another child: it has max_children = {} "
                             "(start_child returns {{error, max_children}})",
                             c.path,
                             at.node->supervisor.max_children ? *at.node->supervisor.max_children
                                                              : 0));
        if (!r && r.error().code != sup::SupError::Code::start_failed)
            fail(c.loc,
                 fmt::format("start_child of '{}' failed: {}", c.path, r.error().to_string()));
        // start_failed: the trace shows it (fail_start said so).
        break;
    }
    case Op::TerminateChild: {
        Located at = locate(c);
        sup::Pid parent = at.parent;
        sup::SupResult<void> r;
        if (at.dynamicChild) {
            if (at.info.state != sup::ChildInfo::State::running)
                fail(c.pathLoc, fmt::format("cannot terminate '{}' while it is restarting (its "
                                            "restart waits for the backoff delay)",
                                            c.path));
            sup::Pid pid = at.info.pid;
            r = onAgent([parent, pid] { return sup::terminate_child(parent, pid); }, &c);
        } else {
            std::string id = at.info.id;
            r = onAgent([parent, id] { return sup::terminate_child(parent, id); }, &c);
        }
        if (!r)
            fail(c.pathLoc, fmt::format("terminate_child '{}': {}", c.path, r.error().to_string()));
        break;
    }
    case Op::RestartChild: {
        Located at = locate(c);
        sup::Pid parent = at.parent;
        std::string id = at.info.id;
        auto r = onAgent([parent, id] { return sup::restart_child(parent, id); }, &c);
        if (!r) {
            auto code = r.error().code;
            if (code == sup::SupError::Code::running)
                fail(c.loc, fmt::format("restart_child '{}': it is running (OTP returns {{error, "
                                        "running}}; terminate_child it first)",
                                        c.path));
            if (code == sup::SupError::Code::restarting)
                fail(c.loc, fmt::format("restart_child '{}': it is restarting (OTP returns "
                                        "{{error, restarting}})",
                                        c.path));
            if (code != sup::SupError::Code::start_failed)
                fail(c.loc, fmt::format("restart_child '{}': {}", c.path, r.error().to_string()));
        }
        break;
    }
    case Op::DeleteChild: {
        Located at = locate(c);
        sup::Pid parent = at.parent;
        std::string id = at.info.id;
        auto r = onAgent([parent, id] { return sup::delete_child(parent, id); }, &c);
        if (!r) {
            auto code = r.error().code;
            fail(c.loc, fmt::format(
                            "delete_child '{}': it is {} (OTP returns {{error, {}}}; a "
                            "child must be stopped first, with terminate_child)",
                            c.path, code == sup::SupError::Code::running ? "running" : "restarting",
                            code == sup::SupError::Code::running ? "running" : "restarting"));
        }
        deleted_[c.path] = c.loc.line;
        break;
    }
    case Op::Advance: {
        int64_t now =
            std::chrono::duration_cast<milliseconds>(clock_->now().time_since_epoch()).count();
        if (c.durationMs > kMaxVirtualTimeMs - now)
            fail(c.loc, fmt::format(
                            "the simulator's clock cannot go past 1000000h (it is at {} ms)", now));
        clock_->advance(milliseconds(c.durationMs));
        break;
    }
    case Op::Stop:
        stopping_ = true;
        (void)rt_->stop(root_, sup::ExitReason::shutdown(), sup::Clock::duration::zero());
        break;
    }
    settle(&c);
}

void Simulation::shutdownRuntime() {
    sub_.reset();
    if (rt_) {
        rt_->shutdown();
        rt_.reset();
    }
}

SimResult Simulation::run() {
    SimResult result;
    clock_ = std::make_shared<sup::VirtualClock>();
    sup::RuntimeOptions o;
    o.threads = 1;
    o.deterministic = true;
    o.clock = clock_;
    o.log_level = sup::LogLevel::none;
    o.call_timeout = sup::infinity;
    rt_ = std::make_unique<sup::Runtime>(o);
    sub_ = rt_->events().subscribe([this](const sup::SupervisorEvent& e) { onEvent(e); });
    agent_ = rt_->spawn<Agent>().value();

    const SimNode& root = *model_.root;
    sup::StartResult<sup::Pid> started =
        root.kind == SimNode::Kind::Dynamic ? sup::start_dynamic_supervisor(*rt_, dynamicSpec(root))
                                            : sup::start_supervisor(*rt_, supervisorSpec(root));
    rt_->wait_quiescent();
    if (!started.started()) {
        sup::ExitReason why =
            started.failed() ? started.reason() : sup::ExitReason::error("ignore");
        emit("start_failed", "", &why, clock_->now());
        flush();
        shutdownRuntime();
        return result;
    }
    root_ = started.value();
    emit("start", "", nullptr, clock_->now());
    flush();

    size_t i = 0;
    try {
        settle(nullptr);
        for (; i < script_.commands.size(); ++i) {
            const Command& c = script_.commands[i];
            lineEvents_ = 0;
            execute(c);
            flush();
            if (rootDown_.load()) {
                if (c.op != Op::Stop && i + 1 < script_.commands.size()) {
                    const Command& next = script_.commands[i + 1];
                    result.notes.push_back(
                        {next.loc, fmt::format("the root went down at line {}: the {} remaining "
                                               "command{} did not run",
                                               c.loc.line, script_.commands.size() - i - 1,
                                               script_.commands.size() - i - 1 == 1 ? "" : "s")});
                }
                break;
            }
        }
    } catch (const Halt& h) {
        flush();
        result.status = h.status;
        result.errors.push_back(h.error);
    }
    flush();
    shutdownRuntime();
    return result;
}

} // namespace

SimResult simulate(const Model& model, const Script& script, llvm::raw_ostream& out,
                   const SimOptions& options) {
    Simulation sim(model, script, out, options);
    return sim.run();
}

} // namespace supc::sim
