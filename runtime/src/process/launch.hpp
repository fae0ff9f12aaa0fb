// Starting a program: fork, then in the child only raw system calls (the parent has other
// threads, so the child may not take a lock or allocate) until execve. The child reports a
// failure of any step before the exec (its stage and errno) through a close-on-exec pipe whose
// end of file, for the parent, means the exec succeeded.
#pragma once

#include <string>
#include <sys/resource.h>
#include <sys/types.h>
#include <vector>

namespace sup::detail::proc {

/// What the child is told to do between fork and exec.
struct LaunchArgs {
    /// Paths to try in order (a PATH search, or the one command with a '/').
    std::vector<std::string> candidates;
    std::vector<std::string> argv;
    std::vector<std::string> envp; // "NAME=value"
    std::string cwd;               // "" to keep the parent's
    int stdin_fd = -1;             // -1: /dev/null is not available, keep fd 0
    int stdout_fd = -1;            // -1: keep the parent's
    int stderr_fd = -1;
    int cgroup_procs_fd = -1;    // the child writes itself into this cgroup first
    bool new_session = true;     // setsid(): its own session and process group
    bool die_with_parent = true; // PR_SET_PDEATHSIG SIGKILL, with the getppid() race check
    bool restore_nofile = false; // set RLIMIT_NOFILE back to `nofile` (the parent raised it)
    struct rlimit nofile {};
};

/// The steps the child reports a failure of.
enum class Stage : int { cgroup = 1, session, parent_death, parent_gone, fds, chdir, exec };
const char* stage_name(Stage s);

struct ExecFailure {
    int stage = 0;
    int err = 0;
    int candidate = 0; // which candidate the error is about (exec)
};

struct Launched {
    pid_t pid = -1;
    int pidfd = -1;     // -1 if pidfds are not used or not available
    int errpipe = -1;   // read end: EOF = exec'd; an ExecFailure = failed
    int fork_errno = 0; // fork itself failed
};

/// Forks and execs. `want_pidfd`: open a pidfd for the child (Linux >= 5.3).
Launched launch(const LaunchArgs& a, bool want_pidfd);

/// pidfd_open(2), or -1 with errno set.
int pidfd_open(pid_t pid);
/// pidfd_send_signal(2): 0 or -1 with errno set.
int pidfd_send_signal(int pidfd, int sig);

} // namespace sup::detail::proc
