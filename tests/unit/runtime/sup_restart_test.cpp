// supervisor_SUITE: normal/shutdown/abnormal termination groups, temporary_bystander,
// multiple_restarts and the restart strategy groups, with the exact order of every start and
// termination.
#include "sup_helpers.hpp"

#include <catch2/catch.hpp>

using namespace test;
using sup::ExitReason;
using sup::Restart;
using sup::Shutdown;
using sup::Strategy;
using sup::SupError;
using sup::testing::Supervised;
using namespace std::chrono_literals;

namespace {
/// Starts a one_for_one supervisor with one child of restart type `r`, stops the child on its
/// own with `why`, and returns which_children afterwards (once the supervisor has settled).
struct OneChild {
    sup::Runtime rt{quiet()};
    Supervised top{rt, sup_spec(Strategy::one_for_one, 2, 3600s)};
    Kid k{"child1"};
    sup::Pid first;
    explicit OneChild(Restart r) { first = sup::start_child(top.pid(), k.spec(r)).value(); }
    void end_with(const sup::Pid& p, ExitReason why) {
        if (why == ExitReason::killed())
            sup::kill(p);
        else if (why.is_error())
            crash(p, why.detail());
        else
            stop_with(p, why);
        top.await_exit(p);
        rt.wait_quiescent();
    }
};
} // namespace

TEST_CASE("permanent_normal") {
    OneChild t(Restart::permanent);
    t.end_with(t.first, ExitReason::normal());
    auto kids = t.top.which_children();
    REQUIRE(kids.size() == 1);
    CHECK(kids[0].state == sup::ChildInfo::State::running);
    CHECK(kids[0].pid != t.first);
    CHECK(t.top.count_children() == sup::ChildCounts{1, 1, 0, 1});
}

TEST_CASE("permanent_shutdown") {
    OneChild t(Restart::permanent);
    t.end_with(t.first, ExitReason::shutdown());
    auto p2 = t.top.which_children()[0].pid;
    REQUIRE(p2);
    CHECK(p2 != t.first);
    CHECK(t.top.count_children() == sup::ChildCounts{1, 1, 0, 1});
    t.end_with(p2, ExitReason::shutdown("some_info"));
    auto p3 = t.top.which_children()[0].pid;
    REQUIRE(p3);
    CHECK(p3 != p2);
    CHECK(t.top.count_children() == sup::ChildCounts{1, 1, 0, 1});
}

TEST_CASE("permanent_abnormal") {
    OneChild t(Restart::permanent);
    t.end_with(t.first, ExitReason::error("abnormal"));
    auto kids = t.top.which_children();
    CHECK(kids[0].state == sup::ChildInfo::State::running);
    CHECK(t.top.count_children() == sup::ChildCounts{1, 1, 0, 1});
}

TEST_CASE("transient_normal") {
    OneChild t(Restart::transient);
    t.end_with(t.first, ExitReason::normal());
    auto kids = t.top.which_children();
    REQUIRE(kids.size() == 1);
    CHECK(kids[0].state == sup::ChildInfo::State::undefined);
    CHECK(t.top.count_children() == sup::ChildCounts{1, 0, 0, 1});
}

TEST_CASE("transient_shutdown") {
    OneChild t(Restart::transient);
    t.end_with(t.first, ExitReason::shutdown());
    CHECK(t.top.which_children()[0].state == sup::ChildInfo::State::undefined);
    CHECK(t.top.count_children() == sup::ChildCounts{1, 0, 0, 1});
    auto p2 = sup::restart_child(t.top.pid(), "child1").value();
    t.end_with(p2, ExitReason::shutdown("some_info"));
    CHECK(t.top.which_children()[0].state == sup::ChildInfo::State::undefined);
    CHECK(t.top.count_children() == sup::ChildCounts{1, 0, 0, 1});
}

TEST_CASE("transient_abnormal") {
    OneChild t(Restart::transient);
    t.end_with(t.first, ExitReason::error("abnormal"));
    CHECK(t.top.which_children()[0].state == sup::ChildInfo::State::running);
    CHECK(t.top.count_children() == sup::ChildCounts{1, 1, 0, 1});
    // killed is abnormal too
    t.end_with(t.top.which_children()[0].pid, ExitReason::killed());
    CHECK(t.top.which_children()[0].state == sup::ChildInfo::State::running);
}

TEST_CASE("temporary_normal") {
    OneChild t(Restart::temporary);
    t.end_with(t.first, ExitReason::normal());
    CHECK(t.top.which_children().empty());
    CHECK(t.top.count_children() == sup::ChildCounts{0, 0, 0, 0});
}

TEST_CASE("temporary_shutdown") {
    OneChild t(Restart::temporary);
    t.end_with(t.first, ExitReason::shutdown());
    CHECK(t.top.which_children().empty());
    auto p2 = sup::start_child(t.top.pid(), t.k.spec(Restart::temporary)).value();
    t.end_with(p2, ExitReason::shutdown("some_info"));
    CHECK(t.top.which_children().empty());
    CHECK(t.top.count_children() == sup::ChildCounts{0, 0, 0, 0});
}

TEST_CASE("temporary_abnormal") {
    OneChild t(Restart::temporary);
    t.end_with(t.first, ExitReason::error("abnormal"));
    CHECK(t.top.which_children().empty());
    CHECK(t.top.count_children() == sup::ChildCounts{0, 0, 0, 0});
}

// A temporary child stopped as a bystander (one_for_all, rest_for_one) is dropped, not
// restarted, so that the supervisor does not exceed its intensity trying.
TEST_CASE("temporary_bystander") {
    sup::Runtime rt(quiet());
    for (Strategy s : {Strategy::one_for_all, Strategy::rest_for_one}) {
        Supervised top(rt, sup_spec(s, 2, 300s));
        Kid c1{"child1"}, c2{"child2"};
        auto p1 = sup::start_child(top.pid(), c1.spec(Restart::permanent, Shutdown::timeout(100ms)))
                      .value();
        auto p2 = sup::start_child(top.pid(), c2.spec(Restart::temporary, Shutdown::timeout(100ms)))
                      .value();
        std::size_t from = top.events().size();
        stop_with(p1, ExitReason::normal());
        top.await_restart("child1", p1);
        rt.wait_quiescent();
        CHECK(top.pid().alive());
        CHECK(ids_of(top.which_children()) == Lines{"child1"});
        CHECK(lines_since(top.events(), top.pid(), from) ==
              Lines{"child_exited child1 normal", "child_terminated child2 shutdown",
                    "child_restarted child1"});
        CHECK_FALSE(p2.alive());
    }
}

// Restarts spread over time stay within the intensity: 1 restart per 1 s, 2.1 s apart
// (virtual time).
TEST_CASE("multiple_restarts") {
    auto clock = std::make_shared<sup::VirtualClock>();
    sup::Runtime rt(virtual_time(clock));
    Supervised top(rt, sup_spec(Strategy::one_for_one, 1, 1s));
    Kid c1{"child1"};
    auto p =
        sup::start_child(top.pid(), c1.spec(Restart::permanent, Shutdown::brutal_kill())).value();
    crash(p, "abnormal");
    p = top.await_restart("child1", p);
    for (int i = 0; i < 3; ++i) {
        clock->advance(2100ms);
        crash(p, "abnormal");
        p = top.await_restart("child1", p);
    }
    CHECK(top.pid().alive());
    REQUIRE(sup::terminate_child(top.pid(), "child1"));
    REQUIRE(sup::delete_child(top.pid(), "child1"));
    // But two within one second exceed it.
    clock->advance(2100ms);
    p = sup::start_child(top.pid(), c1.spec(Restart::permanent, Shutdown::brutal_kill())).value();
    crash(p);
    p = top.await_restart("child1", p);
    crash(p);
    CHECK(top.await_exit(top.pid()) == ExitReason::shutdown());
}

TEST_CASE("one_for_one") {
    sup::Runtime rt(quiet());
    Supervised top(rt, sup_spec(Strategy::one_for_one, 2, 3600s));
    Kid c1{"child1"}, c2{"child2"};
    auto p1 = sup::start_child(top.pid(), c1.spec()).value();
    auto p2 = sup::start_child(top.pid(), c2.spec()).value();
    std::size_t from = top.events().size();
    crash(p1, "abnormal");
    auto p1b = top.await_restart("child1", p1);
    auto kids = top.which_children();
    REQUIRE(kids.size() == 2);
    CHECK(kids[0].pid == p2); // the sibling is untouched
    CHECK(top.count_children() == sup::ChildCounts{2, 2, 0, 2});
    // The restart frequency: 2 restarts allowed, the third gives up.
    crash(p2, "abnormal");
    top.await_restart("child2", p2);
    crash(p1b, "abnormal");
    CHECK(top.await_exit(top.pid()) == ExitReason::shutdown());
    CHECK(lines_since(top.events(), top.pid(), from) ==
          Lines{"child_exited child1 abnormal", "child_restarted child1",
                "child_exited child2 abnormal", "child_restarted child2",
                "child_exited child1 abnormal", "give_up child1",
                "child_terminated child2 shutdown", "supervisor_stopped shutdown"});
}

// The crashed child fails its restarts: the crash and 4 failed attempts use intensity 4, then
// the supervisor gives up, stopping its other child.
TEST_CASE("one_for_one_escalation") {
    sup::Runtime rt(quiet());
    Supervised top(rt, sup_spec(Strategy::one_for_one, 4, 3600s));
    Kid c1{"child1"}, c2{"child2"};
    auto p1 = sup::start_child(top.pid(), c1.spec()).value();
    auto p2 = sup::start_child(top.pid(), c2.spec()).value();
    std::size_t from = top.events().size();
    c1.ctl->fail_starts = 1000;
    c1.ctl->fail_reason = "error";
    crash(p1, "abnormal");
    CHECK(top.await_exit(top.pid()) == ExitReason::shutdown());
    CHECK(top.await_exit(p2) == ExitReason::shutdown());
    CHECK(lines_since(top.events(), top.pid(), from) ==
          Lines{"child_exited child1 abnormal", "start_failed child1 error",
                "start_failed child1 error", "start_failed child1 error",
                "start_failed child1 error", "give_up child1", "child_terminated child2 shutdown",
                "supervisor_stopped shutdown"});
}

// OTP_REFERENCE's example: a,b,c,d with b temporary, c crashes: terminate d, b, a; start a, c, d.
TEST_CASE("one_for_all") {
    sup::Runtime rt(quiet());
    Kid a{"a"}, b{"b"}, c{"c"}, d{"d"};
    Supervised top(rt, sup_spec(Strategy::one_for_all, 2, 3600s,
                                {a.spec(), b.spec(Restart::temporary), c.spec(), d.spec()}));
    auto pa = top.child("a"), pb = top.child("b"), pc = top.child("c"), pd = top.child("d");
    std::size_t from = top.events().size();
    crash(pc, "abnormal");
    top.await_restart("d", pd);
    CHECK(lines_since(top.events(), top.pid(), from) ==
          Lines{"child_exited c abnormal", "child_terminated d shutdown",
                "child_terminated b shutdown", "child_terminated a shutdown", "child_restarted a",
                "child_restarted c", "child_restarted d"});
    auto kids = top.which_children();
    CHECK(ids_of(kids) == Lines{"d", "c", "a"});
    for (auto& k : kids) {
        CHECK(k.pid.alive());
        CHECK(k.pid != pa);
        CHECK(k.pid != pc);
        CHECK(k.pid != pd);
    }
    CHECK_FALSE(pb.alive());
    CHECK(top.count_children() == sup::ChildCounts{3, 3, 0, 3});
    // The restart frequency.
    crash(top.child("d"));
    top.await_restart("d", kids[0].pid);
    crash(top.child("a"));
    CHECK(top.await_exit(top.pid()) == ExitReason::shutdown());
}

TEST_CASE("one_for_all_escalation") {
    sup::Runtime rt(quiet());
    Supervised top(rt, sup_spec(Strategy::one_for_all, 4, 3600s));
    Kid c1{"child1"}, c2{"child2"};
    auto p1 = sup::start_child(top.pid(), c1.spec()).value();
    auto p2 = sup::start_child(top.pid(), c2.spec()).value();
    c2.ctl->fail_starts = 1000;
    c2.ctl->fail_reason = "error";
    std::size_t from = top.events().size();
    crash(p1, "abnormal");
    CHECK(top.await_exit(p2) == ExitReason::shutdown());
    CHECK(top.await_exit(top.pid()) == ExitReason::shutdown());
    Lines expected{"child_exited child1 abnormal", "child_terminated child2 shutdown"};
    // Each attempt: start child1, child2 fails; the retry stops child1 again.
    expected.push_back("child_restarted child1");
    expected.push_back("start_failed child2 error");
    for (int i = 0; i < 3; ++i) {
        expected.push_back("child_terminated child1 shutdown");
        expected.push_back("child_restarted child1");
        expected.push_back("start_failed child2 error");
    }
    expected.push_back("give_up child2");
    expected.push_back("child_terminated child1 shutdown");
    expected.push_back("supervisor_stopped shutdown");
    CHECK(lines_since(top.events(), top.pid(), from) == expected);
}

// A restart in which another child fails to start: the retry terminates the children already
// restarted and starts everyone again.
TEST_CASE("one_for_all_other_child_fails_restart") {
    sup::Runtime rt(quiet());
    Kid c1{"child1"}, c2{"child2"};
    Supervised top(rt, sup_spec(Strategy::one_for_all, 3, 3600s, {c1.spec(), c2.spec()}));
    auto p1 = top.child("child1"), p2 = top.child("child2");
    c2.ctl->fail_starts = 1; // child2's next start fails (once)
    std::size_t from = top.events().size();
    sup::exit(p1, ExitReason::error("die"));
    auto p2b = top.await_restart("child2", p2);
    CHECK(lines_since(top.events(), top.pid(), from) ==
          Lines{"child_exited child1 die", "child_terminated child2 shutdown",
                "child_restarted child1", "start_failed child2 start failed",
                "child_terminated child1 shutdown", "child_restarted child1",
                "child_restarted child2"});
    CHECK(top.count_children() == sup::ChildCounts{2, 2, 0, 2});
    (void)p2b;
}

TEST_CASE("rest_for_one") {
    sup::Runtime rt(quiet());
    Supervised top(rt, sup_spec(Strategy::rest_for_one, 2, 3600s));
    Kid c1{"child1"}, c2{"child2"}, c3{"child3"};
    auto p1 = sup::start_child(top.pid(), c1.spec()).value();
    auto p2 = sup::start_child(top.pid(), c2.spec()).value();
    auto p3 = sup::start_child(top.pid(), c3.spec()).value();
    CHECK(top.count_children() == sup::ChildCounts{3, 3, 0, 3});
    std::size_t from = top.events().size();
    crash(p2, "abnormal");
    top.await_restart("child3", p3);
    CHECK_FALSE(p3.alive());
    CHECK(lines_since(top.events(), top.pid(), from) ==
          Lines{"child_exited child2 abnormal", "child_terminated child3 shutdown",
                "child_restarted child2", "child_restarted child3"});
    auto kids = top.which_children();
    CHECK(ids_of(kids) == Lines{"child3", "child2", "child1"});
    CHECK(kids[2].pid == p1);
    CHECK(top.count_children() == sup::ChildCounts{3, 3, 0, 3});
    // The restart frequency.
    crash(kids[0].pid);
    top.await_restart("child3", kids[0].pid);
    crash(top.child("child2"));
    CHECK(top.await_exit(top.pid()) == ExitReason::shutdown());
}

TEST_CASE("rest_for_one_escalation") {
    sup::Runtime rt(quiet());
    Supervised top(rt, sup_spec(Strategy::rest_for_one, 4, 3600s));
    Kid c1{"child1"}, c2{"child2"};
    auto p1 = sup::start_child(top.pid(), c1.spec()).value();
    auto p2 = sup::start_child(top.pid(), c2.spec()).value();
    c2.ctl->fail_starts = 1000;
    c2.ctl->fail_reason = "error";
    crash(p1, "abnormal");
    CHECK(top.await_exit(p2) == ExitReason::shutdown());
    CHECK(top.await_exit(top.pid()) == ExitReason::shutdown());
}

// Under rest_for_one the retry starts from the failed child onward: child1 is not restarted
// again.
TEST_CASE("rest_for_one_other_child_fails_restart") {
    sup::Runtime rt(quiet());
    Kid c1{"child1"}, c2{"child2"};
    Supervised top(rt, sup_spec(Strategy::rest_for_one, 3, 3600s, {c1.spec(), c2.spec()}));
    auto p1 = top.child("child1"), p2 = top.child("child2");
    c2.ctl->fail_starts = 1;
    std::size_t from = top.events().size();
    sup::exit(p1, ExitReason::error("die"));
    top.await_restart("child2", p2);
    CHECK(lines_since(top.events(), top.pid(), from) ==
          Lines{"child_exited child1 die", "child_terminated child2 shutdown",
                "child_restarted child1", "start_failed child2 start failed",
                "child_restarted child2"});
}

namespace {
sup::DynamicSupervisorSpec dyn_spec(int intensity, std::shared_ptr<StandIn::Control> ctl = {},
                                    Restart r = Restart::permanent) {
    sup::DynamicSupervisorSpec s;
    s.flags.intensity = intensity;
    s.flags.period = 3600s;
    s.child = sup::testing::dynamic_stand_in(std::move(ctl)).with_restart(r);
    return s;
}
} // namespace

TEST_CASE("simple_one_for_one") {
    sup::Runtime rt(quiet());
    Supervised top(rt, dyn_spec(2));
    auto p1 = sup::start_child(top.pid()).value();
    auto p2 = sup::start_child(top.pid()).value();
    crash(p1, "abnormal");
    top.await_restart("1", p1);
    auto kids = top.which_children();
    REQUIRE(kids.size() == 2);
    CHECK(kids[0].pid == p2);
    CHECK(top.count_children() == sup::ChildCounts{1, 2, 0, 2});
    crash(p2, "abnormal");
    top.await_restart("2", p2);
    crash(top.which_children()[0].pid, "abnormal");
    CHECK(top.await_exit(top.pid()) == ExitReason::shutdown());
}

// Extra start arguments reach the child, and are kept for its restarts.
TEST_CASE("simple_one_for_one_extra") {
    struct Named : sup::Actor<Named> {
        std::string name;
        int n;
        Named(std::string a, int b) : name(std::move(a)), n(b) {}
        std::string handle_call(StandIn::Ping) { return name + std::to_string(n); }
        void handle_cast(StandIn::Crash c) { exit(ExitReason::error(c.reason)); }
    };
    sup::Runtime rt(quiet());
    sup::DynamicSupervisorSpec s;
    s.flags.intensity = 2;
    s.flags.period = 3600s;
    s.child = sup::dynamic_worker<Named, int>(std::string("worker_"));
    Supervised top(rt, s);
    auto p1 = sup::start_child(top.pid(), sup::args(1)).value();
    auto p2 = sup::start_child(top.pid(), sup::args(2)).value();
    CHECK(sup::call(p2.as<Named>(), StandIn::Ping{}).value() == "worker_2");
    sup::cast(p1.as<Named>(), StandIn::Crash{"abnormal"});
    auto p1b = top.await_restart("1", p1);
    CHECK(sup::call(p1b.as<Named>(), StandIn::Ping{}).value() == "worker_1");
    CHECK(top.count_children() == sup::ChildCounts{1, 2, 0, 2});
    // Wrong argument types fail the start.
    auto bad = sup::start_child(top.pid(), sup::args(std::string("x")));
    REQUIRE_FALSE(bad);
    CHECK(bad.error().reason == ExitReason::error("bad start arguments"));
}

// Children of a dynamic supervisor are stopped all at once: those that obey stop at once, the
// one that hangs is killed when the (common) shutdown timeout expires.
TEST_CASE("simple_one_for_one_shutdown") {
    auto clock = std::make_shared<sup::VirtualClock>();
    sup::Runtime rt(virtual_time(clock));
    auto hanging = std::make_shared<StandIn::Control>();
    sup::DynamicSupervisorSpec s = dyn_spec(2);
    s.child.with_shutdown(Shutdown::timeout(2000ms));
    Supervised top(rt, s);
    auto p1 = sup::start_child(top.pid()).value();
    auto p2 = sup::start_child(top.pid()).value();
    auto p3 = sup::start_child(top.pid()).value();
    sup::cast(stand_in_ref(p3), StandIn::Hang{});
    rt.stop(top.pid(), ExitReason::shutdown(), 0ms);
    rt.wait_quiescent();
    CHECK_FALSE(p1.alive()); // the obedient ones are gone already
    CHECK_FALSE(p2.alive());
    CHECK(p3.alive());
    clock->advance(1999ms);
    CHECK(p3.alive());
    clock->advance(1ms);
    CHECK(top.await_exit(p3) == ExitReason::killed());
    CHECK(top.await_exit(top.pid()) == ExitReason::shutdown());
}

TEST_CASE("simple_one_for_one_escalation") {
    sup::Runtime rt(quiet());
    auto ctl = std::make_shared<StandIn::Control>();
    Supervised top(rt, dyn_spec(4, ctl));
    auto p1 = sup::start_child(top.pid()).value();
    auto p2 = sup::start_child(top.pid()).value();
    ctl->fail_starts = 1000;
    ctl->fail_reason = "error";
    crash(p1, "abnormal");
    CHECK(top.await_exit(top.pid()) == ExitReason::shutdown());
    CHECK(top.await_exit(p2) == ExitReason::shutdown());
}
