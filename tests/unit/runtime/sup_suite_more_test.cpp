// More supervisor_SUITE cases (beyond OTP_REFERENCE.md's list): dynamic-supervisor variants,
// non-significant children, temporary children's specs.
#include "sup/gen_spec.hpp"
#include "sup_helpers.hpp"

#include <catch2/catch.hpp>

using namespace test;
using sup::AutoShutdown;
using sup::ExitReason;
using sup::Restart;
using sup::Shutdown;
using sup::Strategy;
using sup::SupError;
using sup::testing::Supervised;
using namespace std::chrono_literals;

namespace {
sup::DynamicSupervisorSpec dyn(sup::ChildTemplate t, int intensity = 2) {
    sup::DynamicSupervisorSpec s;
    s.flags.intensity = intensity;
    s.flags.period = 3600s;
    s.child = std::move(t);
    return s;
}
sup::ChildTemplate ignoring_once(Restart r) {
    auto first = std::make_shared<std::atomic<bool>>(true);
    sup::ChildTemplate t = sup::testing::dynamic_stand_in().with_restart(r);
    auto start = t.start;
    t.start = [first, start](sup::StartContext& ctx, const sup::StartArgs& a) {
        if (first->exchange(false))
            return sup::StartResult<sup::Pid>::make_ignored();
        return start(ctx, a);
    };
    return t;
}
} // namespace

TEST_CASE("sup_start_ignore_temporary_child_start_child_simple") {
    sup::Runtime rt(quiet());
    Supervised top(rt, dyn(ignoring_once(Restart::temporary)));
    CHECK_FALSE(sup::start_child(top.pid()).value()); // {ok, undefined}
    auto p = sup::start_child(top.pid()).value();
    auto kids = top.which_children();
    REQUIRE(kids.size() == 1);
    CHECK(kids[0].pid == p);
    CHECK(top.count_children() == sup::ChildCounts{1, 1, 0, 1});
}

TEST_CASE("sup_start_ignore_permanent_child_start_child_simple") {
    sup::Runtime rt(quiet());
    Supervised top(rt, dyn(ignoring_once(Restart::permanent)));
    CHECK_FALSE(sup::start_child(top.pid()).value());
    auto p = sup::start_child(top.pid()).value();
    CHECK(top.which_children().size() == 1);
    CHECK(top.count_children() == sup::ChildCounts{1, 1, 0, 1});
    CHECK(top.stop() == ExitReason::shutdown()); // terminates without error
    CHECK(top.await_exit(p) == ExitReason::shutdown());
}

TEST_CASE("a dynamic child whose restart returns ignore is dropped (with and without backoff)") {
    // The second start of each child returns ignore: a restart that is declined (the standard
    // library's async tasks decline theirs so). The child is erased; the supervisor goes on.
    for (bool backoff : {false, true}) {
        CAPTURE(backoff);
        sup::Runtime rt(quiet());
        auto starts = std::make_shared<std::atomic<int>>(0);
        sup::ChildTemplate t = sup::testing::dynamic_stand_in().with_restart(Restart::permanent);
        auto start = t.start;
        t.start = [starts, start](sup::StartContext& ctx, const sup::StartArgs& a) {
            if (starts->fetch_add(1) == 1)
                return sup::StartResult<sup::Pid>::make_ignored();
            return start(ctx, a);
        };
        auto spec = dyn(std::move(t), 5);
        if (backoff)
            spec.flags.backoff = sup::Backoff::exponential(1ms, 1ms);
        Supervised top(rt, spec);
        auto p = sup::start_child(top.pid()).value();
        sup::kill(p);
        top.events().wait_for(sup::EventKind::child_exited, "1");
        top.events().wait_for(sup::EventKind::child_ignored, "1"); // the declined restart
        // The declined restart erased it: no child, and the supervisor still answers.
        auto q = sup::start_child(top.pid()).value();
        REQUIRE(q);
        auto kids = top.which_children();
        REQUIRE(kids.size() == 1);
        CHECK(kids[0].pid == q);
        CHECK(starts->load() == 3);
        CHECK(top.pid().alive());
    }
}

TEST_CASE("sup_start_child_returns_error_simple") {
    sup::Runtime rt(quiet());
    auto ctl = std::make_shared<StandIn::Control>();
    ctl->fail_starts = 1;
    ctl->fail_reason = "reason";
    Supervised top(rt, dyn(sup::testing::dynamic_stand_in(ctl)));
    auto r = sup::start_child(top.pid());
    REQUIRE_FALSE(r);
    CHECK(r.error().reason == ExitReason::error("reason"));
    CHECK(top.which_children().empty());
}

TEST_CASE("sup_start_map_simple") {
    sup::Runtime rt(quiet());
    Supervised top(rt, dyn(sup::testing::dynamic_stand_in().with_restart(Restart::temporary)));
    auto p1 = sup::start_child(top.pid()).value();
    auto p2 = sup::start_child(top.pid()).value();
    for (auto& p : {p1, p2}) {
        auto spec = sup::get_childspec(top.pid(), p).value();
        CHECK(spec.restart == Restart::temporary);
        CHECK(spec.effective_shutdown() == Shutdown::timeout(5000ms));
        CHECK(spec.type == sup::ChildType::worker);
        CHECK_FALSE(spec.significant);
    }
    auto stranger = rt.spawn<StandIn>().value();
    CHECK(sup::get_childspec(top.pid(), stranger).error().code == SupError::Code::not_found);
}

TEST_CASE("sup_stop_timeout_dynamic") {
    auto clock = std::make_shared<sup::VirtualClock>();
    sup::Runtime rt(virtual_time(clock));
    Supervised top(rt, dyn(sup::testing::dynamic_stand_in()
                               .with_restart(Restart::temporary)
                               .with_shutdown(Shutdown::timeout(1000ms))));
    auto p1 = sup::start_child(top.pid()).value();
    auto p2 = sup::start_child(top.pid()).value();
    sup::cast(stand_in_ref(p2), StandIn::Hang{});
    rt.stop(top.pid(), ExitReason::shutdown(), 0ms);
    rt.wait_quiescent();
    clock->advance(1000ms);
    CHECK(top.await_exit(top.pid()) == ExitReason::shutdown());
    CHECK(top.await_exit(p1) == ExitReason::shutdown());
    CHECK(top.await_exit(p2) == ExitReason::killed());
}

TEST_CASE("sup_stop_brutal_kill_dynamic") {
    sup::Runtime rt(quiet());
    Supervised top(rt, dyn(sup::testing::dynamic_stand_in()
                               .with_restart(Restart::temporary)
                               .with_shutdown(Shutdown::brutal_kill())));
    std::vector<sup::Pid> kids;
    for (int i = 0; i < 10; ++i)
        kids.push_back(sup::start_child(top.pid()).value());
    CHECK(top.stop() == ExitReason::shutdown());
    for (auto& k : kids)
        CHECK(top.await_exit(k) == ExitReason::killed());
}

// Children that exit with other reasons while the dynamic supervisor stops them.
TEST_CASE("sup_stop_non_shutdown_exit_dynamic") {
    auto clock = std::make_shared<sup::VirtualClock>();
    sup::Runtime rt(virtual_time(clock));
    for (Restart r : {Restart::temporary, Restart::transient, Restart::permanent}) {
        auto hang = std::make_shared<StandIn::Control>();
        hang->hang = true; // they ignore the request and exit on their own instead
        Supervised top(rt, dyn(sup::testing::dynamic_stand_in(hang).with_restart(r)));
        std::vector<std::pair<sup::Pid, ExitReason>> kids;
        for (ExitReason why : {ExitReason::normal(), ExitReason::shutdown(),
                               ExitReason::shutdown("test"), ExitReason::error("other")})
            kids.push_back({sup::start_child(top.pid()).value(), why});
        rt.stop(top.pid(), ExitReason::shutdown(), 0ms);
        rt.wait_quiescent(); // the supervisor waits for all of them
        for (auto& [p, why] : kids)
            stop_with(p, why);
        CHECK(top.await_exit(top.pid()) == ExitReason::shutdown());
        for (auto& [p, why] : kids)
            CHECK(top.await_exit(p) == why);
    }
}

TEST_CASE("count_children_supervisor") {
    sup::Runtime rt(quiet());
    sup::ChildTemplate t;
    t.type = sup::ChildType::supervisor;
    t.restart = Restart::temporary;
    t.start = [](sup::StartContext& ctx, const sup::StartArgs&) {
        return ctx.start_supervisor(sup_spec(Strategy::one_for_one, 1, 5s));
    };
    Supervised top(rt, dyn(t));
    for (int i = 0; i < 100; ++i)
        REQUIRE(sup::start_child(top.pid()));
    CHECK(top.count_children() == sup::ChildCounts{1, 100, 100, 0});
    for (auto& k : top.which_children())
        sup::kill(k.pid);
    for (auto& k : top.which_children())
        top.await_exit(k.pid);
    rt.wait_quiescent();
    CHECK(top.count_children() == sup::ChildCounts{1, 0, 0, 0});
}

// A temporary child that exits or is terminated leaves no spec behind.
TEST_CASE("do_not_save_child_specs_for_temporary_children") {
    sup::Runtime rt(quiet());
    for (Strategy s : {Strategy::one_for_all, Strategy::one_for_one, Strategy::rest_for_one})
        for (int how = 0; how < 4; ++how) { // kill, normal, abnormal, through the supervisor
            Supervised top(rt, sup_spec(s, 2, 3600s));
            Kid perm{"child1"}, trans{"child2"}, temp{"child3"};
            auto end = [&](const Kid& k) {
                sup::Pid p = top.child(k.id);
                if (how == 0)
                    sup::kill(p);
                if (how == 1)
                    stop_with(p, ExitReason::normal());
                if (how == 2)
                    crash(p, "abnormal");
                if (how == 3)
                    REQUIRE(sup::terminate_child(top.pid(), k.id));
                top.await_exit(p);
                rt.wait_quiescent();
            };
            REQUIRE(sup::start_child(top.pid(), perm.spec()));
            end(perm);
            if (how == 3) {
                CHECK(sup::start_child(top.pid(), perm.spec()).error().code ==
                      SupError::Code::already_present);
                REQUIRE(sup::restart_child(top.pid(), "child1"));
            } else {
                CHECK(sup::start_child(top.pid(), perm.spec()).error().code ==
                      SupError::Code::already_started);
            }
            REQUIRE(sup::start_child(top.pid(), trans.spec(Restart::transient)));
            end(trans);
            bool restarted = how == 0 || how == 2;
            CHECK(sup::start_child(top.pid(), trans.spec(Restart::transient)).error().code ==
                  (restarted ? SupError::Code::already_started : SupError::Code::already_present));
            REQUIRE(sup::start_child(top.pid(), temp.spec(Restart::temporary)));
            end(temp);
            CHECK(sup::start_child(top.pid(), temp.spec(Restart::temporary))); // not saved
        }
}

TEST_CASE("nonsignificant_temporary") {
    sup::Runtime rt(quiet());
    for (AutoShutdown a :
         {AutoShutdown::never, AutoShutdown::any_significant, AutoShutdown::all_significant}) {
        auto spec = sup_spec(Strategy::one_for_one, 1, 5s);
        spec.flags.auto_shutdown = a;
        Supervised top(rt, spec);
        Kid k{"child1"};
        for (int how = 0; how < 4; ++how) {
            auto p = sup::start_child(top.pid(), k.spec(Restart::temporary)).value();
            if (how == 0)
                REQUIRE(sup::terminate_child(top.pid(), "child1"));
            if (how == 1)
                sup::kill(p);
            if (how == 2)
                crash(p, "abnormal");
            if (how == 3)
                stop_with(p, ExitReason::normal());
            top.await_exit(p);
            rt.wait_quiescent();
            CHECK(top.pid().alive());
        }
    }
}

TEST_CASE("nonsignificant_transient") {
    sup::Runtime rt(quiet());
    for (AutoShutdown a :
         {AutoShutdown::never, AutoShutdown::any_significant, AutoShutdown::all_significant}) {
        auto spec = sup_spec(Strategy::one_for_one, 5, 5s);
        spec.flags.auto_shutdown = a;
        Supervised top(rt, spec);
        Kid k{"child1"};
        auto p = sup::start_child(top.pid(), k.spec(Restart::transient)).value();
        REQUIRE(sup::terminate_child(top.pid(), "child1"));
        top.await_exit(p);
        p = sup::restart_child(top.pid(), "child1").value();
        p = top.kill_and_await_restart("child1");
        crash(p, "abnormal");
        p = top.await_restart("child1", p);
        stop_with(p, ExitReason::normal());
        top.await_exit(p);
        rt.wait_quiescent();
        CHECK(top.pid().alive());
    }
}

TEST_CASE("significant_simple") {
    sup::Runtime rt(quiet());
    auto t = sup::testing::dynamic_stand_in().with_restart(Restart::temporary).with_significant();
    {
        auto s = dyn(t);
        s.flags.auto_shutdown = AutoShutdown::any_significant;
        Supervised top(rt, s);
        auto p1 = sup::start_child(top.pid()).value();
        auto p2 = sup::start_child(top.pid()).value();
        stop_with(p1, ExitReason::normal());
        CHECK(top.await_exit(top.pid()) == ExitReason::shutdown());
        CHECK(top.await_exit(p2) == ExitReason::shutdown());
    }
    {
        auto s = dyn(t);
        s.flags.auto_shutdown = AutoShutdown::all_significant;
        Supervised top(rt, s);
        auto p1 = sup::start_child(top.pid()).value();
        auto p2 = sup::start_child(top.pid()).value();
        stop_with(p1, ExitReason::normal());
        top.await_exit(p1);
        rt.wait_quiescent();
        CHECK(top.pid().alive());
        stop_with(p2, ExitReason::normal());
        CHECK(top.await_exit(top.pid()) == ExitReason::shutdown());
    }
}

// A template's settings reach each child made from it whole (sup::ChildSettings is copied as
// one struct): the dynamic supervisor's children and sup::gen::child_of agree with it on every
// setting, defaults and non-defaults alike.
TEST_CASE("template_settings_reach_children_whole") {
    sup::Runtime rt(quiet());
    sup::ChildTemplate t = sup::testing::dynamic_stand_in()
                               .with_restart(Restart::transient)
                               .with_shutdown(Shutdown::brutal_kill())
                               .with_significant();
    sup::DynamicSupervisorSpec spec = dyn(t);
    spec.flags.auto_shutdown = AutoShutdown::any_significant;
    Supervised top(rt, std::move(spec));
    auto p = sup::start_child(top.pid()).value();
    auto got = sup::get_childspec(top.pid(), p).value();
    CHECK(got.settings() == t.settings());
    CHECK_FALSE(got.settings() == sup::ChildSettings{});

    sup::ChildSpec made = sup::gen::child_of("x", t);
    CHECK(made.id == "x");
    CHECK(made.settings() == t.settings());
}
