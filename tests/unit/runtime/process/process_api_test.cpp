// The C++ API of process children: specs and their checks, signal names, dynamic process
// children, process_info / signal_process, significant process children, and the SIGCHLD
// fallback for kernels without pidfds.
#include "process_helpers.hpp"

#include <catch2/catch.hpp>
#include <csignal>
#include <sys/wait.h>

using namespace ptest;
using sup::EventKind;
using sup::testing::Supervised;

TEST_CASE("signal names both ways") {
    REQUIRE(sup::signal_name(SIGTERM) == "SIGTERM");
    REQUIRE(sup::signal_name(SIGSEGV) == "SIGSEGV");
    REQUIRE(sup::signal_name(SIGRTMIN) == "SIGRTMIN");
    REQUIRE(sup::signal_name(SIGRTMIN + 3) == "SIGRTMIN+3");
    REQUIRE(sup::signal_name(0) == "SIG0");
    REQUIRE(sup::signal_number("TERM") == SIGTERM);
    REQUIRE(sup::signal_number("SIGTERM") == SIGTERM);
    REQUIRE(sup::signal_number("sigint") == SIGINT);
    REQUIRE(sup::signal_number("9") == SIGKILL);
    REQUIRE(sup::signal_number("RTMIN+2") == SIGRTMIN + 2);
    REQUIRE(sup::signal_number("SIGRTMAX-1") == SIGRTMAX - 1);
    for (int s = 1; s <= SIGRTMAX; ++s)
        REQUIRE(sup::signal_number(sup::signal_name(s)) == s);
    for (const char* bad : {"", "TERMS", "SIG", "0", "65", "-1", "RTMIN+99", "RTMIN-1", "9x"})
        REQUIRE_FALSE(sup::signal_number(bad).has_value());
}

TEST_CASE("process specs are checked") {
    auto problem = [](sup::ProcessSpec s) { return sup::check_process_spec(s).value_or("ok"); };
    REQUIRE(problem(sup::ProcessSpec("/bin/true")) == "ok");
    REQUIRE(problem(sup::ProcessSpec("")) == "empty command");
    REQUIRE(problem(sup::ProcessSpec(std::string("a\0b", 3))) ==
            "command \"a\\0b\" contains a NUL byte");
    REQUIRE(problem(sup::ProcessSpec("x", {std::string("\0", 1)})) ==
            "argument \"\\0\" contains a NUL byte");
    REQUIRE(problem(sup::ProcessSpec("x").with_env("", "v")) ==
            "invalid environment variable name \"\"");
    REQUIRE(problem(sup::ProcessSpec("x").without_env("A=")) ==
            "invalid environment variable name \"A=\"");
    REQUIRE(problem(sup::ProcessSpec("x").with_stop_signal(SIGRTMAX + 1)) ==
            "unknown stop signal " + std::to_string(SIGRTMAX + 1));
    REQUIRE(problem(sup::ProcessSpec("x").with_start_timeout(-1ms)) == "negative start timeout");
    sup::ProcessOutput o;
    o.max_line = 4;
    REQUIRE(problem(sup::ProcessSpec("x").with_output(o)) == "max_line 4 is below 16");
    o = {};
    o.mode = sup::OutputMode::discard;
    o.file = "/tmp/x";
    REQUIRE(problem(sup::ProcessSpec("x").with_output(o)) ==
            "an output file needs OutputMode::log");
}

TEST_CASE("dynamic process children get extra arguments") {
    LogCapture log;
    sup::Runtime rt(options(log));
    sup::DynamicSupervisorSpec d;
    d.child = sup::dynamic_process(child({"print", "fixed"}));
    Supervised t(rt, d);
    sup::Pid one =
        sup::start_child(t.pid(), sup::args(std::vector<std::string>{"print", "extra", "pause"}))
            .value();
    REQUIRE(log.wait_for("1[" + std::to_string(os_pid(one)) + "] stdout: extra\n"));
    REQUIRE(log.has("] stdout: fixed\n"));
    auto bad = sup::start_child(t.pid(), sup::args(42));
    REQUIRE(!bad);
    REQUIRE(bad.error().reason.to_string() == "bad start arguments");
    int os = os_pid(one);
    REQUIRE(sup::terminate_child(t.pid(), one));
    REQUIRE(!alive(os));
}

TEST_CASE("process_info and signal_process") {
    LogCapture log;
    sup::Runtime rt(options(log));
    sup::SupervisorSpec s;
    s.children.push_back(sup::process(
        "p", child({"trap", "1", "ready", "pause"}).with_readiness(sup::Readiness::notify)));
    s.children.push_back(sup::testing::stand_in("a"));
    Supervised t(rt, s);
    sup::ProcessInfo i = sup::process_info(t.child("p")).value();
    REQUIRE(i.path == "p");
    REQUIRE(i.os_pid > 0);
    REQUIRE(i.ready);
    REQUIRE((i.containment == sup::Containment::cgroup) == !i.cgroup.empty());
    REQUIRE(sup::signal_process(t.child("p"), SIGHUP));
    REQUIRE(log.wait_for("stderr: got signal 1, ignoring it"));
    // Not a process child: an actor, an empty pid.
    REQUIRE(sup::process_info(t.child("a")).error().code == sup::CallError::Code::noproc);
    REQUIRE(!sup::process_info(sup::Pid()));
    REQUIRE(!sup::signal_process(t.child("a"), SIGHUP));
}

TEST_CASE("a significant process child's normal exit shuts its supervisor down") {
    LogCapture log;
    sup::Runtime rt(options(log));
    sup::SupervisorSpec s;
    s.flags.auto_shutdown = sup::AutoShutdown::any_significant;
    s.children.push_back(sup::process("job", on_usr1({"exit", "0"}))
                             .with_restart(sup::Restart::transient)
                             .with_significant());
    s.children.push_back(sup::process("other", child({"pause"})));
    sup::testing::EventLog events(rt);
    sup::Pid root = sup::start_supervisor(rt, s).value();
    sup::Pid job = sup::which_children(root).value()[1].pid;
    int other = os_pid(sup::which_children(root).value()[0].pid);
    REQUIRE(sup::signal_process(job, SIGUSR1));
    REQUIRE(rt.wait_exit_real(root, 10s) == sup::ExitReason::shutdown());
    REQUIRE(events.lines(root) ==
            std::vector<std::string>{"child_started job", "child_started other",
                                     "child_exited job normal", "auto_shutdown job",
                                     "child_terminated other shutdown",
                                     "supervisor_stopped shutdown"});
    REQUIRE(!alive(other));
}

TEST_CASE("the SIGCHLD reaper works where pidfds do not") {
    // Forces the fallback of kernels before 5.3 (and cgroups off: process_tree containment).
    REQUIRE(!sup::process_service_running());
    sup::ProcessServiceOptions fallback;
    fallback.use_pidfd = false;
    fallback.use_cgroups = false;
    REQUIRE(sup::set_process_service_options(fallback));
    struct Restore {
        ~Restore() { sup::set_process_service_options({}); }
    } restore;
    LogCapture log;
    {
        sup::Runtime rt(options(log, sup::LogLevel::info));
        std::string marker = unique_marker();
        sup::SupervisorSpec s;
        s.flags.intensity = 5;
        s.children.push_back(
            sup::process("p", on_usr1({"exit", "3"}).with_env("SUPC_TEST_MARKER", marker)));
        s.children.push_back(sup::process("d", child({"daemon", "trap", "15", "ready", "pause"})
                                                   .with_env("SUPC_TEST_MARKER", marker)
                                                   .with_readiness(sup::Readiness::notify))
                                 .with_shutdown(sup::Shutdown::timeout(100ms)));
        Supervised t(rt, s);
        REQUIRE(log.has("process service: exits by SIGCHLD; cgroups: none"));
        REQUIRE(sup::process_info(t.child("d")).value().containment ==
                sup::Containment::process_tree);
        std::vector<int> before = marked(marker);
        REQUIRE(before.size() == 3);
        sup::Pid p = t.child("p");
        REQUIRE(sup::signal_process(p, SIGUSR1));
        REQUIRE(t.events().wait_for(EventKind::child_exited, "p", 10s).reason.to_string() ==
                "{exit_status,3}");
        t.await_restart("p", p, 10s);
        t.stop(10s);
        REQUIRE(marked(marker).empty());
        REQUIRE(t.events().lines(t.pid()) ==
                std::vector<std::string>{
                    "child_started p", "child_started d", "child_exited p {exit_status,3}",
                    "child_restarted p", "child_terminated d killed", "shutdown_error d killed",
                    "child_terminated p shutdown", "supervisor_stopped shutdown"});
    }
}

TEST_CASE("with reap_orphans the program reaps the orphans that come to it") {
    // As process 1 in a container would: a child's daemon is orphaned to this program, exits
    // on its own, and must not stay a zombie here.
    REQUIRE(!sup::process_service_running());
    sup::ProcessServiceOptions reap;
    reap.reap_orphans = true;
    REQUIRE(sup::set_process_service_options(reap));
    struct Restore {
        ~Restore() { sup::set_process_service_options({}); }
    } restore;
    LogCapture log;
    sup::Runtime rt(options(log, sup::LogLevel::info));
    std::string marker = unique_marker();
    sup::SupervisorSpec s;
    s.children.push_back(sup::process("p", child({"daemon", "ready", "pause"})
                                               .with_env("SUPC_TEST_MARKER", marker)
                                               .with_readiness(sup::Readiness::notify)));
    Supervised t(rt, s);
    REQUIRE(log.has("; reaps orphans"));
    int daemon = 0;
    for (int pid : marked(marker)) {
        ProcStat st;
        if (read_stat(pid, st) && st.ppid == getpid() && pid != os_pid(t.child("p")))
            daemon = pid; // orphaned to us (a subreaper now)
    }
    REQUIRE(daemon > 0);
    REQUIRE(::kill(daemon, SIGTERM) == 0);
    REQUIRE(wait_dead({daemon}).empty());
    t.stop();
    // The reactor has handled its SIGCHLD (before the stop's own events): reaped, not a zombie.
    siginfo_t si{};
    REQUIRE(waitid(P_PID, daemon, &si, WEXITED | WNOHANG | WNOWAIT) == -1);
    REQUIRE(errno == ECHILD);
}
