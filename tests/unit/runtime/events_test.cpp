// The event bus's subscriptions (sup/events.hpp) and EventQueue (sup/event_queue.hpp): the
// public way a program waits for a restart.
#include "sup/event_queue.hpp"
#include "sup/extension.hpp"
#include "sup/testing.hpp"
#include "sup_helpers.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <future>
#include <memory>
#include <thread>

using namespace std::chrono_literals;

namespace {
sup::SupervisorEvent event_about(std::string id) {
    sup::SupervisorEvent e{};
    e.kind = sup::EventKind::child_started;
    e.child_id = std::move(id);
    return e;
}
} // namespace

TEST_CASE("events: unsubscribing waits for a call of the handler in progress on another thread") {
    sup::EventBus bus;
    auto data = std::make_unique<int>(0);
    std::promise<void> entered, release;
    std::shared_future<void> released = release.get_future().share();
    auto sub = bus.subscribe([&, released](const sup::SupervisorEvent&) {
        entered.set_value();
        released.wait();
        *data = 1; // what the subscriber owns: it must still be there
    });
    std::thread supervisor([&] { bus.emit(event_about("a")); });
    entered.get_future().wait();

    std::atomic<bool> reset_returned{false};
    std::thread owner([&] {
        sub.reset();
        reset_returned = true;
    });
    // The handler is blocked: reset() must not return before it does. (A wait that passes by
    // itself if reset() is slow; it fails only if reset() returns early.)
    std::this_thread::sleep_for(50ms);
    REQUIRE_FALSE(reset_returned);
    release.set_value();
    owner.join();
    supervisor.join();
    REQUIRE(reset_returned);
    REQUIRE(*data == 1);
    data.reset(); // safe now: no call is in progress, and none comes
    bus.emit(event_about("b"));
}

TEST_CASE("events: a handler that unsubscribes itself returns, and is not called again") {
    sup::EventBus bus;
    int calls = 0;
    sup::EventBus::Subscription sub;
    sub = bus.subscribe([&](const sup::SupervisorEvent&) {
        ++calls;
        sub.reset(); // from within: must not wait for itself
    });
    bus.emit(event_about("a"));
    bus.emit(event_about("b"));
    REQUIRE(calls == 1);
    REQUIRE_FALSE(bus.has_subscribers());
}

TEST_CASE("EventQueue: waits for a restart of a path, in order, without sleeping") {
    sup::Runtime rt(sup::RuntimeOptions{.threads = 2});
    test::Kid a{"a"}, b{"b"};
    sup::SupervisorSpec group = test::sup_spec(sup::Strategy::one_for_one, 5, 10s, {b.spec()});
    sup::SupervisorSpec root = test::sup_spec(sup::Strategy::one_for_one, 5, 10s, {a.spec()});
    root.children.push_back(sup::supervisor("group", [group] { return group; }));
    sup::testing::Supervised tree(rt, root);

    sup::EventQueue events(rt);
    sup::Pid old = tree.child("group/b");
    test::crash(old);
    auto e = events.wait_for(sup::restarted("group/b"), 5s);
    REQUIRE(e);
    REQUIRE(e->child != old);
    REQUIRE(e->child == tree.child("group/b"));
    REQUIRE(e->path() == "group/b");
    // The crash came first; wait_for took it on the way.
    REQUIRE(events.size() == 0);

    // A restart of another path does not satisfy the wait; nothing more comes.
    test::crash(tree.child("a"));
    REQUIRE(events.wait_for(sup::restarted("a"), 5s));
    REQUIRE_FALSE(events.wait_for(sup::restarted("group/b"), 0ms));
    REQUIRE_FALSE(events.next(0ms));
}

TEST_CASE("EventQueue: next() gives each event in order; a full queue drops the oldest") {
    sup::Runtime rt(sup::RuntimeOptions{.threads = 1});
    sup::EventQueue events(rt, 2);
    sup::EventQueue all(rt);
    test::Kid a{"a"}, b{"b"}, c{"c"};
    sup::testing::Supervised tree(
        rt, test::sup_spec(sup::Strategy::one_for_one, 5, 10s, {a.spec(), b.spec(), c.spec()}));
    // Three child_started events (the root's own start is its parent's event: none here).
    auto first = all.next(5s);
    REQUIRE(first);
    REQUIRE(first->path() == "a");
    REQUIRE(all.next(5s)->path() == "b");
    REQUIRE(all.next(5s)->path() == "c");
    REQUIRE(events.size() == 2);
    REQUIRE(events.dropped() == 1);
    auto kept = events.drain();
    REQUIRE(kept.size() == 2);
    REQUIRE(kept[0].path() == "b");
    REQUIRE(kept[1].path() == "c");
}

namespace {
class Waiter : public sup::Actor<Waiter> {
public:
    struct Try {};
    explicit Waiter(std::promise<std::string>* out) : out_(out) {}
    void handle_info(Try) {
        sup::EventQueue q(*sup::ext::current_runtime());
        try {
            (void)q.next(1s);
            out_->set_value("waited");
        } catch (const std::logic_error& e) {
            out_->set_value(e.what());
        }
    }

private:
    std::promise<std::string>* out_;
};
} // namespace

TEST_CASE("EventQueue: waiting on a scheduler's thread is refused, not a stalled scheduler") {
    sup::Runtime rt(sup::RuntimeOptions{.threads = 1});
    std::promise<std::string> out;
    auto w = rt.spawn<Waiter>(&out).value();
    sup::send(w, Waiter::Try{});
    auto f = out.get_future();
    REQUIRE(f.wait_for(5s) == std::future_status::ready);
    REQUIRE_THAT(f.get(), Catch::Contains("scheduler's thread"));
}
