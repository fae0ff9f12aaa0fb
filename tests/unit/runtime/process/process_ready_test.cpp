// Readiness: a child with Readiness::notify counts as started when it sends READY=1 on
// $NOTIFY_SOCKET (systemd's sd_notify), so that the next child starts after it is ready; one
// that never is within its start timeout is a start failure, and is killed.
#include "process_helpers.hpp"

#include <catch2/catch.hpp>
#include <csignal>
#include <optional>
#include <sys/stat.h>
#include <thread>

using namespace ptest;
using sup::EventKind;
using sup::testing::Supervised;

namespace {
/// The OS pid in a log line "path[PID] ...".
int pid_in(const std::string& line) {
    std::size_t b = line.find('[');
    return b == std::string::npos ? 0 : std::atoi(line.c_str() + b + 1);
}
} // namespace

TEST_CASE("the next child starts once a notify child is ready") {
    LogCapture log;
    sup::Runtime rt(options(log));
    sup::testing::EventLog events(rt);
    sup::SupervisorSpec s;
    s.children.push_back(
        sup::process("a", child({"print", "waiting", "wait-usr1", "ready", "pause"})
                              .with_readiness(sup::Readiness::notify)));
    s.children.push_back(sup::process("b", child({"print", "b runs", "pause"})));
    std::optional<sup::StartResult<sup::Tree>> tree;
    std::thread starter([&] { tree.emplace(sup::start_tree(rt, s)); });
    REQUIRE(log.wait_for("a[")); // a runs and waits for SIGUSR1 before READY=1
    int a = pid_in(log.matching("stdout: waiting")[0]);
    REQUIRE(alive(a));
    REQUIRE(events.size() == 0); // a has not started yet, so b has not either
    REQUIRE(!log.has("b runs"));
    REQUIRE(::kill(a, SIGUSR1) == 0);
    starter.join();
    REQUIRE(tree->started());
    REQUIRE(log.wait_for("stdout: b runs"));
    REQUIRE(events.lines() == std::vector<std::string>{"child_started a", "child_started b"});
    sup::ProcessInfo info = sup::process_info(tree->value().lookup("a")).value();
    REQUIRE(info.ready);
    REQUIRE(info.os_pid == a);
    tree->value().stop();
}

TEST_CASE("a child not ready within its start timeout is a start failure and is killed") {
    auto clock = std::make_shared<sup::VirtualClock>();
    LogCapture log;
    sup::RuntimeOptions o = options(log);
    o.clock = clock;
    sup::Runtime rt(o);
    std::string marker = unique_marker();
    sup::SupervisorSpec s;
    s.children.push_back(sup::process("p", child({"fork", "2", "print", "up", "pause"})
                                               .with_env("SUPC_TEST_MARKER", marker)
                                               .with_readiness(sup::Readiness::notify)
                                               .with_start_timeout(5s)));
    std::optional<sup::StartResult<sup::Tree>> tree;
    std::thread starter([&] { tree.emplace(sup::start_tree(rt, s)); });
    REQUIRE(log.wait_for("stdout: up"));
    REQUIRE(marked(marker).size() == 3);
    REQUIRE(clock->wait_pending(1, 10s)); // the start waits on the clock
    clock->advance(5s - 1ms);
    REQUIRE(marked(marker).size() == 3);
    clock->advance(1ms);
    starter.join();
    REQUIRE(tree->failed());
    REQUIRE(tree->reason().to_string() ==
            "{shutdown,{failed_to_start_child,p,{not_ready,{timeout,5000}}}}");
    REQUIRE(marked(marker).empty()); // killed, with its children, before the start returned
}

TEST_CASE("a notify child that exits before it is ready fails its start") {
    LogCapture log;
    sup::Runtime rt(options(log));
    sup::SupervisorSpec s;
    s.children.push_back(sup::process(
        "p", child({"eprint", "bad config", "exit", "4"}).with_readiness(sup::Readiness::notify)));
    auto tree = sup::start_tree(rt, s);
    REQUIRE(tree.failed());
    REQUIRE(tree.reason().to_string() ==
            "{shutdown,{failed_to_start_child,p,{not_ready,{exit_status,4}}}}");
    // Its last words are in the log.
    REQUIRE(log.has("stderr: bad config\n"));
}

TEST_CASE("STATUS= messages are recorded and logged at level info") {
    LogCapture log;
    sup::Runtime rt(options(log, sup::LogLevel::info));
    sup::SupervisorSpec s;
    s.children.push_back(sup::process(
        "p", child({"status", "warming up", "ready", "status", "serving", "print", "done", "pause"})
                 .with_readiness(sup::Readiness::notify)));
    Supervised t(rt, s);
    REQUIRE(log.wait_for("stdout: done"));
    REQUIRE(log.wait_for("] status: serving\n"));
    REQUIRE(log.has("] status: warming up\n"));
    REQUIRE(sup::process_info(t.child("p")).value().status == "serving");
}

TEST_CASE("readiness over an abstract notify socket") {
    LogCapture log;
    sup::Runtime rt(options(log));
    sup::SupervisorSpec s;
    s.children.push_back(sup::process(
        "p", child({"env", "NOTIFY_SOCKET", "ready", "pause"})
                 .with_readiness(sup::Readiness::notify, sup::NotifySocket::abstract)));
    Supervised t(rt, s);
    REQUIRE(log.wait_for("stdout: NOTIFY_SOCKET=@supc/"));
    REQUIRE(sup::process_info(t.child("p")).value().ready);
}

TEST_CASE("a path notify socket is in a private directory") {
    LogCapture log;
    sup::Runtime rt(options(log));
    sup::SupervisorSpec s;
    s.children.push_back(sup::process(
        "p",
        child({"env", "NOTIFY_SOCKET", "ready", "pause"}).with_readiness(sup::Readiness::notify)));
    Supervised t(rt, s);
    REQUIRE(log.wait_for("stdout: NOTIFY_SOCKET=/"));
    std::string line = log.matching("stdout: NOTIFY_SOCKET=")[0];
    std::string path = line.substr(line.find('=') + 1);
    path.pop_back(); // the newline
    std::string dir = path.substr(0, path.rfind('/'));
    struct stat st {};
    REQUIRE(stat(dir.c_str(), &st) == 0);
    REQUIRE((st.st_mode & 0777) == 0700);
    REQUIRE(stat(path.c_str(), &st) == 0);
    REQUIRE(S_ISSOCK(st.st_mode));
    t.stop();
    REQUIRE(stat(path.c_str(), &st) != 0); // removed with the child
}
