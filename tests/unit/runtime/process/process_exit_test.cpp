// A process child's exit becomes its exit reason, and the supervisor decides with OTP's rules:
// the three restart types, the three strategies, processes beside actors.
#include "process_helpers.hpp"

#include <catch2/catch.hpp>
#include <csignal>
#include <sys/stat.h>

using namespace ptest;
using sup::EventKind;
using sup::testing::Supervised;

namespace {

/// The reason of the first child_exited event about `id`.
std::string exit_reason(Supervised& t, const std::string& id) {
    return t.events().wait_for(EventKind::child_exited, id, 10s).reason.to_string();
}

} // namespace

TEST_CASE("a process child's exit status and death signal are its exit reason") {
    struct Case {
        std::vector<std::string> args;
        std::string reason;
        bool abnormal;
    };
    std::vector<Case> cases = {
        {{"exit", "0"}, "normal", false},
        {{"exit", "3"}, "{exit_status,3}", true},
        {{"exit", "255"}, "{exit_status,255}", true},
        {{"raise", std::to_string(SIGSEGV)}, "{signal,SIGSEGV}", true},
        {{"raise", std::to_string(SIGABRT)}, "{signal,SIGABRT}", true},
        {{"raise", std::to_string(SIGKILL)}, "{signal,SIGKILL}", true},
        {{"raise", std::to_string(SIGTERM)}, "{signal,SIGTERM}", true},
    };
    LogCapture log;
    sup::Runtime rt(options(log));
    for (const Case& c : cases) {
        CAPTURE(c.reason);
        sup::SupervisorSpec s;
        s.children.push_back(
            sup::process("p", child(c.args)).with_restart(sup::Restart::temporary));
        Supervised t(rt, s);
        sup::SupervisorEvent e = t.events().wait_for(EventKind::child_exited, "p", 10s);
        REQUIRE(e.reason.to_string() == c.reason);
        REQUIRE(e.reason.is_abnormal() == c.abnormal);
    }
}

TEST_CASE("restart decisions for process exits follow the restart type") {
    // The child waits for SIGUSR1, then exits so; whether it is restarted is OTP's rule.
    struct Exit {
        std::vector<std::string> action;
        std::string reason;
    };
    std::vector<Exit> exits = {{{"exit", "0"}, "normal"},
                               {{"exit", "7"}, "{exit_status,7}"},
                               {{"raise", std::to_string(SIGSEGV)}, "{signal,SIGSEGV}"}};
    auto restart =
        GENERATE(sup::Restart::permanent, sup::Restart::transient, sup::Restart::temporary);
    LogCapture log;
    sup::Runtime rt(options(log));
    for (const Exit& x : exits) {
        CAPTURE(sup::to_string(restart), x.reason);
        sup::SupervisorSpec s;
        s.flags.intensity = 10;
        s.children.push_back(sup::process("p", on_usr1(x.action)).with_restart(restart));
        Supervised t(rt, s);
        sup::Pid first = t.child("p");
        int os = os_pid(first);
        REQUIRE(os > 0);
        REQUIRE(sup::signal_process(first, SIGUSR1));
        REQUIRE(exit_reason(t, "p") == x.reason);
        // The supervisor handles the exit before this call (its mailbox is in order).
        std::vector<sup::ChildInfo> kids = t.which_children();
        bool restarted = !kids.empty() && kids[0].pid && kids[0].pid != first;
        bool expected = restart == sup::Restart::permanent ||
                        (restart == sup::Restart::transient && x.reason != "normal");
        REQUIRE(restarted == expected);
        if (restart == sup::Restart::temporary)
            REQUIRE(kids.empty());
        if (restart == sup::Restart::transient && !expected)
            REQUIRE((kids.size() == 1 && kids[0].state == sup::ChildInfo::State::undefined));
        if (restarted)
            REQUIRE(os_pid(kids[0].pid) != os);
        REQUIRE(!alive(os));
    }
}

TEST_CASE("strategies restart process children and actors alike") {
    // Children in start order: an actor, the process that crashes, another process.
    auto strategy = GENERATE(sup::Strategy::one_for_one, sup::Strategy::one_for_all,
                             sup::Strategy::rest_for_one);
    CAPTURE(sup::to_string(strategy));
    LogCapture log;
    sup::Runtime rt(options(log));
    sup::SupervisorSpec s;
    s.flags.strategy = strategy;
    s.children.push_back(sup::testing::stand_in("a"));
    s.children.push_back(sup::process("p", on_usr1({"exit", "3"})));
    s.children.push_back(sup::process("q", child({"pause"})));
    Supervised t(rt, s);
    sup::Pid a = t.child("a"), p = t.child("p"), q = t.child("q");
    int p_os = os_pid(p), q_os = os_pid(q);
    REQUIRE(sup::signal_process(p, SIGUSR1));
    sup::Pid p2 = t.await_restart("p", p, 10s);
    if (strategy != sup::Strategy::one_for_one) // q starts after p
        t.events().wait_for(EventKind::child_restarted, "q", 10s);
    std::vector<std::string> lines = t.events().lines(t.pid());
    std::vector<std::string> expected;
    switch (strategy) {
    case sup::Strategy::one_for_one:
        expected = {"child_started a", "child_started p", "child_started q",
                    "child_exited p {exit_status,3}", "child_restarted p"};
        REQUIRE(t.child("a") == a);
        REQUIRE(t.child("q") == q);
        REQUIRE(alive(q_os));
        break;
    case sup::Strategy::one_for_all:
        expected = {"child_started a",
                    "child_started p",
                    "child_started q",
                    "child_exited p {exit_status,3}",
                    "child_terminated q shutdown",
                    "child_terminated a shutdown",
                    "child_restarted a",
                    "child_restarted p",
                    "child_restarted q"};
        REQUIRE(t.child("a") != a);
        REQUIRE(t.child("q") != q);
        REQUIRE(!alive(q_os)); // stopped with SIGTERM before the restart
        break;
    case sup::Strategy::rest_for_one:
        expected = {"child_started a",
                    "child_started p",
                    "child_started q",
                    "child_exited p {exit_status,3}",
                    "child_terminated q shutdown",
                    "child_restarted p",
                    "child_restarted q"};
        REQUIRE(t.child("a") == a);
        REQUIRE(t.child("q") != q);
        REQUIRE(!alive(q_os));
        break;
    }
    REQUIRE(lines == expected);
    REQUIRE(!alive(p_os));
    REQUIRE(os_pid(p2) > 0);
}

TEST_CASE("an actor's crash restarts process siblings under one_for_all") {
    LogCapture log;
    sup::Runtime rt(options(log));
    sup::SupervisorSpec s;
    s.flags.strategy = sup::Strategy::one_for_all;
    s.children.push_back(sup::process("p", child({"pause"})));
    s.children.push_back(sup::testing::stand_in("a"));
    Supervised t(rt, s);
    sup::Pid p = t.child("p");
    int os = os_pid(p);
    t.kill_and_await_restart("a", 10s);
    REQUIRE(t.child("p") != p);
    REQUIRE(!alive(os));
    REQUIRE(alive(os_pid(t.child("p"))));
}

TEST_CASE("a start that cannot exec is a start failure with the OS error") {
    LogCapture log;
    sup::Runtime rt(options(log));
    char dir_tmpl[] = "/tmp/supc-proc-test-XXXXXX";
    REQUIRE(mkdtemp(dir_tmpl));
    std::string dir = dir_tmpl;
    std::string not_exec = dir + "/not-executable";
    std::ofstream(not_exec) << "#!/bin/sh\nexit 0\n";
    struct Case {
        sup::ProcessSpec spec;
        std::string reason;
    };
    std::vector<Case> cases = {
        {sup::ProcessSpec("/nonexistent/program"),
         "{spawn_failed,exec,\"/nonexistent/program: No such file or directory\"}"},
        {sup::ProcessSpec("no-such-program-anywhere"),
         "{spawn_failed,exec,\"no-such-program-anywhere: not found in PATH\"}"},
        {sup::ProcessSpec(not_exec), "{spawn_failed,exec,\"" + not_exec + ": Permission denied\"}"},
        {child({"exit", "0"}).with_working_dir(dir + "/missing"),
         "{spawn_failed,chdir,\"" + dir + "/missing: No such file or directory\"}"},
        {child({"exit", "0"}).with_working_dir(not_exec),
         "{spawn_failed,chdir,\"" + not_exec + ": Not a directory\"}"},
        {sup::ProcessSpec(""), "{bad_process_spec,\"empty command\"}"},
        {child({}).with_stop_signal(0), "{bad_process_spec,\"unknown stop signal 0\"}"},
        {child({}).with_env("A=B", "x"),
         "{bad_process_spec,\"invalid environment variable name \"A=B\"\"}"},
    };
    for (Case& c : cases) {
        CAPTURE(c.reason);
        sup::SupervisorSpec s;
        s.children.push_back(sup::process("p", c.spec));
        auto r = sup::start_tree(rt, s);
        REQUIRE(r.failed());
        // OTP's failed start of a supervisor's child.
        REQUIRE(r.reason().to_string() == "{shutdown,{failed_to_start_child,p," + c.reason + "}}");
    }
    // During a restart a failed start is retried (OTP): a permanent child whose program
    // disappears is retried until the intensity gives up.
    std::string prog = dir + "/prog";
    {
        std::ifstream src(child_bin, std::ios::binary);
        std::ofstream dst(prog, std::ios::binary);
        dst << src.rdbuf();
    }
    REQUIRE(chmod(prog.c_str(), 0755) == 0);
    sup::SupervisorSpec s;
    s.flags.intensity = 2;
    s.children.push_back(
        sup::process("p", sup::ProcessSpec(prog, {"ready", "wait-usr1", "exit", "1"})
                              .with_readiness(sup::Readiness::notify)));
    sup::testing::EventLog events(rt);
    sup::Pid root = sup::start_supervisor(rt, s).value();
    sup::Pid p = sup::which_children(root).value()[0].pid;
    REQUIRE(unlink(prog.c_str()) == 0);
    REQUIRE(sup::signal_process(p, SIGUSR1));
    REQUIRE(rt.wait_exit_real(root, 10s) == sup::ExitReason::shutdown());
    std::string missing = "{spawn_failed,exec,\"" + prog + ": No such file or directory\"}";
    REQUIRE(events.lines(root) ==
            std::vector<std::string>{"child_started p", "child_exited p {exit_status,1}",
                                     "start_failed p " + missing, "start_failed p " + missing,
                                     "give_up p", "supervisor_stopped shutdown"});
    unlink(not_exec.c_str());
    rmdir(dir.c_str());
}

TEST_CASE("a process child gets its arguments and environment and working directory") {
    // What the program must not inherit: an ignored SIGPIPE, a blocked SIGUSR2 (in the threads
    // the runtime creates), a descriptor without close-on-exec, the program's NOTIFY_SOCKET.
    REQUIRE(!sup::process_service_running()); // its thread will be made with the mask below
    struct sigaction ign {};
    ign.sa_handler = SIG_IGN;
    struct sigaction old_pipe {};
    sigaction(SIGPIPE, &ign, &old_pipe);
    sigset_t usr2, old_mask;
    sigemptyset(&usr2);
    sigaddset(&usr2, SIGUSR2);
    pthread_sigmask(SIG_BLOCK, &usr2, &old_mask);
    int leaked = open("/dev/null", O_RDONLY);
    setenv("SUPC_TEST_INHERITED", "yes", 1);
    setenv("SUPC_TEST_UNSET", "present", 1);
    setenv("NOTIFY_SOCKET", "/run/inherited-notify", 1);
    {
        LogCapture log;
        sup::Runtime rt(options(log));
        auto spec = child({"args", "env", "SUPC_TEST_INHERITED", "env", "SUPC_TEST_UNSET", "env",
                           "SUPC_TEST_SET", "env", "NOTIFY_SOCKET", "env", "SUPC_PROCESS_TAG",
                           "cwd", "fds", "sigstate", "pause"})
                        .with_env("SUPC_TEST_SET", "a b=c")
                        .without_env("SUPC_TEST_UNSET")
                        .with_working_dir("/tmp");
        spec.argv0 = "renamed";
        sup::SupervisorSpec s;
        s.children.push_back(sup::process("p", spec));
        Supervised t(rt, s);
        REQUIRE(log.wait_for("stdout: blocked"));
        std::string head = "p[" + std::to_string(os_pid(t.child("p"))) + "] stdout: ";
        std::vector<std::string> out = log.matching(" stdout: ");
        REQUIRE(out.size() == 9);
        REQUIRE(out[0] == head + "renamed args env SUPC_TEST_INHERITED env SUPC_TEST_UNSET env "
                                 "SUPC_TEST_SET env NOTIFY_SOCKET env SUPC_PROCESS_TAG cwd fds "
                                 "sigstate pause\n");
        REQUIRE(out[1] == head + "SUPC_TEST_INHERITED=yes\n");
        REQUIRE(out[2] == head + "SUPC_TEST_UNSET unset\n");
        REQUIRE(out[3] == head + "SUPC_TEST_SET=a b=c\n");
        REQUIRE(out[4] == head + "NOTIFY_SOCKET unset\n");
        REQUIRE(out[5].rfind(head + "SUPC_PROCESS_TAG=", 0) == 0);
        REQUIRE(out[6] == head + "/tmp\n");
        REQUIRE(out[7] == head + "fds:\n");
        REQUIRE(out[8] == head + "blocked 0 ignored 0\n");
    }
    close(leaked);
    pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
    sigaction(SIGPIPE, &old_pipe, nullptr);
    unsetenv("SUPC_TEST_INHERITED");
    unsetenv("SUPC_TEST_UNSET");
    unsetenv("NOTIFY_SOCKET");
}

TEST_CASE("a process child runs in its own session and process group") {
    LogCapture log;
    sup::Runtime rt(options(log));
    sup::SupervisorSpec s;
    s.children.push_back(sup::process("p", child({"pause"})));
    Supervised t(rt, s);
    int os = os_pid(t.child("p"));
    ProcStat st;
    REQUIRE(read_stat(os, st));
    REQUIRE(st.pgrp == os);
    REQUIRE(st.session == os);
    REQUIRE(st.ppid == getpid());
}
