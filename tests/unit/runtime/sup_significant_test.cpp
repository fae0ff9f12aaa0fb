// supervisor_SUITE: the significant group (auto_shutdown, OTP 24+).
#include "sup_helpers.hpp"

#include <catch2/catch.hpp>

using namespace test;
using sup::AutoShutdown;
using sup::ExitReason;
using sup::Restart;
using sup::Strategy;
using sup::testing::Supervised;
using namespace std::chrono_literals;

namespace {
sup::SupervisorSpec auto_spec(AutoShutdown a, Strategy s = Strategy::one_for_one) {
    sup::SupervisorSpec spec = sup_spec(s, 5, 3600s);
    spec.flags.auto_shutdown = a;
    return spec;
}
sup::ChildSpec sig(const Kid& k, Restart r, bool significant = true) {
    return k.spec(r).with_significant(significant);
}
} // namespace

TEST_CASE("significant_temporary") {
    sup::Runtime rt(quiet());
    Kid c1{"child1"}, c2{"child2"}, c3{"child3"};
    SECTION("any_significant: terminate_child does not trigger it, a kill does") {
        Supervised top(rt, auto_spec(AutoShutdown::any_significant));
        for (auto* k : {&c1, &c2})
            REQUIRE(sup::start_child(top.pid(), sig(*k, Restart::temporary)));
        REQUIRE(sup::start_child(top.pid(), sig(c3, Restart::temporary, false)));
        REQUIRE(sup::terminate_child(top.pid(), "child1"));
        rt.wait_quiescent();
        CHECK(top.pid().alive());
        CHECK(ids_of(top.which_children()) == Lines{"child3", "child2"});
        REQUIRE(sup::start_child(top.pid(), sig(c1, Restart::temporary)));
        auto p2 = top.child("child2"), p3 = top.child("child3");
        sup::kill(top.child("child1"));
        CHECK(top.await_exit(top.pid()) == ExitReason::shutdown());
        CHECK(top.await_exit(p2) == ExitReason::shutdown());
        CHECK(top.await_exit(p3) == ExitReason::shutdown());
    }
    SECTION("any_significant: an abnormal exit triggers it") {
        Supervised top(rt, auto_spec(AutoShutdown::any_significant));
        REQUIRE(sup::start_child(top.pid(), sig(c1, Restart::temporary)));
        REQUIRE(sup::start_child(top.pid(), sig(c2, Restart::temporary)));
        REQUIRE(sup::start_child(top.pid(), sig(c3, Restart::temporary, false)));
        std::size_t from = top.events().size();
        crash(top.child("child1"), "abnormal");
        CHECK(top.await_exit(top.pid()) == ExitReason::shutdown());
        CHECK(lines_since(top.events(), top.pid(), from) ==
              Lines{"child_exited child1 abnormal", "auto_shutdown child1",
                    "child_terminated child3 shutdown", "child_terminated child2 shutdown",
                    "supervisor_stopped shutdown"});
    }
    SECTION("any_significant: a normal exit triggers it") {
        Supervised top(rt, auto_spec(AutoShutdown::any_significant));
        REQUIRE(sup::start_child(top.pid(), sig(c1, Restart::temporary)));
        REQUIRE(sup::start_child(top.pid(), sig(c2, Restart::temporary)));
        stop_with(top.child("child1"), ExitReason::normal());
        CHECK(top.await_exit(top.pid()) == ExitReason::shutdown());
    }
    SECTION("all_significant: only when the last significant child exits") {
        Supervised top(rt, auto_spec(AutoShutdown::all_significant));
        REQUIRE(sup::start_child(top.pid(), sig(c1, Restart::temporary)));
        REQUIRE(sup::start_child(top.pid(), sig(c2, Restart::temporary)));
        REQUIRE(sup::start_child(top.pid(), sig(c3, Restart::temporary, false)));
        auto p1 = top.child("child1"), p2 = top.child("child2");
        stop_with(p1, ExitReason::normal());
        top.await_exit(p1);
        rt.wait_quiescent();
        CHECK(top.pid().alive());
        stop_with(p2, ExitReason::normal());
        CHECK(top.await_exit(top.pid()) == ExitReason::shutdown());
    }
}

TEST_CASE("significant_transient") {
    sup::Runtime rt(quiet());
    Kid c1{"child1"}, c2{"child2"}, c3{"child3"};
    SECTION("any_significant") {
        Supervised top(rt, auto_spec(AutoShutdown::any_significant));
        REQUIRE(sup::start_child(top.pid(), sig(c1, Restart::transient)));
        REQUIRE(sup::start_child(top.pid(), sig(c2, Restart::transient)));
        REQUIRE(sup::start_child(top.pid(), sig(c3, Restart::transient, false)));
        // Terminating it through the supervisor does not trigger it.
        REQUIRE(sup::terminate_child(top.pid(), "child1"));
        rt.wait_quiescent();
        CHECK(top.pid().alive());
        REQUIRE(sup::restart_child(top.pid(), "child1"));
        // Killed, or an abnormal exit: restarted, no auto shutdown.
        top.kill_and_await_restart("child1");
        auto p = top.child("child1");
        crash(p, "abnormal");
        top.await_restart("child1", p);
        CHECK(top.pid().alive());
        // A normal exit triggers it.
        auto p2 = top.child("child2"), p3 = top.child("child3");
        stop_with(top.child("child1"), ExitReason::normal());
        CHECK(top.await_exit(top.pid()) == ExitReason::shutdown());
        CHECK(top.await_exit(p2) == ExitReason::shutdown());
        CHECK(top.await_exit(p3) == ExitReason::shutdown());
    }
    SECTION("all_significant") {
        Supervised top(rt, auto_spec(AutoShutdown::all_significant));
        REQUIRE(sup::start_child(top.pid(), sig(c1, Restart::transient)));
        REQUIRE(sup::start_child(top.pid(), sig(c2, Restart::transient)));
        REQUIRE(sup::start_child(top.pid(), sig(c3, Restart::transient, false)));
        auto p1 = top.child("child1");
        stop_with(p1, ExitReason::normal());
        top.await_exit(p1);
        rt.wait_quiescent();
        CHECK(top.pid().alive());
        stop_with(top.child("child2"), ExitReason::normal());
        CHECK(top.await_exit(top.pid()) == ExitReason::shutdown());
    }
}

// Significant children stopped as bystanders (one_for_all, rest_for_one) never trigger it.
TEST_CASE("significant_bystander") {
    sup::Runtime rt(quiet());
    for (Strategy s : {Strategy::one_for_one, Strategy::one_for_all, Strategy::rest_for_one})
        for (AutoShutdown a : {AutoShutdown::any_significant, AutoShutdown::all_significant}) {
            Kid c1{"child1"}, c2{"child2"}, c3{"child3"};
            Supervised top(rt, auto_spec(a, s));
            REQUIRE(sup::start_child(top.pid(), sig(c1, Restart::transient)));
            REQUIRE(sup::start_child(top.pid(), sig(c2, Restart::transient, false)));
            REQUIRE(sup::start_child(top.pid(), sig(c3, Restart::transient)));
            auto p1 = top.child("child1"), p3 = top.child("child3");
            top.kill_and_await_restart("child2");
            rt.wait_quiescent();
            CHECK(top.pid().alive());
            CHECK(p1.alive() == (s != Strategy::one_for_all));
            CHECK(p3.alive() == (s == Strategy::one_for_one));
            CHECK(top.count_children() == sup::ChildCounts{3, 3, 0, 3});
        }
}

// A significant supervisor that shuts itself down makes its parent shut down too.
TEST_CASE("significant_escalation") {
    sup::Runtime rt(quiet());
    Kid c{"child1"};
    auto sub = [&] {
        return sup::supervisor("sup1", [] { return auto_spec(AutoShutdown::any_significant); })
            .with_restart(Restart::transient);
    };
    SECTION("significant child supervisor") {
        Supervised top(rt, auto_spec(AutoShutdown::any_significant));
        auto b = sup::start_child(top.pid(), sub().with_significant()).value();
        auto cpid = sup::start_child(b, sig(c, Restart::transient)).value();
        stop_with(cpid, ExitReason::normal());
        CHECK(top.await_exit(b) == ExitReason::shutdown());
        CHECK(top.await_exit(top.pid()) == ExitReason::shutdown());
    }
    SECTION("non-significant child supervisor") {
        Supervised top(rt, auto_spec(AutoShutdown::any_significant));
        auto b = sup::start_child(top.pid(), sub()).value();
        auto cpid = sup::start_child(b, sig(c, Restart::transient)).value();
        stop_with(cpid, ExitReason::normal());
        CHECK(top.await_exit(b) == ExitReason::shutdown());
        rt.wait_quiescent();
        CHECK(top.pid().alive()); // transient with reason shutdown: not restarted either
        auto kids = top.which_children();
        REQUIRE(kids.size() == 1);
        CHECK(kids[0].state == sup::ChildInfo::State::undefined);
    }
}
