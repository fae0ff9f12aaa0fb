// Beyond supervisor_SUITE: what kill means for a stuck handler, backoff, escalation through a
// tree, names of restarted children, max_children, events and the default logger, the test kit,
// and a deterministic trace in virtual time (what `supc sim` builds on).
#include "sup_helpers.hpp"

#include <catch2/catch.hpp>
#include <map>
#include <mutex>
#include <thread>

using namespace test;
using sup::EventKind;
using sup::ExitReason;
using sup::Restart;
using sup::Shutdown;
using sup::Strategy;
using sup::SupError;
using sup::testing::Supervised;
using namespace std::chrono_literals;

namespace {
/// A worker whose handler can get stuck until the test releases it.
class Stuck : public sup::Actor<Stuck> {
public:
    Stuck(Recorder* r, Latch* l) : r_(r), l_(l) {}
    ~Stuck() override { r_->add("destroyed"); }
    struct Block {};
    void handle_cast(Block) {
        r_->add("stuck");
        l_->wait();
        r_->add("returned");
    }
    void terminate(const ExitReason& why) override { r_->add("terminate " + why.to_string()); }

private:
    Recorder* r_;
    Latch* l_;
};
} // namespace

// kill in C++: a handler cannot be preempted. The supervisor's shutdown timeout expires while
// the child's handler is stuck: the child is dead at once (monitors fired, name released), its
// successor may start, the stuck handler's thread runs on until the handler returns and only
// then is the object destroyed (no terminate). Another thread takes over the stuck one's work.
TEST_CASE("kill of a stuck child on shutdown timeout") {
    auto clock = std::make_shared<sup::VirtualClock>();
    Recorder rec, rec2, rec3;
    Latch latch, second;
    sup::Runtime rt(virtual_time(clock, false)); // two scheduler threads
    sup::ChildSpec spec =
        sup::worker<Stuck>("stuck", &rec, &latch).with_shutdown(Shutdown::timeout(500ms));
    Supervised top(rt, sup_spec(Strategy::one_for_one, 5, 3600s, {spec}));
    auto old = top.child("stuck");
    sup::cast(old.as<Stuck>(), Stuck::Block{});
    REQUIRE(rec.wait_count(1)); // "stuck"
    std::thread stopper([&] { (void)sup::terminate_child(top.pid(), "stuck"); });
    // The supervisor waits for the stuck child on the virtual clock (never quiescent: a
    // handler is stuck).
    REQUIRE(clock->wait_pending(1, 5000ms));
    clock->advance_unsettled(500ms);
    stopper.join();
    CHECK(top.await_exit(old) == ExitReason::killed());
    CHECK(top.events().lines(top.pid()).back() == "shutdown_error stuck killed");
    // The successor starts while the old handler is still stuck.
    auto fresh = sup::restart_child(top.pid(), "stuck").value();
    CHECK(fresh != old);
    CHECK(rec.items() == Lines{"stuck"});
    // Capacity: the killed actor's thread was replaced. Two more actors get stuck as well and
    // both run (the two scheduler permits plus the one that replaced the stuck thread).
    auto s2 = rt.spawn<Stuck>(&rec2, &second).value();
    auto s3 = rt.spawn<Stuck>(&rec3, &second).value();
    sup::cast(s2, Stuck::Block{});
    sup::cast(s3, Stuck::Block{});
    REQUIRE(rec2.wait_count(1));
    REQUIRE(rec3.wait_count(1));
    second.release();
    REQUIRE(rec2.wait_count(2));
    REQUIRE(rec3.wait_count(2));
    // The stuck handler returns: the object goes, terminate does not run.
    latch.release();
    REQUIRE(rec.wait_count(3));
    CHECK(rec.items() == Lines{"stuck", "returned", "destroyed"});
    rt.stop(s2);
    rt.stop(s3);
}

// Backoff: restart delays min * 2^(k-1) capped at max, in virtual time; reset after the child
// stayed up for the period; restarts still count towards the intensity.
TEST_CASE("backoff delays restarts exponentially and resets after the period") {
    auto clock = std::make_shared<sup::VirtualClock>();
    sup::Runtime rt(virtual_time(clock));
    auto spec = sup_spec(Strategy::one_for_one, 10, 5s, {Kid{"w"}.spec()});
    spec.flags.backoff = sup::Backoff::exponential(100ms, 1s);
    Supervised top(rt, spec);
    auto p = top.child("w");
    std::vector<std::string> delays;
    for (int i = 0; i < 5; ++i) {
        std::size_t from = top.events().size();
        crash(p);
        auto e = top.events().wait_for(EventKind::restart_delayed, "w",
                                       sup::testing::default_timeout, from);
        delays.push_back(sup::testing::EventLog::line(e));
        rt.wait_quiescent();
        CHECK(top.which_children()[0].state == sup::ChildInfo::State::restarting);
        clock->advance(e.delay - 1ms);
        CHECK(top.which_children()[0].state == sup::ChildInfo::State::restarting);
        clock->advance(1ms);
        p = top.await_restart("w", p);
    }
    CHECK(delays == Lines{"restart_delayed w 100ms", "restart_delayed w 200ms",
                          "restart_delayed w 400ms", "restart_delayed w 800ms",
                          "restart_delayed w 1000ms"});
    // Up for the period: the next delay is the minimum again.
    clock->advance(5s);
    std::size_t from = top.events().size();
    crash(p);
    auto e =
        top.events().wait_for(EventKind::restart_delayed, "w", sup::testing::default_timeout, from);
    CHECK(e.delay == 100ms);
}

TEST_CASE("backoff with jitter stays within the bounds and is reproducible") {
    auto run = [] {
        auto clock = std::make_shared<sup::VirtualClock>();
        sup::Runtime rt(virtual_time(clock));
        auto spec = sup_spec(Strategy::one_for_one, 100, 5s, {Kid{"w"}.spec()});
        spec.flags.backoff = sup::Backoff::exponential(100ms, 2s, 0.5);
        Supervised top(rt, spec);
        auto p = top.child("w");
        std::vector<sup::Clock::duration> out;
        for (int i = 0; i < 8; ++i) {
            std::size_t from = top.events().size();
            crash(p);
            auto e = top.events().wait_for(EventKind::restart_delayed, "w",
                                           sup::testing::default_timeout, from);
            out.push_back(e.delay);
            clock->advance(e.delay);
            p = top.await_restart("w", p);
        }
        return out;
    };
    auto a = run(), b = run();
    CHECK(a == b);
    for (std::size_t k = 0; k < a.size(); ++k) {
        CHECK(a[k] >= 100ms);
        CHECK(a[k] <= 2s);
    }
    CHECK(std::any_of(a.begin(), a.end(),
                      [](auto d) { return d != 100ms && d != 200ms && d != 400ms; }));
}

TEST_CASE("backoff under one_for_all stops the siblings at once and restarts the group later") {
    auto clock = std::make_shared<sup::VirtualClock>();
    sup::Runtime rt(virtual_time(clock));
    auto spec = sup_spec(Strategy::one_for_all, 10, 5s, {Kid{"a"}.spec(), Kid{"b"}.spec()});
    spec.flags.backoff = sup::Backoff::exponential(1s, 10s);
    Supervised top(rt, spec);
    std::size_t from = top.events().size();
    auto pb = top.child("b");
    crash(top.child("a"));
    CHECK(top.await_exit(pb) == ExitReason::shutdown());
    rt.wait_quiescent();
    clock->advance(1s);
    top.await_restart("b", pb);
    CHECK(lines_since(top.events(), top.pid(), from) ==
          Lines{"child_exited a crash", "child_terminated b shutdown", "restart_delayed a 1000ms",
                "child_restarted a", "child_restarted b"});
}

// Escalation: a supervisor that gives up exits with shutdown; a permanent parent spec restarts
// it, a transient one does not (shutdown is a normal reason; elixir-lang/elixir#5550).
TEST_CASE("escalation to the parent depends on the parent spec's restart type") {
    sup::Runtime rt(quiet());
    for (Restart r : {Restart::permanent, Restart::transient}) {
        Kid w{"w"};
        auto inner = sup::supervisor("inner", [&] {
                         return sup_spec(Strategy::one_for_one, 0, 5s, {w.spec()});
                     }).with_restart(r);
        Supervised top(rt, sup_spec(Strategy::one_for_one, 3, 5s, {inner}));
        auto in = top.child("inner");
        std::size_t from = top.events().size();
        crash(top.child("inner/w")); // intensity 0: the first crash gives up
        CHECK(top.await_exit(in) == ExitReason::shutdown());
        if (r == Restart::permanent) {
            top.await_restart("inner", in);
            CHECK(top.child("inner/w").alive());
        } else {
            rt.wait_quiescent();
            CHECK(top.which_children()[0].state == sup::ChildInfo::State::undefined);
        }
        Lines ev = lines_since(top.events(), top.pid(), from);
        REQUIRE_FALSE(ev.empty());
        CHECK(ev[0] == "child_exited inner shutdown");
        Lines inner_ev = lines_since(top.events(), in, from);
        CHECK(inner_ev ==
              Lines{"child_exited w crash", "give_up w", "supervisor_stopped shutdown"});
    }
}

// A restarted child registered under a name is reachable under the same name; a reference to
// the old one fails cleanly.
TEST_CASE("a restarted child is reachable under the same name") {
    struct NamedWorker : sup::Actor<NamedWorker> {
        int gen;
        explicit NamedWorker(int g) : gen(g) {}
        sup::InitResult init() override {
            return runtime().register_name("cache", self_pid())
                       ? sup::InitResult::ok()
                       : sup::InitResult::stop(ExitReason::error("name taken"));
        }
        int handle_call(StandIn::Ping) { return gen; }
    };
    sup::Runtime rt(quiet());
    Supervised top(rt,
                   sup_spec(Strategy::one_for_one, 3, 5s, {sup::worker<NamedWorker>("cache", 1)}));
    auto old = rt.whereis_as<NamedWorker>("cache");
    REQUIRE(old);
    auto fresh = top.kill_and_await_restart("cache");
    auto now = rt.whereis_as<NamedWorker>("cache");
    CHECK(now == fresh);
    CHECK(sup::call(now, StandIn::Ping{}).value() == 1);
    CHECK(sup::call(old, StandIn::Ping{}).error().code == sup::CallError::Code::noproc);
}

TEST_CASE("dynamic supervisor max_children counts restarting children") {
    sup::Runtime rt(quiet());
    auto ctl = std::make_shared<StandIn::Control>();
    sup::DynamicSupervisorSpec spec;
    spec.flags.intensity = 100000000;
    spec.flags.period = 10s;
    spec.max_children = 2;
    spec.child = sup::testing::dynamic_stand_in(ctl);
    Supervised top(rt, spec);
    auto p1 = sup::start_child(top.pid()).value();
    REQUIRE(sup::start_child(top.pid()));
    CHECK(sup::start_child(top.pid()).error().code == SupError::Code::max_children);
    ctl->fail_starts = 1 << 30;
    std::size_t from = top.events().size();
    sup::kill(p1);
    top.events().wait_for(EventKind::start_failed, "1", sup::testing::default_timeout, from);
    CHECK(sup::start_child(top.pid()).error().code == SupError::Code::max_children);
    ctl->fail_starts = 0;
    top.await_restart("1", p1);
    CHECK(sup::start_child(top.pid()).error().code == SupError::Code::max_children);
    REQUIRE(sup::terminate_child(top.pid(), top.child("1")));
    CHECK(sup::start_child(top.pid()));
}

TEST_CASE("events identify supervisor and child and the default logger prints OTP-like reports") {
    std::vector<std::string> reports;
    std::mutex m;
    sup::RuntimeOptions o = quiet();
    o.log_level = sup::LogLevel::info;
    o.log_sink = [&](std::string_view r) {
        std::lock_guard<std::mutex> l(m);
        reports.emplace_back(r);
    };
    sup::Runtime rt(o);
    auto spec = sup_spec(Strategy::one_for_one, 3, 5s, {Kid{"w"}.spec()});
    spec.name = "my_sup";
    Supervised top(rt, spec);
    auto p = top.child("w");
    crash(p, "boom");
    auto fresh = top.await_restart("w", p);
    auto evs = top.events().events();
    REQUIRE(evs.size() == 3);
    CHECK(evs[1].kind == EventKind::child_exited);
    CHECK(evs[1].supervisor == top.pid());
    CHECK(evs[1].supervisor_name == "{local,my_sup}");
    CHECK(evs[1].child_id == "w");
    CHECK(evs[1].child == p);
    CHECK(evs[1].reason == ExitReason::error("boom"));
    CHECK(evs[2].restart);
    CHECK(evs[2].child == fresh);
    std::lock_guard<std::mutex> l(m);
    auto has = [&](const std::string& needle) {
        return std::any_of(reports.begin(), reports.end(), [&](const std::string& r) {
            return r.find(needle) != std::string::npos;
        });
    };
    CHECK(has("=PROGRESS REPORT====\n    supervisor: {local,my_sup}\n    started: [{pid,"));
    CHECK(has("=SUPERVISOR REPORT====\n    supervisor: {local,my_sup}\n    errorContext: "
              "child_terminated\n    reason: boom\n    offender: [{pid," +
              p.to_string() +
              "},{id,w},{restart_type,permanent},{significant,false},{shutdown,1000},{child_type,"
              "worker}]\n"));
    CHECK(has("=CRASH REPORT====\n  actor " + p.to_string() + " terminating\n  reason: boom\n"));
}

TEST_CASE("test kit: waits fail clearly with the events seen") {
    sup::Runtime rt(quiet());
    Supervised top(rt, sup_spec(Strategy::one_for_one, 3, 5s, {Kid{"w"}.spec()}));
    try {
        top.await_restart("w", top.child("w"), 10ms);
        FAIL("no timeout");
    } catch (const sup::testing::WaitTimeout& e) {
        std::string what = e.what();
        CHECK(what.find("timed out after 10 ms waiting for the restart of 'w'") == 0);
        CHECK(what.find("child_started w") != std::string::npos);
    }
    CHECK_THROWS_AS(top.child("nope"), std::runtime_error);
    // The tree lookup follows paths.
    CHECK(top.tree().lookup("") == top.pid());
    CHECK(top.tree().lookup("w") == top.child("w"));
    CHECK_FALSE(top.tree().lookup("w/x"));
}

// What `supc sim` builds on: deterministic mode, virtual time, stand-in workers, events with
// supervisor and child, and waiting for quiescence after each step: the trace is the same on
// every run. The tree is CLI.md's example.
TEST_CASE("a deterministic trace in virtual time with paths from events") {
    auto trace = [] {
        auto clock = std::make_shared<sup::VirtualClock>();
        sup::Runtime rt(virtual_time(clock));
        std::map<std::string, std::shared_ptr<StandIn::Control>> ctl;
        auto kid = [&](const std::string& path, const std::string& id) {
            ctl[path] = std::make_shared<StandIn::Control>();
            return sup::testing::stand_in(id, ctl[path]);
        };
        Lines out;
        std::mutex m;
        auto sub = rt.events().subscribe([&](const sup::SupervisorEvent& e) {
            std::lock_guard<std::mutex> l(m);
            std::string reason = " " + e.reason.to_string();
            switch (e.kind) {
            case EventKind::child_started:
            case EventKind::child_restarted:
                out.push_back("start " + e.path());
                break;
            case EventKind::child_exited:
                out.push_back("exit " + e.path() + reason);
                break;
            case EventKind::child_terminated:
                out.push_back("terminate " + e.path() + reason);
                break;
            case EventKind::start_failed:
                out.push_back("start_failed " + e.path() + reason);
                break;
            case EventKind::give_up:
                out.push_back("give_up " + e.path());
                break;
            case EventKind::supervisor_stopped:
                if (e.supervisor_path.empty())
                    out.push_back("terminate \"\"" + reason);
                break;
            default:
                break;
            }
        });
        auto services = sup::supervisor("services", [&] {
            auto s = sup_spec(Strategy::one_for_all, 3, 5s,
                              {kid("services/cache", "cache"), kid("services/mailer", "mailer")});
            s.children[1].with_shutdown(Shutdown::brutal_kill());
            return s;
        });
        auto root = sup::start_supervisor(
                        rt, sup_spec(Strategy::rest_for_one, 3, 5s,
                                     {kid("repo", "repo"), services, kid("endpoint", "endpoint")}))
                        .value();
        rt.wait_quiescent();
        sup::Tree tree(rt, root);
        for (int i = 0; i < 4; ++i) { // crash services/cache until services gives up
            crash(tree.lookup("services/cache"));
            rt.wait_quiescent();
            clock->advance(100ms);
        }
        ctl["repo"]->fail_starts = 1;
        crash(tree.lookup("repo"), "db down");
        rt.wait_quiescent();
        ctl["endpoint"]->hang = true;
        rt.stop(root, ExitReason::shutdown(), 0ms);
        rt.wait_quiescent();
        clock->advance(5s); // endpoint ignores the shutdown: killed after 5 s
        rt.wait_quiescent();
        std::lock_guard<std::mutex> l(m);
        return out;
    };
    Lines a = trace();
    CHECK(a == trace());
    Lines expected{"start repo", "start services/cache", "start services/mailer", "start services",
                   "start endpoint"};
    // Three restarts of services (one_for_all), the fourth crash gives up; rest_for_one then
    // restarts services and endpoint.
    for (int i = 0; i < 3; ++i) {
        expected.insert(expected.end(),
                        {"exit services/cache crash", "terminate services/mailer killed",
                         "start services/cache", "start services/mailer"});
    }
    expected.insert(expected.end(), {"exit services/cache crash", "give_up services",
                                     "terminate services/mailer killed", "exit services shutdown",
                                     "terminate endpoint shutdown", "start services/cache",
                                     "start services/mailer", "start services", "start endpoint"});
    // repo crashes and fails its first restart: retried (counting towards the intensity).
    expected.insert(expected.end(),
                    {"exit repo db down", "terminate endpoint shutdown",
                     "terminate services/mailer killed", "terminate services/cache shutdown",
                     "terminate services shutdown", "start_failed repo start failed", "start repo",
                     "start services/cache", "start services/mailer", "start services",
                     "start endpoint"});
    expected.insert(expected.end(),
                    {"terminate endpoint killed", "terminate services/mailer killed",
                     "terminate services/cache shutdown", "terminate services shutdown",
                     "terminate repo shutdown", "terminate \"\" shutdown"});
    CHECK(a == expected);
}

// A supervisor stops an idle child supervisor on its own thread (inline), and that one waits
// on the clock for a child that ignores the shutdown request: both are blocked, neither is
// busy, so the runtime is quiescent until the clock advances (it used to stay busy forever:
// only the innermost actor left the count). What `supc sim` relies on to settle after stop.
TEST_CASE("a shutdown wait nested in an inline shutdown leaves the runtime quiescent") {
    auto clock = std::make_shared<sup::VirtualClock>();
    sup::Runtime rt(virtual_time(clock));
    auto hung = std::make_shared<StandIn::Control>();
    auto conns = sup::dynamic_supervisor("conns", [hung] {
        sup::DynamicSupervisorSpec d;
        d.child = sup::testing::dynamic_stand_in(hung).with_shutdown(Shutdown::timeout(1s));
        return d;
    });
    auto services = sup::supervisor("services", [hung] {
        return sup_spec(
            Strategy::one_for_one, 3, 5s,
            {sup::testing::stand_in("cache", hung).with_shutdown(Shutdown::timeout(2s))});
    });
    auto root = sup::start_supervisor(rt, sup_spec(Strategy::one_for_one, 3, 5s, {services, conns}))
                    .value();
    sup::Tree tree(rt, root);
    REQUIRE(sup::start_child(tree.lookup("conns")));
    rt.wait_quiescent();
    hung->hang = true;
    (void)rt.stop(root, ExitReason::shutdown(), 0ms);
    REQUIRE(rt.wait_quiescent_for(5000ms)); // conns waits for its child: 1 s
    CHECK(root.alive());
    CHECK(clock->advance_to_next());
    REQUIRE(rt.wait_quiescent_for(5000ms)); // services waits for cache: 2 s
    CHECK(root.alive());
    CHECK(clock->advance_to_next());
    REQUIRE(rt.wait_quiescent_for(5000ms));
    CHECK_FALSE(root.alive());
    CHECK(clock->now().time_since_epoch() == 3s);
}

// The example of docs/runtime.md, section 6.
TEST_CASE("docs example: the cache is restarted and its one_for_all sibling too") {
    sup::Runtime rt(quiet());
    auto services = sup_spec(
        Strategy::one_for_all, 3, 5s,
        {Kid{"cache"}.spec(), Kid{"mailer"}.spec(Restart::permanent, Shutdown::brutal_kill())});
    auto app =
        sup_spec(Strategy::rest_for_one, 3, 5s,
                 {Kid{"repo"}.spec(), sup::supervisor("services", [=] { return services; })});
    Supervised tree(rt, app);
    sup::Pid mailer = tree.child("services/mailer");
    sup::Pid cache = tree.kill_and_await_restart("services/cache");
    REQUIRE(tree.child("services/mailer") != mailer); // one_for_all
    REQUIRE(tree.which_children("services").size() == 2);
    REQUIRE(tree.events().lines(tree.child("services")) ==
            Lines{"child_started cache", "child_started mailer", "child_exited cache killed",
                  "child_terminated mailer killed", "child_restarted cache",
                  "child_restarted mailer"});
    (void)cache;
}
