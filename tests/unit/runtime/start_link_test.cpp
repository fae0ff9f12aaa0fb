// Children that start themselves: worker<T> and dynamic_worker<T> use T::start_link(ctx, ...)
// when T declares one (how a C++ class becomes a supervisor in a tree: the standard library's
// Pool, TaskSupervisor, PartitionSupervisor); SpawnOptions::before_init (where a {via, ...}
// name is registered); the free functions sup::link / sup::unlink.
#include "sup_helpers.hpp"

#include <catch2/catch.hpp>
#include <thread>

using namespace test;
using sup::ChildType;
using sup::ExitReason;
using sup::testing::Supervised;

namespace {
/// Not an actor: a class that starts itself as a supervisor of `n` stand-ins.
struct Squad {
    static inline std::atomic<int> starts{0};
    static sup::StartResult<sup::Pid> start_link(sup::StartContext& ctx, int n,
                                                 std::string prefix) {
        ++starts;
        sup::SupervisorSpec spec;
        for (int i = 0; i < n; ++i)
            spec.children.push_back(sup::testing::stand_in(prefix + std::to_string(i)));
        return ctx.start_supervisor(std::move(spec));
    }
};

/// An actor that also declares start_link: start_link wins (it may add options).
class Named : public sup::Actor<Named> {
public:
    explicit Named(Recorder* r) : r_(r) {}
    static sup::StartResult<sup::Pid> start_link(sup::StartContext& ctx, Recorder* r) {
        sup::SpawnOptions o;
        o.name = "named_" + ctx.child_id();
        return ctx.spawn_link_opt<Named>(o, r);
    }
    sup::InitResult init() override {
        r_->add("init");
        return sup::InitResult::ok();
    }

private:
    Recorder* r_;
};

class Plain : public sup::Actor<Plain> {
public:
    explicit Plain(Recorder* r) : r_(r) {}
    sup::InitResult init() override {
        r_->add(self_pid() == sup::self() ? "init as self" : "init elsewhere");
        return sup::InitResult::ok();
    }

private:
    Recorder* r_;
};

/// Links to / unlinks from a pid through the free functions, from a handler.
class Linker : public sup::Actor<Linker> {
public:
    struct Link {
        sup::Pid pid;
    };
    struct Unlink {
        sup::Pid pid;
    };
    explicit Linker(Recorder* r) : r_(r) {}
    sup::InitResult init() override {
        trap_exit(true);
        return sup::InitResult::ok();
    }
    bool handle_call(Link l) { return sup::link(l.pid); }
    bool handle_call(Unlink u) { return sup::unlink(u.pid); }
    void handle_info(sup::ExitSignal s) { r_->add("exit " + s.reason.to_string()); }

private:
    Recorder* r_;
};
} // namespace

TEST_CASE("worker<T> starts a class with start_link through it: a C++ supervisor in a tree") {
    sup::Runtime rt(quiet());
    Squad::starts = 0;
    sup::SupervisorSpec root;
    root.flags.intensity = 5;
    root.children.push_back(
        sup::worker<Squad>("squad", 2, std::string("m")).with_type(ChildType::supervisor));
    Supervised tree(rt, root);
    REQUIRE(Squad::starts == 1);
    REQUIRE(ids_of(tree.which_children("squad")) == Lines{"m1", "m0"});
    REQUIRE(tree.which_children()[0].type == ChildType::supervisor);
    REQUIRE(tree.child("squad/m0").as<StandIn>());

    // Its parent restarts it through start_link again, with the same arguments.
    sup::Pid fresh = tree.kill_and_await_restart("squad");
    REQUIRE(Squad::starts == 2);
    REQUIRE(tree.child("squad") == fresh);
    REQUIRE(ids_of(tree.which_children("squad")) == Lines{"m1", "m0"});
}

TEST_CASE("start_link wins over spawning an actor class that declares it") {
    Recorder r;
    sup::Runtime rt(quiet());
    sup::SupervisorSpec root;
    root.children.push_back(sup::worker<Named>("n1", &r));
    Supervised tree(rt, root);
    REQUIRE(rt.whereis("named_n1") == tree.child("n1"));
    REQUIRE(r.items() == Lines{"init"});
}

TEST_CASE("dynamic_worker<T> uses start_link too, and records its extra argument types") {
    sup::Runtime rt(quiet());
    Squad::starts = 0;
    sup::DynamicSupervisorSpec d;
    d.child = sup::dynamic_worker<Squad, std::string>(3);
    d.child.type = ChildType::supervisor;
    REQUIRE(*d.child.extra_args == typeid(std::tuple<std::string>));
    REQUIRE(*sup::dynamic_worker<Plain>(nullptr).extra_args == typeid(std::tuple<>));
    Supervised tree(rt, d);
    auto child = sup::start_child(tree.pid(), sup::args(std::string("x")));
    REQUIRE(child);
    REQUIRE(Squad::starts == 1);
    REQUIRE(sup::which_children(child.value()).value().size() == 3);
    // Wrong extra arguments still fail the start cleanly.
    auto bad = sup::start_child(tree.pid(), sup::args(7));
    REQUIRE(!bad);
    REQUIRE(bad.error().reason.to_string() == "bad start arguments");
}

TEST_CASE("SpawnOptions::before_init runs as the new actor before init, a refusal fails the "
          "start") {
    Recorder r;
    sup::Runtime rt(quiet());
    sup::Pid seen;
    sup::SpawnOptions o;
    o.before_init = [&]() -> std::optional<ExitReason> {
        seen = sup::self();
        r.add("before_init");
        return std::nullopt;
    };
    auto ok = rt.spawn_opt<Plain>(o, &r);
    REQUIRE(ok);
    REQUIRE(seen == ok.value());
    REQUIRE(r.items() == Lines{"before_init", "init as self"});

    r.clear();
    o.before_init = []() -> std::optional<ExitReason> {
        return ExitReason::error("already_registered");
    };
    auto refused = rt.spawn_opt<Plain>(o, &r);
    REQUIRE(refused.failed());
    REQUIRE(refused.reason().to_string() == "already_registered");
    REQUIRE(r.items().empty()); // init did not run

    o.before_init = []() -> std::optional<ExitReason> { throw std::runtime_error("boom"); };
    auto threw = rt.spawn_opt<Plain>(o, &r);
    REQUIRE(threw.failed());
    REQUIRE(threw.reason().to_string() == "boom");
}

TEST_CASE("sup::link and sup::unlink link the calling actor") {
    Recorder r;
    sup::Runtime rt(quiet());
    auto linker = rt.spawn<Linker>(&r).value();
    auto a = rt.spawn<StandIn>().value();
    auto b = rt.spawn<StandIn>().value();
    REQUIRE(!sup::link(a)); // not from an actor
    REQUIRE(sup::call(linker, Linker::Link{a}).value());
    REQUIRE(sup::call(linker, Linker::Link{b}).value());
    REQUIRE(sup::call(linker, Linker::Unlink{b}).value());
    sup::cast(a, StandIn::Crash{"a crashed"});
    sup::cast(b, StandIn::Crash{"b crashed"});
    REQUIRE(rt.wait_exit_real(a, 5000ms));
    REQUIRE(rt.wait_exit_real(b, 5000ms));
    REQUIRE(r.wait_count(1));
    rt.wait_quiescent();
    REQUIRE(r.items() == Lines{"exit a crashed"});
}

namespace {
/// Holds a deferred call until released.
class Holder : public sup::Actor<Holder> {
public:
    struct Hold {
        using reply_type = int;
    };
    struct Release {};
    explicit Holder(Recorder* r) : r_(r) {}
    void handle_call(Hold, sup::ReplyTo<int> r) {
        held_ = std::move(r);
        r_->add("held");
    }
    void handle_call(Release) { held_.reply(1); }

private:
    Recorder* r_;
    sup::ReplyTo<int> held_;
};

/// Calls the next actor in a chain (inline when it is idle), the last one calls the holder.
class Relay : public sup::Actor<Relay> {
public:
    struct Go {};
    Relay(sup::Ref<Relay> next, sup::Ref<Holder> holder)
        : next_(std::move(next)), holder_(std::move(holder)) {}
    int handle_call(Go) {
        if (next_)
            return sup::call(next_, Go{}, sup::infinity).value();
        return sup::call(holder_, Holder::Hold{}, sup::infinity).value();
    }

private:
    sup::Ref<Relay> next_;
    sup::Ref<Holder> holder_;
};
} // namespace

TEST_CASE("actors waiting in nested inline calls count as idle: the runtime becomes quiescent") {
    Recorder r;
    sup::Runtime rt(quiet());
    auto holder = rt.spawn<Holder>(&r).value();
    auto last = rt.spawn<Relay>(sup::Ref<Relay>(), holder).value();
    auto middle = rt.spawn<Relay>(last, holder).value();
    auto first = rt.spawn<Relay>(middle, holder).value();
    std::thread caller([&] { (void)sup::call(first, Relay::Go{}, sup::infinity); });
    // first -> middle -> last -> holder: the handlers of middle and last run inline on first's
    // thread (or wherever the chain runs) and all of them wait for the holder.
    REQUIRE(r.wait_count(1));
    REQUIRE(rt.wait_quiescent_for(5000ms));
    REQUIRE(sup::call(holder, Holder::Release{}, 5000ms));
    caller.join();
    REQUIRE(rt.wait_quiescent_for(5000ms));
}
