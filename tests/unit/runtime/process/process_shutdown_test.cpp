// Stopping a process child: the stop signal to its process group, the shutdown timeout on the
// runtime's clock, then SIGKILL; brutal_kill; infinity. And children that exit at once, again
// and again: the intensity stops them, a backoff spaces them.
#include "process_helpers.hpp"

#include <catch2/catch.hpp>
#include <csignal>
#include <optional>
#include <thread>

using namespace ptest;
using sup::EventKind;
using sup::testing::Supervised;

namespace {
/// The events of `root` (its lines), once it has stopped.
std::vector<std::string> stop_lines(Supervised& t) {
    t.stop(10s);
    return t.events().lines(t.pid());
}
} // namespace

TEST_CASE("a process child asked to stop ends with reason shutdown however it exits") {
    // It obeys the stop signal: by exiting 0, exiting 3, or dying of it (no handler).
    std::vector<std::vector<std::string>> programs = {
        {"exit-on", "15", "0", "ready", "pause"},
        {"exit-on", "15", "3", "ready", "pause"},
        {"ready", "pause"},
    };
    LogCapture log;
    sup::Runtime rt(options(log));
    for (auto& args : programs) {
        sup::SupervisorSpec s;
        s.children.push_back(sup::process("p", child(args).with_readiness(sup::Readiness::notify)));
        Supervised t(rt, s);
        int os = os_pid(t.child("p"));
        REQUIRE(stop_lines(t) == std::vector<std::string>{"child_started p",
                                                          "child_terminated p shutdown",
                                                          "supervisor_stopped shutdown"});
        REQUIRE(!alive(os));
    }
}

TEST_CASE("the stop signal is the spec's and goes to the whole process group") {
    LogCapture log;
    sup::Runtime rt(options(log));
    sup::SupervisorSpec s;
    // The main process and its three children all exit on SIGINT, and say so.
    s.children.push_back(
        sup::process("p", child({"exit-on", "2", "0", "fork", "3", "ready", "pause"})
                              .with_readiness(sup::Readiness::notify)
                              .with_stop_signal(SIGINT)));
    Supervised t(rt, s);
    REQUIRE(stop_lines(t) == std::vector<std::string>{"child_started p",
                                                      "child_terminated p shutdown",
                                                      "supervisor_stopped shutdown"});
    REQUIRE(log.count("stderr: got signal 2, exiting") == 4);
    REQUIRE(log.count("got signal 15") == 0);
}

TEST_CASE("a child ignoring its stop signal is killed when the shutdown timeout expires") {
    LogCapture log;
    sup::Runtime rt(options(log));
    sup::SupervisorSpec s;
    s.children.push_back(
        sup::process("p",
                     child({"trap", "15", "ready", "pause"}).with_readiness(sup::Readiness::notify))
            .with_shutdown(sup::Shutdown::timeout(200ms)));
    Supervised t(rt, s);
    int os = os_pid(t.child("p"));
    // OTP: killed after the timeout, and a shutdown_error report.
    REQUIRE(stop_lines(t) ==
            std::vector<std::string>{"child_started p", "child_terminated p killed",
                                     "shutdown_error p killed", "supervisor_stopped shutdown"});
    REQUIRE(log.has("p[" + std::to_string(os) + "] stderr: got signal 15, ignoring it"));
    REQUIRE(!alive(os));
}

TEST_CASE("a child ignoring its stop signal is killed after exactly its timeout (virtual time)") {
    auto clock = std::make_shared<sup::VirtualClock>();
    LogCapture log;
    sup::RuntimeOptions o = options(log);
    o.clock = clock;
    sup::Runtime rt(o);
    sup::testing::EventLog events(rt);
    sup::SupervisorSpec s;
    s.children.push_back(
        sup::process("p",
                     child({"trap", "15", "ready", "pause"}).with_readiness(sup::Readiness::notify))
            .with_shutdown(sup::Shutdown::timeout(5s)));
    sup::Tree tree = sup::start_tree(rt, s).value();
    int os = os_pid(tree.lookup("p"));
    std::optional<sup::ExitReason> stopped;
    std::thread stopper([&] { stopped = tree.stop(); });
    // It got the stop signal and ignores it; the supervisor waits on the clock.
    REQUIRE(log.wait_for("stderr: got signal 15, ignoring it"));
    REQUIRE(clock->wait_pending(1, 10s));
    clock->advance(5s - 1ms);
    REQUIRE(alive(os));
    REQUIRE(events.find([](const sup::SupervisorEvent& e) {
        return e.kind == EventKind::child_terminated;
    }) == events.size());
    clock->advance(1ms);
    REQUIRE(events.wait_for(EventKind::child_terminated, "p", 10s).reason ==
            sup::ExitReason::killed());
    stopper.join();
    REQUIRE(stopped == sup::ExitReason::shutdown());
    REQUIRE(!alive(os)); // dead before the supervisor went on
}

TEST_CASE("brutal_kill kills a process child at once without the stop signal") {
    LogCapture log;
    sup::Runtime rt(options(log));
    sup::SupervisorSpec s;
    s.children.push_back(
        sup::process("p",
                     child({"trap", "15", "ready", "pause"}).with_readiness(sup::Readiness::notify))
            .with_shutdown(sup::Shutdown::brutal_kill()));
    Supervised t(rt, s);
    int os = os_pid(t.child("p"));
    REQUIRE(stop_lines(t) == std::vector<std::string>{"child_started p",
                                                      "child_terminated p killed",
                                                      "supervisor_stopped shutdown"});
    REQUIRE(!alive(os));
    REQUIRE(!log.has("got signal 15"));
}

TEST_CASE("shutdown infinity waits for the process to exit") {
    LogCapture log;
    sup::Runtime rt(options(log));
    sup::testing::EventLog events(rt);
    sup::SupervisorSpec s;
    s.children.push_back(sup::process("p", child({"trap", "15", "ready", "wait-usr1", "exit", "0"})
                                               .with_readiness(sup::Readiness::notify))
                             .with_shutdown(sup::Shutdown::infinity()));
    sup::Tree tree = sup::start_tree(rt, s).value();
    int os = os_pid(tree.lookup("p"));
    std::optional<sup::ExitReason> stopped;
    std::thread stopper([&] { stopped = tree.stop(); });
    REQUIRE(log.wait_for("stderr: got signal 15, ignoring it"));
    REQUIRE(alive(os)); // still waited for
    REQUIRE(::kill(os, SIGUSR1) == 0);
    stopper.join();
    REQUIRE(stopped == sup::ExitReason::shutdown());
    REQUIRE(events.lines(tree.root()) == std::vector<std::string>{"child_started p",
                                                                  "child_terminated p shutdown",
                                                                  "supervisor_stopped shutdown"});
    REQUIRE(!alive(os));
}

TEST_CASE("a stopped (SIGSTOP) process child is continued to act on its stop signal") {
    LogCapture log;
    sup::Runtime rt(options(log));
    sup::SupervisorSpec s;
    s.children.push_back(sup::process("p", child({"exit-on", "15", "0", "ready", "pause"})
                                               .with_readiness(sup::Readiness::notify))
                             .with_shutdown(sup::Shutdown::timeout(10s)));
    Supervised t(rt, s);
    int os = os_pid(t.child("p"));
    REQUIRE(::kill(os, SIGSTOP) == 0);
    // Without SIGCONT after the stop signal it would stay stopped and be killed in 10 s.
    REQUIRE(stop_lines(t) == std::vector<std::string>{"child_started p",
                                                      "child_terminated p shutdown",
                                                      "supervisor_stopped shutdown"});
    REQUIRE(!alive(os));
}

TEST_CASE("a command that exits at once again and again is stopped by the intensity") {
    LogCapture log;
    sup::Runtime rt(options(log));
    sup::testing::EventLog events(rt);
    sup::SupervisorSpec s;
    s.flags.intensity = 3;
    s.flags.period = 5s;
    s.children.push_back(sup::process("p", child({"exit", "1"})));
    sup::Pid root = sup::start_supervisor(rt, s).value();
    REQUIRE(rt.wait_exit_real(root, 20s) == sup::ExitReason::shutdown());
    std::vector<std::string> expected{"child_started p"};
    for (int i = 0; i < 3; ++i) {
        expected.push_back("child_exited p {exit_status,1}");
        expected.push_back("child_restarted p");
    }
    expected.push_back("child_exited p {exit_status,1}");
    expected.push_back("give_up p");
    expected.push_back("supervisor_stopped shutdown");
    REQUIRE(events.lines(root) == expected);
}

TEST_CASE("a backoff spaces the restarts of a command that exits at once") {
    auto clock = std::make_shared<sup::VirtualClock>();
    LogCapture log;
    sup::RuntimeOptions o = options(log);
    o.clock = clock;
    sup::Runtime rt(o);
    sup::testing::EventLog events(rt);
    sup::SupervisorSpec s;
    s.flags.intensity = 100;
    s.flags.period = 60s;
    s.flags.backoff = sup::Backoff::exponential(100ms, 1s);
    s.children.push_back(sup::process("p", child({"exit", "1"})));
    sup::Pid root = sup::start_supervisor(rt, s).value();
    std::vector<long> delays;
    std::size_t from = 0;
    for (int i = 0; i < 5; ++i) {
        sup::SupervisorEvent e = events.wait_for(
            [](const sup::SupervisorEvent& x) { return x.kind == EventKind::restart_delayed; },
            "restart_delayed", 10s, from);
        delays.push_back(std::chrono::duration_cast<std::chrono::milliseconds>(e.delay).count());
        from =
            events.find(
                [](const sup::SupervisorEvent& x) { return x.kind == EventKind::restart_delayed; },
                from) +
            1;
        // No restart before its time: the next start comes only when the clock says so.
        REQUIRE(clock->wait_pending(1, 10s));
        clock->advance(e.delay);
    }
    REQUIRE(delays == std::vector<long>{100, 200, 400, 800, 1000});
    REQUIRE(rt.stop(root) == sup::ExitReason::shutdown());
}
