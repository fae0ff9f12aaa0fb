// supervisor_SUITE: child_unlink, tree, counts, temporary children's start arguments, scale,
// hanging restart loops, order_of_children, which_children.
#include "sup_helpers.hpp"

#include <catch2/catch.hpp>
#include <thread>

using namespace test;
using sup::ExitReason;
using sup::Restart;
using sup::Shutdown;
using sup::Strategy;
using sup::SupError;
using sup::testing::Supervised;
using namespace std::chrono_literals;

// A child that unlinks itself from its supervisor is still stopped by terminate_child: the
// supervisor watches the child, it does not rely on the link (OTP uses a monitor).
TEST_CASE("child_unlink") {
    sup::Runtime rt(quiet());
    Supervised top(rt, sup_spec(Strategy::one_for_one, 2, 3600s));
    auto p = sup::start_child(top.pid(), Kid{"naughty_child"}.spec()).value();
    sup::cast(stand_in_ref(p), StandIn::Unlink{top.pid()});
    rt.wait_quiescent();
    REQUIRE(sup::terminate_child(top.pid(), "naughty_child"));
    CHECK(top.await_exit(p) == ExitReason::shutdown());
    CHECK(rt.message_queue_len(top.pid()) == 0);
}

TEST_CASE("tree") {
    sup::Runtime rt(quiet());
    Kid c1{"child1"}, c2{"child2"}, c3{"child3"}, c4{"child4"};
    auto sup1 = sup::supervisor("supchild1", [&] {
        return sup_spec(Strategy::one_for_one, 4, 3600s, {c1.spec(), c2.spec()});
    });
    auto sup2 =
        sup::supervisor("supchild2", [] { return sup_spec(Strategy::one_for_one, 4, 3600s); });
    auto sup3 = sup::supervisor("supchild3", [] {
                    return sup_spec(Strategy::one_for_one, 4, 3600s);
                }).with_restart(Restart::transient);
    Supervised top(rt, sup_spec(Strategy::one_for_all, 4, 3600s));
    auto s1 = sup::start_child(top.pid(), sup1).value();
    auto s2 = sup::start_child(top.pid(), sup2).value();
    REQUIRE(sup::start_child(top.pid(), sup3));
    REQUIRE(sup::terminate_child(top.pid(), "supchild3"));
    CHECK(top.count_children() == sup::ChildCounts{3, 2, 3, 0});
    CHECK(ids_of(top.which_children("supchild1")) == Lines{"child2", "child1"});
    CHECK(top.count_children("supchild1") == sup::ChildCounts{2, 2, 0, 2});
    CHECK(top.count_children("supchild2") == sup::ChildCounts{0, 0, 0, 0});

    // Dynamic children of supchild2; child3 fails every restart.
    auto cp3 = sup::start_child(s2, c3.spec()).value();
    auto cp4 = sup::start_child(s2, c4.spec()).value();
    CHECK(top.count_children("supchild2") == sup::ChildCounts{2, 2, 0, 2});

    // Only the process that dies is restarted.
    auto s1_kids = top.which_children("supchild1");
    crash(cp4, "abnormal");
    auto cp4b = top.await_restart("supchild2/child4", cp4);
    CHECK(cp4b != cp4);
    CHECK(top.which_children("supchild1")[0].pid == s1_kids[0].pid);
    CHECK(top.which_children("supchild2")[1].pid == cp3);

    // child3 cannot restart: supchild2 gives up, and the one_for_all top restarts all its
    // supervisors (supchild3 too, stopped before: OTP restarts every child of a one_for_all
    // supervisor); children added with start_child are gone.
    c3.ctl->fail_starts = 1000;
    crash(cp3, "abnormal");
    CHECK(top.await_exit(s2) == ExitReason::shutdown());
    top.await_restart("supchild2", s2);
    rt.wait_quiescent();
    auto kids = top.which_children();
    CHECK(ids_of(kids) == Lines{"supchild3", "supchild2", "supchild1"});
    CHECK(top.count_children() == sup::ChildCounts{3, 3, 3, 0});
    CHECK(kids[2].pid != s1);
    CHECK(ids_of(top.which_children("supchild1")) == Lines{"child2", "child1"});
    CHECK(top.count_children("supchild1") == sup::ChildCounts{2, 2, 0, 2});
    CHECK(top.which_children("supchild2").empty());
    CHECK(top.which_children("supchild3").empty());
}

TEST_CASE("count_children") {
    sup::Runtime rt(quiet());
    sup::DynamicSupervisorSpec spec;
    spec.flags.intensity = 2;
    spec.flags.period = 3600s;
    spec.child = sup::testing::dynamic_stand_in().with_restart(Restart::temporary);
    Supervised top(rt, spec);
    for (int i = 0; i < 1000; ++i)
        REQUIRE(sup::start_child(top.pid()));
    auto kids = top.which_children();
    CHECK(kids.size() == 1000);
    CHECK(top.count_children() == sup::ChildCounts{1, 1000, 0, 1000});
    for (int i = 0; i < 1000; ++i)
        REQUIRE(sup::start_child(top.pid()));
    CHECK(top.count_children() == sup::ChildCounts{1, 2000, 0, 2000});
    auto all = top.which_children();
    CHECK(all.size() == 2000);
    for (auto& k : all)
        sup::kill(k.pid);
    for (auto& k : all)
        top.await_exit(k.pid);
    rt.wait_quiescent();
    CHECK(top.count_children() == sup::ChildCounts{1, 0, 0, 0});
}

// count_children while children are restarting: they are counted as workers, not as active.
TEST_CASE("count_restarting_children") {
    sup::Runtime rt(quiet());
    auto ctl = std::make_shared<StandIn::Control>();
    sup::DynamicSupervisorSpec spec;
    spec.flags.intensity = 100000000; // the failing restarts loop until allowed to succeed
    spec.flags.period = 10s;
    spec.child = sup::testing::dynamic_stand_in(ctl).with_shutdown(Shutdown::brutal_kill());
    Supervised top(rt, spec);
    CHECK(top.count_children() == sup::ChildCounts{1, 0, 0, 0});
    auto p1 = sup::start_child(top.pid()).value();
    auto p2 = sup::start_child(top.pid()).value();
    auto p3 = sup::start_child(top.pid()).value();
    CHECK(top.count_children() == sup::ChildCounts{1, 3, 0, 3});
    ctl->fail_starts = 1 << 30;
    std::size_t from = top.events().size();
    sup::kill(p1);
    sup::kill(p2);
    top.events().wait_for(sup::EventKind::start_failed, "1", sup::testing::default_timeout, from);
    top.events().wait_for(sup::EventKind::start_failed, "2", sup::testing::default_timeout, from);
    CHECK(top.count_children() == sup::ChildCounts{1, 1, 0, 3});
    ctl->fail_starts = 0;
    top.await_restart("1", p1);
    top.await_restart("2", p2);
    rt.wait_quiescent();
    CHECK(top.count_children() == sup::ChildCounts{1, 3, 0, 3});
    REQUIRE(sup::terminate_child(top.pid(), p3));
    CHECK(top.count_children() == sup::ChildCounts{1, 2, 0, 2});
}

// Temporary children are never restarted, so their start arguments are not kept.
TEST_CASE("do_not_save_start_parameters_for_temporary_children") {
    struct Holder : sup::Actor<Holder> {
        explicit Holder(std::shared_ptr<int> p) : p_(std::move(p)) {}
        void handle_cast(StandIn::Crash c) { exit(ExitReason::error(c.reason)); }
        std::shared_ptr<int> p_;
    };
    sup::Runtime rt(quiet());
    auto big = std::make_shared<int>(42);
    SECTION("dynamic supervisors") {
        for (Restart r : {Restart::permanent, Restart::transient, Restart::temporary}) {
            // The previous tree's children are destroyed after their exit reached their
            // supervisor (in the same step): once the runtime is quiescent, they are gone.
            rt.wait_quiescent();
            REQUIRE(big.use_count() == 1);
            sup::DynamicSupervisorSpec spec;
            spec.flags.intensity = 2;
            spec.child = sup::dynamic_worker<Holder, std::shared_ptr<int>>().with_restart(r);
            Supervised top(rt, spec);
            for (int i = 0; i < 10; ++i)
                REQUIRE(sup::start_child(top.pid(), sup::args(big)));
            // The test holds one, each child one, and the supervisor one per child unless
            // they are temporary.
            long expected = 1 + 10 + (r == Restart::temporary ? 0 : 10);
            rt.wait_quiescent(); // the supervisor is done with the start requests
            CHECK(big.use_count() == expected);
        }
    }
    SECTION("static supervisors") {
        for (Restart r : {Restart::permanent, Restart::transient, Restart::temporary}) {
            rt.wait_quiescent(); // the previous tree's children are destroyed
            REQUIRE(big.use_count() == 1);
            Supervised top(rt, sup_spec(Strategy::one_for_one, 2, 3600s));
            for (int i = 0; i < 10; ++i)
                REQUIRE(sup::start_child(
                    top.pid(), sup::worker<Holder>("c" + std::to_string(i), big).with_restart(r)));
            long expected = 1 + 10 + (r == Restart::temporary ? 0 : 10);
            rt.wait_quiescent(); // the supervisor is done with the start requests
            CHECK(big.use_count() == expected);
            auto spec = sup::get_childspec(top.pid(), "c0").value();
            CHECK(static_cast<bool>(spec.start) == (r != Restart::temporary));
        }
    }
}

// Many children started and stopped through the run-time API, without quadratic costs (the
// timings are supbench's start_10k / stop_10k figures; here the work must just complete).
TEST_CASE("scale_start_stop_many_children") {
    sup::Runtime rt(quiet());
    Supervised top(rt, sup_spec(Strategy::one_for_one, 2, 3600s));
    const int n = 1000;
    for (int i = 0; i < n; ++i)
        REQUIRE(sup::start_child(top.pid(), sup::testing::stand_in(std::to_string(i))));
    CHECK(top.count_children() ==
          sup::ChildCounts{std::size_t(n), std::size_t(n), 0, std::size_t(n)});
    for (int i = 0; i < n; ++i)
        REQUIRE(sup::terminate_child(top.pid(), std::to_string(i)));
    CHECK(top.count_children().active == 0);
}

// A child whose restart fails again and again: the run-time API answers between attempts
// (try_again_restart goes through the mailbox), and the supervisor can be stopped meanwhile.
TEST_CASE("hanging_restart_loop") {
    sup::Runtime rt(quiet());
    Supervised top(rt, sup_spec(Strategy::one_for_one, 100000000, 10s));
    Kid c1{"child1"};
    auto p1 =
        sup::start_child(top.pid(), c1.spec(Restart::permanent, Shutdown::brutal_kill())).value();
    c1.ctl->fail_starts = 1 << 30;
    std::size_t from = top.events().size();
    crash(p1, "error");
    top.events().wait_for(sup::EventKind::start_failed, "child1", sup::testing::default_timeout,
                          from);
    CHECK(sup::start_child(top.pid(), c1.spec()).error().code == SupError::Code::already_present);
    CHECK(sup::restart_child(top.pid(), "child1").error().code == SupError::Code::restarting);
    CHECK(sup::delete_child(top.pid(), "child1").error().code == SupError::Code::restarting);
    auto kids = top.which_children();
    REQUIRE(kids.size() == 1);
    CHECK(kids[0].state == sup::ChildInfo::State::restarting);
    CHECK(top.count_children() == sup::ChildCounts{1, 0, 0, 1});

    REQUIRE(sup::terminate_child(top.pid(), "child1"));
    CHECK(top.await_exit(p1) == ExitReason::error("error"));
    CHECK(top.which_children()[0].state == sup::ChildInfo::State::undefined);

    c1.ctl->fail_starts = 0;
    auto p2 = sup::restart_child(top.pid(), "child1").value();
    c1.ctl->fail_starts = 1 << 30;
    from = top.events().size();
    crash(p2, "error");
    top.events().wait_for(sup::EventKind::start_failed, "child1", sup::testing::default_timeout,
                          from);
    // The supervisor stops although it is in its restart loop.
    CHECK(top.stop() == ExitReason::shutdown());
    CHECK(top.await_exit(p2) == ExitReason::error("error"));
}

TEST_CASE("hanging_restart_loop_rest_for_one") {
    sup::Runtime rt(quiet());
    Supervised top(rt, sup_spec(Strategy::rest_for_one, 100000000, 10s));
    Kid c1{"child1"}, c2{"child2"}, c3{"child3"};
    auto p1 =
        sup::start_child(top.pid(), c1.spec(Restart::permanent, Shutdown::brutal_kill())).value();
    auto p2 =
        sup::start_child(top.pid(), c2.spec(Restart::permanent, Shutdown::brutal_kill())).value();
    REQUIRE(sup::start_child(top.pid(), c3.spec(Restart::permanent, Shutdown::brutal_kill())));
    c2.ctl->fail_starts = 1 << 30;
    std::size_t from = top.events().size();
    crash(p2, "error");
    top.events().wait_for(sup::EventKind::start_failed, "child2", sup::testing::default_timeout,
                          from);
    CHECK(sup::start_child(top.pid(), c2.spec()).error().code == SupError::Code::already_present);
    CHECK(sup::restart_child(top.pid(), "child2").error().code == SupError::Code::restarting);
    CHECK(sup::delete_child(top.pid(), "child2").error().code == SupError::Code::restarting);
    auto kids = top.which_children();
    REQUIRE(ids_of(kids) == Lines{"child3", "child2", "child1"});
    CHECK(kids[0].state == sup::ChildInfo::State::undefined);
    CHECK(kids[1].state == sup::ChildInfo::State::restarting);
    CHECK(kids[2].pid == p1);
    CHECK(top.count_children() == sup::ChildCounts{3, 1, 0, 3});

    REQUIRE(sup::terminate_child(top.pid(), "child2"));
    CHECK(top.await_exit(p2) == ExitReason::error("error"));
    kids = top.which_children();
    CHECK(kids[1].state == sup::ChildInfo::State::undefined);
    CHECK(kids[2].pid == p1);

    c2.ctl->fail_starts = 0;
    auto p22 = sup::restart_child(top.pid(), "child2").value();
    c2.ctl->fail_starts = 1 << 30;
    from = top.events().size();
    crash(p22, "error");
    top.events().wait_for(sup::EventKind::start_failed, "child2", sup::testing::default_timeout,
                          from);
    CHECK(top.stop() == ExitReason::shutdown());
    CHECK(top.await_exit(p22) == ExitReason::error("error"));
}

TEST_CASE("order_of_children") {
    sup::Runtime rt(quiet());
    std::vector<sup::ChildSpec> specs;
    for (const char* id : {"ch7", "ch3", "ch10", "ch2", "ch5"})
        specs.push_back(Kid{id}.spec());
    Supervised top(rt, sup_spec(Strategy::rest_for_one, 2, 3600s, specs));
    CHECK(top.events().lines(top.pid()) == Lines{"child_started ch7", "child_started ch3",
                                                 "child_started ch10", "child_started ch2",
                                                 "child_started ch5"});
    auto p1 = top.child("ch7"), p2 = top.child("ch3"), p5 = top.child("ch5");
    std::size_t from = top.events().size();
    crash(top.child("ch10"), "abnormal");
    top.await_restart("ch5", p5);
    CHECK(lines_since(top.events(), top.pid(), from) ==
          Lines{"child_exited ch10 abnormal", "child_terminated ch5 shutdown",
                "child_terminated ch2 shutdown", "child_restarted ch10", "child_restarted ch2",
                "child_restarted ch5"});
    CHECK(top.child("ch7") == p1);
    CHECK(top.child("ch3") == p2);
    from = top.events().size();
    CHECK(top.stop() == ExitReason::shutdown());
    CHECK(lines_since(top.events(), top.pid(), from) ==
          Lines{"child_terminated ch5 shutdown", "child_terminated ch2 shutdown",
                "child_terminated ch10 shutdown", "child_terminated ch3 shutdown",
                "child_terminated ch7 shutdown", "supervisor_stopped shutdown"});
}

TEST_CASE("which_children") {
    sup::Runtime rt(quiet());
    Supervised top(rt,
                   sup_spec(Strategy::one_for_one, 5, 3600s, {Kid{"a"}.spec(), Kid{"b"}.spec()}));
    REQUIRE(sup::start_child(top.pid(), Kid{"c"}.spec()));
    REQUIRE(sup::start_child(
        top.pid(), sup::supervisor("d", [] { return sup_spec(Strategy::one_for_one, 1, 5s); })));
    auto kids = top.which_children();
    CHECK(ids_of(kids) == Lines{"d", "c", "b", "a"}); // newest first
    CHECK(kids[0].type == sup::ChildType::supervisor);
    CHECK(kids[1].type == sup::ChildType::worker);
    // A restart keeps the child's place.
    top.kill_and_await_restart("b");
    CHECK(ids_of(top.which_children()) == Lines{"d", "c", "b", "a"});
    REQUIRE(sup::terminate_child(top.pid(), "c"));
    kids = top.which_children();
    CHECK(kids[1].state == sup::ChildInfo::State::undefined);
    CHECK_FALSE(kids[1].pid);
}
