#include "process/service.hpp"

#include "process/notify.hpp"
#include "process/proc_table.hpp"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <unordered_set>

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

namespace sup::detail::proc {

namespace {

// ---------------------------------------------------------------- the one service

struct Global {
    std::mutex m;
    std::weak_ptr<Service> current;
    ProcessServiceOptions options;
    int alive = 0;       // services constructed and not yet fully stopped
    std::uint64_t n = 0; // services started so far (names them)
};
Global& global() {
    static Global* g = new Global; // never destroyed: services may outlive static destruction
    return *g;
}

// ---------------------------------------------------------------- SIGCHLD fallback

// The self-pipe the SIGCHLD handler writes to. Made once with the handler and never closed:
// a handler may run on any thread at any time, and a closed (or reused) descriptor there would
// be a write into who knows what. A service reads it while it runs (and drains it first).
int g_sigchld_pipe[2] = {-1, -1};
struct sigaction g_prev_chld;

void on_sigchld_signal(int sig, siginfo_t* info, void* ctx) {
    int saved = errno;
    char b = 0;
    ssize_t r = write(g_sigchld_pipe[1], &b, 1); // non-blocking: a full pipe has said it already
    (void)r;
    if (g_prev_chld.sa_flags & SA_SIGINFO) {
        if (g_prev_chld.sa_sigaction)
            g_prev_chld.sa_sigaction(sig, info, ctx);
    } else if (g_prev_chld.sa_handler != SIG_DFL && g_prev_chld.sa_handler != SIG_IGN) {
        g_prev_chld.sa_handler(sig);
    }
    errno = saved;
}

/// The read end of the self-pipe, the handler installed (once); -1 if no pipe could be made.
int sigchld_pipe() {
    static std::once_flag once;
    std::call_once(once, [] {
        if (pipe2(g_sigchld_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
            return;
        struct sigaction sa {};
        sa.sa_sigaction = on_sigchld_signal;
        sa.sa_flags = SA_SIGINFO | SA_RESTART | SA_NOCLDSTOP;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGCHLD, &sa, &g_prev_chld);
    });
    return g_sigchld_pipe[0];
}

// ---------------------------------------------------------------- the guardian

// $1: the container cgroup ("" if none); $2: the service's token (the tags' prefix).
// Its stdin is a pipe whose only writer is the supervising program: end of file means the
// program has stopped (then nothing is left to kill) or died (then this kills what is left).
const char* const kGuardianScript = R"SH(
trap '' HUP INT TERM QUIT PIPE USR1 USR2 ALRM
container=$1 token=$2
while read -r _; do :; done
if [ -n "$container" ] && [ -d "$container" ]; then
  if [ -e "$container/cgroup.kill" ]; then
    echo 1 > "$container/cgroup.kill" 2>/dev/null
  else
    find "$container" -name cgroup.procs -exec cat {} + 2>/dev/null | xargs -r kill -KILL 2>/dev/null
  fi
fi
i=0
while [ $i -lt 40 ]; do
  pids=$(grep -lsz "^SUPC_PROCESS_TAG=$token\." /proc/[0-9]*/environ 2>/dev/null | cut -d/ -f3)
  [ -n "$pids" ] || break
  kill -KILL $pids 2>/dev/null
  i=$((i + 1))
  sleep 0.05
done
if [ -n "$container" ]; then
  i=0
  while [ -d "$container" ] && [ $i -lt 100 ]; do
    find "$container" -mindepth 1 -depth -type d -exec rmdir {} + 2>/dev/null
    rmdir "$container" 2>/dev/null && break
    i=$((i + 1))
    sleep 0.05
  done
fi
)SH";

std::string sanitize(const std::string& s, std::size_t max) {
    std::string o;
    for (char c : s) {
        if (o.size() >= max)
            break;
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '.' || c == '_';
        o += ok ? c : '_';
    }
    return o;
}

void close_fd(int& fd) {
    if (fd >= 0)
        close(fd);
    fd = -1;
}

ExitReason spawn_failed(const char* stage, const std::string& text) {
    return ExitReason::error(std::string("{spawn_failed,") + stage + ",\"" + text + "\"}");
}

} // namespace

ExitReason exit_reason_of(bool known, int st) {
    if (!known)
        return ExitReason::error("{exit_status,unknown}");
    if (WIFEXITED(st)) {
        if (WEXITSTATUS(st) == 0)
            return ExitReason::normal();
        return ExitReason::error("{exit_status," + std::to_string(WEXITSTATUS(st)) + "}");
    }
    if (WIFSIGNALED(st))
        return ExitReason::error("{signal," + signal_name(WTERMSIG(st)) + "}");
    return ExitReason::error("{exit_status,unknown}");
}

// ---------------------------------------------------------------- per child, reactor side

struct Service::RChild {
    explicit RChild(std::size_t max_line) : out_lines(max_line), err_lines(max_line) {}
    std::shared_ptr<Child> c;
    pid_t pid = -1;
    int pidfd = -1, errpipe = -1, out = -1, err = -1, notify = -1;
    std::string notify_path;
    std::optional<ChildCgroup> cg;
    LineSplitter out_lines, err_lines;
    std::string command; // for error messages
    bool searched = false;
    std::vector<std::string> candidates;
    std::string cwd;
    std::optional<ExecFailure> failure;
    bool exec_done = false, ready_seen = false, exited = false, cleaning = false;
    bool stopping = false;       // the stop signal was sent
    bool grace = false;          // the main process has exited; its group may finish
    bool kill_requested = false; // SIGKILL everything
    bool populated = true;
    bool status_known = false;
    int status = 0;
    std::size_t targets = 0; // pending kill targets
    std::unordered_set<pid_t> target_pids;
    int rescans = 0;
};

// ---------------------------------------------------------------- life

bool Service::set_options(const ProcessServiceOptions& o) {
    Global& g = global();
    std::lock_guard<std::mutex> l(g.m);
    if (g.alive)
        return false;
    g.options = o;
    return true;
}

bool Service::running() {
    Global& g = global();
    std::lock_guard<std::mutex> l(g.m);
    return g.alive > 0;
}

std::shared_ptr<Service> Service::acquire(std::string& why) {
    Global& g = global();
    std::shared_ptr<Service> s;
    {
        std::lock_guard<std::mutex> l(g.m);
        if (std::shared_ptr<Service> running = g.current.lock())
            return running;
        s.reset(new Service(g.options));
        ++g.alive;
        if (s->start(why)) {
            g.current = s;
            return s;
        }
    }
    s.reset(); // outside the lock: the destructor undoes what start did and counts it out
    return nullptr;
}

Service::Service(const ProcessServiceOptions& o) : opts_(o) {}

bool Service::start(std::string& why) {
    Global& g = global();
    std::optional<ProcEntry> me = read_proc(getpid());
    token_ = std::to_string(getpid()) + "-" + std::to_string(me ? me->start_time : 0) + "-" +
             std::to_string(++g.n);

    ep_ = epoll_create1(EPOLL_CLOEXEC);
    wake_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (ep_ < 0 || wake_ < 0) {
        why = "epoll: " + os_error(errno);
        return false;
    }
    watch(wake_, k_wake, EPOLLIN);

    // Exits: pidfds if this kernel has them, else SIGCHLD.
    use_pidfd_ = opts_.use_pidfd;
    if (use_pidfd_) {
        int self = pidfd_open(getpid());
        if (self < 0)
            use_pidfd_ = false;
        else
            close(self);
    }
    // Process 1 receives every orphan whatever it does: it must reap them.
    reap_orphans_ = opts_.reap_orphans || getpid() == 1;
    if (!use_pidfd_ || reap_orphans_) {
        sigchld_rd_ = sigchld_pipe();
        if (sigchld_rd_ < 0) {
            why = "pipe: " + os_error(errno);
            return false;
        }
        watch(sigchld_rd_, k_sigchld, EPOLLIN);
        // Without pidfds, the deaths of the descendants it kills reach it only as SIGCHLD:
        // they must be its children. (With pidfds nothing needs it: a descendant is watched
        // by its pidfd whoever its parent is, and reaped by that parent, or init.)
        need_subreaper();
    }

    // Many children, several descriptors each: raise the soft limit (children get theirs back).
    if (getrlimit(RLIMIT_NOFILE, &nofile_) == 0 && nofile_.rlim_cur < nofile_.rlim_max) {
        struct rlimit r = nofile_;
        r.rlim_cur = r.rlim_max == RLIM_INFINITY ? 1048576 : std::min<rlim_t>(r.rlim_max, 1048576);
        if (r.rlim_cur > nofile_.rlim_cur && setrlimit(RLIMIT_NOFILE, &r) == 0)
            raised_nofile_ = true;
    }

    if (opts_.use_cgroups) {
        if (std::optional<CgroupContainer> c =
                CgroupContainer::create(opts_.cgroup_parent, "supc-" + token_, cgroup_why_))
            cgroups_.emplace(std::move(*c));
        if (cgroups_) {
            // What services of programs that died left behind.
            for (const std::string& dir : stale_containers(cgroups_->parent_dir())) {
                kill_cgroup(dir, cgroups_->has_kill());
                if (remove_cgroup_tree(dir))
                    continue;
                int fd = open((dir + "/cgroup.events").c_str(), O_RDONLY | O_CLOEXEC);
                if (fd < 0)
                    continue;
                std::uint64_t id = next_target_++;
                stale_[id] = {fd, dir};
                cgroup_populated(fd);
                watch(fd, (id << 8) | k_stale, EPOLLPRI);
            }
        }
    } else {
        cgroup_why_ = "cgroups are switched off";
    }
    if (opts_.guardian)
        spawn_guardian();
    thread_ = std::thread([this] { run(); });
    return true;
}

Service::~Service() {
    if (thread_.joinable()) {
        Command q;
        q.kind = Command::quit;
        submit(std::move(q));
        thread_.join();
    } else {
        stop_reactor();
    }
    Global& g = global();
    std::lock_guard<std::mutex> l(g.m);
    --g.alive;
}

void Service::need_subreaper() {
    static std::once_flag once;
    std::call_once(once, [] { prctl(PR_SET_CHILD_SUBREAPER, 1); });
}

void Service::spawn_guardian() {
    int p[2];
    if (pipe2(p, O_CLOEXEC) < 0)
        return;
    LaunchArgs a;
    a.candidates = {"/bin/sh"};
    a.argv = {"/bin/sh", "-c", kGuardianScript, "supc-guardian", cgroups_ ? cgroups_->dir() : "",
              token_};
    a.envp = {"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C"};
    a.cwd = "/";
    int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
    a.stdin_fd = p[0];
    a.stdout_fd = devnull;
    a.stderr_fd = devnull;
    a.new_session = true;      // out of reach of signals to our process group
    a.die_with_parent = false; // it must outlive us: that is its point
    if (raised_nofile_) {
        a.restore_nofile = true;
        a.nofile = nofile_;
    }
    Launched l = launch(a, use_pidfd_);
    close(p[0]);
    close_fd(devnull);
    if (l.pid < 0) {
        close(p[1]);
        return;
    }
    // Did /bin/sh start? (Blocking is fine: the reactor does not run yet.)
    ExecFailure f;
    ssize_t n;
    do {
        n = read(l.errpipe, &f, sizeof f);
    } while (n < 0 && errno == EINTR);
    close(l.errpipe);
    if (n > 0) {
        close(p[1]);
        if (l.pidfd >= 0)
            close(l.pidfd);
        while (waitpid(l.pid, nullptr, 0) < 0 && errno == EINTR) {
        }
        return;
    }
    guardian_fd_ = p[1];
    guardian_pid_ = l.pid;
    guardian_pidfd_ = l.pidfd;
    if (guardian_pidfd_ >= 0)
        watch(guardian_pidfd_, k_guardian, EPOLLIN);
}

std::string Service::describe() const {
    std::string s = "process service: exits by ";
    s += use_pidfd_ ? "pidfd" : "SIGCHLD";
    s += "; cgroups: ";
    s += cgroups_ ? cgroups_->dir() : "none (" + cgroup_why_ + ")";
    s += "; guardian: ";
    s += guardian_pid_ > 0 ? "pid " + std::to_string(guardian_pid_) : std::string("none");
    if (reap_orphans_)
        s += "; reaps orphans";
    return s;
}

// ---------------------------------------------------------------- requests (any thread)

std::shared_ptr<Child> Service::new_child(const std::string& path, const ProcessSpec& spec,
                                          RuntimeImpl* rt, Pid actor, std::string& why) {
    auto c = std::make_shared<Child>();
    c->serial = next_serial_.fetch_add(1);
    c->path = path;
    c->tag = token_ + "." + std::to_string(c->serial);
    c->output = spec.output;
    c->readiness = spec.readiness;
    c->rt = rt;
    c->actor = std::move(actor);
    switch (spec.containment) {
    case Containment::cgroup:
        if (!cgroups_) {
            why = "no cgroup for it: " + cgroup_why_;
            return nullptr;
        }
        c->containment = Containment::cgroup;
        break;
    case Containment::automatic:
        c->containment = cgroups_ ? Containment::cgroup : Containment::process_tree;
        break;
    case Containment::process_tree:
        c->containment = Containment::process_tree;
        break;
    }
    return c;
}

void Service::submit(Command c) {
    {
        std::lock_guard<std::mutex> l(m_);
        commands_.push_back(std::move(c));
    }
    std::uint64_t one = 1;
    ssize_t r = write(wake_, &one, sizeof one);
    (void)r;
}

void Service::spawn(const std::shared_ptr<Child>& c, LaunchArgs args, const std::string& command,
                    bool searched, NotifySocket notify) {
    Command cmd;
    cmd.kind = Command::spawn;
    cmd.child = c;
    cmd.args = std::move(args);
    cmd.command = command;
    cmd.searched = searched;
    cmd.notify = notify;
    submit(std::move(cmd));
}

void Service::stop(const std::shared_ptr<Child>& c, int sig) {
    Command cmd;
    cmd.kind = Command::stop;
    cmd.child = c;
    cmd.sig = sig;
    submit(std::move(cmd));
}

void Service::kill(const std::shared_ptr<Child>& c) {
    Command cmd;
    cmd.kind = Command::kill;
    cmd.child = c;
    submit(std::move(cmd));
}

void Service::signal(const std::shared_ptr<Child>& c, int sig) {
    Command cmd;
    cmd.kind = Command::signal;
    cmd.child = c;
    cmd.sig = sig;
    submit(std::move(cmd));
}

// ---------------------------------------------------------------- the reactor

void Service::watch(int fd, std::uint64_t key, std::uint32_t events) {
    epoll_event ev{};
    ev.events = events;
    ev.data.u64 = key;
    epoll_ctl(ep_, EPOLL_CTL_ADD, fd, &ev);
}

void Service::unwatch(int& fd) {
    if (fd < 0)
        return;
    epoll_ctl(ep_, EPOLL_CTL_DEL, fd, nullptr);
    close_fd(fd);
}

void Service::run() {
    epoll_event evs[64];
    while (!quit_) {
        int n = epoll_wait(ep_, evs, 64, -1);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        for (int i = 0; i < n && !quit_; ++i) {
            std::uint64_t key = evs[i].data.u64;
            std::uint64_t id = key >> 8;
            auto kind = static_cast<Key>(key & 0xff);
            if (kind == k_wake) {
                handle_commands();
                continue;
            }
            if (kind == k_sigchld) {
                on_sigchld();
                continue;
            }
            if (kind == k_target) {
                on_target(id);
                continue;
            }
            if (kind == k_guardian) {
                // Someone killed it: reap it; the program runs on without one.
                siginfo_t si{};
                waitid(static_cast<idtype_t>(P_PIDFD), guardian_pidfd_, &si, WEXITED | WNOHANG);
                unwatch(guardian_pidfd_);
                close_fd(guardian_fd_);
                guardian_pid_ = -1;
                continue;
            }
            if (kind == k_stale) {
                auto it = stale_.find(id);
                if (it != stale_.end() && !cgroup_populated(it->second.first) &&
                    remove_cgroup_tree(it->second.second)) {
                    unwatch(it->second.first);
                    stale_.erase(it);
                }
                continue;
            }
            auto it = children_.find(id);
            if (it == children_.end())
                continue;
            RChild& r = *it->second;
            switch (kind) {
            case k_errpipe:
                on_errpipe(r);
                break;
            case k_pidfd:
                on_main_exit(r);
                break;
            case k_out:
                on_output(r, false);
                break;
            case k_err:
                on_output(r, true);
                break;
            case k_notify:
                on_notify(r);
                break;
            case k_cgroup:
                on_cgroup(r);
                break;
            default:
                break;
            }
        }
    }
    stop_reactor();
}

void Service::handle_commands() {
    std::uint64_t v;
    ssize_t rd = read(wake_, &v, sizeof v);
    (void)rd;
    std::vector<Command> cmds;
    {
        std::lock_guard<std::mutex> l(m_);
        cmds.swap(commands_);
    }
    for (Command& cmd : cmds) {
        if (cmd.kind == Command::quit) {
            quit_ = true;
            return;
        }
        if (cmd.kind == Command::spawn) {
            do_spawn(cmd);
            continue;
        }
        auto it = children_.find(cmd.child->serial);
        if (it == children_.end())
            continue; // gone already
        RChild& r = *it->second;
        switch (cmd.kind) {
        case Command::stop:
            do_stop(r, cmd.sig);
            break;
        case Command::kill:
            do_kill(r);
            break;
        case Command::signal:
            if (!r.exited)
                ::kill(r.pid, cmd.sig);
            break;
        default:
            break;
        }
    }
}

std::string Service::notify_name(std::uint64_t serial, NotifySocket kind) {
    if (kind == NotifySocket::abstract)
        return "supc/" + token_ + "/" + std::to_string(serial);
    if (notify_dir_.empty()) {
        const char* base = std::getenv("XDG_RUNTIME_DIR");
        std::string b = base && *base && access(base, W_OK) == 0 ? base : "/tmp";
        std::string tmpl = b + "/supc-" + std::to_string(getpid()) + "-XXXXXX";
        std::vector<char> buf(tmpl.begin(), tmpl.end());
        buf.push_back(0);
        if (mkdtemp(buf.data()))
            notify_dir_ = buf.data(); // mode 0700
    }
    if (notify_dir_.empty())
        return {};
    return notify_dir_ + "/" + std::to_string(serial) + ".notify";
}

void Service::do_spawn(Command& cmd) {
    std::shared_ptr<Child> cp = cmd.child;
    Child& c = *cp;
    auto rp = std::make_unique<RChild>(c.output.max_line);
    RChild& r = *rp;
    r.c = cp;
    r.command = cmd.command;
    r.searched = cmd.searched;
    r.candidates = cmd.args.candidates;
    r.cwd = cmd.args.cwd;
    LaunchArgs& a = cmd.args;

    auto fail_now = [&](ExitReason why) {
        Wakeup* w;
        std::vector<GoneWait*> waits;
        {
            std::lock_guard<std::mutex> l(c.m);
            c.gone = true;
            c.exited = true;
            if (c.start == Child::Start::pending) {
                c.start = Child::Start::failed;
                c.start_reason = std::move(why);
            }
            w = c.take_waiter();
            waits.swap(c.gone_waits);
        }
        for (GoneWait* g : waits) {
            g->open();
            g->release();
        }
        wake(w);
        close_fd(r.out);
        close_fd(r.err);
        if (r.notify >= 0) {
            close_fd(r.notify);
            if (!r.notify_path.empty())
                unlink(r.notify_path.c_str());
        }
        if (r.cg) {
            close_fd(r.cg->procs_fd);
            close_fd(r.cg->events_fd);
            rmdir(r.cg->dir.c_str());
        }
    };

    a.envp.push_back("SUPC_PROCESS_TAG=" + c.tag);
    if (c.readiness == Readiness::notify) {
        std::string name = notify_name(c.serial, cmd.notify);
        std::string why;
        std::optional<NotifySocketFd> s;
        if (name.empty())
            why = "no private directory for the socket: " + os_error(errno);
        else
            s = bind_notify_socket(name, cmd.notify == NotifySocket::abstract, why);
        if (!s)
            return fail_now(spawn_failed("notify", why));
        r.notify = s->fd;
        r.notify_path = s->path;
        a.envp.push_back("NOTIFY_SOCKET=" + s->env_value);
    }
    if (c.containment == Containment::cgroup) {
        std::string why;
        r.cg = make_child_cgroup(*cgroups_,
                                 "c" + std::to_string(c.serial) + "-" + sanitize(c.path, 64), why);
        if (!r.cg)
            return fail_now(spawn_failed("cgroup", why));
        a.cgroup_procs_fd = r.cg->procs_fd;
    }

    int in = open("/dev/null", O_RDONLY | O_CLOEXEC);
    int out_w = -1, err_w = -1;
    if (c.output.mode == OutputMode::log) {
        int po[2], pe[2];
        if (pipe2(po, O_CLOEXEC) < 0) {
            close_fd(in);
            return fail_now(spawn_failed("pipe", os_error(errno)));
        }
        if (pipe2(pe, O_CLOEXEC) < 0) {
            close(po[0]);
            close(po[1]);
            close_fd(in);
            return fail_now(spawn_failed("pipe", os_error(errno)));
        }
        r.out = po[0];
        r.err = pe[0];
        fcntl(r.out, F_SETFL, O_NONBLOCK);
        fcntl(r.err, F_SETFL, O_NONBLOCK);
        out_w = po[1];
        err_w = pe[1];
    } else if (c.output.mode == OutputMode::discard) {
        out_w = open("/dev/null", O_WRONLY | O_CLOEXEC);
        err_w = dup(out_w);
    }
    a.stdin_fd = in;
    a.stdout_fd = out_w;
    a.stderr_fd = err_w;
    if (raised_nofile_) {
        a.restore_nofile = true;
        a.nofile = nofile_;
    }

    Launched l = launch(a, use_pidfd_);
    close_fd(in);
    close_fd(out_w);
    close_fd(err_w);
    if (r.cg)
        close_fd(r.cg->procs_fd); // the child has its own copy until it moved itself in
    if (l.pid < 0)
        return fail_now(spawn_failed("fork", os_error(l.fork_errno)));
    if (use_pidfd_ && l.pidfd < 0) {
        int e = errno;
        ::kill(l.pid, SIGKILL);
        while (waitpid(l.pid, nullptr, 0) < 0 && errno == EINTR) {
        }
        close_fd(l.errpipe);
        return fail_now(spawn_failed("pidfd", os_error(e)));
    }
    r.pid = l.pid;
    r.pidfd = l.pidfd;
    r.errpipe = l.errpipe;
    fcntl(r.errpipe, F_SETFL, O_NONBLOCK);
    {
        std::lock_guard<std::mutex> lk(c.m);
        c.os_pid = l.pid;
        if (r.cg)
            c.cgroup = r.cg->dir;
    }
    std::uint64_t id = c.serial << 8;
    watch(r.errpipe, id | k_errpipe, EPOLLIN);
    if (r.pidfd >= 0)
        watch(r.pidfd, id | k_pidfd, EPOLLIN);
    if (r.out >= 0)
        watch(r.out, id | k_out, EPOLLIN);
    if (r.err >= 0)
        watch(r.err, id | k_err, EPOLLIN);
    if (r.notify >= 0)
        watch(r.notify, id | k_notify, EPOLLIN);
    if (r.cg) {
        r.populated = cgroup_populated(r.cg->events_fd);
        watch(r.cg->events_fd, id | k_cgroup, EPOLLPRI);
    }
    children_[c.serial] = std::move(rp);
    if (!use_pidfd_)
        on_sigchld(); // it may have exited before we knew its pid
}

void Service::succeed_start(RChild& r) {
    Child& c = *r.c;
    Wakeup* w;
    {
        std::lock_guard<std::mutex> l(c.m);
        if (c.start != Child::Start::pending)
            return;
        c.start = Child::Start::ok;
        c.ready = true;
        w = c.take_waiter();
    }
    wake(w);
}

void Service::on_errpipe(RChild& r) {
    if (r.errpipe < 0)
        return;
    ExecFailure f;
    ssize_t n;
    do {
        n = read(r.errpipe, &f, sizeof f);
    } while (n < 0 && errno == EINTR);
    if (n < 0)
        return; // nothing yet
    unwatch(r.errpipe);
    if (n == static_cast<ssize_t>(sizeof f)) {
        r.failure = f;
        return;
    }
    if (n > 0)
        return; // a torn report: the exit will tell
    r.exec_done = true;
    if (r.c->readiness == Readiness::exec || r.ready_seen)
        succeed_start(r);
}

void Service::on_notify(RChild& r) {
    while (std::optional<NotifyMessage> m = receive_notify(r.notify)) {
        if (m->status)
            notify_status(*r.c, *m->status);
        if (m->ready)
            r.ready_seen = true;
    }
    if (r.ready_seen && r.exec_done && !r.exited)
        succeed_start(r);
}

void Service::on_output(RChild& r, bool err) {
    drain_pipe(r, err, false);
}

void Service::drain_pipe(RChild& r, bool err, bool to_eof) {
    int& fd = err ? r.err : r.out;
    if (fd < 0)
        return;
    LineSplitter& split = err ? r.err_lines : r.out_lines;
    std::vector<Line> lines;
    char buf[65536];
    // Level-triggered: what is left is read at the next turn, after the other children.
    for (int i = 0; to_eof || i < 8; ++i) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n > 0) {
            split.feed(std::string_view(buf, static_cast<std::size_t>(n)), lines);
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n == 0 || (n < 0 && errno != EAGAIN) || to_eof) {
            // End of file (or, at the end, whatever a process out of our reach still holds).
            split.finish(lines);
            unwatch(fd);
        }
        break;
    }
    queue_lines(r, err, lines);
}

void Service::queue_lines(RChild& r, bool err, std::vector<Line>& lines) {
    if (lines.empty())
        return;
    Child& c = *r.c;
    bool kick = false;
    Wakeup* w = nullptr;
    {
        std::lock_guard<std::mutex> l(c.m);
        for (Line& ln : lines) {
            ++c.n_lines;
            if (ln.truncated)
                ++c.n_truncated;
            std::size_t size = ln.text.size() + 1;
            if (c.queued + size > c.output.max_buffered) {
                ++c.n_dropped;
                c.bytes_dropped += size;
                ++c.unreported_lines;
                c.unreported_bytes += size;
                continue;
            }
            c.queued += size;
            c.lines.push_back(OutLine{err, std::move(ln.text)});
        }
        if (!c.kick_pending) {
            c.kick_pending = true;
            kick = true;
        }
        if (c.start == Child::Start::pending) // the actor is starting: it writes them
            w = c.take_waiter();
    }
    wake(w);
    if (kick)
        notify_output(c);
}

bool Service::reap(RChild& r, bool keep) {
    siginfo_t si{};
    int flags = WEXITED | WNOHANG | (keep ? WNOWAIT : 0);
    int rc = use_pidfd_ ? waitid(static_cast<idtype_t>(P_PIDFD), r.pidfd, &si, flags)
                        : waitid(P_PID, r.pid, &si, flags);
    if (rc < 0) {
        if (errno == ECHILD) // someone else reaped it (waitpid(-1) in the program, SIG_IGN)
            return true;
        return false;
    }
    if (si.si_pid == 0)
        return false; // not exited yet
    if (!r.status_known) {
        r.status_known = true;
        r.status = si.si_code == CLD_EXITED ? W_EXITCODE(si.si_status, 0)
                                            : (si.si_status & 0x7f); // a signal's status
    }
    return true;
}

void Service::on_main_exit(RChild& r) {
    if (r.exited)
        return;
    if (!reap(r, true))
        return;
    r.exited = true;
    if (r.pidfd >= 0)
        epoll_ctl(ep_, EPOLL_CTL_DEL, r.pidfd, nullptr); // kept open until the reap
    on_errpipe(r);
    drain_pipe(r, false, false);
    drain_pipe(r, true, false);
    begin_cleanup(r);
}

void Service::do_stop(RChild& r, int sig) {
    if (r.exited)
        return;
    r.stopping = true;
    if (::kill(-r.pid, sig) < 0)
        ::kill(r.pid, sig);
    if (sig != SIGKILL && sig != SIGCONT && ::kill(-r.pid, SIGCONT) < 0)
        ::kill(r.pid, SIGCONT);
}

void Service::do_kill(RChild& r) {
    if (r.kill_requested)
        return;
    r.kill_requested = true;
    if (r.grace) {
        // The shutdown timeout expired while the group was finishing.
        for (auto& [id, t] : targets_)
            if (t.owner == r.c->serial && !t.killed) {
                t.killed = true;
                if (t.pidfd >= 0)
                    pidfd_send_signal(t.pidfd, SIGKILL);
                else
                    ::kill(t.pid, SIGKILL);
            }
        kill_rest(r);
        return;
    }
    if (r.cleaning)
        return;             // the main process has exited; everything else is being killed
    ::kill(r.pid, SIGKILL); // not reaped: still its pid (and it may not be in its cgroup yet)
    if (r.cg) {
        kill_cgroup(r.cg->dir, cgroups_->has_kill());
    } else {
        ::kill(-r.pid, SIGKILL);
        collect_targets(r);
    }
}

void Service::begin_cleanup(RChild& r) {
    r.cleaning = true;
    if (r.stopping && !r.kill_requested) {
        // Asked to stop, the main process has exited. Its process group got the stop signal
        // too: what is left of it may finish (a wrapper's program flushing its files), within
        // the shutdown timeout, after which the supervisor kills (do_kill).
        for (const ProcEntry& e : list_procs())
            if (e.pgrp == r.pid && e.pid != r.pid && e.state != 'Z')
                add_target(r, e.pid, e.start_time, false);
        if (r.targets > 0) {
            r.grace = true;
            return;
        }
    }
    kill_rest(r);
}

void Service::kill_rest(RChild& r) {
    r.grace = false;
    if (r.cg) {
        r.populated = cgroup_populated(r.cg->events_fd);
        if (r.populated)
            kill_cgroup(r.cg->dir, cgroups_->has_kill());
    } else {
        collect_targets(r);
    }
    check_done(r);
}

void Service::collect_targets(RChild& r) {
    // Group and session are those of the main process (setsid made them its pid): it is not
    // reaped yet, so no other process can have that pid, group or session now.
    std::vector<ProcEntry> procs = list_procs();
    std::unordered_map<pid_t, pid_t> parent;
    parent.reserve(procs.size());
    for (const ProcEntry& e : procs)
        parent[e.pid] = e.ppid;
    pid_t self = getpid();
    std::string tag = "SUPC_PROCESS_TAG=" + r.c->tag;
    for (const ProcEntry& e : procs) {
        if (e.pid == r.pid || e.pid == self || e.pid == guardian_pid_ || r.target_pids.count(e.pid))
            continue;
        bool mine = e.session == r.pid || e.pgrp == r.pid;
        for (pid_t p = e.ppid, steps = 0; !mine && p > 1 && p != self && steps < 100000; ++steps) {
            if (p == r.pid)
                mine = true;
            auto it = parent.find(p);
            if (it == parent.end())
                break;
            p = it->second;
        }
        if (!mine && e.state != 'Z')
            mine = environ_has(e.pid, tag);
        if (mine)
            add_target(r, e.pid, e.start_time, true);
    }
}

void Service::add_target(RChild& r, pid_t pid, std::uint64_t start_time, bool kill) {
    r.target_pids.insert(pid);
    Target t;
    t.pid = pid;
    t.owner = r.c->serial;
    t.killed = kill;
    if (use_pidfd_) {
        t.pidfd = pidfd_open(pid);
        if (t.pidfd < 0)
            return; // gone already
        std::optional<ProcEntry> now = read_proc(pid);
        if (!now || now->start_time != start_time) {
            close(t.pidfd); // another process has that pid now
            return;
        }
        if (kill)
            pidfd_send_signal(t.pidfd, SIGKILL);
    } else if (kill) {
        ::kill(pid, SIGKILL);
    }
    std::uint64_t id = next_target_++;
    targets_[id] = t;
    ++r.targets;
    if (t.pidfd >= 0)
        watch(t.pidfd, (id << 8) | k_target, EPOLLIN);
}

void Service::on_target(std::uint64_t id) {
    auto it = targets_.find(id);
    if (it == targets_.end())
        return;
    Target t = it->second;
    targets_.erase(it);
    if (t.pidfd >= 0) {
        siginfo_t si{};
        waitid(static_cast<idtype_t>(P_PIDFD), t.pidfd, &si, WEXITED | WNOHANG); // ours: reaped
        unwatch(t.pidfd);
    }
    auto c = children_.find(t.owner);
    if (c == children_.end())
        return;
    --c->second->targets;
    check_done(*c->second);
}

void Service::reap_orphans() {
    // Zombie children that are not main processes (whose status we take ourselves).
    pid_t self = getpid();
    std::unordered_set<pid_t> mains;
    for (auto& [serial, r] : children_)
        mains.insert(r->pid);
    for (const ProcEntry& e : list_procs())
        if (e.ppid == self && e.state == 'Z' && !mains.count(e.pid) && e.pid != guardian_pid_)
            waitpid(e.pid, nullptr, WNOHANG);
}

void Service::on_sigchld() {
    char buf[256];
    while (read(sigchld_rd_, buf, sizeof buf) > 0) {
    }
    if (reap_orphans_)
        reap_orphans();
    if (use_pidfd_)
        return;
    std::vector<std::uint64_t> exited;
    for (auto& [serial, r] : children_)
        if (!r->exited && r->pid > 0) {
            siginfo_t si{};
            if (waitid(P_PID, r->pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 && si.si_pid == 0)
                continue;
            exited.push_back(serial);
        }
    for (std::uint64_t s : exited) {
        auto it = children_.find(s);
        if (it != children_.end())
            on_main_exit(*it->second);
    }
    std::vector<std::uint64_t> done;
    for (auto& [id, t] : targets_) {
        if (t.pidfd >= 0)
            continue;
        pid_t w = waitpid(t.pid, nullptr, WNOHANG);
        if (w == t.pid) {
            done.push_back(id);
            continue;
        }
        if (w < 0 && errno == ECHILD) {
            std::optional<ProcEntry> e = read_proc(t.pid);
            if (!e || e->state == 'Z')
                done.push_back(id);
        }
    }
    for (std::uint64_t id : done)
        on_target(id);
}

void Service::on_cgroup(RChild& r) {
    r.populated = cgroup_populated(r.cg->events_fd);
    if (r.cleaning)
        check_done(r);
}

void Service::check_done(RChild& r) {
    if (!r.exited || r.targets > 0)
        return;
    if (r.grace)
        return kill_rest(r); // the group has finished: now the rest
    if (r.cg && r.populated)
        return;
    if (!r.cg && !r.target_pids.empty() && r.rescans < 16) {
        // Whatever a killed process forked before it died is found now.
        ++r.rescans;
        collect_targets(r);
        if (r.targets > 0)
            return;
    }
    finish(r);
}

void Service::finish(RChild& r) {
    Child& c = *r.c;
    reap(r, false);
    on_errpipe(r);
    drain_pipe(r, false, true);
    drain_pipe(r, true, true);
    if (r.pidfd >= 0)
        close_fd(r.pidfd);
    unwatch(r.errpipe);
    if (r.notify >= 0) {
        unwatch(r.notify);
        if (!r.notify_path.empty())
            unlink(r.notify_path.c_str());
    }
    if (r.cg) {
        unwatch(r.cg->events_fd);
        rmdir(r.cg->dir.c_str());
    }

    ExitReason reason;
    if (r.failure) {
        auto stage = static_cast<Stage>(r.failure->stage);
        std::string text;
        if (stage == Stage::exec) {
            if (r.searched && (r.failure->err == ENOENT || r.failure->err == ENOTDIR))
                text = r.command + ": not found in PATH";
            else
                text = (r.failure->candidate < static_cast<int>(r.candidates.size())
                            ? r.candidates[r.failure->candidate]
                            : r.command) +
                       ": " + os_error(r.failure->err);
        } else if (stage == Stage::chdir) {
            text = r.cwd + ": " + os_error(r.failure->err);
        } else {
            text = os_error(r.failure->err);
        }
        reason = spawn_failed(stage_name(stage), text);
    } else if (!r.exec_done) {
        reason = spawn_failed("exec", "killed before it started: " +
                                          exit_reason_of(r.status_known, r.status).to_string());
    } else {
        reason = ExitReason::error("{not_ready," +
                                   exit_reason_of(r.status_known, r.status).to_string() + "}");
    }

    Wakeup* w;
    std::vector<GoneWait*> waits;
    bool started;
    {
        std::lock_guard<std::mutex> l(c.m);
        c.gone = true;
        c.exited = true;
        c.status_known = r.status_known;
        c.wait_status = r.status;
        if (c.start == Child::Start::pending) {
            c.start = Child::Start::failed;
            c.start_reason = std::move(reason);
        }
        started = c.start == Child::Start::ok;
        w = c.take_waiter();
        waits.swap(c.gone_waits);
    }
    wake(w);
    for (GoneWait* g : waits) {
        g->open();
        g->release();
    }
    if (started)
        notify_exit(c);
    children_.erase(c.serial); // r is gone now
}

void Service::stop_reactor() {
    // Nothing refers to the service any more, so normally no child is left. One whose death
    // hook gave up waiting is killed here, within a bound.
    for (auto& [s, r] : children_)
        do_kill(*r);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!children_.empty() && std::chrono::steady_clock::now() < deadline && ep_ >= 0) {
        epoll_event evs[16];
        int n = epoll_wait(ep_, evs, 16, 100);
        for (int i = 0; i < n; ++i) {
            std::uint64_t key = evs[i].data.u64;
            std::uint64_t id = key >> 8;
            auto kind = static_cast<Key>(key & 0xff);
            if (kind == k_target) {
                on_target(id);
            } else if (kind == k_sigchld) {
                on_sigchld();
            } else {
                auto it = children_.find(id);
                if (it == children_.end())
                    continue;
                if (kind == k_pidfd)
                    on_main_exit(*it->second);
                else if (kind == k_cgroup)
                    on_cgroup(*it->second);
                else if (kind == k_out || kind == k_err)
                    on_output(*it->second, kind == k_err);
                else if (kind == k_errpipe)
                    on_errpipe(*it->second);
            }
        }
    }
    children_.clear();
    // The guardian sees end of file, finds nothing to kill, and exits; reap it.
    close_fd(guardian_fd_);
    if (guardian_pid_ > 0) {
        // It finds nothing to kill and exits within milliseconds; bounded all the same.
        auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        bool done = false;
        while (!done) {
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                until - std::chrono::steady_clock::now());
            if (left.count() <= 0)
                break;
            if (guardian_pidfd_ >= 0) {
                pollfd p{guardian_pidfd_, POLLIN, 0};
                done = poll(&p, 1, static_cast<int>(left.count())) == 1;
            } else {
                done = waitpid(guardian_pid_, nullptr, WNOHANG) == guardian_pid_;
                if (done)
                    break;
                pollfd p{sigchld_rd_, POLLIN, 0}; // its SIGCHLD
                if (poll(&p, 1, static_cast<int>(left.count())) == 1) {
                    char buf[64];
                    while (read(sigchld_rd_, buf, sizeof buf) > 0) {
                    }
                }
            }
        }
        if (!done)
            ::kill(guardian_pid_, SIGKILL);
        while (waitpid(guardian_pid_, nullptr, 0) < 0 && errno == EINTR) {
        }
        guardian_pid_ = -1;
    }
    close_fd(guardian_pidfd_);
    for (auto& [id, t] : targets_)
        close_fd(t.pidfd);
    targets_.clear();
    for (auto& [id, st] : stale_)
        close_fd(st.first);
    stale_.clear();
    cgroups_.reset();
    if (!notify_dir_.empty())
        rmdir(notify_dir_.c_str());
    if (sigchld_rd_ >= 0) // the pipe stays (see sigchld_pipe)
        epoll_ctl(ep_, EPOLL_CTL_DEL, sigchld_rd_, nullptr);
    sigchld_rd_ = -1;
    close_fd(wake_);
    close_fd(ep_);
}

} // namespace sup::detail::proc
