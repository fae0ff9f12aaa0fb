// The extension interface (sup/extension.hpp): the runtime of an actor and of a pid, and
// per-runtime state: one object per runtime, made once whatever the threads racing for it,
// destroyed with its runtime after the last actor.
#include "helpers.hpp"
#include "sup/extension.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <thread>

namespace {

class Echo : public sup::Actor<Echo> {
public:
    struct Which {
        using reply_type = sup::Runtime*;
    };
    sup::Runtime* handle_call(Which) { return sup::ext::current_runtime(); }
};

std::atomic<int> made{0};
std::atomic<int> destroyed{0};

struct Counted {
    Counted() { made.fetch_add(1); }
    ~Counted() { destroyed.fetch_add(1); }
    std::mutex m;
    std::vector<std::string> notes;
    void note(std::string s) {
        std::lock_guard<std::mutex> l(m);
        notes.push_back(std::move(s));
    }
};

/// Writes into its runtime's Counted from its destructor (after the runtime killed it).
class Noter : public sup::Actor<Noter> {
public:
    explicit Noter(test::Recorder* done) : done_(done) {}
    sup::InitResult init() override {
        state_ = &sup::ext::runtime_state<Counted>(runtime());
        return sup::InitResult::ok();
    }
    ~Noter() override {
        state_->note("noter gone");
        done_->add(std::to_string(state_->notes.size()));
    }

private:
    test::Recorder* done_;
    Counted* state_ = nullptr;
};

} // namespace

TEST_CASE("extension: the runtime of the calling actor and of a pid") {
    sup::Runtime a(test::quiet());
    sup::Runtime b(test::quiet());
    REQUIRE(sup::ext::current_runtime() == nullptr); // not an actor
    REQUIRE(sup::ext::runtime_of(sup::Pid()) == nullptr);
    auto ea = a.spawn<Echo>().value();
    auto eb = b.spawn<Echo>().value();
    REQUIRE(sup::call(ea, Echo::Which{}).value() == &a);
    REQUIRE(sup::call(eb, Echo::Which{}).value() == &b);
    REQUIRE(sup::ext::runtime_of(ea) == &a);
    REQUIRE(sup::ext::runtime_of(eb) == &b);
    sup::Pid dead = ea;
    a.stop(ea);
    REQUIRE(!dead.alive());
    REQUIRE(sup::ext::runtime_of(dead) == &a); // dead, still of its runtime
}

TEST_CASE("extension: one state per runtime, made once, destroyed with its runtime after its "
          "actors") {
    made = 0;
    destroyed = 0;
    test::Recorder done;
    {
        sup::Runtime a(test::quiet());
        {
            sup::Runtime b(test::quiet());
            // Threads race for the first use: one object per runtime whoever wins.
            std::vector<std::thread> threads;
            std::vector<Counted*> seen(8);
            for (int i = 0; i < 8; ++i)
                threads.emplace_back(
                    [&, i] { seen[i] = &sup::ext::runtime_state<Counted>(i % 2 ? a : b); });
            for (auto& t : threads)
                t.join();
            for (int i = 2; i < 8; ++i)
                REQUIRE(seen[i] == seen[i % 2]);
            REQUIRE(seen[0] != seen[1]);
            REQUIRE(made - destroyed == 2); // a loser's object is destroyed at once
            REQUIRE(b.spawn<Noter>(&done).started());
            sup::ext::runtime_state<Counted>(b).note("test");
        }
        // b's actor was gone before b's state: its destructor could still use it.
        REQUIRE(done.items() == std::vector<std::string>{"2"});
        REQUIRE(made - destroyed == 1); // a's remains
        REQUIRE(sup::ext::runtime_state<Counted>(a).notes.empty());
    }
    REQUIRE(made == destroyed);
}
