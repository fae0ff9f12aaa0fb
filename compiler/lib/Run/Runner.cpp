// `supc run`: the checked tree on the runtime, its programs as process children; the
// supervision events as JSON lines; SIGTERM / SIGINT stop it in order.
#include "supc/Run.h"
#include "supc/ToRuntime.h"

#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fmt/format.h>
#include <llvm/Support/JSON.h>
#include <llvm/Support/raw_ostream.h>
#include <mutex>
#include <poll.h>
#include <sup/sup.hpp>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <unistd.h>

namespace supc::run {

namespace {

std::string what(const Node& n) {
    return fmt::format("'{}' ({} {})", n.path().empty() ? std::string(n.declName()) : n.path(),
                       n.kind == NodeKind::Worker ? "worker" : "C++ supervisor", n.declName());
}

void collectProblems(const Node& n, std::vector<Problem>& out) {
    if (n.kind == NodeKind::Worker && !n.program) {
        out.push_back({&n, fmt::format("{} is a C++ class: supc run runs programs and "
                                       "supervisors only",
                                       what(n))});
        return;
    }
    if (n.kind != NodeKind::Worker && (!n.supervisor || n.workerDecl())) {
        // A C++ supervisor (std.Pool, std.TaskSupervisor, ...): its children are actors.
        out.push_back({&n, fmt::format("{} is a C++ class: supc run runs programs and "
                                       "supervisors only",
                                       what(n))});
        return;
    }
    for (const auto& c : n.children)
        collectProblems(*c, out);
    if (n.templ)
        collectProblems(*n.templ, out);
}

sup::SupervisorSpec supervisorSpec(const Node& n);
sup::DynamicSupervisorSpec dynamicSpec(const Node& n);

sup::ChildSpec childSpec(const Node& n) {
    sup::ChildSpec s;
    if (n.program)
        s = sup::process(n.id, toRuntime(*n.program));
    else if (n.kind == NodeKind::DynamicSupervisor)
        s = sup::dynamic_supervisor(n.id, [&n] { return dynamicSpec(n); });
    else
        s = sup::supervisor(n.id, [&n] { return supervisorSpec(n); });
    applyChildSettings(n, s);
    return s;
}

sup::SupervisorSpec supervisorSpec(const Node& n) {
    sup::SupervisorSpec s;
    applySupervisorSettings(*n.supervisor, s);
    for (const auto& c : n.children)
        s.children.push_back(childSpec(*c));
    return s;
}

sup::DynamicSupervisorSpec dynamicSpec(const Node& n) {
    sup::DynamicSupervisorSpec s;
    applySupervisorSettings(*n.supervisor, s);
    // supc run starts no dynamic children (nothing supplies their start arguments): the
    // template is there for the runtime's checks and for start_child from elsewhere.
    if (n.templ && n.templ->program) {
        s.child = sup::dynamic_process(toRuntime(*n.templ->program));
        applyChildSettings(*n.templ, s.child);
    }
    return s;
}

std::string eventLine(std::string_view event, const std::string& path,
                      const sup::ExitReason* reason, int64_t ms) {
    std::string out;
    llvm::raw_string_ostream os(out);
    llvm::json::OStream j(os);
    j.object([&] {
        j.attribute("event", std::string(event));
        j.attribute("path", llvm::json::fixUTF8(path));
        if (reason)
            j.attribute("reason", llvm::json::fixUTF8(reason->to_string()));
        j.attribute("t_ms", ms);
    });
    os.flush();
    return out;
}

// Blocks SIGTERM and SIGINT in this thread while it lives (threads started meanwhile
// inherit the mask), and reads them from a signalfd.
class StopSignals {
public:
    StopSignals() {
        sigemptyset(&set_);
        sigaddset(&set_, SIGTERM);
        sigaddset(&set_, SIGINT);
        pthread_sigmask(SIG_BLOCK, &set_, &old_);
        fd_ = signalfd(-1, &set_, SFD_CLOEXEC);
    }
    ~StopSignals() {
        if (fd_ >= 0)
            close(fd_);
        pthread_sigmask(SIG_SETMASK, &old_, nullptr);
    }
    StopSignals(const StopSignals&) = delete;
    StopSignals& operator=(const StopSignals&) = delete;
    int fd() const { return fd_; }
    /// The signal read, or 0.
    int read() const {
        signalfd_siginfo info{};
        if (::read(fd_, &info, sizeof info) != sizeof info)
            return 0;
        return int(info.ssi_signo);
    }

private:
    sigset_t set_{}, old_{};
    int fd_ = -1;
};

} // namespace

std::vector<Problem> checkRunnable(const Tree& tree) {
    std::vector<Problem> out;
    if (tree.root)
        collectProblems(*tree.root, out);
    return out;
}

Outcome runTree(const Tree& tree, const Options& options) {
    StopSignals signals;
    if (signals.fd() < 0)
        return {Outcome::Kind::StartFailed,
                fmt::format("cannot wait for signals: {}", std::strerror(errno))};
    // Written when the root goes down; closed after the runtime (whose events write it).
    struct Fd {
        int fd;
        ~Fd() {
            if (fd >= 0)
                close(fd);
        }
    } rootDown{eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)};
    int rootDownFd = rootDown.fd;
    if (rootDownFd < 0)
        return {Outcome::Kind::StartFailed, fmt::format("eventfd: {}", std::strerror(errno))};

    sup::RuntimeOptions ro;
    ro.log_sink = options.log;
    sup::Runtime rt(ro);
    const auto t0 = std::chrono::steady_clock::now();
    std::atomic<bool> stopping{false};
    std::mutex m;
    std::string rootReason;
    auto ms = [&] {
        return int64_t(std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::steady_clock::now() - t0)
                           .count());
    };
    auto emit = [&](std::string_view event, const std::string& path,
                    const sup::ExitReason* reason) {
        if (options.event)
            options.event(eventLine(event, path, reason, ms()));
    };
    // The root's start is printed once, before anything the root does after its start (an
    // exit of one of its children can reach the root before start_tree returns), so that
    // the trace reads in OTP's order: the children's starts, the root's, what followed.
    std::mutex rootStartMutex;
    bool rootStartPrinted = false;
    auto printRootStart = [&] {
        std::lock_guard<std::mutex> l(rootStartMutex);
        if (!rootStartPrinted)
            emit("start", "", nullptr);
        rootStartPrinted = true;
    };
    auto sub = rt.events().subscribe([&](const sup::SupervisorEvent& e) {
        using K = sup::EventKind;
        if (e.supervisor_path.empty() && e.kind != K::child_started && e.kind != K::start_failed &&
            e.kind != K::child_ignored)
            printRootStart();
        switch (e.kind) {
        case K::child_started:
        case K::child_restarted:
            emit("start", e.path(), nullptr);
            break;
        case K::child_exited:
            emit("exit", e.path(), &e.reason);
            break;
        case K::child_terminated:
            emit("terminate", e.path(), &e.reason);
            break;
        case K::start_failed:
            emit("start_failed", e.path(), &e.reason);
            break;
        case K::give_up:
            emit("give_up", e.path(), nullptr);
            break;
        case K::restart_delayed:
            emit("restart_delayed", e.path(), nullptr);
            break;
        case K::supervisor_stopped:
            if (e.supervisor_path.empty()) {
                emit(stopping.load() ? "terminate" : "exit", "", &e.reason);
                {
                    std::lock_guard<std::mutex> l(m);
                    rootReason = e.reason.to_string();
                }
                uint64_t one = 1;
                [[maybe_unused]] ssize_t w = write(rootDownFd, &one, sizeof one);
            }
            break;
        default:
            break;
        }
    });

    const Node& root = *tree.root;
    sup::StartResult<sup::Tree> started = root.kind == NodeKind::DynamicSupervisor
                                              ? sup::start_tree(rt, dynamicSpec(root))
                                              : sup::start_tree(rt, supervisorSpec(root));
    if (!started.started())
        return {Outcome::Kind::StartFailed, started.reason().to_string()};
    printRootStart();
    sup::Tree running = started.value();

    pollfd fds[2] = {{signals.fd(), POLLIN, 0}, {rootDownFd, POLLIN, 0}};
    Outcome out;
    for (;;) {
        int n = poll(fds, 2, -1);
        if (n < 0 && errno == EINTR)
            continue;
        if (fds[1].revents & POLLIN) {
            std::lock_guard<std::mutex> l(m);
            out = {Outcome::Kind::RootDown, rootReason};
            break;
        }
        if (fds[0].revents & POLLIN) {
            int sig = signals.read();
            if (sig == 0)
                continue;
            if (options.note)
                options.note(fmt::format("stopping the tree on {}", sup::signal_name(sig)));
            stopping = true;
            running.stop();
            out = {Outcome::Kind::Stopped, ""};
            break;
        }
    }
    return out;
}

} // namespace supc::run
