// CircuitBreaker: closed -> open -> half-open -> closed / open again, in virtual time.
#include "std_helpers.hpp"

#include <catch2/catch.hpp>

using namespace stdtest;
using sup::std_lib::CircuitBreaker;
using sup::std_lib::CircuitState;

namespace {
/// Reports an outcome through a permit.
bool attempt(CircuitBreaker& cb, bool ok) {
    auto p = cb.acquire();
    if (!p)
        return false;
    if (ok)
        p.value().success();
    else
        p.value().failure();
    return true;
}
} // namespace

TEST_CASE("consecutive failures open the circuit / the reset timeout lets one trial through") {
    sup::VirtualClock clock;
    CircuitBreaker cb(clock, {.failure_threshold = 3, .reset_timeout = std::chrono::seconds(10)});
    std::vector<std::string> changes;
    cb.on_state_change([&](CircuitState from, CircuitState to) {
        changes.push_back(std::string(to_string(from)) + "->" + to_string(to));
    });
    REQUIRE(cb.state() == CircuitState::closed);

    // Failures must be consecutive: a success resets the count.
    REQUIRE(attempt(cb, false));
    REQUIRE(attempt(cb, false));
    REQUIRE(attempt(cb, true));
    REQUIRE(attempt(cb, false));
    REQUIRE(attempt(cb, false));
    REQUIRE(cb.state() == CircuitState::closed);
    REQUIRE(attempt(cb, false));
    REQUIRE(cb.state() == CircuitState::open);

    // Open: refused at once, with the time left.
    clock.advance(std::chrono::seconds(4));
    auto refused = cb.acquire();
    REQUIRE(!refused);
    REQUIRE(refused.error().state == CircuitState::open);
    REQUIRE(refused.error().retry_after == std::chrono::seconds(6));
    clock.advance(std::chrono::milliseconds(5999));
    REQUIRE(cb.state() == CircuitState::open);
    REQUIRE(!cb.acquire());

    // Half-open after the reset timeout: one trial at a time.
    clock.advance(std::chrono::milliseconds(1));
    REQUIRE(cb.state() == CircuitState::half_open);
    auto trial = cb.acquire();
    REQUIRE(trial);
    auto second = cb.acquire();
    REQUIRE(!second);
    REQUIRE(second.error().state == CircuitState::half_open);

    // The trial fails: open again, for a full reset timeout from now.
    trial.value().failure();
    REQUIRE(cb.state() == CircuitState::open);
    clock.advance(std::chrono::seconds(9));
    REQUIRE(!cb.acquire());
    clock.advance(std::chrono::seconds(1));
    // This trial succeeds: closed.
    REQUIRE(attempt(cb, true));
    REQUIRE(cb.state() == CircuitState::closed);

    REQUIRE(changes == Lines{"closed->open", "open->half_open", "half_open->open",
                             "open->half_open", "half_open->closed"});
    auto st = cb.stats();
    REQUIRE(st.opened == 2);
    REQUIRE(st.rejected == 4);
    REQUIRE(st.failures == 6);
    REQUIRE(st.successes == 2);
}

TEST_CASE("a success threshold: several trials close the circuit / outcomes of an earlier state "
          "are ignored") {
    sup::VirtualClock clock;
    CircuitBreaker cb(clock, {.failure_threshold = 1,
                              .reset_timeout = std::chrono::seconds(1),
                              .success_threshold = 3,
                              .half_open_max_calls = 2});
    auto slow = cb.acquire(); // started while closed
    REQUIRE(slow);
    REQUIRE(attempt(cb, false));
    REQUIRE(cb.state() == CircuitState::open);
    slow.value().failure(); // a late outcome from the closed state: does not count now
    clock.advance(std::chrono::seconds(1));

    auto t1 = cb.acquire();
    auto t2 = cb.acquire();
    REQUIRE(t1);
    REQUIRE(t2);
    REQUIRE(!cb.acquire()); // two trials at most at once
    t1.value().success();
    t2.value().success();
    REQUIRE(cb.state() == CircuitState::half_open);
    REQUIRE(attempt(cb, true));
    REQUIRE(cb.state() == CircuitState::closed);
}

TEST_CASE("run wraps any call: an error result or an exception is a failure") {
    sup::VirtualClock clock;
    CircuitBreaker cb(clock, {.failure_threshold = 2, .reset_timeout = std::chrono::seconds(5)});

    auto ok = cb.run([] { return 7; });
    REQUIRE(ok.value() == 7);
    auto bad =
        cb.run([]() -> sup::Result<int, std::string> { return sup::fail(std::string("x")); });
    REQUIRE(bad);          // let through ...
    REQUIRE(!bad.value()); // ... and failed
    REQUIRE_THROWS_AS((void)cb.run([]() -> int { throw std::runtime_error("down"); }),
                      std::runtime_error);
    REQUIRE(cb.state() == CircuitState::open);
    auto refused = cb.run([] { return 1; });
    REQUIRE(!refused);
    REQUIRE(refused.error().to_string() == "circuit open, retry after 5000 ms");

    // A custom test of success, and void functions.
    cb.reset();
    REQUIRE(cb.state() == CircuitState::closed);
    auto custom = cb.run([] { return 404; }, [](int status) { return status < 400; });
    REQUIRE(custom.value() == 404);
    REQUIRE(cb.run([] {}));
    cb.trip();
    REQUIRE(!cb.run([] {}));
    // A permit dropped without a report is a failure; ignore() reports nothing.
    cb.reset();
    { auto p = cb.acquire(); }
    {
        auto p = cb.acquire();
        p.value().ignore();
    }
    REQUIRE(cb.state() == CircuitState::closed);
    { auto p = cb.acquire(); }
    REQUIRE(cb.state() == CircuitState::open);
}

namespace {
class Flaky : public sup::Actor<Flaky> {
public:
    struct Get {};
    struct Break {};
    int handle_call(Get) {
        if (broken_)
            throw std::runtime_error("flaky");
        return 1;
    }
    void handle_cast(Break) { broken_ = true; }

private:
    bool broken_ = false;
};
} // namespace

TEST_CASE("around sup::call in a runtime with a virtual clock: a crashed callee opens it") {
    auto clock = std::make_shared<sup::VirtualClock>();
    sup::Runtime rt(test::virtual_time(clock));
    CircuitBreaker cb(rt, {.failure_threshold = 2, .reset_timeout = std::chrono::seconds(30)});
    sup::SupervisorSpec spec;
    spec.flags.intensity = 10;
    spec.children.push_back(sup::worker<Flaky>("flaky"));
    sup::testing::Supervised tree(rt, spec);
    auto call = [&] {
        return cb.run([&] { return sup::call(tree.child("flaky").as<Flaky>(), Flaky::Get{}, 1s); });
    };
    REQUIRE(call().value().value() == 1);
    for (int i = 0; i < 2; ++i) {
        sup::cast(tree.child("flaky").as<Flaky>(), Flaky::Break{});
        auto r = call();
        REQUIRE(r);
        REQUIRE(r.value().error().code == sup::CallError::Code::exited);
        rt.wait_quiescent(); // restarted
    }
    REQUIRE(cb.state() == CircuitState::open);
    REQUIRE(!call());
    clock->advance(std::chrono::seconds(30));
    REQUIRE(call().value().value() == 1); // the trial: the restarted worker answers
    REQUIRE(cb.state() == CircuitState::closed);
}
