// Process children: supervised operating-system processes, beside actors in the same trees,
// with OTP's semantics (restart types, strategies, intensity, shutdown, significant children).
//
//   sup::ProcessSpec web("/usr/bin/web-server", {"--port", "8080"});
//   web.with_env("LOG_LEVEL", "info").with_working_dir("/srv/web").with_readiness(
//       sup::Readiness::notify);                            // sd_notify READY=1
//   spec.children.push_back(sup::process("web", web).with_shutdown(sup::Shutdown::timeout(10s)));
//   spec.children.push_back(sup::worker<Cache>("cache"));   // an actor beside it
//
// A process child is supervised by an actor that starts the program, learns of its exit without
// polling, maps the exit to an exit reason (exit 0: normal; exit N: {exit_status,N}; a signal:
// {signal,SIGSEGV}), stops it with its stop signal then SIGKILL, captures its output into the
// runtime's log, and kills every descendant it leaves behind. See docs/runtime.md, "Process
// children". Linux only.
//
// This header is light (no runtime machinery): it is what code that only builds specs includes.
#pragma once

#include "sup/spec.hpp"

#include <chrono>
#include <csignal>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sup {

class Pid;
struct CallError;
template <class T, class E>
class Result;

/// When a process child counts as started (and its supervisor goes on to the next child).
enum class Readiness : unsigned char {
    exec,   ///< as soon as the program has been executed
    notify, ///< when it sends READY=1 on $NOTIFY_SOCKET (systemd's sd_notify protocol)
};

/// Where $NOTIFY_SOCKET points for Readiness::notify.
enum class NotifySocket : unsigned char {
    path,     ///< a socket file in a private directory (mode 0700) of the supervising program
    abstract, ///< an abstract socket ("@supc/..."): reachable from other mount namespaces
};

/// What happens to the child's standard output and standard error.
enum class OutputMode : unsigned char {
    log,     ///< captured line by line into the runtime's log, prefixed with the child's path
    inherit, ///< written straight to the supervising program's stdout / stderr
    discard, ///< /dev/null
};

/// How the runtime finds the descendants of a process child to kill them (docs/runtime.md,
/// "No orphans").
enum class Containment : unsigned char {
    automatic,    ///< a cgroup when cgroup v2 is writable here, else process_tree
    cgroup,       ///< a cgroup v2 of its own (the start fails if none can be made)
    process_tree, ///< its session and process group, its descendants, and every process that
                  ///< carries its SUPC_PROCESS_TAG in its environment
};

struct ProcessOutput {
    OutputMode mode = OutputMode::log;
    /// Also append every line (both streams) to this file; "" for none. Log mode only.
    std::string file;
    /// Longer lines are cut here and marked "...[N bytes cut]". At least 16.
    std::size_t max_line = 8192;
    /// Lines captured but not yet written to the log, per child. Beyond this, lines are dropped
    /// (the child never waits for the log) and counted; the log then says how many.
    std::size_t max_buffered = 1024 * 1024;
};

/// A program to run as a child. Plain data: `supc run` and generated code build it from a
/// resolved spec.
struct ProcessSpec {
    /// A path, or a name looked up in the child's PATH (as execvp does).
    std::string command;
    /// Arguments after argv[0].
    std::vector<std::string> args;
    /// argv[0]; "" means `command`.
    std::string argv0;
    /// Start from the supervising program's environment (else from an empty one) ...
    bool inherit_env = true;
    /// ... remove these names ...
    std::vector<std::string> unset_env;
    /// ... and set these (in order; a later one wins).
    std::vector<std::pair<std::string, std::string>> env;
    /// "" means the supervising program's working directory.
    std::string working_dir;
    /// Sent to the child's process group to ask it to stop; SIGKILL follows after the shutdown
    /// timeout.
    int stop_signal = SIGTERM;
    Readiness readiness = Readiness::exec;
    NotifySocket notify_socket = NotifySocket::path;
    /// A child not started (executed, or ready) within this time is a start failure and is
    /// killed. Runtime clock. std::chrono::nanoseconds::max() waits forever.
    std::chrono::nanoseconds start_timeout = std::chrono::seconds(30);
    ProcessOutput output;
    Containment containment = Containment::automatic;

    ProcessSpec() = default;
    explicit ProcessSpec(std::string cmd, std::vector<std::string> a = {})
        : command(std::move(cmd)), args(std::move(a)) {}

    ProcessSpec& with_arg(std::string a) {
        args.push_back(std::move(a));
        return *this;
    }
    ProcessSpec& with_env(std::string name, std::string value) {
        env.emplace_back(std::move(name), std::move(value));
        return *this;
    }
    ProcessSpec& without_env(std::string name) {
        unset_env.push_back(std::move(name));
        return *this;
    }
    ProcessSpec& with_inherit_env(bool on) {
        inherit_env = on;
        return *this;
    }
    ProcessSpec& with_working_dir(std::string dir) {
        working_dir = std::move(dir);
        return *this;
    }
    ProcessSpec& with_stop_signal(int sig) {
        stop_signal = sig;
        return *this;
    }
    ProcessSpec& with_readiness(Readiness r, NotifySocket s = NotifySocket::path) {
        readiness = r;
        notify_socket = s;
        return *this;
    }
    ProcessSpec& with_start_timeout(std::chrono::nanoseconds t) {
        start_timeout = t;
        return *this;
    }
    ProcessSpec& with_output(ProcessOutput o) {
        output = std::move(o);
        return *this;
    }
    ProcessSpec& with_containment(Containment c) {
        containment = c;
        return *this;
    }
};

/// The first problem with `spec` ("empty command", "unknown stop signal 99", ...), if any.
/// Starting a child with an invalid spec fails with {bad_process_spec,"..."}.
std::optional<std::string> check_process_spec(const ProcessSpec& spec);

/// A worker child that runs `spec` (restart, shutdown, significant: as for any child; the
/// default shutdown is 5000 ms).
ChildSpec process(std::string id, ProcessSpec spec);
/// A dynamic supervisor's template: start_child(sup, sup::args(std::vector<std::string>{...}))
/// appends those arguments to the spec's; start_child(sup) adds none.
ChildTemplate dynamic_process(ProcessSpec spec);

/// "SIGTERM" for SIGTERM; "SIG42" for a number without a name (real-time signals: "SIGRTMIN+3").
std::string signal_name(int sig);
/// The signal named "TERM", "SIGTERM", "sigterm", "15", "RTMIN+2"; nullopt if unknown.
std::optional<int> signal_number(std::string_view name);

/// What a process child's actor knows about its program.
struct ProcessInfo {
    std::string path;   ///< the child's path in its tree ("services/web")
    int os_pid = 0;     ///< the main process
    bool ready = false; ///< started (executed, or READY=1)
    std::string status; ///< the last STATUS= it sent over $NOTIFY_SOCKET
    Containment containment = Containment::automatic; ///< cgroup or process_tree, as chosen
    std::string cgroup;                               ///< its cgroup directory (cgroup containment)
    std::uint64_t lines = 0;                          ///< lines captured
    std::uint64_t lines_dropped = 0;   ///< lines dropped because the log did not keep up
    std::uint64_t bytes_dropped = 0;   ///< their bytes
    std::uint64_t lines_truncated = 0; ///< lines cut at max_line
};

/// The process child `child` (a pid from which_children or Tree::lookup): noproc if it is not
/// a running process child.
Result<ProcessInfo, CallError> process_info(const Pid& child);
/// Sends `sig` to the main process of process child `child` (kill(2)); false if it is not a
/// running process child or its program has exited.
bool signal_process(const Pid& child, int sig);

/// Settings of the part of the runtime that runs process children (one per operating-system
/// process, started with the first process child, stopped when no spec of a process child is
/// left).
struct ProcessServiceOptions {
    /// Learn of exits through pidfds (Linux >= 5.3) when available; false forces the SIGCHLD
    /// reaper (a SIGCHLD handler and a self-pipe).
    bool use_pidfd = true;
    /// Containment::automatic may use cgroups.
    bool use_cgroups = true;
    /// Run the guardian, which kills what is left of the process children if the program dies
    /// without stopping them (even by SIGKILL).
    bool guardian = true;
    /// The cgroup under which the children's cgroups are made; "" means the program's own.
    std::string cgroup_parent;
    /// Become a child subreaper and reap every orphan that comes to this program (zombies of
    /// processes it did not start). Always so when the program is process 1 (a container's
    /// init, which receives every orphan); otherwise only for a program that starts no other
    /// processes it waits for itself (the runtime would take their exit statuses).
    bool reap_orphans = false;
};
/// Applies to the next start of the process service; false (and nothing changes) while it
/// runs.
bool set_process_service_options(ProcessServiceOptions options);
/// Whether the process service is running now (tests).
bool process_service_running();

} // namespace sup
