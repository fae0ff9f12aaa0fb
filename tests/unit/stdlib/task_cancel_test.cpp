// TaskSupervisor beyond the basics: Elixir's start_link options (name, intensity, max_children,
// the restart and shutdown of tasks), cooperative cancellation through a std::stop_token, what
// happens to a task that ignores it, and when a linked task's crash reaches its caller.
#include "std_helpers.hpp"

#include <catch2/catch.hpp>
#include <condition_variable>
#include <mutex>
#include <stop_token>

using namespace stdtest;
using sup::ExitReason;
using sup::std_lib::Task;
using sup::std_lib::TaskError;
using sup::std_lib::TaskSupervisor;

namespace {

/// Blocks until its stop_token is requested (at most 5 s, real time); records what it saw.
int until_stopped(std::stop_token st, test::Recorder* r) {
    std::mutex m;
    std::condition_variable_any cv;
    std::unique_lock l(m);
    r->add("running");
    bool stopped =
        cv.wait_for(l, st, std::chrono::seconds(5), [] { return false; }) || st.stop_requested();
    r->add(stopped ? "saw the stop request" : "never asked");
    return 1;
}

} // namespace

TEST_CASE("shutdown of a task that honours its stop_token returns at once, before the timeout") {
    test::Recorder r;
    auto clock = std::make_shared<sup::VirtualClock>();
    sup::Runtime rt(test::virtual_time(clock, false)); // virtual time: the timeout never runs out
    sup::Pid tasks = TaskSupervisor::start(rt).value();
    sup::EventQueue events(rt);

    auto t = TaskSupervisor::async_nolink(
        tasks, [&r](std::stop_token st) { return until_stopped(std::move(st), &r); });
    REQUIRE(r.wait_count(1)); // in its function
    auto res = t.shutdown(sup::Shutdown::timeout(std::chrono::seconds(5)));
    REQUIRE(!res.has_value()); // cancelled: no result, as Elixir's nil
    REQUIRE(rt.wait_exit_real(t.pid(), 5000ms) == ExitReason::shutdown());
    REQUIRE(clock->now().time_since_epoch() == sup::Clock::duration::zero());
    REQUIRE(r.items() == Lines{"running", "saw the stop request"});
    // The supervisor saw its task exit on its own (Task.shutdown is the owner's, not its).
    auto exited = events.wait_for(
        [&](const sup::SupervisorEvent& ev) {
            return ev.kind == sup::EventKind::child_exited && ev.child == t.pid();
        },
        5000ms);
    REQUIRE(exited);
    REQUIRE(exited->reason == ExitReason::shutdown());

    // Its supervisor stopping it (terminate_child, a tree's shutdown) asks the same way.
    r.clear();
    auto u = TaskSupervisor::async_nolink(
        tasks, [&r](std::stop_token st) { return until_stopped(std::move(st), &r); });
    REQUIRE(r.wait_count(1));
    REQUIRE(TaskSupervisor::terminate_child(tasks, u.pid()));
    REQUIRE(rt.wait_exit_real(u.pid(), 5000ms) == ExitReason::shutdown());
    REQUIRE(clock->now().time_since_epoch() == sup::Clock::duration::zero());
    auto e = events.wait_for(
        [&](const sup::SupervisorEvent& ev) {
            return ev.kind == sup::EventKind::child_terminated && ev.child == u.pid();
        },
        5000ms);
    REQUIRE(e);
    REQUIRE(e->reason == ExitReason::shutdown());
    REQUIRE(!u.await(0ms).has_value());
}

TEST_CASE("a task that ignores the request is killed when the shutdown timeout expires; its "
          "function runs on, its value dropped") {
    test::Recorder r;
    auto clock = std::make_shared<sup::VirtualClock>();
    sup::Runtime rt(test::virtual_time(clock, false));
    sup::Pid tasks = TaskSupervisor::start(rt).value(); // tasks: shutdown 5000 ms
    auto gate = rt.spawn<Gate>().value();
    sup::EventQueue events(rt);

    auto t = TaskSupervisor::async_nolink(tasks, [&r, gate] {
        r.add("running");
        pass(gate); // waits on the runtime's clock: the runtime stays able to settle
        r.add("finished after the kill");
        return 1;
    });
    REQUIRE(r.wait_count(1));
    rt.wait_quiescent();
    // terminate_child asks, waits 5 s on the runtime's clock, then kills.
    std::optional<sup::SupResult<void>> stopped;
    REQUIRE(clock->pending_timers() == 0);
    std::thread stopper([&] { stopped = TaskSupervisor::terminate_child(tasks, t.pid()); });
    REQUIRE(clock->wait_pending(1, 5000ms)); // the supervisor waits on the clock
    rt.wait_quiescent();
    clock->advance(4999ms);
    REQUIRE(t.pid().alive());
    clock->advance(1ms);
    REQUIRE(rt.wait_exit_real(t.pid(), 5000ms) == ExitReason::killed());
    stopper.join();
    REQUIRE(stopped.has_value());
    REQUIRE(stopped->has_value());
    auto e = events.wait_for(
        [&](const sup::SupervisorEvent& ev) {
            return ev.kind == sup::EventKind::child_terminated && ev.child == t.pid();
        },
        5000ms);
    REQUIRE(e);
    REQUIRE(e->reason == ExitReason::killed());
    auto report = events.next(5000ms); // OTP's shutdown_error: it did not stop when asked
    REQUIRE(report);
    REQUIRE(report->kind == sup::EventKind::shutdown_error);
    REQUIRE(report->child == t.pid());
    // The killed task's function still holds its thread; it finishes when it can.
    REQUIRE(sup::call(gate, Gate::Open{}).value() == 1);
    REQUIRE(r.wait_count(2));
    REQUIRE(r.items() == Lines{"running", "finished after the kill"});
    auto after = t.await(0ms);
    REQUIRE(!after);
    REQUIRE(after.error().reason == ExitReason::killed());
}

namespace {

/// Starts a linked task that crashes, from a handler that also sends itself a message first:
/// shows when the crash reaches it.
class Caller : public sup::Actor<Caller> {
public:
    struct Go {};
    struct Later {};
    Caller(sup::Pid tasks, test::Recorder* r, bool trap)
        : tasks_(std::move(tasks)), r_(r), trap_(trap) {}
    sup::InitResult init() override {
        trap_exit(trap_);
        return sup::InitResult::ok();
    }
    void handle_cast(Go) {
        sup::send(self(), Later{});
        auto t = TaskSupervisor::async(tasks_, []() -> int { throw std::runtime_error("boom"); });
        auto res = t.await(); // the task is dead when this returns: its exit signal has come
        r_->add("await: " + res.error().to_string());
        r_->add("handler returns");
    }
    void handle_info(Later) { r_->add("later"); }
    void handle_info(sup::ExitSignal s) { r_->add("EXIT from the task: " + s.reason.to_string()); }
    void terminate(const ExitReason& why) override { r_->add("terminate " + why.to_string()); }

private:
    sup::Pid tasks_;
    test::Recorder* r_;
    bool trap_;
};

} // namespace

TEST_CASE("a linked task's crash reaches its caller after the current handler, before its "
          "queued messages (trapping: as a message behind them)") {
    test::Recorder r;
    sup::Runtime rt(test::quiet());
    sup::Pid tasks = TaskSupervisor::start(rt).value();
    SECTION("not trapping exits: the caller dies of the crash once its handler returns; the "
            "message it had queued is never handled") {
        auto c = rt.spawn<Caller>(tasks, &r, false).value();
        sup::cast(c, Caller::Go{});
        REQUIRE(rt.wait_exit_real(c, 5000ms) == ExitReason::error("boom"));
        REQUIRE(r.items() == Lines{"await: exited: boom", "handler returns", "terminate boom"});
    }
    SECTION("trapping exits: an ExitSignal message, after the messages queued before it") {
        auto c = rt.spawn<Caller>(tasks, &r, true).value();
        sup::cast(c, Caller::Go{});
        REQUIRE(r.wait_count(4));
        rt.wait_quiescent();
        REQUIRE(c.alive());
        REQUIRE(r.items() == Lines{"await: exited: boom", "handler returns", "later",
                                   "EXIT from the task: boom"});
    }
}

TEST_CASE("TaskSupervisorOptions: name, intensity, max_children, the tasks' restart and "
          "shutdown") {
    test::Recorder r;
    sup::Runtime rt(test::quiet());
    sup::Pid tasks = TaskSupervisor::start(rt, {.name = "jobs",
                                                .intensity = 2,
                                                .period = std::chrono::seconds(30),
                                                .max_children = 5,
                                                .restart = sup::Restart::transient,
                                                .shutdown = sup::Shutdown::brutal_kill()})
                         .value();
    REQUIRE(rt.whereis("jobs") == tasks);

    auto snap = sup::inspect(tasks).value();
    REQUIRE(snap.flags.intensity == 2);
    REQUIRE(snap.flags.period == std::chrono::seconds(30));
    REQUIRE(snap.max_children == std::optional<std::size_t>(5));
    REQUIRE(snap.child_template->restart == sup::Restart::transient);
    REQUIRE(snap.child_template->shutdown == sup::Shutdown::brutal_kill());

    // A transient start_child task is restarted after a crash: its function runs again.
    auto tries = std::make_shared<std::atomic<int>>(0);
    auto job = TaskSupervisor::start_child(tasks, [tries, &r] {
        if (++*tries == 1)
            throw std::runtime_error("first try fails");
        r.add("second try");
    });
    REQUIRE(job);
    REQUIRE(r.wait_count(1));
    REQUIRE(*tries == 2);

    // async tasks run once, whatever the restart type (Elixir's are temporary).
    auto runs = std::make_shared<std::atomic<int>>(0);
    auto once = TaskSupervisor::async_nolink(tasks, [runs]() -> int {
        ++*runs;
        throw std::runtime_error("once");
    });
    REQUIRE(once.await().error().reason == ExitReason::error("once"));
    rt.wait_quiescent();
    REQUIRE(*runs == 1);
    REQUIRE(tasks.alive());

    // A third restart within 30 s (the async task's counted too, though declined): more than
    // 2, it gives up.
    auto again =
        TaskSupervisor::start_child(tasks, []() -> void { throw std::runtime_error("always"); });
    REQUIRE(again);
    REQUIRE(rt.wait_exit_real(tasks, 5000ms) == ExitReason::shutdown());
}
