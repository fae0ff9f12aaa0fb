// A supervisor stops a child as OTP's supervisor:shutdown/2 does: ask (shutdown), kill when the
// timeout expires. Also when the child is itself a supervisor busy stopping its own children
// (issue 11 §5: it used to be stopped on its parent's thread, which then waited for the whole
// subtree instead of killing it at the timeout), and when a worker's terminate takes long.
#include "sup_helpers.hpp"

#include <catch2/catch.hpp>
#include <thread>

using namespace test;
using sup::EventKind;
using sup::ExitReason;
using sup::Shutdown;
using sup::Strategy;
using sup::SupervisorEvent;
using sup::testing::Supervised;
using namespace std::chrono_literals;

namespace {

/// Records its terminate (a worker whose stop runs user code).
class Noted : public sup::Actor<Noted> {
public:
    explicit Noted(Recorder* r) : r_(r) {}
    void terminate(const ExitReason& why) override { r_->add("terminate " + why.to_string()); }

private:
    Recorder* r_;
};

/// Its terminate blocks until the test opens the latch.
class SlowStop : public sup::Actor<SlowStop> {
public:
    SlowStop(Recorder* r, Latch* l) : r_(r), l_(l) {}
    void terminate(const ExitReason&) override {
        r_->add("terminating");
        l_->wait();
        r_->add("terminated");
    }

private:
    Recorder* r_;
    Latch* l_;
};

/// root (one_for_one): repo, services (a supervisor; shutdown `services_shutdown`)
///   services (one_for_one): cache (a stand-in; shutdown `cache_shutdown`), mailer
sup::SupervisorSpec app(Shutdown services_shutdown, Shutdown cache_shutdown,
                        std::shared_ptr<StandIn::Control> cache) {
    sup::SupervisorSpec services = sup_spec(Strategy::one_for_one, 3, 5s);
    services.children.push_back(
        sup::testing::stand_in("cache", cache).with_shutdown(cache_shutdown));
    services.children.push_back(sup::testing::stand_in("mailer"));
    sup::SupervisorSpec root = sup_spec(Strategy::one_for_one, 3, 5s);
    root.children.push_back(sup::testing::stand_in("repo"));
    root.children.push_back(sup::supervisor("services", [services] {
                                return services;
                            }).with_shutdown(services_shutdown));
    return root;
}

/// Stops the tree as `supc sim` does: asks the root, then lets virtual time pass while
/// supervisors wait for children, until the root is dead. The root's exit reason.
ExitReason stop_in_virtual_time(sup::Runtime& rt, sup::VirtualClock& clock, const sup::Pid& root) {
    (void)rt.stop(root, ExitReason::shutdown(), 0ms);
    for (int i = 0; i < 100 && root.alive(); ++i) {
        rt.wait_quiescent();
        if (root.alive())
            REQUIRE(clock.advance_to_next());
    }
    REQUIRE_FALSE(root.alive());
    return rt.wait_exit_real(root, 5000ms).value();
}

/// "kind child_id reason @t_ms" for each event of supervisor `sup`.
Lines timed(sup::testing::EventLog& log, const sup::Pid& sup) {
    Lines out;
    for (const SupervisorEvent& e : log.events())
        if (e.supervisor == sup)
            out.push_back(sup::testing::EventLog::line(e) + " @" +
                          std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                                             e.time.time_since_epoch())
                                             .count()));
    return out;
}

} // namespace

TEST_CASE("a supervisor child with a numeric shutdown is killed at its timeout - hung "
          "grandchild with shutdown infinity") {
    auto clock = std::make_shared<sup::VirtualClock>();
    sup::Runtime rt(virtual_time(clock));
    auto cache = std::make_shared<StandIn::Control>();
    Supervised tree(rt, app(Shutdown::timeout(2s), Shutdown::infinity(), cache));
    sup::Pid services = tree.child("services");
    sup::Pid hung = tree.child("services/cache");
    cache->hang = true;
    tree.events().clear();
    CHECK(stop_in_virtual_time(rt, *clock, tree.pid()) == ExitReason::shutdown());
    // services stopped mailer, then waited for cache (infinity) until its parent killed it.
    CHECK(timed(tree.events(), services) == Lines{"child_terminated mailer shutdown @0"});
    CHECK(timed(tree.events(), tree.pid()) ==
          Lines{"child_terminated services killed @2000", "shutdown_error services killed @2000",
                "child_terminated repo shutdown @2000", "supervisor_stopped shutdown @2000"});
    CHECK(rt.wait_exit_real(services, 5000ms) == ExitReason::killed());
    // As in OTP, the hung grandchild outlives its killed supervisor: it ignores the exit
    // signal too.
    CHECK(hung.alive());
    CHECK(rt.wait_quiescent_for(5000ms));
}

TEST_CASE("a supervisor child with a numeric shutdown equal to its hung child's is killed") {
    auto clock = std::make_shared<sup::VirtualClock>();
    sup::Runtime rt(virtual_time(clock));
    auto cache = std::make_shared<StandIn::Control>();
    Supervised tree(rt, app(Shutdown::timeout(5s), Shutdown::timeout(5s), cache));
    sup::Pid services = tree.child("services");
    cache->hang = true;
    tree.events().clear();
    CHECK(stop_in_virtual_time(rt, *clock, tree.pid()) == ExitReason::shutdown());
    // Both deadlines are at 5 s; the parent's was set first and fires first (OTP: the parent
    // asked first, so its timer expires first): services never gets to kill cache.
    CHECK(timed(tree.events(), services) == Lines{"child_terminated mailer shutdown @0"});
    CHECK(timed(tree.events(), tree.pid()) ==
          Lines{"child_terminated services killed @5000", "shutdown_error services killed @5000",
                "child_terminated repo shutdown @5000", "supervisor_stopped shutdown @5000"});
}

TEST_CASE("a supervisor child with a numeric shutdown that stops in time is not killed") {
    auto clock = std::make_shared<sup::VirtualClock>();
    sup::Runtime rt(virtual_time(clock));
    auto cache = std::make_shared<StandIn::Control>();
    SECTION("its children obey at once") {
        Supervised tree(rt, app(Shutdown::timeout(2s), Shutdown::infinity(), cache));
        sup::Pid services = tree.child("services");
        tree.events().clear();
        CHECK(stop_in_virtual_time(rt, *clock, tree.pid()) == ExitReason::shutdown());
        CHECK(timed(tree.events(), services) == Lines{"child_terminated mailer shutdown @0",
                                                      "child_terminated cache shutdown @0",
                                                      "supervisor_stopped shutdown @0"});
        CHECK(timed(tree.events(), tree.pid()) == Lines{"child_terminated services shutdown @0",
                                                        "child_terminated repo shutdown @0",
                                                        "supervisor_stopped shutdown @0"});
    }
    SECTION("a hung child killed at its own, shorter timeout") {
        Supervised tree(rt, app(Shutdown::timeout(2s), Shutdown::timeout(1s), cache));
        sup::Pid services = tree.child("services");
        cache->hang = true;
        tree.events().clear();
        CHECK(stop_in_virtual_time(rt, *clock, tree.pid()) == ExitReason::shutdown());
        CHECK(timed(tree.events(), services) ==
              Lines{"child_terminated mailer shutdown @0", "child_terminated cache killed @1000",
                    "shutdown_error cache killed @1000", "supervisor_stopped shutdown @1000"});
        CHECK(timed(tree.events(), tree.pid()) == Lines{"child_terminated services shutdown @1000",
                                                        "child_terminated repo shutdown @1000",
                                                        "supervisor_stopped shutdown @1000"});
    }
}

// The killed supervisor does nothing more: it neither stops nor reports its other children;
// those it had not stopped yet get its exit signal (killed) as linked children do, and stop.
TEST_CASE("a supervisor killed while it stops its children leaves the rest to its links") {
    auto clock = std::make_shared<sup::VirtualClock>();
    sup::Runtime rt(virtual_time(clock));
    Recorder first;
    auto hung = std::make_shared<StandIn::Control>();
    sup::SupervisorSpec inner = sup_spec(Strategy::one_for_one, 3, 5s);
    inner.children.push_back(sup::worker<Noted>("first", &first));
    inner.children.push_back(
        sup::testing::stand_in("hung", hung).with_shutdown(Shutdown::infinity()));
    inner.children.push_back(sup::testing::stand_in("last"));
    sup::SupervisorSpec root = sup_spec(Strategy::one_for_one, 3, 5s);
    root.children.push_back(
        sup::supervisor("inner", [inner] { return inner; }).with_shutdown(Shutdown::timeout(3s)));
    Supervised tree(rt, root);
    sup::Pid inner_pid = tree.child("inner");
    sup::Pid last = tree.child("inner/last");
    hung->hang = true;
    tree.events().clear();
    CHECK(stop_in_virtual_time(rt, *clock, tree.pid()) == ExitReason::shutdown());
    CHECK(timed(tree.events(), inner_pid) == Lines{"child_terminated last shutdown @0"});
    CHECK(rt.wait_exit_real(last, 5000ms) == ExitReason::shutdown());
    // "first" was never asked by inner: the exit signal of its killed parent stopped it.
    REQUIRE(first.wait_count(1));
    CHECK(first.items() == Lines{"terminate killed"});
}

TEST_CASE("a dynamic supervisor child with a numeric shutdown is killed at its timeout") {
    auto clock = std::make_shared<sup::VirtualClock>();
    sup::Runtime rt(virtual_time(clock));
    auto kid = std::make_shared<StandIn::Control>();
    sup::SupervisorSpec root = sup_spec(Strategy::one_for_one, 3, 5s);
    root.children.push_back(sup::dynamic_supervisor("conns", [kid] {
                                sup::DynamicSupervisorSpec d;
                                d.child = sup::testing::dynamic_stand_in(kid).with_shutdown(
                                    Shutdown::infinity());
                                return d;
                            }).with_shutdown(Shutdown::timeout(2s)));
    Supervised tree(rt, root);
    sup::Pid conns = tree.child("conns");
    REQUIRE(sup::start_child(conns));
    kid->hang = true;
    tree.events().clear();
    CHECK(stop_in_virtual_time(rt, *clock, tree.pid()) == ExitReason::shutdown());
    CHECK(timed(tree.events(), conns).empty());
    CHECK(timed(tree.events(), tree.pid()) == Lines{"child_terminated conns killed @2000",
                                                    "shutdown_error conns killed @2000",
                                                    "supervisor_stopped shutdown @2000"});
}

// A worker whose own terminate takes longer than its shutdown timeout is killed at the timeout
// (its terminate runs on its own thread, not on the supervisor's).
TEST_CASE("a worker whose terminate outlasts its shutdown timeout is killed at the timeout") {
    auto clock = std::make_shared<sup::VirtualClock>();
    Recorder rec;
    Latch latch;
    sup::Runtime rt(virtual_time(clock, false)); // two scheduler threads
    sup::SupervisorSpec spec = sup_spec(Strategy::one_for_one, 3, 5s);
    spec.children.push_back(
        sup::worker<SlowStop>("slow", &rec, &latch).with_shutdown(Shutdown::timeout(500ms)));
    Supervised tree(rt, spec);
    sup::Pid slow = tree.child("slow");
    std::thread stopper([&] { (void)sup::terminate_child(tree.pid(), "slow"); });
    REQUIRE(rec.wait_count(1));              // terminating
    REQUIRE(clock->wait_pending(1, 5000ms)); // the supervisor's deadline
    clock->advance_unsettled(500ms);
    stopper.join();
    CHECK(tree.await_exit(slow) == ExitReason::killed());
    CHECK(tree.events().lines(tree.pid()).back() == "shutdown_error slow killed");
    CHECK(rec.items() == Lines{"terminating"}); // still in its terminate
    latch.release();
    REQUIRE(rec.wait_count(2));
}
