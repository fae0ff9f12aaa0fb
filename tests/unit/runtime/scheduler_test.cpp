// The scheduler: what a killed actor's stuck handler still does after the kill reaches the
// actors it touches (issue 11 §7: its thread gave up its permit without handing over the actor
// it had just woken, which then never ran), destroying a runtime while actors run, and the
// monitor thread (an actor woken by a long handler still runs; an idle runtime wakes no thread).
#include "sup_helpers.hpp"

#include <array>
#include <atomic>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <thread>

using namespace test;
using sup::ExitReason;
using sup::testing::Supervised;
using namespace std::chrono_literals;

namespace {

struct Get {};
struct Add {
    int n;
};

/// The actor a killed handler touches last: counts what it gets.
class Target : public sup::Actor<Target> {
public:
    explicit Target(Recorder* r) : r_(r) {}
    int handle_call(Get) { return n_; }
    void handle_cast(Add a) {
        n_ += a.n;
        r_->add("add " + std::to_string(a.n));
    }
    void handle_info(Add a) {
        n_ += a.n;
        r_->add("info " + std::to_string(a.n));
    }
    void handle_info(sup::ExitSignal s) { r_->add("exit " + s.reason.to_string()); }

private:
    int n_ = 0;
    Recorder* r_;
};

/// Gets stuck in a handler until the test opens the latch, then does one last thing.
class Stuck : public sup::Actor<Stuck> {
public:
    enum class Last { send, cast, timer, link, reply };
    struct Block {
        Last last;
    };
    struct Hold {
        using reply_type = int;
    };

    Stuck(Recorder* r, Latch* l, sup::Ref<Target> t) : r_(r), l_(l), target_(std::move(t)) {}
    void handle_call(Hold, sup::ReplyTo<int> reply) {
        held_ = std::move(reply);
        r_->add("held");
    }
    void handle_cast(Block b) {
        r_->add("stuck");
        l_->wait();
        switch (b.last) { // the handler's last act, after its actor was killed
        case Last::send:
            sup::send(target_, Add{1});
            break;
        case Last::cast:
            sup::cast(target_, Add{1});
            break;
        case Last::timer:
            (void)sup::send_after(target_, 1ms, Add{1});
            break;
        case Last::link:
            sup::link(target_);
            break;
        case Last::reply:
            held_.reply(42);
            break;
        }
    }

private:
    Recorder* r_;
    Latch* l_;
    sup::Ref<Target> target_;
    sup::ReplyTo<int> held_;
};

/// Calls a Stuck actor with Hold from its handler and records the reply.
class Asker : public sup::Actor<Asker> {
public:
    explicit Asker(Recorder* r) : r_(r) {}
    struct Ask {
        sup::Ref<Stuck> whom;
    };
    void handle_cast(Ask a) {
        auto res = sup::call(a.whom, Stuck::Hold{}, sup::infinity);
        r_->add(res ? "reply " + std::to_string(*res) : "error " + res.error().to_string());
    }

private:
    Recorder* r_;
};

/// Kills `stuck` while its handler waits on `latch`, then lets the handler go on.
void kill_while_stuck(sup::Runtime& rt, const sup::Ref<Stuck>& stuck, Stuck::Last last,
                      Recorder& rec, Latch& latch) {
    std::size_t before = rec.items().size();
    sup::cast(stuck, Stuck::Block{last});
    REQUIRE(rec.wait_count(before + 1)); // stuck
    sup::kill(stuck);
    REQUIRE(rt.wait_exit_real(stuck, 5000ms) == ExitReason::killed());
    latch.release();
}

} // namespace

TEST_CASE("a killed handler's last act: a cast or a send to an idle actor is handled") {
    auto last = GENERATE(Stuck::Last::cast, Stuck::Last::send);
    Recorder rec, trec;
    Latch latch;
    sup::Runtime rt(quiet(2));
    auto target = rt.spawn<Target>(&trec).value();
    auto stuck = rt.spawn<Stuck>(&rec, &latch, target).value();
    kill_while_stuck(rt, stuck, last, rec, latch);
    // The target was woken by the dead actor's thread, which gave up its permit right after.
    REQUIRE(trec.wait_count(1));
    CHECK(trec.items() == Lines{last == Stuck::Last::cast ? "add 1" : "info 1"});
    CHECK(rt.wait_quiescent_for(5000ms));
    CHECK(sup::call(target, Get{}, 5000ms).value() == 1);
    sup::cast(target, Add{2}); // and it is scheduled again by later messages
    REQUIRE(trec.wait_count(2));
}

TEST_CASE("a killed handler's last act: a timer for another actor fires") {
    Recorder rec, trec;
    Latch latch;
    sup::Runtime rt(quiet(2));
    auto target = rt.spawn<Target>(&trec).value();
    auto stuck = rt.spawn<Stuck>(&rec, &latch, target).value();
    kill_while_stuck(rt, stuck, Stuck::Last::timer, rec, latch);
    REQUIRE(trec.wait_count(1));
    CHECK(trec.items() == Lines{"info 1"});
    CHECK(sup::call(target, Get{}, 5000ms).value() == 1);
}

TEST_CASE("a killed handler's last act: a link leaves the other actor alone and working") {
    Recorder rec, trec;
    Latch latch;
    sup::Runtime rt(quiet(2));
    auto target = rt.spawn<Target>(&trec).value();
    auto stuck = rt.spawn<Stuck>(&rec, &latch, target).value();
    kill_while_stuck(rt, stuck, Stuck::Last::link, rec, latch);
    CHECK(rt.wait_quiescent_for(5000ms));
    CHECK(target.alive()); // a dead actor links to no one: no exit signal reaches the target
    sup::cast(target, Add{1});
    REQUIRE(trec.wait_count(1));
    CHECK(trec.items() == Lines{"add 1"});
}

TEST_CASE("a killed handler's last act: a deferred reply reaches its caller") {
    Recorder rec, trec, arec;
    Latch latch;
    sup::Runtime rt(quiet(2));
    auto target = rt.spawn<Target>(&trec).value();
    auto stuck = rt.spawn<Stuck>(&rec, &latch, target).value();
    auto asker = rt.spawn<Asker>(&arec).value();
    sup::cast(asker, Asker::Ask{stuck});
    REQUIRE(rec.wait_count(1)); // held: the asker waits for the reply
    kill_while_stuck(rt, stuck, Stuck::Last::reply, rec, latch);
    REQUIRE(arec.wait_count(1));
    CHECK(arec.items() == Lines{"reply 42"});
    CHECK(rt.wait_quiescent_for(5000ms));
}

// As in the issue: the supervisor kills a brutal_kill child whose handler is stuck; the
// handler's last act wakes its sibling, which must run.
TEST_CASE("a brutal_kill child stuck in a handler: its last message reaches its sibling") {
    Recorder rec, trec;
    Latch latch;
    sup::Runtime rt(quiet(2));
    sup::SupervisorSpec spec = sup_spec(sup::Strategy::one_for_one, 5, 5s);
    spec.children.push_back(sup::worker<Target>("sibling", &trec));
    Supervised top(rt, spec);
    auto sibling = top.child("sibling").as<Target>();
    REQUIRE(sup::start_child(top.pid(), sup::worker<Stuck>("stuck", &rec, &latch, sibling)
                                            .with_shutdown(sup::Shutdown::brutal_kill())));
    auto stuck = top.child("stuck").as<Stuck>();
    sup::cast(stuck, Stuck::Block{Stuck::Last::cast});
    REQUIRE(rec.wait_count(1));
    REQUIRE(sup::terminate_child(top.pid(), "stuck"));
    latch.release();
    REQUIRE(trec.wait_count(1));
    CHECK(rt.wait_quiescent_for(5000ms));
    CHECK(sup::call(sibling, Get{}, 5000ms).value() == 1);
}

namespace {
/// Holds a deferred reply until told to give it.
class Holder : public sup::Actor<Holder> {
public:
    explicit Holder(Recorder* r) : r_(r) {}
    struct Hold {
        using reply_type = int;
    };
    struct Give {};
    void handle_call(Hold, sup::ReplyTo<int> reply) {
        held_ = std::move(reply);
        r_->add("held");
    }
    void handle_cast(Give) { held_.reply(7); }

private:
    Recorder* r_;
    sup::ReplyTo<int> held_;
};

/// Calls a Holder from its handler, then gets stuck until the latch opens.
class Waiter : public sup::Actor<Waiter> {
public:
    Waiter(Recorder* r, Latch* l) : r_(r), l_(l) {}
    struct Go {
        sup::Ref<Holder> holder;
    };
    void handle_cast(Go g) {
        auto res = sup::call(g.holder, Holder::Hold{}, sup::infinity);
        r_->add(res ? "replied" : "error");
        l_->wait();
    }

private:
    Recorder* r_;
    Latch* l_;
};
} // namespace

// The kill comes while the handler waits for a reply (its thread had lent its permit out); the
// handler then gets stuck. With one scheduler thread, the runtime must still run other actors.
TEST_CASE("a handler killed while it waits and stuck after its wait does not take the last "
          "permit") {
    Recorder hrec, wrec, trec;
    Latch latch;
    sup::Runtime rt(quiet(1));
    auto holder = rt.spawn<Holder>(&hrec).value();
    auto waiter = rt.spawn<Waiter>(&wrec, &latch).value();
    auto target = rt.spawn<Target>(&trec).value();
    sup::cast(waiter, Waiter::Go{holder});
    REQUIRE(hrec.wait_count(1)); // held: the waiter waits for the reply
    sup::kill(waiter);
    REQUIRE(rt.wait_exit_real(waiter, 5000ms) == ExitReason::killed());
    sup::cast(holder, Holder::Give{});
    REQUIRE(wrec.wait_count(1)); // replied: the dead actor's handler goes on, and gets stuck
    sup::cast(target, Add{1});
    CHECK(trec.wait_count(1));
    latch.release();
    CHECK(rt.wait_quiescent_for(5000ms));
}

namespace {
/// One side of a ping-pong: sends the ball back at once, forever.
class Player : public sup::Actor<Player> {
public:
    explicit Player(std::atomic<long>* hits) : hits_(hits) {}
    struct Partner {
        sup::Ref<Player> other;
    };
    struct Ball {};
    void handle_cast(Partner p) { other_ = std::move(p.other); }
    void handle_info(Ball) {
        hits_->fetch_add(1, std::memory_order_relaxed);
        sup::send(other_, Ball{});
    }

private:
    std::atomic<long>* hits_;
    sup::Ref<Player> other_;
};
} // namespace

// Destroying the runtime kills every actor, including those in the middle of a ping-pong:
// a killed player's handler sends the ball on as its last act. Before the fix this hung in
// about half of the runs.
TEST_CASE("destroying a runtime while actors play ping-pong returns - many times") {
    for (int run = 0; run < 40; ++run) {
        std::atomic<long> hits{0};
        {
            sup::Runtime rt(quiet(2));
            for (int pair = 0; pair < 8; ++pair) {
                auto a = rt.spawn<Player>(&hits).value();
                auto b = rt.spawn<Player>(&hits).value();
                sup::cast(a, Player::Partner{b});
                sup::cast(b, Player::Partner{a});
                sup::send(a, Player::Ball{});
            }
            while (hits.load(std::memory_order_relaxed) < 2000)
                std::this_thread::yield();
        } // ~Runtime
        REQUIRE(hits.load() >= 2000);
    }
}

// ---------------------------------------------------------------- the monitor thread

namespace {

/// Wakes its target (which goes to this thread's next slot), then runs long without returning:
/// until the test opens the latch.
class Waker : public sup::Actor<Waker> {
public:
    struct Go {};
    Waker(Latch* l, sup::Ref<Target> t) : l_(l), target_(std::move(t)) {}
    void handle_cast(Go) {
        sup::send(target_, Add{1});
        l_->wait();
    }

private:
    Latch* l_;
    sup::Ref<Target> target_;
};

/// The threads of this process named "sup-..." (the runtime's) and their context switches.
std::map<std::string, long> runtime_thread_switches() {
    std::map<std::string, long> out;
    for (const auto& t : std::filesystem::directory_iterator("/proc/self/task")) {
        std::ifstream comm(t.path() / "comm");
        std::string name;
        std::getline(comm, name);
        if (name.rfind("sup-", 0) != 0)
            continue;
        std::ifstream status(t.path() / "status");
        long n = 0;
        for (std::string line; std::getline(status, line);)
            if (line.rfind("voluntary_ctxt_switches:", 0) == 0 ||
                line.rfind("nonvoluntary_ctxt_switches:", 0) == 0)
                n += std::stol(line.substr(line.find(':') + 1));
        out[t.path().filename().string() + " " + name] = n;
    }
    return out;
}

} // namespace

// The next slot: an actor a handler woke waits in its thread's slot. When that handler runs
// long, the monitor thread moves the actor to the run queue, where another thread runs it. The
// monitor sleeps while the slots stay empty: a later fill must wake it (each round starts from
// a quiescent runtime).
TEST_CASE("an actor woken by a handler that then runs long is run by another thread") {
    Recorder trec;
    std::array<Latch, 3> latches;
    sup::Runtime rt(quiet(2));
    auto target = rt.spawn<Target>(&trec).value();
    for (std::size_t round = 0; round < latches.size(); ++round) {
        REQUIRE(rt.wait_quiescent_for(5000ms));
        auto waker = rt.spawn<Waker>(&latches[round], target).value();
        sup::cast(waker, Waker::Go{});
        bool ran = trec.wait_count(round + 1); // while the waker's handler still runs
        latches[round].release();
        REQUIRE(ran);
        REQUIRE(rt.stop(waker, ExitReason::shutdown(), 5000ms).has_value());
    }
    CHECK(sup::call(target, Get{}, 5000ms).value() == 3);
}

// An idle runtime wakes no thread (no periodic timer anywhere): over half a second, none of
// its threads (named "sup-...": schedulers, monitor, timer) switches context once.
TEST_CASE("an idle runtime's threads all sleep") {
    sup::Runtime rt(quiet(2));
    Recorder trec;
    auto target = rt.spawn<Target>(&trec).value();
    for (int i = 0; i < 100; ++i) // some work first: threads ran, slots filled and emptied
        sup::cast(target, Add{1});
    REQUIRE(sup::call(target, Get{}, 5000ms).value() == 100);
    REQUIRE(rt.wait_quiescent_for(5000ms));
    // Settling: threads park, the monitor sleeps after 10 looks that saw every slot empty
    // (10-100 ms): until nothing moved for 100 ms (at most 5 s).
    auto before = runtime_thread_switches();
    for (int i = 0; i < 50; ++i) {
        std::this_thread::sleep_for(100ms);
        auto now = runtime_thread_switches();
        if (now == before)
            break;
        before = std::move(now);
    }
    REQUIRE(before.size() >= 4); // 2 schedulers, the monitor, the timer
    std::this_thread::sleep_for(500ms);
    auto after = runtime_thread_switches();
    CHECK(after == before);
}
