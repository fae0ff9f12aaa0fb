// Actor semantics: call/cast/send, timeouts, dead callees, exit reasons, links, monitors,
// trap_exit, timers, the registry, kill.
#include "helpers.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <stdexcept>
#include <thread>

using namespace test;
using sup::CallError;
using sup::ExitReason;

namespace {

struct Get {};
struct Add {
    int n;
};
struct Tick {
    int n;
};
struct Crash {
    std::string what;
};
struct StopWith {
    ExitReason reason;
};
struct ExitWith {
    ExitReason reason;
};
struct Hold { // a deferred call: the reply comes later (or never)
    using reply_type = int;
};
struct Release {
    int value;
};
struct Block {
    Latch* latch;
};

class Counter : public sup::Actor<Counter> {
public:
    explicit Counter(int start, Recorder* r = nullptr) : n_(start), r_(r) {}
    ~Counter() override {
        if (r_)
            r_->add("destroyed");
    }
    int handle_call(Get) { return n_; }
    int handle_call(StopWith s) {
        stop(s.reason);
        return n_;
    }
    int handle_call(Crash c) { throw std::runtime_error(c.what); }
    void handle_call(Hold, sup::ReplyTo<int> r) {
        held_ = std::move(r);
        if (r_)
            r_->add("held");
    }
    void handle_cast(Add a) { n_ += a.n; }
    void handle_cast(Release r) { held_.reply(r.value); }
    void handle_cast(Crash c) { throw std::runtime_error(c.what); }
    void handle_cast(ExitWith e) { exit(e.reason); }
    void handle_cast(StopWith s) { stop(s.reason); }
    void handle_cast(Block b) {
        if (r_)
            r_->add("blocked");
        b.latch->wait();
    }
    void handle_info(Tick t) {
        n_ += t.n;
        if (r_)
            r_->add("tick " + std::to_string(t.n));
    }
    void terminate(const ExitReason& why) override {
        if (r_)
            r_->add("terminate " + why.to_string());
    }

private:
    int n_;
    Recorder* r_;
    sup::ReplyTo<int> held_;
};

/// Calls another actor from inside a handler and records the outcome.
class Caller : public sup::Actor<Caller> {
public:
    Caller(sup::Ref<Counter> target, Recorder* r) : target_(std::move(target)), r_(r) {}
    struct CallHold {
        sup::Clock::duration timeout;
    };
    void handle_cast(CallHold c) {
        auto res = sup::call(target_, Hold{}, c.timeout);
        r_->add(res ? "reply " + std::to_string(*res) : "error " + res.error().to_string());
    }

private:
    sup::Ref<Counter> target_;
    Recorder* r_;
};

class SelfCaller : public sup::Actor<SelfCaller> {
public:
    int handle_call(Get) {
        auto r = sup::call(self(), Add{1});
        return r ? 0 : static_cast<int>(r.error().code);
    }
    int handle_call(Add) { return 1; }
};

class FailingInit : public sup::Actor<FailingInit> {
public:
    explicit FailingInit(int mode) : mode_(mode) {}
    sup::InitResult init() override {
        if (mode_ == 0)
            throw std::runtime_error("bad config");
        if (mode_ == 1)
            return sup::InitResult::ignore();
        return sup::InitResult::stop(ExitReason::shutdown("no_db"));
    }

private:
    int mode_;
};

} // namespace

TEST_CASE("call returns the handler's value and cast is handled in order") {
    sup::Runtime rt(quiet());
    auto c = rt.spawn<Counter>(1).value();
    for (int i = 0; i < 100; ++i)
        REQUIRE(sup::cast(c, Add{1}));
    REQUIRE(sup::send(c, Tick{10}));
    CHECK(sup::call(c, Get{}).value() == 111);
}

TEST_CASE("call to a dead actor fails at once with noproc") {
    sup::Runtime rt(quiet());
    auto c = rt.spawn<Counter>(0).value();
    REQUIRE(rt.stop(c) == ExitReason::shutdown());
    auto r = sup::call(c, Get{});
    REQUIRE_FALSE(r);
    CHECK(r.error().code == CallError::Code::noproc);
    CHECK_FALSE(sup::cast(c, Add{1}));
    CHECK_FALSE(c.alive());
}

TEST_CASE("a callee that crashes while handling the call fails the caller with its reason") {
    sup::Runtime rt(quiet());
    auto c = rt.spawn<Counter>(0).value();
    auto r = sup::call(c, Crash{"boom"});
    REQUIRE_FALSE(r);
    CHECK(r.error().code == CallError::Code::exited);
    CHECK(r.error().reason == ExitReason::error("boom"));
    CHECK(rt.wait_exit_real(c, 5000ms) == ExitReason::error("boom"));
}

TEST_CASE("a callee that dies while a deferred call waits fails the caller at once") {
    Recorder rec;
    sup::Runtime rt(quiet());
    auto c = rt.spawn<Counter>(0, &rec).value();
    std::thread killer([&] {
        REQUIRE(rec.wait_count(1)); // the callee holds the reply token
        sup::cast(c, Crash{"gone"});
    });
    auto r = sup::call(c, Hold{}, sup::infinity); // would hang forever without the death
    killer.join();
    REQUIRE_FALSE(r);
    CHECK(r.error().code == CallError::Code::exited);
    CHECK(r.error().reason == ExitReason::error("gone"));
}

TEST_CASE("a deferred reply arrives when the callee replies later") {
    Recorder rec;
    sup::Runtime rt(quiet());
    auto c = rt.spawn<Counter>(0, &rec).value();
    std::thread releaser([&] {
        REQUIRE(rec.wait_count(1));
        sup::cast(c, Release{7});
    });
    auto r = sup::call(c, Hold{}, sup::infinity);
    releaser.join();
    CHECK(r.value() == 7);
}

TEST_CASE("call times out on the runtime clock (virtual time - no sleeping)") {
    auto clock = std::make_shared<sup::VirtualClock>();
    Recorder rec;
    sup::Runtime rt(virtual_time(clock));
    auto target = rt.spawn<Counter>(0).value();
    auto caller = rt.spawn<Caller>(target, &rec).value();
    sup::cast(caller, Caller::CallHold{std::chrono::milliseconds(100)});
    rt.wait_quiescent();
    CHECK(rec.items().empty()); // still waiting: time has not moved
    clock->advance(std::chrono::milliseconds(99));
    CHECK(rec.items().empty());
    clock->advance(std::chrono::milliseconds(1));
    CHECK(rec.items() == std::vector<std::string>{"error timeout"});
    // The callee is still alive and the late reply is dropped.
    sup::cast(target, Release{1});
    CHECK(sup::call(target, Get{}).value() == 0);
}

TEST_CASE("an actor calling itself gets calling_self") {
    sup::Runtime rt(quiet());
    auto s = rt.spawn<SelfCaller>().value();
    CHECK(sup::call(s, Get{}).value() == static_cast<int>(CallError::Code::calling_self));
}

TEST_CASE("exit reasons: normal - shutdown - {shutdown detail} - killed - abnormal what()") {
    sup::Runtime rt(quiet());
    auto run = [&](auto action) {
        auto c = rt.spawn<Counter>(0).value();
        action(c);
        return rt.wait_exit_real(c, 5000ms).value();
    };
    CHECK(run([](auto& c) { sup::cast(c, StopWith{ExitReason::normal()}); }) ==
          ExitReason::normal());
    CHECK(run([](auto& c) { sup::cast(c, StopWith{ExitReason::shutdown()}); }) ==
          ExitReason::shutdown());
    CHECK(run([](auto& c) {
              sup::cast(c, ExitWith{ExitReason::shutdown("detail")});
          }).to_string() == "{shutdown,detail}");
    CHECK(run([](auto& c) { sup::kill(c); }) == ExitReason::killed());
    CHECK(run([](auto& c) { sup::cast(c, Crash{"disk full"}); }) == ExitReason::error("disk full"));
    CHECK(ExitReason::error("x").is_abnormal());
    CHECK(ExitReason::killed().is_abnormal());
    CHECK_FALSE(ExitReason::shutdown("x").is_abnormal());
    CHECK_FALSE(ExitReason::normal().is_abnormal());
}

TEST_CASE("stop in a call handler replies first - then terminate runs") {
    Recorder rec;
    sup::Runtime rt(quiet());
    auto c = rt.spawn<Counter>(5, &rec).value();
    CHECK(sup::call(c, StopWith{ExitReason::normal()}).value() == 5);
    CHECK(rt.wait_exit_real(c, 5000ms) == ExitReason::normal());
    CHECK(rec.items() == std::vector<std::string>{"terminate normal", "destroyed"});
}

TEST_CASE("terminate runs on a crash but not on kill") {
    Recorder rec;
    sup::Runtime rt(quiet());
    auto a = rt.spawn<Counter>(0, &rec).value();
    sup::cast(a, Crash{"bad"});
    rt.wait_exit_real(a, 5000ms);
    REQUIRE(rec.wait_count(2)); // the object is destroyed just after the death
    CHECK(rec.items() == std::vector<std::string>{"terminate bad", "destroyed"});
    rec.clear();
    auto b = rt.spawn<Counter>(0, &rec).value();
    sup::kill(b);
    rt.wait_exit_real(b, 5000ms);
    rt.wait_quiescent();
    CHECK(rec.items() == std::vector<std::string>{"destroyed"});
}

TEST_CASE("init failures: exception - ignore - stop") {
    sup::Runtime rt(quiet());
    auto a = rt.spawn<FailingInit>(0);
    REQUIRE(a.failed());
    CHECK(a.reason() == ExitReason::error("bad config"));
    auto b = rt.spawn<FailingInit>(1);
    CHECK(b.ignored());
    auto c = rt.spawn<FailingInit>(2);
    REQUIRE(c.failed());
    CHECK(c.reason() == ExitReason::shutdown("no_db"));
    CHECK(rt.live_actors() == 1); // only the runtime's internal actor
}

TEST_CASE("monitor delivers down with the reason - monitoring a dead actor gives noproc") {
    Recorder rec;
    sup::Runtime rt(quiet());
    auto w = rt.spawn<Watcher>(&rec).value();
    auto c = rt.spawn<Counter>(0).value();
    REQUIRE(sup::call(w, Watcher::Monitor{c}).value());
    sup::cast(c, Crash{"oops"});
    REQUIRE(rec.wait_count(1));
    CHECK(rec.items() == std::vector<std::string>{"down oops"});
    REQUIRE(sup::call(w, Watcher::Monitor{c}).value());
    REQUIRE(rec.wait_count(2));
    CHECK(rec.items()[1] == "down noproc");
}

TEST_CASE("links: an abnormal exit kills a linked actor - a normal exit does not") {
    Recorder rec;
    sup::Runtime rt(quiet());
    auto w = rt.spawn<Watcher>(&rec).value();
    auto a = rt.spawn<Counter>(0).value();
    REQUIRE(sup::call(w, Watcher::Link{a}).value());
    sup::cast(a, StopWith{ExitReason::normal()});
    rt.wait_exit_real(a, 5000ms);
    rt.wait_quiescent();
    CHECK(w.alive());
    auto b = rt.spawn<Counter>(0).value();
    REQUIRE(sup::call(w, Watcher::Link{b}).value());
    sup::cast(b, Crash{"linked crash"});
    CHECK(rt.wait_exit_real(w, 5000ms) == ExitReason::error("linked crash"));
    // A link signal stops a non-trapping actor; its terminate runs (see docs/runtime.md).
    CHECK(rec.items() == std::vector<std::string>{"terminate linked crash"});
}

TEST_CASE("trap_exit turns exit signals into messages") {
    Recorder rec;
    sup::Runtime rt(quiet());
    auto w = rt.spawn<Watcher>(&rec, true).value();
    auto a = rt.spawn<Counter>(0).value();
    REQUIRE(sup::call(w, Watcher::Link{a}).value());
    sup::cast(a, Crash{"boom"});
    REQUIRE(rec.wait_count(1));
    CHECK(rec.items()[0] == "exit boom");
    sup::exit(w, ExitReason::error("from outside"));
    REQUIRE(rec.wait_count(2));
    CHECK(rec.items()[1] == "exit from outside");
    CHECK(w.alive());
    // Linking to a dead actor delivers noproc.
    REQUIRE(sup::call(w, Watcher::Link{a}).value());
    REQUIRE(rec.wait_count(3));
    CHECK(rec.items()[2] == "exit noproc");
}

TEST_CASE("exit/2 with a normal reason does not stop a non-trapping actor") {
    sup::Runtime rt(quiet());
    auto c = rt.spawn<Counter>(3).value();
    sup::exit(c, ExitReason::normal());
    CHECK(sup::call(c, Get{}).value() == 3);
    sup::exit(c, ExitReason::error("stop now"));
    CHECK(rt.wait_exit_real(c, 5000ms) == ExitReason::error("stop now"));
}

TEST_CASE("send_after fires in virtual time and can be cancelled") {
    auto clock = std::make_shared<sup::VirtualClock>();
    Recorder rec;
    sup::Runtime rt(virtual_time(clock));
    auto c = rt.spawn<Counter>(0, &rec).value();
    auto t1 = sup::send_after(c, std::chrono::seconds(2), Tick{2});
    auto t2 = sup::send_after(c, std::chrono::seconds(1), Tick{1});
    auto t3 = sup::send_after(c, std::chrono::seconds(3), Tick{3});
    CHECK(t3.cancel());
    clock->advance(std::chrono::milliseconds(999));
    CHECK(rec.items().empty());
    clock->advance(std::chrono::seconds(5));
    CHECK(rec.items() == std::vector<std::string>{"tick 1", "tick 2"});
    CHECK_FALSE(t1.cancel()); // already fired
    CHECK(clock->pending_timers() == 0);
}

TEST_CASE("timers of a dead actor never fire into its successor") {
    auto clock = std::make_shared<sup::VirtualClock>();
    Recorder old_rec, new_rec;
    sup::Runtime rt(virtual_time(clock));
    auto a = rt.spawn<Counter>(0, &old_rec).value();
    REQUIRE(rt.register_name("svc", a));
    (void)sup::send_after(a, std::chrono::seconds(1), Tick{1});
    sup::cast(a, Crash{"crash"});
    rt.wait_exit_real(a, 5000ms);
    // The successor takes the same name.
    auto b = rt.spawn<Counter>(0, &new_rec).value();
    REQUIRE(rt.register_name("svc", b));
    CHECK(clock->pending_timers() == 0); // cancelled when `a` died
    clock->advance(std::chrono::seconds(2));
    CHECK(new_rec.items().empty());
    CHECK(sup::call(b, Get{}).value() == 0);
}

TEST_CASE("registry: a name is released at death and the successor is reachable") {
    sup::Runtime rt(quiet());
    sup::SpawnOptions o;
    o.name = "counter";
    auto a = rt.spawn_opt<Counter>(o, 1).value();
    CHECK(rt.whereis("counter") == a);
    auto dup = rt.spawn_opt<Counter>(o, 2);
    REQUIRE(dup.failed());
    CHECK(dup.reason() == ExitReason::error("already_started"));
    sup::kill(a);
    rt.wait_exit_real(a, 5000ms);
    CHECK_FALSE(rt.whereis("counter"));
    auto b = rt.spawn_opt<Counter>(o, 2).value();
    auto found = rt.whereis_as<Counter>("counter");
    REQUIRE(found);
    CHECK(sup::call(found, Get{}).value() == 2);
    CHECK_FALSE(rt.whereis_as<Watcher>("counter")); // checked conversion
    // The old reference still fails cleanly.
    CHECK(sup::call(a, Get{}).error().code == CallError::Code::noproc);
}

TEST_CASE("kill of an actor stuck in a handler: dead at once - object destroyed later") {
    Recorder rec, wrec;
    Latch latch;
    sup::Runtime rt(quiet(2));
    auto w = rt.spawn<Watcher>(&wrec).value();
    auto c = rt.spawn<Counter>(0, &rec).value();
    REQUIRE(sup::call(w, Watcher::Monitor{c}).value());
    sup::cast(c, Block{&latch});
    REQUIRE(rec.wait_count(1)); // the handler is stuck
    sup::cast(c, Add{1});       // queued behind the stuck handler
    // A caller queued behind the stuck handler is failed by the kill.
    sup::CallResult<int> res = sup::fail(CallError{});
    std::thread caller([&] { res = sup::call(c, Get{}, sup::infinity); });
    while (rt.message_queue_len(c) < 2)
        std::this_thread::yield(); // the call is queued
    sup::kill(c);
    CHECK(rt.wait_exit_real(c, 5000ms) == ExitReason::killed());
    caller.join();
    CHECK(res.error().code == CallError::Code::exited);
    CHECK(res.error().reason == ExitReason::killed());
    REQUIRE(wrec.wait_count(1)); // monitors fired although the handler still runs
    CHECK(wrec.items()[0] == "down killed");
    CHECK(rec.items() == std::vector<std::string>{"blocked"}); // the object lives on
    // The runtime still works on the other thread meanwhile.
    auto d = rt.spawn<Counter>(9).value();
    CHECK(sup::call(d, Get{}).value() == 9);
    latch.release();
    REQUIRE(rec.wait_count(2));
    CHECK(rec.items() == std::vector<std::string>{"blocked", "destroyed"}); // no terminate
}

// A handler that goes on after its actor was killed may still monitor, link and start timers:
// nothing is recorded for the dead actor (the ASan build's leak check fails if a monitor's
// bookkeeping were allocated for it after its death, as it once was).
TEST_CASE("a killed actor whose handler still runs records no monitor or link or timer") {
    struct Late : sup::Actor<Late> {
        Latch* latch;
        Recorder* r;
        sup::Pid other;
        Late(Latch* l, Recorder* rec, sup::Pid o) : latch(l), r(rec), other(std::move(o)) {}
        void handle_cast(Get) {
            r->add("stuck");
            latch->wait();
            (void)monitor(other);
            link(other);
            (void)send_after(std::chrono::milliseconds(1), Tick{1});
            r->add("went on");
        }
        void handle_info(Tick) { r->add("tick"); }
    };
    Recorder rec, orec;
    Latch latch;
    sup::Runtime rt(quiet(2));
    auto other = rt.spawn<Counter>(0, &orec).value();
    auto late = rt.spawn<Late>(&latch, &rec, other).value();
    sup::cast(late, Get{});
    REQUIRE(rec.wait_count(1));
    sup::kill(late);
    REQUIRE(rt.wait_exit_real(late, 5000ms) == ExitReason::killed());
    latch.release();
    REQUIRE(rec.wait_count(2));
    rt.wait_quiescent();
    // The link was not made: other lives on, and its exit reaches no one.
    CHECK(other.alive());
    sup::kill(other);
    CHECK(rt.wait_exit_real(other, 5000ms) == ExitReason::killed());
    CHECK(orec.items() == std::vector<std::string>{"destroyed"});
}

TEST_CASE("posted untyped messages reach handle_info(sup::Message)") {
    struct Dyn : sup::Actor<Dyn> {
        Recorder* r;
        explicit Dyn(Recorder* rr) : r(rr) {}
        void handle_info(sup::Message m) {
            if (auto* s = m.get_if<std::string>())
                r->add(*s);
            if (m.is<int>())
                r->add("int");
        }
    };
    Recorder rec;
    sup::Runtime rt(quiet());
    auto d = rt.spawn<Dyn>(&rec).value();
    sup::Pid p = d;
    sup::post(p, std::string("hello"));
    sup::post(p, 5);
    REQUIRE(rec.wait_count(2));
    CHECK(rec.items() == std::vector<std::string>{"hello", "int"});
}

TEST_CASE("deterministic mode runs actors one at a time in FIFO order") {
    // A driver sends all the ticks from one handler: with one scheduler thread nothing runs
    // meanwhile, and afterwards the actors run in the order they became runnable.
    struct Driver : sup::Actor<Driver> {
        std::vector<sup::Ref<Counter>> cs;
        explicit Driver(std::vector<sup::Ref<Counter>> c) : cs(std::move(c)) {}
        void handle_cast(Get) {
            for (int round = 0; round < 3; ++round)
                for (int i = 0; i < 5; ++i)
                    sup::send(cs[i], Tick{i * 10 + round});
        }
    };
    auto clock = std::make_shared<sup::VirtualClock>();
    Recorder rec;
    sup::Runtime rt(virtual_time(clock));
    CHECK(rt.threads() == 1);
    std::vector<sup::Ref<Counter>> cs;
    for (int i = 0; i < 5; ++i)
        cs.push_back(rt.spawn<Counter>(0, &rec).value());
    auto d = rt.spawn<Driver>(cs).value();
    sup::cast(d, Get{});
    rt.wait_quiescent();
    std::vector<std::string> expected;
    // Each actor's step takes its three queued ticks, in the FIFO order of the actors.
    for (int i = 0; i < 5; ++i)
        for (int round = 0; round < 3; ++round)
            expected.push_back("tick " + std::to_string(i * 10 + round));
    CHECK(rec.items() == expected);
}
