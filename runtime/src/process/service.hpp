// The process service: one per operating-system process, started with the first process child
// and stopped when nothing refers to it any more. Its reactor thread forks every child (so that
// PR_SET_PDEATHSIG, which fires when the forking *thread* ends, fires only when the program
// ends), and waits in epoll for everything else: exits (pidfds, or a SIGCHLD self-pipe), exec
// results, output, readiness messages, cgroups becoming empty. No polling, no timers.
//
// It also runs the guardian: a small /bin/sh process in its own session that waits for end of
// file on a pipe only this program holds, so that when the program dies (even by SIGKILL) it
// kills what is left of the process children (their cgroups; the processes carrying their tags).
#pragma once

#include "process/cgroup.hpp"
#include "process/child.hpp"
#include "process/launch.hpp"
#include "process/lines.hpp"

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <sys/resource.h>
#include <thread>
#include <unordered_map>
#include <vector>

namespace sup::detail::proc {

class Service {
public:
    /// The running service, or a new one. Null, with `why`, if it cannot start.
    static std::shared_ptr<Service> acquire(std::string& why);
    static bool set_options(const ProcessServiceOptions& o);
    static bool running();

    ~Service();
    Service(const Service&) = delete;
    Service& operator=(const Service&) = delete;

    /// A child record for `spec` at `path`, its containment resolved. Null with `why` if the
    /// spec asks for a cgroup and none can be made here.
    std::shared_ptr<Child> new_child(const std::string& path, const ProcessSpec& spec,
                                     RuntimeImpl* rt, Pid actor, std::string& why);
    /// Starts the program; the outcome is decided in `c->start` (and wakes `c->start_waiter`),
    /// every output line too while the start is pending. `args`
    /// carries the command, arguments and environment; the service adds SUPC_PROCESS_TAG and,
    /// for Readiness::notify, NOTIFY_SOCKET, and sets up the descriptors.
    void spawn(const std::shared_ptr<Child>& c, LaunchArgs args, const std::string& command,
               bool searched, NotifySocket notify);
    /// The stop signal to the child's process group (then SIGCONT, as a stopped process must
    /// run to act on it).
    void stop(const std::shared_ptr<Child>& c, int sig);
    /// SIGKILL to every process of the child; `c->gone` follows.
    void kill(const std::shared_ptr<Child>& c);
    /// `sig` to the main process.
    void signal(const std::shared_ptr<Child>& c, int sig);

    /// How it contains and watches children, for the log.
    std::string describe() const;

private:
    struct RChild;
    struct Target {
        pid_t pid = 0;
        int pidfd = -1;
        std::uint64_t owner = 0;
        bool killed = false;
    };
    struct Command {
        enum Kind { spawn, stop, kill, signal, quit } kind = spawn;
        std::shared_ptr<Child> child;
        int sig = 0;
        LaunchArgs args;
        std::string command;
        bool searched = false;
        NotifySocket notify = NotifySocket::path;
    };
    enum Key : std::uint64_t {
        k_wake,
        k_errpipe,
        k_pidfd,
        k_out,
        k_err,
        k_notify,
        k_cgroup,
        k_target,
        k_sigchld,
        k_stale,
        k_guardian
    };

    explicit Service(const ProcessServiceOptions& o);
    bool start(std::string& why);
    void submit(Command c);
    void run();

    // Reactor thread.
    void handle_commands();
    void do_spawn(Command& cmd);
    void do_stop(RChild& r, int sig);
    void do_kill(RChild& r);
    void on_errpipe(RChild& r);
    void on_main_exit(RChild& r);
    void on_output(RChild& r, bool err);
    void on_notify(RChild& r);
    void on_cgroup(RChild& r);
    void on_target(std::uint64_t id);
    void on_sigchld();
    void reap_orphans();
    void begin_cleanup(RChild& r);
    void kill_rest(RChild& r);
    void collect_targets(RChild& r);
    void add_target(RChild& r, pid_t pid, std::uint64_t start_time, bool kill);
    void check_done(RChild& r);
    void finish(RChild& r);
    void succeed_start(RChild& r);
    void queue_lines(RChild& r, bool err, std::vector<Line>& lines);
    void drain_pipe(RChild& r, bool err, bool to_eof);
    void watch(int fd, std::uint64_t key, std::uint32_t events);
    void unwatch(int& fd);
    bool reap(RChild& r, bool keep);
    void stop_reactor();
    void spawn_guardian();
    void need_subreaper();
    std::string notify_name(std::uint64_t serial, NotifySocket kind);

    ProcessServiceOptions opts_;
    std::string token_; // <pid>-<start time>-<n>: names the container, prefixes the tags
    int ep_ = -1, wake_ = -1, sigchld_rd_ = -1;
    bool use_pidfd_ = true;
    bool reap_orphans_ = false;
    std::optional<CgroupContainer> cgroups_;
    std::string cgroup_why_;
    std::string notify_dir_;
    int guardian_fd_ = -1;    // our end of the guardian's stdin
    int guardian_pidfd_ = -1; // (pidfd mode) its exit
    pid_t guardian_pid_ = -1;
    struct rlimit nofile_ {};
    bool raised_nofile_ = false;
    std::thread thread_;

    std::mutex m_;
    std::vector<Command> commands_;
    std::atomic<std::uint64_t> next_serial_{1};

    // Reactor thread only.
    std::unordered_map<std::uint64_t, std::unique_ptr<RChild>> children_;
    std::unordered_map<std::uint64_t, Target> targets_;
    std::uint64_t next_target_ = 1;
    std::map<std::uint64_t, std::pair<int, std::string>> stale_; // events fd, dir
    bool quit_ = false;
};

} // namespace sup::detail::proc
