// No orphans, ever: whatever a process child started (children in its group, a child that left
// the group, a double-forked daemon, two thousand processes) is gone when the child is stopped,
// when it exits and is restarted, and when the supervising program is killed with SIGKILL.
// Checked in the process table (/proc, pidfds) through a marker in their environment, not
// through the runtime; right after the stop returns, without waiting: the supervisor goes on
// only once they are all gone.
#include "process_helpers.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <spawn.h>
#include <sstream>
#include <sys/stat.h>
#include <sys/wait.h>

using namespace ptest;
using sup::EventKind;
using sup::testing::Supervised;

namespace {
sup::ProcessSpec marked_child(const std::string& marker, sup::Containment c,
                              std::vector<std::string> args) {
    return child(std::move(args))
        .with_env("SUPC_TEST_MARKER", marker)
        .with_containment(c)
        .with_readiness(sup::Readiness::notify);
}
} // namespace

TEST_CASE("no descendant of a process child survives its stop") {
    for (sup::Containment c : containments()) {
        for (auto shutdown : {sup::Shutdown::timeout(5s), sup::Shutdown::brutal_kill()}) {
            CAPTURE(name(c), shutdown.to_string());
            LogCapture log;
            sup::Runtime rt(options(log));
            std::string marker = unique_marker();
            sup::SupervisorSpec s;
            // Three children in its group, one that left the group, one daemon (setsid and
            // double fork): six processes with the marker.
            s.children.push_back(sup::process("p", marked_child(marker, c,
                                                                {"fork", "3", "leave-group",
                                                                 "daemon", "ready", "pause"}))
                                     .with_shutdown(shutdown));
            Supervised t(rt, s);
            std::vector<int> before = marked(marker);
            REQUIRE(before.size() == 6);
            t.stop(10s);
            REQUIRE(marked(marker).empty());
            for (int pid : before)
                REQUIRE(!alive(pid));
        }
    }
}

TEST_CASE("no descendant of a process child that exited survives to its restart") {
    for (sup::Containment c : containments()) {
        CAPTURE(name(c));
        LogCapture log;
        sup::Runtime rt(options(log));
        std::string marker = unique_marker();
        sup::SupervisorSpec s;
        s.children.push_back(sup::process("p", marked_child(marker, c,
                                                            {"fork", "2", "leave-group", "daemon",
                                                             "ready", "wait-usr1", "exit", "1"})));
        Supervised t(rt, s);
        sup::Pid first = t.child("p");
        std::vector<int> old = marked(marker);
        REQUIRE(old.size() == 5);
        REQUIRE(sup::signal_process(first, SIGUSR1));
        sup::Pid second = t.await_restart("p", first, 10s);
        // The successor runs; none of its predecessor's processes does.
        for (int pid : old)
            REQUIRE(!alive(pid));
        std::vector<int> now = marked(marker);
        REQUIRE(now.size() == 5);
        for (int pid : now)
            REQUIRE(std::find(old.begin(), old.end(), pid) == old.end());
        REQUIRE(t.events().lines(t.pid()) ==
                std::vector<std::string>{"child_started p", "child_exited p {exit_status,1}",
                                         "child_restarted p"});
    }
}

TEST_CASE("a process child that forks two thousand processes is cleaned up") {
    for (sup::Containment c : containments()) {
        CAPTURE(name(c));
        LogCapture log;
        sup::Runtime rt(options(log));
        std::string marker = unique_marker();
        sup::SupervisorSpec s;
        s.children.push_back(sup::process(
            "p",
            marked_child(marker, c, {"fork", "2000", "ready", "pause"}).with_start_timeout(60s)));
        Supervised t(rt, s);
        REQUIRE(marked(marker).size() == 2001);
        t.stop(30s);
        REQUIRE(marked(marker).empty());
    }
}

TEST_CASE("destroying the runtime leaves no process child alive") {
    for (sup::Containment c : containments()) {
        CAPTURE(name(c));
        std::string marker = unique_marker();
        {
            LogCapture log;
            sup::Runtime rt(options(log));
            sup::SupervisorSpec s;
            s.children.push_back(sup::process(
                "p", marked_child(marker, c, {"fork", "2", "daemon", "ready", "pause"})));
            REQUIRE(sup::start_tree(rt, s).started());
            REQUIRE(marked(marker).size() == 4);
        } // no tree.stop(): the runtime kills its actors, whose death kills their processes
        REQUIRE(marked(marker).empty());
    }
}

TEST_CASE("killing the supervising program with SIGKILL leaves no process child alive") {
    for (sup::Containment c : containments()) {
        CAPTURE(name(c));
        std::string marker = unique_marker();
        int out[2];
        REQUIRE(pipe(out) == 0);
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_adddup2(&fa, out[1], 1);
        posix_spawn_file_actions_addclose(&fa, out[0]);
        std::string mode = name(c);
        std::vector<char*> argv{const_cast<char*>(host_bin.c_str()), mode.data(),
                                const_cast<char*>(child_bin.c_str()), marker.data(), nullptr};
        posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
        pid_t host = 0;
        REQUIRE(posix_spawn(&host, host_bin.c_str(), &fa, nullptr, argv.data(), environ) == 0);
        posix_spawn_file_actions_destroy(&fa);
        close(out[1]);
        struct KillOnFailure { // a failed REQUIRE must not leave the host running
            pid_t pid;
            ~KillOnFailure() {
                if (pid > 0) {
                    ::kill(pid, SIGKILL);
                    waitpid(pid, nullptr, 0);
                }
            }
        } guard{host};
        // Its tree is up when it says "started".
        pollfd p{out[0], POLLIN, 0};
        int ready;
        do // a SIGCHLD handler (the fallback's) interrupts poll
            ready = poll(&p, 1, 60000);
        while (ready < 0 && errno == EINTR);
        REQUIRE(ready == 1);
        char buf[64] = {};
        REQUIRE(read(out[0], buf, sizeof buf - 1) > 0);
        REQUIRE(std::string(buf) == "started\n");
        // waits 1, grouped 1 + 3, escaped 1 + 1, daemon 1 + 1.
        std::vector<int> procs = marked(marker);
        REQUIRE(procs.size() == 9);
        REQUIRE(::kill(host, SIGKILL) == 0);
        int status = 0;
        REQUIRE(waitpid(host, &status, 0) == host);
        guard.pid = 0;
        REQUIRE(WIFSIGNALED(status));
        // Its children die with it (PR_SET_PDEATHSIG); the rest by its guardian.
        REQUIRE(wait_dead(procs, 10s).empty());
        REQUIRE(marked(marker).empty());
        close(out[0]);
    }
}

TEST_CASE("a cgroup left by a program killed with its guardian is emptied by the next start") {
    if (!cgroups_available()) {
        WARN("cgroup v2 is not writable here: nothing to test");
        return;
    }
    REQUIRE(!sup::process_service_running());
    std::string marker = unique_marker();
    // A parent cgroup of its own: the next start of ANY process service in a parent sweeps
    // the stale containers there (another test running at the same time would, before this
    // one has counted what was left).
    std::string own = "\n" + read_file("/proc/self/cgroup");
    std::size_t v2 = own.find("\n0::");
    REQUIRE(v2 != std::string::npos); // cgroups_available() says it is cgroup v2
    own = own.substr(v2 + 4, own.find('\n', v2 + 4) - (v2 + 4));
    std::string mount; // the cgroup2 file system's mount point (/sys/fs/cgroup[/unified])
    std::istringstream mounts(read_file("/proc/self/mountinfo"));
    for (std::string line; mount.empty() && std::getline(mounts, line);)
        if (line.find(" - cgroup2 ") != std::string::npos) {
            std::istringstream fields(line);
            std::string id, parent_id, dev, root;
            fields >> id >> parent_id >> dev >> root >> mount;
        }
    REQUIRE(!mount.empty());
    std::string parent = mount + (own == "/" ? "" : own) + "/test-" + marker;
    if (mkdir(parent.c_str(), 0755) < 0) {
        WARN("cannot make " << parent << ": " << std::strerror(errno) << ": nothing to test");
        return;
    }
    struct RemoveParent {
        std::string dir;
        ~RemoveParent() {
            sup::set_process_service_options({});
            rmdir(dir.c_str());
        }
    } remove_parent{parent};
    sup::ProcessServiceOptions in_parent;
    in_parent.cgroup_parent = parent;
    int out[2];
    REQUIRE(pipe(out) == 0);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_addclose(&fa, out[0]);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    std::string mode = "cgroup";
    std::vector<char*> argv{const_cast<char*>(host_bin.c_str()),
                            mode.data(),
                            const_cast<char*>(child_bin.c_str()),
                            marker.data(),
                            parent.data(),
                            nullptr};
    pid_t host = 0;
    REQUIRE(posix_spawn(&host, host_bin.c_str(), &fa, nullptr, argv.data(), environ) == 0);
    posix_spawn_file_actions_destroy(&fa);
    close(out[1]);
    struct KillOnFailure {
        pid_t pid;
        ~KillOnFailure() {
            if (pid > 0) {
                ::kill(pid, SIGKILL);
                waitpid(pid, nullptr, 0);
            }
        }
    } guard{host};
    pollfd p{out[0], POLLIN, 0};
    int ready;
    do
        ready = poll(&p, 1, 60000);
    while (ready < 0 && errno == EINTR);
    REQUIRE(ready == 1);
    char buf[64] = {};
    REQUIRE(read(out[0], buf, sizeof buf - 1) > 0);
    close(out[0]);
    std::vector<int> procs = marked(marker);
    REQUIRE(procs.size() == 9);
    // The host's children: its four process children and its guardian.
    std::vector<int> direct;
    int guardian = 0;
    DIR* d = opendir("/proc");
    while (dirent* de = d ? readdir(d) : nullptr) {
        int pid = std::atoi(de->d_name);
        ProcStat st;
        if (pid <= 0 || !read_stat(pid, st) || st.ppid != host)
            continue;
        if (read_file("/proc/" + std::to_string(pid) + "/cmdline").find("supc-guardian") !=
            std::string::npos)
            guardian = pid;
        else
            direct.push_back(pid);
    }
    if (d)
        closedir(d);
    REQUIRE(guardian > 0);
    REQUIRE(direct.size() == 4);
    REQUIRE(::kill(guardian, SIGKILL) == 0);
    REQUIRE(wait_dead({guardian}).empty());
    REQUIRE(::kill(host, SIGKILL) == 0);
    REQUIRE(waitpid(host, nullptr, 0) == host);
    guard.pid = 0;
    REQUIRE(wait_dead(direct).empty()); // PR_SET_PDEATHSIG
    std::vector<int> left = marked(marker);
    REQUIRE(left.size() == 5); // the documented limit: nobody left to kill them
    // The next process service to start in this cgroup kills them.
    REQUIRE(sup::set_process_service_options(in_parent));
    LogCapture log;
    sup::Runtime rt(options(log));
    sup::SupervisorSpec s;
    s.children.push_back(
        sup::process("p", child({"pause"}).with_containment(sup::Containment::cgroup)));
    Supervised t(rt, s);
    REQUIRE(wait_dead(left).empty());
}
