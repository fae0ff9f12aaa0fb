// Deferred initialisation: continue_with / handle_continue (gen_server's {continue, Term}),
// the stop_token an actor is given when it is asked to stop, and the "connect with retries
// and backoff" pattern (BackoffSequence) that leaves the supervisor's restart intensity alone.
#include "helpers.hpp"
#include "sup/testing.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <condition_variable>
#include <mutex>

using namespace std::chrono_literals;
using Lines = std::vector<std::string>;

namespace {

/// A gate a handler waits at, at most 5 s (real time): the test opens it.
class Gate {
public:
    void open() {
        {
            std::lock_guard l(m_);
            open_ = true;
        }
        cv_.notify_all();
    }
    bool pass() {
        std::unique_lock l(m_);
        return cv_.wait_for(l, 5s, [&] { return open_; });
    }

private:
    std::mutex m_;
    std::condition_variable cv_;
    bool open_ = false;
};

/// Registers as "slow", sends itself Early in init, then finishes its set-up in
/// handle_continue (waiting at `gate` there, when one is given).
class Slow : public sup::Actor<Slow> {
public:
    struct Setup {
        std::string what;
    };
    struct Early {};
    struct Hello {
        std::string from;
    };
    struct Step {
        int n;
    };
    struct Twice {};
    Slow(test::Recorder* r, Gate* gate) : r_(r), gate_(gate) {}

    sup::InitResult init() override {
        runtime().register_name("slow", self_pid());
        sup::send(self(), Early{});
        r_->add("init");
        return continue_with(Setup{"connect"});
    }
    void handle_continue(Setup s) {
        if (gate_ && !gate_->pass())
            r_->add("gate timed out");
        r_->add("continue " + s.what);
    }
    void handle_continue(Step s) { r_->add("step " + std::to_string(s.n)); }
    void handle_info(Early) { r_->add("early"); }
    void handle_cast(Hello h) { r_->add("hello from " + h.from); }
    // A handler that asks for two continuations: they run in order, before the mail.
    void handle_cast(Twice) {
        sup::cast(self(), Hello{"after twice"});
        continue_with(Step{1});
        continue_with(Step{2});
        r_->add("twice");
    }

private:
    test::Recorder* r_;
    Gate* gate_;
};

/// Started after Slow: says hello to it from its init.
class Sibling : public sup::Actor<Sibling> {
public:
    explicit Sibling(test::Recorder* r) : r_(r) {}
    sup::InitResult init() override {
        sup::Ref<Slow> slow = runtime().whereis_as<Slow>("slow");
        r_->add(sup::cast(slow, Slow::Hello{"sibling"}) ? "sibling sent" : "sibling: no slow");
        return sup::InitResult::ok();
    }

private:
    test::Recorder* r_;
};

} // namespace

TEST_CASE("continue_with: handle_continue runs first, before mail sent during init") {
    test::Recorder r;
    sup::Runtime rt(test::quiet());
    auto slow = rt.spawn<Slow>(&r, nullptr).value();
    REQUIRE(r.wait_count(3));
    rt.wait_quiescent();
    REQUIRE(r.items() == Lines{"init", "continue connect", "early"});
    // From a handler: continuations in the order asked, then the mail.
    r.clear();
    sup::cast(slow, Slow::Twice{});
    REQUIRE(r.wait_count(4));
    rt.wait_quiescent();
    REQUIRE(r.items() == Lines{"twice", "step 1", "step 2", "hello from after twice"});
}

TEST_CASE("continue_with: the supervisor goes on while the set-up runs / a sibling's message "
          "waits for it") {
    // The deterministic runtime: one scheduler thread, FIFO. The gate holds Slow's continue
    // while the test checks that the tree has started (so the start did not wait for it) and
    // that the sibling's hello, sent meanwhile, has not been handled.
    for (bool deterministic : {false, true}) {
        CAPTURE(deterministic);
        test::Recorder r;
        Gate gate;
        auto o = test::quiet();
        o.deterministic = deterministic;
        o.threads = deterministic ? 1 : 2;
        sup::Runtime rt(o);
        sup::SupervisorSpec spec;
        spec.children.push_back(sup::worker<Slow>("slow", &r, &gate));
        spec.children.push_back(sup::worker<Sibling>("sibling", &r));
        sup::EventQueue events(rt);
        sup::testing::Supervised tree(rt, spec); // returns: both children have started
        REQUIRE(events.wait_for(sup::started("sibling"), 5s));
        std::vector<std::string> before = r.items();
        // The sibling's hello is queued behind the continue, which has not finished.
        REQUIRE(std::find(before.begin(), before.end(), "sibling sent") != before.end());
        REQUIRE(std::find(before.begin(), before.end(), "hello from sibling") == before.end());
        REQUIRE(std::find(before.begin(), before.end(), "continue connect") == before.end());
        gate.open();
        REQUIRE(r.wait_count(5));
        tree.stop();
        REQUIRE(r.items() ==
                Lines{"init", "sibling sent", "continue connect", "early", "hello from sibling"});
    }
}

namespace {

/// A connection that fails `failures` times before it succeeds.
struct FlakyServer {
    std::atomic<int> failures{0};
    std::atomic<int> attempts{0};
    bool connect() {
        ++attempts;
        if (failures > 0) {
            --failures;
            return false;
        }
        return true;
    }
};

/// The pattern of docs/runtime.md: start at once, connect in handle_continue, retry with
/// backoff on its own timers, answer meanwhile. Crashing instead would spend the supervisor's
/// restart intensity (and give up after 3 failures in 5 s).
class Connection : public sup::Actor<Connection> {
public:
    struct Connect {};
    struct Query {};
    explicit Connection(FlakyServer* server)
        : server_(server), retry_(sup::Backoff::exponential(100ms, 1s)) {}

    sup::InitResult init() override { return continue_with(Connect{}); }
    void handle_continue(Connect) { try_connect(); }
    void handle_info(Connect) { try_connect(); }
    std::string handle_call(Query) {
        return connected_ ? "connected after " + std::to_string(server_->attempts) + " attempts"
                          : "not connected";
    }

private:
    void try_connect() {
        if (server_->connect()) {
            connected_ = true;
            retry_.reset();
            return;
        }
        send_after(retry_.next(), Connect{});
    }
    FlakyServer* server_;
    sup::BackoffSequence retry_;
    bool connected_ = false;
};

} // namespace

TEST_CASE("connect with retries and backoff: the restart count stays 0") {
    FlakyServer server;
    server.failures = 5; // the default intensity (3 per 5 s) would give up on crashes
    auto clock = std::make_shared<sup::VirtualClock>();
    sup::Runtime rt(test::virtual_time(clock));
    sup::SupervisorSpec spec;
    spec.flags.intensity = 3;
    spec.children.push_back(sup::worker<Connection>("db", &server));
    sup::testing::Supervised tree(rt, spec);
    sup::Ref<Connection> db = tree.child("db").as<Connection>();
    rt.wait_quiescent();
    REQUIRE(server.attempts == 1);
    REQUIRE(sup::call(db, Connection::Query{}).value() == "not connected");
    // 100, 200, 400, 800 ms, then 1 s (the cap): the 6th attempt succeeds.
    const std::vector<sup::Clock::duration> waits{100ms, 200ms, 400ms, 800ms, 1000ms};
    for (std::size_t i = 0; i < waits.size(); ++i) {
        CAPTURE(i);
        clock->advance(waits[i] - 1ms);
        REQUIRE(server.attempts == int(i) + 1);
        clock->advance(1ms);
        REQUIRE(server.attempts == int(i) + 2);
    }
    REQUIRE(sup::call(db, Connection::Query{}).value() == "connected after 6 attempts");
    auto snap = sup::inspect(tree.pid()).value();
    REQUIRE(snap.children.at(0).restarts == 0);
    REQUIRE(snap.restarts_in_period == 0);
    REQUIRE(tree.child("db") == db);
    REQUIRE(tree.events().lines(tree.pid()) == Lines{"child_started db"});
}

TEST_CASE("BackoffSequence: the supervisor's backoff rule, reset on success") {
    sup::BackoffSequence s(sup::Backoff::exponential(100ms, 1s));
    std::vector<sup::Clock::duration> got;
    for (int i = 0; i < 6; ++i)
        got.push_back(s.next());
    REQUIRE(got == std::vector<sup::Clock::duration>{100ms, 200ms, 400ms, 800ms, 1s, 1s});
    REQUIRE(s.attempts() == 6);
    s.reset();
    REQUIRE(s.next() == 100ms);
    // Jitter: within [min, max], reproducible with the same seed.
    sup::BackoffSequence a(sup::Backoff::exponential(100ms, 10s, 0.5)),
        b(sup::Backoff::exponential(100ms, 10s, 0.5));
    for (int i = 0; i < 20; ++i) {
        auto d = a.next();
        REQUIRE(d == b.next());
        REQUIRE(d >= 100ms);
        REQUIRE(d <= 10s);
    }
    REQUIRE(sup::BackoffSequence(sup::Backoff::none()).next() == sup::Clock::duration::zero());
}

namespace {

/// Waits in a handler until it is asked to stop (its stop_token), at most 5 s.
class Patient : public sup::Actor<Patient> {
public:
    struct Work {};
    explicit Patient(test::Recorder* r) : r_(r) {}
    void handle_cast(Work) {
        std::mutex m;
        std::condition_variable_any cv;
        std::unique_lock l(m);
        r_->add("working");
        bool asked =
            cv.wait_for(l, stop_token(), 5s, [] { return false; }) || stop_token().stop_requested();
        r_->add(asked ? "asked to stop" : "not asked");
    }
    void terminate(const sup::ExitReason& why) override { r_->add("terminate " + why.to_string()); }

private:
    test::Recorder* r_;
};

} // namespace

TEST_CASE("stop_token: requested by a shutdown request, an exit signal, a kill, while the "
          "handler runs") {
    test::Recorder r;
    sup::Runtime rt(test::quiet());
    SECTION("its parent's shutdown (Runtime::stop): terminate runs after the handler") {
        auto p = rt.spawn<Patient>(&r).value();
        sup::cast(p, Patient::Work{});
        REQUIRE(r.wait_count(1));
        REQUIRE(rt.stop(p, sup::ExitReason::shutdown(), 5000ms) == sup::ExitReason::shutdown());
        REQUIRE(r.items() == Lines{"working", "asked to stop", "terminate shutdown"});
    }
    SECTION("an exit signal it does not trap") {
        auto p = rt.spawn<Patient>(&r).value();
        sup::cast(p, Patient::Work{});
        REQUIRE(r.wait_count(1));
        sup::exit(p, sup::ExitReason::error("bye"));
        REQUIRE(rt.wait_exit_real(p, 5000ms) == sup::ExitReason::error("bye"));
        REQUIRE(r.items() == Lines{"working", "asked to stop", "terminate bye"});
    }
    SECTION("a kill: dead at once, the handler returns when it sees the token") {
        auto p = rt.spawn<Patient>(&r).value();
        sup::cast(p, Patient::Work{});
        REQUIRE(r.wait_count(1));
        sup::kill(p);
        REQUIRE(rt.wait_exit_real(p, 5000ms) == sup::ExitReason::killed());
        REQUIRE(r.wait_count(2));
        REQUIRE(r.items() == Lines{"working", "asked to stop"});
    }
}
