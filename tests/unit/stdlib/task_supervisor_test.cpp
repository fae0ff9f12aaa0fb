// TaskSupervisor: async (linked), async_nolink, await / yield / shutdown, await_many,
// fire-and-forget start_child, max_children, timeouts in virtual time, in a tree.
#include "std_helpers.hpp"

#include <catch2/catch.hpp>

using namespace stdtest;
using sup::ExitReason;
using sup::std_lib::Task;
using sup::std_lib::TaskError;
using sup::std_lib::TaskSupervisor;

namespace {

int boom() {
    throw std::runtime_error("boom");
}

std::string describe(const sup::std_lib::TaskResult<int>& r) {
    return r ? std::to_string(r.value()) : r.error().to_string();
}

/// An actor that starts tasks from its handlers.
class Owner : public sup::Actor<Owner> {
public:
    Owner(sup::Pid tasks, test::Recorder* r, bool trap)
        : tasks_(std::move(tasks)), r_(r), trap_(trap) {}

    struct NolinkCrash {};
    struct LinkedCrash {
        bool await;
    };
    struct LinkedValue {};
    struct ShutdownLinked {
        sup::Ref<Gate> gate;
    };
    struct Ping {};

    std::string handle_call(NolinkCrash) {
        return describe(TaskSupervisor::async_nolink(tasks_, boom).await());
    }
    void handle_cast(LinkedCrash c) {
        auto t = TaskSupervisor::async(tasks_, boom);
        if (c.await)
            r_->add("await " + describe(t.await()));
    }
    int handle_call(LinkedValue) {
        return TaskSupervisor::async(tasks_, [] { return 42; }).await().value();
    }
    std::string handle_call(ShutdownLinked s) {
        auto t = TaskSupervisor::async(tasks_, [g = s.gate] {
            pass(g);
            return 1;
        });
        auto r = t.shutdown(sup::Shutdown::brutal_kill());
        return r ? describe(*r) : "nothing";
    }
    std::string handle_call(Ping) { return "pong"; }
    void handle_info(sup::ExitSignal s) { r_->add("exit " + s.reason.to_string()); }

private:
    sup::InitResult init() override {
        trap_exit(trap_);
        return sup::InitResult::ok();
    }
    void terminate(const ExitReason& why) override { r_->add("terminate " + why.to_string()); }

    sup::Pid tasks_;
    test::Recorder* r_;
    bool trap_;
};

} // namespace

TEST_CASE("async_nolink: await returns the result / and a crash is an error result") {
    test::Recorder r;
    sup::Runtime rt(test::quiet());
    sup::Pid tasks = TaskSupervisor::start(rt).value();

    auto ok = TaskSupervisor::async_nolink(tasks, [] { return 6 * 7; });
    REQUIRE(ok.started());
    REQUIRE(ok.await().value() == 42);
    REQUIRE(ok.await().error().code == TaskError::Code::already_awaited);

    // From a test thread ...
    auto crashed = TaskSupervisor::async_nolink(tasks, boom);
    auto res = crashed.await();
    REQUIRE(res.error().code == TaskError::Code::exited);
    REQUIRE(res.error().reason == ExitReason::error("boom"));

    // ... and from an actor, which the crash does not take down.
    auto owner = rt.spawn<Owner>(tasks, &r, false).value();
    REQUIRE(sup::call(owner, Owner::NolinkCrash{}).value() == "exited: boom");
    REQUIRE(sup::call(owner, Owner::Ping{}).value() == "pong");
    rt.wait_quiescent();
    REQUIRE(owner.alive());
    REQUIRE(r.items().empty());

    // void tasks.
    int side = 0;
    auto v = TaskSupervisor::async_nolink(tasks, [&] { side = 1; });
    REQUIRE(v.await());
    REQUIRE(side == 1);
}

TEST_CASE("async: a crashing linked task takes the caller down") {
    test::Recorder r;
    sup::Runtime rt(test::quiet());
    sup::Pid tasks = TaskSupervisor::start(rt).value();

    SECTION("the caller awaits: await reports the crash, then the caller dies of it") {
        auto owner = rt.spawn<Owner>(tasks, &r, false).value();
        sup::cast(owner, Owner::LinkedCrash{true});
        REQUIRE(rt.wait_exit_real(owner, 5000ms) == ExitReason::error("boom"));
        REQUIRE(r.items() == Lines{"await exited: boom", "terminate boom"});
    }
    SECTION("the caller does not await: it dies of the crash all the same") {
        auto owner = rt.spawn<Owner>(tasks, &r, false).value();
        sup::cast(owner, Owner::LinkedCrash{false});
        REQUIRE(rt.wait_exit_real(owner, 5000ms) == ExitReason::error("boom"));
    }
    SECTION("a caller that traps exits gets the exit signal and lives") {
        auto owner = rt.spawn<Owner>(tasks, &r, true).value();
        sup::cast(owner, Owner::LinkedCrash{true});
        REQUIRE(r.wait_count(2));
        rt.wait_quiescent();
        REQUIRE(owner.alive());
        REQUIRE(r.items() == Lines{"await exited: boom", "exit boom"});
    }
    SECTION("a linked task that succeeds leaves the caller alone") {
        auto owner = rt.spawn<Owner>(tasks, &r, false).value();
        REQUIRE(sup::call(owner, Owner::LinkedValue{}).value() == 42);
        rt.wait_quiescent();
        REQUIRE(owner.alive());
    }
}

TEST_CASE("await times out and the task keeps running / yield returns nothing and can be "
          "repeated") {
    sup::Runtime rt(test::quiet());
    sup::Pid tasks = TaskSupervisor::start(rt).value();
    auto gate = rt.spawn<Gate>().value();
    auto t = TaskSupervisor::async_nolink(tasks, [gate] {
        pass(gate);
        return 7;
    });
    REQUIRE(!t.yield(20ms).has_value());
    REQUIRE(t.await(20ms).error().code == TaskError::Code::timeout);
    REQUIRE(t.pid().alive());
    rt.wait_quiescent(); // every task is at the gate
    REQUIRE(sup::call(gate, Gate::Open{}).value() == 1);
    auto later = t.yield();
    REQUIRE(later.has_value());
    REQUIRE(later->value() == 7);
}

namespace {
/// Awaits a task in virtual time: the test advances the clock.
class Awaiter : public sup::Actor<Awaiter> {
public:
    Awaiter(sup::Pid tasks, sup::Ref<Gate> gate, test::Recorder* r)
        : tasks_(std::move(tasks)), gate_(std::move(gate)), r_(r) {}
    struct Start {};
    struct Yield {
        sup::Clock::duration timeout;
    };
    void handle_cast(Start) {
        task_ = TaskSupervisor::async_nolink(tasks_, [g = gate_] {
            pass(g);
            return 5;
        });
    }
    void handle_cast(Yield y) {
        auto r = task_.yield(y.timeout);
        r_->add(r ? describe(*r) : "nothing");
    }

private:
    sup::Pid tasks_;
    sup::Ref<Gate> gate_;
    test::Recorder* r_;
    Task<int> task_;
};
} // namespace

TEST_CASE("task timeouts run on the runtime's clock: yield in virtual time") {
    test::Recorder r;
    auto clock = std::make_shared<sup::VirtualClock>();
    sup::Runtime rt(test::virtual_time(clock));
    sup::Pid tasks = TaskSupervisor::start(rt).value();
    auto gate = rt.spawn<Gate>().value();
    auto awaiter = rt.spawn<Awaiter>(tasks, gate, &r).value();
    sup::cast(awaiter, Awaiter::Start{});
    sup::cast(awaiter, Awaiter::Yield{std::chrono::seconds(10)});
    rt.wait_quiescent(); // the awaiter waits on the clock, the task at the gate
    REQUIRE(r.items().empty());
    clock->advance(std::chrono::seconds(9));
    REQUIRE(r.items().empty());
    clock->advance(std::chrono::seconds(1));
    REQUIRE(r.items() == Lines{"nothing"});

    rt.wait_quiescent(); // every task is at the gate
    REQUIRE(sup::call(gate, Gate::Open{}).value() == 1);
    sup::cast(awaiter, Awaiter::Yield{std::chrono::seconds(10)});
    rt.wait_quiescent();
    REQUIRE(r.items() == Lines{"nothing", "5"});
    REQUIRE(clock->now().time_since_epoch() == std::chrono::seconds(10));
}

TEST_CASE("shutdown: nothing for a task stopped before its result / the result if it came") {
    test::Recorder r;
    sup::Runtime rt(test::quiet());
    sup::Pid tasks = TaskSupervisor::start(rt).value();
    auto gate = rt.spawn<Gate>().value();
    auto blocked = [gate] {
        pass(gate);
        return 1;
    };

    auto killed = TaskSupervisor::async_nolink(tasks, blocked);
    REQUIRE(!killed.shutdown(sup::Shutdown::brutal_kill()).has_value());
    REQUIRE(rt.wait_exit_real(killed.pid(), 5000ms) == ExitReason::killed());

    // A timeout asks first; a task stuck in its function cannot stop, so it is killed. (It
    // must be stuck already: a task asked before its function runs stops with shutdown.)
    rt.wait_quiescent();
    std::size_t waiting = sup::call(gate, Gate::Waiting{}).value(); // the killed one may be there
    auto asked = TaskSupervisor::async_nolink(tasks, blocked);
    rt.wait_quiescent(); // a task waiting at the gate is not busy
    REQUIRE(sup::call(gate, Gate::Waiting{}).value() == waiting + 1);
    REQUIRE(!asked.shutdown(sup::Shutdown::timeout(20ms)).has_value());
    REQUIRE(rt.wait_exit_real(asked.pid(), 5000ms) == ExitReason::killed());

    auto done = TaskSupervisor::async_nolink(tasks, [] { return 3; });
    REQUIRE(rt.wait_exit_real(done.pid(), 5000ms) == ExitReason::normal());
    auto res = done.shutdown();
    REQUIRE(res.has_value());
    REQUIRE(res->value() == 3);

    auto crashed = TaskSupervisor::async_nolink(tasks, boom);
    REQUIRE(rt.wait_exit_real(crashed.pid(), 5000ms));
    REQUIRE(describe(*crashed.shutdown()) == "exited: boom");

    // A linked task is unlinked first: its shutdown does not take the caller down.
    auto owner = rt.spawn<Owner>(tasks, &r, false).value();
    REQUIRE(sup::call(owner, Owner::ShutdownLinked{gate}).value() == "nothing");
    rt.wait_quiescent();
    REQUIRE(owner.alive());
    REQUIRE(r.items().empty());
}

TEST_CASE("await_many and yield_many") {
    sup::Runtime rt(test::quiet());
    sup::Pid tasks = TaskSupervisor::start(rt).value();
    std::vector<Task<int>> ts;
    ts.push_back(TaskSupervisor::async_nolink(tasks, [] { return 1; }));
    ts.push_back(TaskSupervisor::async_nolink(tasks, boom));
    ts.push_back(TaskSupervisor::async_nolink(tasks, [] { return 3; }));
    auto rs = sup::std_lib::await_many(ts);
    REQUIRE(rs.size() == 3);
    REQUIRE(describe(rs[0]) == "1");
    REQUIRE(describe(rs[1]) == "exited: boom");
    REQUIRE(describe(rs[2]) == "3");

    auto gate = rt.spawn<Gate>().value();
    std::vector<Task<int>> ys;
    ys.push_back(TaskSupervisor::async_nolink(tasks, [] { return 4; }));
    ys.push_back(TaskSupervisor::async_nolink(tasks, [gate] {
        pass(gate);
        return 5;
    }));
    auto first = sup::std_lib::yield_many(ys, 20ms);
    REQUIRE(describe(*first[0]) == "4");
    REQUIRE(!first[1].has_value());
    rt.wait_quiescent(); // every task is at the gate
    REQUIRE(sup::call(gate, Gate::Open{}).value() == 1);
    REQUIRE(describe(ys[1].await()) == "5");
}

TEST_CASE("start_child is fire-and-forget / tasks are temporary / max_children limits them") {
    test::Recorder r;
    sup::Runtime rt(test::quiet());
    sup::Pid tasks = TaskSupervisor::start(rt, 2).value();
    auto gate = rt.spawn<Gate>().value();

    auto a = TaskSupervisor::start_child(tasks, [&r, gate] {
        pass(gate);
        r.add("a ran");
    });
    auto b = TaskSupervisor::start_child(tasks, [gate]() -> int {
        pass(gate);
        throw std::runtime_error("b failed");
    });
    REQUIRE(a);
    REQUIRE(b);
    REQUIRE(TaskSupervisor::children(tasks).size() == 2);
    // Two running: a third is refused.
    auto c = TaskSupervisor::async_nolink(tasks, [] { return 1; });
    REQUIRE(!c.started());
    REQUIRE(c.start_error().code == TaskError::Code::max_children);
    REQUIRE(c.await().error().code == TaskError::Code::max_children);
    REQUIRE(TaskSupervisor::start_child(tasks, [] {}).error().code ==
            sup::SupError::Code::max_children);

    rt.wait_quiescent(); // every task is at the gate
    REQUIRE(sup::call(gate, Gate::Open{}).value() == 2);
    REQUIRE(rt.wait_exit_real(a.value(), 5000ms) == ExitReason::normal());
    REQUIRE(rt.wait_exit_real(b.value(), 5000ms) == ExitReason::error("b failed"));
    rt.wait_quiescent();
    REQUIRE(r.items() == Lines{"a ran"});
    // The crashed one is not restarted (temporary); the supervisor is fine.
    REQUIRE(TaskSupervisor::children(tasks).empty());
    // As OTP's simple_one_for_one: one spec (the template), no child.
    REQUIRE(sup::count_children(tasks).value() == sup::ChildCounts{1, 0, 0, 0});
    REQUIRE(TaskSupervisor::async_nolink(tasks, [] { return 9; }).await().value() == 9);

    REQUIRE(TaskSupervisor::start(rt, -1).failed());
}

TEST_CASE("a task supervisor in a tree: worker<TaskSupervisor> starts it as a supervisor") {
    sup::Runtime rt(test::quiet());
    sup::SupervisorSpec spec;
    // What generated code writes for `child tasks = std.TaskSupervisor(max_children = 3);`.
    spec.children.push_back(sup::worker<TaskSupervisor>("tasks", std::optional<std::int64_t>(3))
                                .with_type(sup::ChildType::supervisor));
    spec.children.push_back(TaskSupervisor::child_spec("more"));
    sup::testing::Supervised tree(rt, spec);
    REQUIRE(tree.which_children()[1].type == sup::ChildType::supervisor);
    sup::Pid tasks = tree.child("tasks");
    auto gate = rt.spawn<Gate>().value();
    auto t = TaskSupervisor::async_nolink(tasks, [gate] {
        pass(gate);
        return 1;
    });
    auto spec_of_task = sup::get_childspec(tasks, t.pid()).value();
    REQUIRE(spec_of_task.restart == sup::Restart::temporary);
    REQUIRE(spec_of_task.effective_shutdown() == sup::Shutdown::timeout(5000ms));
    REQUIRE(tree.which_children("tasks").size() == 1);

    rt.wait_quiescent(); // every task is at the gate
    REQUIRE(sup::call(gate, Gate::Open{}).value() == 1);
    REQUIRE(t.await().value() == 1);
    REQUIRE(tree.stop().is_shutdown());
    REQUIRE(TaskSupervisor::async_nolink(tasks, [] { return 1; }).start_error().code ==
            TaskError::Code::noproc);
}
