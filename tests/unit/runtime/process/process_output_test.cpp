// A process child's stdout and stderr lines reach the runtime's log, prefixed with its path,
// and never block the child: bounded buffers, lines dropped (and counted, and said) when the
// log does not keep up, long lines cut and marked, control bytes escaped.
#include "process_helpers.hpp"

#include <catch2/catch.hpp>
#include <csignal>

using namespace ptest;
using sup::EventKind;
using sup::testing::Supervised;

namespace {
std::string slurp(const std::string& path) {
    std::ifstream in(path);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}
} // namespace

TEST_CASE("output lines reach the log prefixed with the child's path") {
    LogCapture log;
    sup::Runtime rt(options(log));
    sup::SupervisorSpec web;
    web.children.push_back(sup::process("web", child({"print", "hello", "eprint", "oops", "partial",
                                                      "no newline", "ready", "pause"})
                                                   .with_readiness(sup::Readiness::notify)));
    sup::SupervisorSpec root;
    root.children.push_back(sup::supervisor("services", [=] { return web; }));
    Supervised t(rt, root);
    std::string head = "services/web[" + std::to_string(os_pid(t.child("services/web"))) + "] ";
    REQUIRE(log.wait_for(head + "stdout: hello\n"));
    REQUIRE(log.wait_for(head + "stderr: oops\n"));
    // A last line without a newline is logged when the stream ends.
    t.stop();
    REQUIRE(log.has(head + "stdout: no newline\n"));
}

TEST_CASE("a child that writes fast loses nothing when the log keeps up") {
    LogCapture log;
    sup::Runtime rt(options(log));
    sup::ProcessOutput big;
    big.max_buffered = 64 << 20;
    sup::SupervisorSpec s;
    s.children.push_back(sup::process("p", child({"lines", "20000", "ready", "pause"})
                                               .with_readiness(sup::Readiness::notify)
                                               .with_output(big)));
    Supervised t(rt, s);
    REQUIRE(log.wait_count("stdout: line ", 20000, 60s));
    std::vector<std::string> lines = log.matching("stdout: line ");
    REQUIRE(lines.size() == 20000);
    std::string head = "p[" + std::to_string(os_pid(t.child("p"))) + "] stdout: line ";
    for (std::size_t i = 0; i < lines.size(); ++i)
        if (lines[i] != head + std::to_string(i + 1) + "\n")
            FAIL("line " << i + 1 << " is " << lines[i]);
    sup::ProcessInfo info = sup::process_info(t.child("p")).value();
    REQUIRE(info.lines == 20000);
    REQUIRE(info.lines_dropped == 0);
}

TEST_CASE("a flood does not block the child when the log does not keep up") {
    // The log blocks until released: the child still writes all its 5 MB and exits; what did
    // not fit is dropped, counted and said.
    BlockedLog log;
    sup::RuntimeOptions o;
    o.threads = 2;
    o.log_sink = log.sink();
    sup::Runtime rt(o);
    // Whatever fails below, the log is released before the runtime is destroyed: a runtime
    // that stops its process children drains their output into the log, which would wait
    // for ever (a failed assertion would become a hang).
    struct ReleaseOnExit {
        BlockedLog& log;
        ~ReleaseOnExit() { log.release(); }
    } release_on_exit{log};
    sup::ProcessOutput out;
    out.max_buffered = 256 * 1024;
    sup::SupervisorSpec s;
    s.children.push_back(
        sup::process("p", on_usr1({"flood", "5000000", "exit", "0"}).with_output(out))
            .with_restart(sup::Restart::temporary));
    sup::testing::EventLog events(rt);
    sup::Pid root = sup::start_supervisor(rt, s).value();
    sup::Pid p = sup::which_children(root).value()[0].pid;
    int os = os_pid(p);
    REQUIRE(sup::signal_process(p, SIGUSR1)); // started: now it floods
    REQUIRE(wait_dead({os}, 120s).empty());   // it finished writing and exited (TSan: slow)
    log.release();
    REQUIRE(events.wait_for(EventKind::child_exited, "p", 30s).reason == sup::ExitReason::normal());
    std::vector<std::string> lines = log.lines();
    // flood writes 65,600-byte chunks of 100-byte lines until 5,000,000 bytes are written.
    const std::size_t chunks = (5000000 + 65599) / 65600, total = chunks * 656;
    std::size_t logged = 0, dropped = 0, notes = 0;
    for (const std::string& l : lines) {
        if (l.find(" stdout: " + std::string(99, 'x') + "\n") != std::string::npos)
            ++logged;
        std::size_t at = l.find("[supc: ");
        if (at != std::string::npos) {
            ++notes;
            dropped += std::stoul(l.substr(at + 7));
            REQUIRE(l.find(" lines (") != std::string::npos);
            REQUIRE(l.find(" bytes) of output dropped: the log did not keep up]\n") !=
                    std::string::npos);
        }
    }
    REQUIRE(notes >= 1);
    REQUIRE(dropped > 0);
    REQUIRE(logged + dropped == total);
    REQUIRE(logged * 100 <= 2 * out.max_buffered); // bounded: what was held, no more
    REQUIRE(rt.stop(root) == sup::ExitReason::shutdown());
}

TEST_CASE("long lines are cut and marked and control bytes escaped") {
    LogCapture log;
    sup::Runtime rt(options(log));
    sup::ProcessOutput out;
    out.max_line = 1000;
    sup::SupervisorSpec s;
    s.children.push_back(
        sup::process("p", child({"longline", "100000", "ctrl", "print", "after", "ready", "pause"})
                              .with_readiness(sup::Readiness::notify)
                              .with_output(out)));
    Supervised t(rt, s);
    REQUIRE(log.wait_for("stdout: after"));
    std::string head = "p[" + std::to_string(os_pid(t.child("p"))) + "] stdout: ";
    std::vector<std::string> lines = log.matching(" stdout: ");
    REQUIRE(lines.size() == 3);
    REQUIRE(lines[0] == head + std::string(1000, 'a') + "...[99000 bytes cut]\n");
    REQUIRE(lines[1] == head + "red\\x1b[31mtext\tend\n"); // and the \r\n line end is one end
    REQUIRE(lines[2] == head + "after\n");
    sup::ProcessInfo info = sup::process_info(t.child("p")).value();
    REQUIRE(info.lines_truncated == 1);
    REQUIRE(info.lines == 3);
}

TEST_CASE("a child that closes its stdout goes on being supervised") {
    LogCapture log;
    sup::Runtime rt(options(log));
    sup::SupervisorSpec s;
    s.children.push_back(sup::process("p", child({"close-stdout", "ready", "wait-usr1", "eprint",
                                                  "still here", "exit", "5"})
                                               .with_readiness(sup::Readiness::notify))
                             .with_restart(sup::Restart::temporary));
    Supervised t(rt, s);
    sup::Pid p = t.child("p");
    REQUIRE(sup::signal_process(p, SIGUSR1));
    REQUIRE(t.events().wait_for(EventKind::child_exited, "p", 10s).reason.to_string() ==
            "{exit_status,5}");
    REQUIRE(log.has("stderr: still here\n"));
}

TEST_CASE("output also goes to a file when asked") {
    LogCapture log;
    sup::Runtime rt(options(log));
    char tmpl[] = "/tmp/supc-proc-out-XXXXXX";
    int fd = mkstemp(tmpl);
    REQUIRE(fd >= 0);
    close(fd);
    sup::ProcessOutput out;
    out.file = tmpl;
    sup::SupervisorSpec s;
    s.children.push_back(
        sup::process("p", child({"print", "one", "eprint", "two", "ready", "pause"})
                              .with_readiness(sup::Readiness::notify)
                              .with_output(out)));
    {
        Supervised t(rt, s);
        REQUIRE(log.wait_for("stderr: two"));
    } // stopped: everything is written
    std::string text = slurp(tmpl);
    REQUIRE((text == "one\ntwo\n" || text == "two\none\n")); // two pipes: either order
    REQUIRE(log.has("stdout: one\n"));
    unlink(tmpl);
}

TEST_CASE("discarded and inherited output") {
    LogCapture log;
    sup::Runtime rt(options(log));
    sup::ProcessOutput discard;
    discard.mode = sup::OutputMode::discard;
    sup::ProcessOutput inherit;
    inherit.mode = sup::OutputMode::inherit;
    // Inherited: the child writes on the program's own stdout, here a file.
    char tmpl[] = "/tmp/supc-proc-inh-XXXXXX";
    int file = mkstemp(tmpl);
    REQUIRE(file >= 0);
    int saved = dup(1);
    fflush(stdout);
    REQUIRE(dup2(file, 1) == 1);
    {
        sup::SupervisorSpec s;
        s.children.push_back(sup::process("d", child({"print", "discarded", "ready", "pause"})
                                                   .with_readiness(sup::Readiness::notify)
                                                   .with_output(discard)));
        s.children.push_back(sup::process("i", child({"print", "inherited", "ready", "pause"})
                                                   .with_readiness(sup::Readiness::notify)
                                                   .with_output(inherit)));
        Supervised t(rt, s);
        REQUIRE(sup::process_info(t.child("d")).value().lines == 0);
        REQUIRE(sup::process_info(t.child("i")).value().lines == 0);
    }
    dup2(saved, 1);
    close(saved);
    close(file);
    REQUIRE(slurp(tmpl) == "inherited\n");
    REQUIRE(!log.has("discarded"));
    REQUIRE(!log.has("inherited"));
    unlink(tmpl);
}
