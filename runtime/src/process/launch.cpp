#include "process/launch.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif
#ifndef SYS_close_range
#define SYS_close_range 436
#endif

namespace sup::detail::proc {

const char* stage_name(Stage s) {
    switch (s) {
    case Stage::cgroup:
        return "cgroup";
    case Stage::session:
        return "setsid";
    case Stage::parent_death:
        return "pdeathsig";
    case Stage::parent_gone:
        return "parent";
    case Stage::fds:
        return "fds";
    case Stage::chdir:
        return "chdir";
    case Stage::exec:
        return "exec";
    }
    return "spawn";
}

int pidfd_open(pid_t pid) {
    return static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
}

int pidfd_send_signal(int pidfd, int sig) {
    return static_cast<int>(syscall(SYS_pidfd_send_signal, pidfd, sig, nullptr, 0));
}

namespace {

/// Everything the child needs, as plain pointers made before the fork.
struct ChildSetup {
    const char* const* candidates;
    int n_candidates;
    char* const* argv;
    char* const* envp;
    const char* cwd;
    int in, out, err, cgroup, report;
    pid_t parent;
    bool new_session, die_with_parent, restore_nofile;
    struct rlimit nofile;
};

// The child's side: raw system calls only (no libc locks, no allocation, no sanitizer
// interceptors), errno is the forked thread's own.
long raw(long n, long a = 0, long b = 0, long c = 0, long d = 0) {
    return syscall(n, a, b, c, d);
}

[[noreturn]] void child_fail(const ChildSetup& s, Stage st, int err, int candidate = 0) {
    ExecFailure f{static_cast<int>(st), err, candidate};
    raw(SYS_write, s.report, reinterpret_cast<long>(&f), sizeof f);
    raw(SYS_exit_group, 127);
    __builtin_unreachable();
}

/// Moves `fd` to a free descriptor >= 10 (so that installing 0..3 cannot clobber it).
int lift(const ChildSetup& s, int fd) {
    if (fd < 0)
        return -1;
    long r = raw(SYS_fcntl, fd, F_DUPFD_CLOEXEC, 10);
    if (r < 0)
        child_fail(s, Stage::fds, errno);
    return static_cast<int>(r);
}

[[noreturn]] void child_main(const ChildSetup& s) {
    if (s.cgroup >= 0 && raw(SYS_write, s.cgroup, reinterpret_cast<long>("0"), 1) != 1)
        child_fail(s, Stage::cgroup, errno);
    if (s.new_session && raw(SYS_setsid) < 0)
        child_fail(s, Stage::session, errno);
    if (s.die_with_parent) {
        if (raw(SYS_prctl, PR_SET_PDEATHSIG, SIGKILL) < 0)
            child_fail(s, Stage::parent_death, errno);
        // The parent may have died before the prctl: then nothing would kill us.
        if (raw(SYS_getppid) != s.parent)
            child_fail(s, Stage::parent_gone, ESRCH);
    }
    // Signals: nothing blocked, every disposition back to its default (ignored ones too: an
    // ignored SIGPIPE would otherwise survive the exec).
    std::uint64_t none = 0;
    raw(SYS_rt_sigprocmask, SIG_SETMASK, reinterpret_cast<long>(&none), 0, sizeof none);
    struct {
        void* handler;
        unsigned long flags;
        void* restorer;
        std::uint64_t mask;
    } dfl{};
    dfl.handler = reinterpret_cast<void*>(SIG_DFL);
    for (int sig = 1; sig <= 64; ++sig)
        if (sig != SIGKILL && sig != SIGSTOP)
            raw(SYS_rt_sigaction, sig, reinterpret_cast<long>(&dfl), 0, sizeof(std::uint64_t));
    // Descriptors: 0, 1, 2 as prepared, the report pipe on 3 (close-on-exec), nothing else.
    int in = lift(s, s.in), out = lift(s, s.out), err = lift(s, s.err);
    int report = lift(s, s.report);
    ChildSetup t = s;
    t.report = report;
    if ((in >= 0 && raw(SYS_dup2, in, 0) < 0) || (out >= 0 && raw(SYS_dup2, out, 1) < 0) ||
        (err >= 0 && raw(SYS_dup2, err, 2) < 0) || raw(SYS_dup3, report, 3, O_CLOEXEC) < 0)
        child_fail(t, Stage::fds, errno);
    t.report = 3;
    if (raw(SYS_close_range, 4, ~0U, 0) < 0) {
        // Before Linux 5.9: close them one by one.
        long max = 65536;
        struct rlimit rl {};
        if (raw(SYS_prlimit64, 0, RLIMIT_NOFILE, 0, reinterpret_cast<long>(&rl)) == 0 &&
            rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < 1048576)
            max = static_cast<long>(rl.rlim_cur);
        for (long fd = 4; fd < max; ++fd)
            raw(SYS_close, fd);
    }
    if (s.cwd && raw(SYS_chdir, reinterpret_cast<long>(s.cwd)) < 0)
        child_fail(t, Stage::chdir, errno);
    if (s.restore_nofile)
        raw(SYS_prlimit64, 0, RLIMIT_NOFILE, reinterpret_cast<long>(&s.nofile), 0);
    // As execvp: EACCES is remembered and the search goes on; a missing file goes on; any
    // other error stops it.
    int saved = ENOENT, saved_at = 0;
    bool denied = false;
    for (int i = 0; i < s.n_candidates; ++i) {
        raw(SYS_execve, reinterpret_cast<long>(s.candidates[i]), reinterpret_cast<long>(s.argv),
            reinterpret_cast<long>(s.envp));
        int e = errno;
        if (e == EACCES) {
            if (!denied) {
                denied = true;
                saved = e;
                saved_at = i;
            }
            continue;
        }
        if (e == ENOENT || e == ENOTDIR || e == ESTALE || e == ENAMETOOLONG || e == ELOOP) {
            if (!denied) {
                saved = e;
                saved_at = i;
            }
            continue;
        }
        child_fail(t, Stage::exec, e, i);
    }
    child_fail(t, Stage::exec, saved, saved_at);
}

} // namespace

Launched launch(const LaunchArgs& a, bool want_pidfd) {
    Launched out;
    std::vector<const char*> cands;
    for (const std::string& c : a.candidates)
        cands.push_back(c.c_str());
    std::vector<char*> argv, envp;
    for (const std::string& s : a.argv)
        argv.push_back(const_cast<char*>(s.c_str()));
    argv.push_back(nullptr);
    for (const std::string& s : a.envp)
        envp.push_back(const_cast<char*>(s.c_str()));
    envp.push_back(nullptr);

    int ep[2];
    if (pipe2(ep, O_CLOEXEC) < 0) {
        out.fork_errno = errno;
        return out;
    }
    ChildSetup s{cands.data(),
                 static_cast<int>(cands.size()),
                 argv.data(),
                 envp.data(),
                 a.cwd.empty() ? nullptr : a.cwd.c_str(),
                 a.stdin_fd,
                 a.stdout_fd,
                 a.stderr_fd,
                 a.cgroup_procs_fd,
                 ep[1],
                 getpid(),
                 a.new_session,
                 a.die_with_parent,
                 a.restore_nofile,
                 a.nofile};
    pid_t pid = fork();
    if (pid == 0)
        child_main(s);
    int fork_err = errno;
    close(ep[1]);
    if (pid < 0) {
        close(ep[0]);
        out.fork_errno = fork_err;
        return out;
    }
    out.pid = pid;
    out.errpipe = ep[0];
    if (want_pidfd) {
        // Race-free: the child cannot be reaped (and its pid reused) before we reap it.
        out.pidfd = pidfd_open(pid); // close-on-exec
    }
    return out;
}

} // namespace sup::detail::proc
