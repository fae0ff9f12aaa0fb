// What observers read from a running runtime beyond OTP's API: the scheduler's figures, and
// the hook generated start functions run (how SUPC_OBSERVE attaches an observer).
#include "sup/gen.hpp"
#include "sup/testing.hpp"
#include "sup_helpers.hpp"

#include <atomic>
#include <catch2/catch.hpp>

using namespace std::chrono_literals;

namespace {
/// Sends itself `n` messages, one after the other: n steps on scheduler threads.
class Looper : public sup::Actor<Looper> {
public:
    struct Go {
        int n;
    };
    void handle_info(Go g) {
        if (g.n > 0)
            sup::send(self(), Go{g.n - 1});
    }
};
} // namespace

TEST_CASE("scheduler_stats: schedulers, threads, and steps that grow with the work done") {
    sup::Runtime rt(sup::RuntimeOptions{.threads = 2});
    rt.wait_quiescent();
    sup::SchedulerStats before = rt.scheduler_stats();
    REQUIRE(before.schedulers == 2);
    REQUIRE(before.threads >= 2);
    REQUIRE(before.run_queue == 0);
    REQUIRE(before.active == 0);

    auto looper = rt.spawn<Looper>().value();
    sup::send(looper, Looper::Go{1000});
    rt.wait_quiescent();
    sup::SchedulerStats after = rt.scheduler_stats();
    REQUIRE(after.steps > before.steps); // turns of up to a batch of messages each
    REQUIRE(after.active == 0);
    REQUIRE(after.run_queue == 0);
    REQUIRE(after.idle_threads <= after.threads);
}

namespace {
std::atomic<int> hook_calls{0};
std::atomic<int> attachments_alive{0};
sup::Pid hook_root;

std::shared_ptr<void> test_hook(sup::Runtime&, const sup::Tree& tree) {
    ++hook_calls;
    hook_root = tree.root();
    ++attachments_alive;
    return std::shared_ptr<void>(new int(0), [](void* p) {
        delete static_cast<int*>(p);
        --attachments_alive;
    });
}
} // namespace

TEST_CASE("gen::start runs the started hook once; what it returns lives as long as the handle") {
    sup::gen::StartedHook previous = sup::gen::set_started_hook(&test_hook);
    {
        sup::Runtime rt;
        auto started = sup::gen::start<sup::gen::TreeHandle>(rt, [] {
            sup::SupervisorSpec s;
            s.children.push_back(sup::testing::stand_in("a"));
            return s;
        });
        REQUIRE(started.started());
        REQUIRE(hook_calls == 1);
        REQUIRE(hook_root == started.value().root());
        REQUIRE(attachments_alive == 1);
        {
            sup::gen::TreeHandle copy = started.value();
            REQUIRE(attachments_alive == 1);
        }
        REQUIRE(attachments_alive == 1);
        started.value().stop();
        started = sup::gen::start<sup::gen::TreeHandle>(rt, [] { return sup::SupervisorSpec{}; });
        REQUIRE(hook_calls == 2);
        REQUIRE(attachments_alive == 1); // the first handle's went with it
    }
    REQUIRE(attachments_alive == 0);
    sup::gen::set_started_hook(previous);
    hook_root = sup::Pid();
}

// ---------------------------------------------------------------- sup::inspect's live state

namespace {
const sup::ChildSnapshot& child_of(const sup::SupervisorSnapshot& s, const std::string& id) {
    for (const auto& c : s.children)
        if (c.id == id)
            return c;
    FAIL("no child " << id);
    return s.children.front();
}
} // namespace

TEST_CASE("inspect live state: restarts, the last exit and who caused it, the intensity used") {
    auto clock = std::make_shared<sup::VirtualClock>();
    sup::Runtime rt(test::virtual_time(clock));
    auto spec = test::sup_spec(sup::Strategy::one_for_all, 3, 5s,
                               {test::Kid{"a"}.spec(), test::Kid{"b"}.spec()});
    sup::testing::Supervised tree(rt, spec);
    auto s = sup::inspect(tree.pid());
    REQUIRE(s);
    CHECK(s->restarts_in_period == 0);
    CHECK(child_of(*s, "a").restarts == 0);
    CHECK_FALSE(child_of(*s, "a").last_exit);

    sup::Pid a = tree.child("a");
    test::crash(a, "boom");
    tree.await_restart("a", a);
    rt.wait_quiescent();
    s = sup::inspect(tree.pid());
    REQUIRE(s);
    CHECK(s->restarts_in_period == 1);
    const auto& ca = child_of(*s, "a");
    const auto& cb = child_of(*s, "b");
    CHECK(ca.restarts == 1);
    CHECK(cb.restarts == 1); // restarted as a sibling (one_for_all)
    REQUIRE(ca.last_exit);
    CHECK(ca.last_exit->reason == sup::ExitReason::error("boom"));
    CHECK_FALSE(ca.last_exit->by_supervisor);
    CHECK(ca.last_exit->at == s->taken_at); // virtual time stood still
    REQUIRE(cb.last_exit);
    CHECK(cb.last_exit->by_supervisor); // stopped by the supervisor
    CHECK(cb.last_exit->reason == sup::ExitReason::shutdown());

    test::crash(tree.child("b"));
    tree.await_restart("b", cb.pid);
    rt.wait_quiescent();
    s = sup::inspect(tree.pid());
    CHECK(s->restarts_in_period == 2);
    CHECK(child_of(*s, "a").restarts == 2);
    // The window slides: after the period, the old restarts no longer count.
    clock->advance(6s);
    s = sup::inspect(tree.pid());
    CHECK(s->restarts_in_period == 0);
    CHECK(child_of(*s, "b").restarts == 2); // counts stay
    std::string json = sup::to_json(*s, {.indent = 0});
    CHECK(json.find(R"("restarts_in_period":0)") != std::string::npos);
    CHECK(json.find(R"("restarts":2,"last_exit":{"reason":"crash","by":"self","ms_ago":6000})") !=
          std::string::npos);
}

TEST_CASE("inspect live state: a delayed restart says when it is due") {
    auto clock = std::make_shared<sup::VirtualClock>();
    sup::Runtime rt(test::virtual_time(clock));
    auto spec = test::sup_spec(sup::Strategy::one_for_one, 10, 5s, {test::Kid{"w"}.spec()});
    spec.flags.backoff = sup::Backoff::exponential(300ms, 1s);
    sup::testing::Supervised tree(rt, spec);
    sup::Pid w = tree.child("w");
    std::size_t from = tree.events().size();
    test::crash(w);
    tree.events().wait_for(sup::EventKind::restart_delayed, "w", sup::testing::default_timeout,
                           from);
    rt.wait_quiescent();
    auto s = sup::inspect(tree.pid());
    REQUIRE(s);
    const auto& c = child_of(*s, "w");
    CHECK(c.state == sup::ChildInfo::State::restarting);
    REQUIRE(c.restart_due);
    CHECK(*c.restart_due - s->taken_at == 300ms);
    CHECK(sup::to_json(*s, {.indent = 0}).find(R"("restart_in_ms":300)") != std::string::npos);
    clock->advance(300ms);
    tree.await_restart("w", w);
    rt.wait_quiescent();
    s = sup::inspect(tree.pid());
    CHECK_FALSE(child_of(*s, "w").restart_due);
    CHECK(child_of(*s, "w").restarts == 1);
}

TEST_CASE("inspect live state: a dynamic supervisor's children") {
    sup::Runtime rt(test::quiet());
    sup::DynamicSupervisorSpec d;
    d.flags.intensity = 5;
    d.child = sup::testing::dynamic_stand_in();
    auto root = sup::start_tree(rt, d).value();
    sup::Pid one = sup::start_child(root.root()).value();
    sup::testing::EventLog log(rt);
    test::crash(one, "dyn");
    log.wait_for(sup::EventKind::child_restarted, "1");
    auto s = sup::inspect(root.root());
    REQUIRE(s);
    REQUIRE(s->children.size() == 1);
    CHECK(s->children[0].restarts == 1);
    REQUIRE(s->children[0].last_exit);
    CHECK(s->children[0].last_exit->reason.to_string() == "dyn");
    CHECK(s->restarts_in_period == 1);
    root.stop();
}
