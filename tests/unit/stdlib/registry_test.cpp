// Registry: unique and duplicate keys, cleanup when a registered actor dies, dispatch and
// publish (pub/sub), partitions, via-names across restarts.
#include "std_helpers.hpp"

#include <algorithm>
#include <catch2/catch.hpp>

using namespace stdtest;
using sup::std_lib::Registry;
using sup::std_lib::RegistryError;
using sup::std_lib::RegistryRef;
using sup::testing::Supervised;

namespace {
std::string reg(const RegistryRef& r, std::string key, std::any value = {}) {
    auto res = Registry::register_key(r, std::move(key), std::move(value));
    return res ? "ok" : res.error().to_string();
}
std::vector<sup::Pid> pids(const std::vector<sup::std_lib::RegistryEntry>& es) {
    std::vector<sup::Pid> out;
    for (auto& e : es)
        out.push_back(e.pid);
    std::sort(out.begin(), out.end());
    return out;
}
} // namespace

TEST_CASE("unique keys: one actor per key / lookup with its value / keys / already_registered") {
    sup::Runtime rt(test::quiet());
    auto r = rt.spawn<Registry>("unique", 1).value();
    auto a = rt.spawn<Member>().value();
    auto b = rt.spawn<Member>().value();

    REQUIRE(in(a, [&] { return reg(r, "alice", std::string("admin")); }) == "ok");
    REQUIRE(in(a, [&] { return reg(r, "a2"); }) == "ok"); // several keys per actor
    // The key is taken, also for the actor holding it (Elixir: {:already_registered, self()}).
    REQUIRE(in(b, [&] { return reg(r, "alice"); }) == "already_registered " + a.to_string());
    REQUIRE(in(a, [&] { return reg(r, "alice"); }) == "already_registered " + a.to_string());

    auto found = Registry::lookup(r, "alice");
    REQUIRE(found.size() == 1);
    REQUIRE(found[0].pid == a);
    REQUIRE(*found[0].value_as<std::string>() == "admin");
    REQUIRE(Registry::lookup(r, "bob").empty());
    auto ks = Registry::keys(r, a);
    std::sort(ks.begin(), ks.end());
    REQUIRE(ks == Lines{"a2", "alice"});
    REQUIRE(Registry::count(r) == 2);
    REQUIRE(Registry::whereis_name(sup::std_lib::via(r, "alice")) == a);

    REQUIRE(in(a, [&] {
                auto u = Registry::update_value(r, "alice", [](const std::any& v) {
                    return std::any(*std::any_cast<std::string>(&v) + "!");
                });
                return *std::any_cast<std::string>(&u.value().first);
            }) == "admin!");
    REQUIRE(in(b, [&] {
                auto u = Registry::update_value(r, "alice", [](const std::any& v) { return v; });
                return u ? "ok" : u.error().to_string();
            }) == "not_found");

    REQUIRE(in(a, [&] { return Registry::unregister(r, "alice") ? "ok" : "error"; }) == "ok");
    REQUIRE(Registry::lookup(r, "alice").empty());
    REQUIRE(in(b, [&] { return reg(r, "alice"); }) == "ok");
    REQUIRE(Registry::lookup(r, "alice")[0].pid == b);
}

TEST_CASE("a registered actor that dies leaves the registry") {
    auto keys = GENERATE(std::string("unique"), std::string("duplicate"));
    auto partitions = GENERATE(1, 3);
    CAPTURE(keys, partitions);
    sup::Runtime rt(test::quiet());
    auto r = rt.spawn<Registry>(keys, partitions).value();
    auto a = rt.spawn<Member>().value();
    auto b = rt.spawn<Member>().value();
    REQUIRE(in(a, [&] { return reg(r, "k1"); }) == "ok");
    REQUIRE(in(a, [&] { return reg(r, "k2"); }) == "ok");
    REQUIRE(in(b, [&] { return reg(r, "k3"); }) == "ok");
    REQUIRE(Registry::count(r) == 3);

    sup::kill(a);
    REQUIRE(rt.wait_exit_real(a, 5000ms));
    // Never returned once dead, even before the registry has processed the down message.
    REQUIRE(Registry::lookup(r, "k1").empty());
    REQUIRE(Registry::keys(r, a).empty());
    rt.wait_quiescent(); // the partition has processed its monitor's down message
    REQUIRE(Registry::count(r) == 1);
    REQUIRE(pids(Registry::lookup(r, "k3")) == std::vector<sup::Pid>{b});

    // A crash too, and the key is free for someone else.
    (void)sup::call(b, Member::Do{[]() -> std::string { throw std::runtime_error("boom"); }});
    REQUIRE(rt.wait_exit_real(b, 5000ms)->to_string() == "boom");
    rt.wait_quiescent();
    REQUIRE(Registry::count(r) == 0);
    auto c = rt.spawn<Member>().value();
    REQUIRE(in(c, [&] { return reg(r, "k3"); }) == "ok");
    REQUIRE(pids(Registry::lookup(r, "k3")) == std::vector<sup::Pid>{c});
}

TEST_CASE("duplicate keys: pub/sub with dispatch and publish over partitions") {
    test::Recorder got;
    sup::Runtime rt(test::quiet());
    auto r = rt.spawn<Registry>("duplicate", 4).value();
    REQUIRE(Registry::partitions(r).value() == 4);
    REQUIRE(!Registry::unique(r).value());
    std::vector<sup::Ref<Member>> members;
    for (int i = 0; i < 5; ++i)
        members.push_back(rt.spawn<Member>(&got, "m" + std::to_string(i)).value());
    for (int i = 0; i < 4; ++i)
        REQUIRE(in(members[i], [&] { return reg(r, "topic", i); }) == "ok");
    // The same actor twice under one key: allowed, two entries.
    REQUIRE(in(members[0], [&] { return reg(r, "topic", 10); }) == "ok");
    REQUIRE(in(members[4], [&] { return reg(r, "other"); }) == "ok");

    auto entries = Registry::lookup(r, "topic");
    REQUIRE(entries.size() == 5);
    int sum = 0;
    for (auto& e : entries)
        sum += *e.value_as<int>();
    REQUIRE(sum == 0 + 1 + 2 + 3 + 10);
    REQUIRE(Registry::keys(r, members[0]) == Lines{"topic", "topic"});

    // dispatch: once per partition that has entries, with that partition's entries.
    std::size_t calls = 0, seen = 0;
    REQUIRE(Registry::dispatch(r, "topic", [&](const std::vector<sup::std_lib::RegistryEntry>& es) {
                ++calls;
                seen += es.size();
            }) == 5);
    REQUIRE(seen == 5);
    REQUIRE(calls >= 1);
    REQUIRE(calls <= 4);

    REQUIRE(Registry::publish(r, "topic", std::string("hello")) == 5);
    REQUIRE(got.wait_count(5));
    rt.wait_quiescent();
    auto lines = got.items();
    std::sort(lines.begin(), lines.end());
    REQUIRE(lines ==
            Lines{"m0 got hello", "m0 got hello", "m1 got hello", "m2 got hello", "m3 got hello"});

    // A subscriber that unsubscribes, and one that dies, no longer receive.
    REQUIRE(in(members[1], [&] { return Registry::unregister(r, "topic") ? "ok" : "error"; }) ==
            "ok");
    sup::kill(members[2]);
    REQUIRE(rt.wait_exit_real(members[2], 5000ms));
    got.clear();
    REQUIRE(Registry::publish(r, "topic", std::string("again")) == 3);
    rt.wait_quiescent();
    REQUIRE(Registry::count(r) == 4);
    lines = got.items();
    std::sort(lines.begin(), lines.end());
    REQUIRE(lines == Lines{"m0 got again", "m0 got again", "m3 got again"});
}

TEST_CASE("registration is for actors / a dead registry answers noproc / bad options fail the "
          "start") {
    sup::Runtime rt(test::quiet());
    auto r = rt.spawn<Registry>("unique", 2).value();
    REQUIRE(Registry::register_key(r, "k").error() == RegistryError::Code::not_an_actor);
    auto a = rt.spawn<Member>().value();
    REQUIRE(in(a, [&] { return reg(r, "k"); }) == "ok");
    REQUIRE(rt.stop(r));
    REQUIRE(Registry::lookup(r, "k").empty());
    REQUIRE(Registry::count(r) == 0);
    REQUIRE(!Registry::unique(r));
    REQUIRE(in(a, [&] { return reg(r, "k2"); }) == "noproc");
    // Monitors, not links: the registered actor outlives its registry (Elixir links them).
    REQUIRE(a.alive());

    auto bad = rt.spawn<Registry>("uniqe", 1);
    REQUIRE(bad.failed());
    REQUIRE(bad.reason().to_string() == "keys must be unique or duplicate, found 'uniqe'");
    REQUIRE(rt.spawn<Registry>("unique", 0).reason().to_string() ==
            "partitions must be a positive integer, found 0");
}

TEST_CASE("a named registry is found by name / also after a restart") {
    sup::Runtime rt(test::quiet());
    sup::SupervisorSpec spec;
    spec.children.push_back(sup::worker<Registry>(
        "registry", std::string("unique"), std::int64_t(2), std::optional<std::string>("names")));
    Supervised tree(rt, spec);
    RegistryRef names(rt, "names");
    REQUIRE(names.resolve() == tree.child("registry"));
    auto a = rt.spawn<Member>().value();
    REQUIRE(in(a, [&] { return reg("names", "k"); }) == "ok"); // a bare name, inside an actor
    REQUIRE(Registry::lookup(names, "k")[0].pid == a);

    sup::Pid fresh = tree.kill_and_await_restart("registry");
    REQUIRE(names.resolve() == fresh);
    REQUIRE(Registry::lookup(names, "k").empty()); // a new registry: a new, empty table
    REQUIRE(in(a, [&] { return reg("names", "k"); }) == "ok");
    REQUIRE(Registry::lookup(names, "k")[0].pid == a);
    // A second registry under the same name does not start.
    REQUIRE(rt.spawn<Registry>("unique", 1, std::optional<std::string>("names")).reason() ==
            sup::ExitReason::error("already_started"));
}

TEST_CASE("via-names: a restarted child registers again under the same name") {
    sup::Runtime rt(test::quiet());
    auto name = sup::std_lib::via(RegistryRef(rt, "names"), "counter");
    sup::SupervisorSpec spec;
    spec.flags.intensity = 10;
    spec.children.push_back(sup::worker<Registry>(
        "registry", std::string("unique"), std::int64_t(1), std::optional<std::string>("names")));
    // Inside the tree the bare registry name resolves in the starting actor's runtime.
    spec.children.push_back(
        sup::std_lib::via_worker<Counter>("counter", sup::std_lib::via("names", "counter"), 5));
    Supervised tree(rt, spec);

    REQUIRE(Registry::whereis_name(name) == tree.child("counter"));
    REQUIRE(sup::std_lib::call<Counter>(name, Counter::Add{1}).value() == 6);
    REQUIRE(sup::std_lib::cast<Counter>(name, Counter::Add{1}));
    REQUIRE(sup::std_lib::call<Counter>(name, Counter::Get{}).value() == 7);

    // A crash: the successor registers under the same name; calls reach it.
    auto crashed = sup::std_lib::call<Counter>(name, Counter::Crash{});
    REQUIRE(crashed.error().code == sup::CallError::Code::exited);
    sup::Pid fresh = tree.events().wait_for(sup::EventKind::child_restarted, "counter").child;
    REQUIRE(Registry::whereis_name(name) == fresh);
    REQUIRE(sup::std_lib::call<Counter>(name, Counter::Get{}).value() == 5);

    // A kill, the same.
    fresh = tree.kill_and_await_restart("counter");
    REQUIRE(sup::std_lib::whereis_as<Counter>(name) == fresh);
    REQUIRE(sup::std_lib::call<Counter>(name, Counter::Add{2}).value() == 7);

    // A second child under the same name does not start: OTP's already_started.
    auto dup = sup::start_child(tree.pid(), sup::std_lib::via_worker<Counter>(
                                                "dup", sup::std_lib::via("names", "counter")));
    REQUIRE(dup.error().code == sup::SupError::Code::start_failed);
    REQUIRE(dup.error().reason == sup::ExitReason::error("already_started"));

    // A stopped child: a clean error for callers of the name, not a hang or a crash.
    REQUIRE(sup::terminate_child(tree.pid(), "counter"));
    rt.wait_quiescent();
    REQUIRE(!Registry::whereis_name(name));
    REQUIRE(sup::std_lib::call<Counter>(name, Counter::Get{}).error().code ==
            sup::CallError::Code::noproc);
    REQUIRE(!sup::std_lib::cast<Counter>(name, Counter::Add{1}));
    REQUIRE(sup::restart_child(tree.pid(), "counter"));
    REQUIRE(sup::std_lib::call<Counter>(name, Counter::Get{}).value() == 5);
}

TEST_CASE("via-names of dynamic children come from their start arguments") {
    sup::Runtime rt(test::quiet());
    auto names = rt.spawn<Registry>("unique", 1, std::optional<std::string>("rooms")).value();
    sup::DynamicSupervisorSpec d;
    d.child = sup::std_lib::via_dynamic_worker<Counter, int>(
        "rooms", [](int id) { return "room:" + std::to_string(id); });
    Supervised tree(rt, d);
    auto r42 = sup::start_child(tree.pid(), sup::args(42)).value();
    auto r7 = sup::start_child(tree.pid(), sup::args(7)).value();
    REQUIRE(Registry::whereis_name(sup::std_lib::via(names, "room:42")) == r42);
    REQUIRE(
        sup::std_lib::call<Counter>(sup::std_lib::via(names, "room:7"), Counter::Get{}).value() ==
        7);
    auto again = sup::start_child(tree.pid(), sup::args(42));
    REQUIRE(again.error().reason == sup::ExitReason::error("already_started"));
    REQUIRE(!sup::start_child(tree.pid(), sup::args(std::string("x"))));
}

TEST_CASE("via-names need a running registry with unique keys") {
    sup::Runtime rt(test::quiet());
    auto dup = rt.spawn<Registry>("duplicate", 1, std::optional<std::string>("dups")).value();
    sup::SupervisorSpec spec;
    spec.children.push_back(sup::std_lib::via_worker<Counter>("c", sup::std_lib::via("dups", "c")));
    auto r = sup::start_supervisor(rt, spec);
    REQUIRE(r.failed());
    REQUIRE(r.reason().to_string().find("via-names need a registry with unique keys") !=
            std::string::npos);
    spec.children[0] = sup::std_lib::via_worker<Counter>("c", sup::std_lib::via("nobody", "c"));
    auto r2 = sup::start_supervisor(rt, spec);
    REQUIRE(r2.failed());
    REQUIRE(r2.reason().to_string().find("noproc") != std::string::npos);
    (void)dup;
}

TEST_CASE("two runtimes in one process have separate registries") {
    // Pid ids are numbered per runtime: both registries get the same id here, as would any two
    // actors started in the same order. Each runtime's registries are its own.
    sup::Runtime a(test::quiet());
    sup::Runtime b(test::quiet());
    auto ra = a.spawn<Registry>("unique", 2, std::string("names")).value();
    auto rb = b.spawn<Registry>("unique", 2, std::string("names")).value();
    REQUIRE(ra.id() == rb.id());
    auto ma = a.spawn<Member>().value();
    auto mb = b.spawn<Member>().value();
    REQUIRE(in(ma, [&] { return reg(ra, "k", std::string("in a")); }) == "ok");
    REQUIRE(in(mb, [&] { return reg(rb, "k", std::string("in b")); }) == "ok");
    REQUIRE(in(mb, [&] { return reg(rb, "only b"); }) == "ok");

    auto in_a = Registry::lookup(ra, "k");
    auto in_b = Registry::lookup(rb, "k");
    REQUIRE(in_a.size() == 1);
    REQUIRE(in_a[0].pid == ma);
    REQUIRE(*in_a[0].value_as<std::string>() == "in a");
    REQUIRE(in_b.size() == 1);
    REQUIRE(in_b[0].pid == mb);
    REQUIRE(Registry::count(ra) == 1);
    REQUIRE(Registry::count(rb) == 2);
    // By name, in each runtime.
    REQUIRE(Registry::lookup(RegistryRef(a, "names"), "only b").empty());
    REQUIRE(Registry::lookup(RegistryRef(b, "names"), "only b").size() == 1);
    REQUIRE(Registry::whereis_name(sup::std_lib::via(RegistryRef(a, "names"), "k")) == ma);
    REQUIRE(Registry::whereis_name(sup::std_lib::via(RegistryRef(b, "names"), "k")) == mb);

    // One runtime's registry stops; the other's keeps its entries.
    REQUIRE(a.stop(ra).has_value());
    REQUIRE(Registry::lookup(ra, "k").empty());
    REQUIRE(Registry::lookup(rb, "k").size() == 1);
    REQUIRE(Registry::count(rb) == 2);
}

// A via-name as a child's setting (sup::ChildSettings::name = via_name(...), what a spec's
// `name = via("names", "cache");` generates): registered by the supervisor's start before the
// child's init, released when it dies, taken again by its successor; typed lookups through it.
namespace {
class ViaSeen : public sup::Actor<ViaSeen> {
public:
    explicit ViaSeen(std::shared_ptr<test::Recorder> seen) : seen_(std::move(seen)) {}
    sup::InitResult init() override {
        auto me = sup::whereis_as<ViaSeen>(sup::std_lib::via_name("names", "cache"));
        seen_->add(me && me.value() == self_pid() ? "registered" : "missing");
        return sup::InitResult::ok();
    }

private:
    std::shared_ptr<test::Recorder> seen_;
};
} // namespace

TEST_CASE("via-names as a child setting: before init, released at death, retaken on restart") {
    sup::Runtime rt(test::quiet());
    auto seen = std::make_shared<test::Recorder>();
    const sup::ChildName name = sup::std_lib::via_name("names", "cache");
    sup::SupervisorSpec spec;
    spec.flags.intensity = 10;
    spec.children.push_back(sup::worker<Registry>("registry", std::string("unique"),
                                                  std::int64_t(1), std::optional<std::string>())
                                .with_name("names"));
    spec.children.push_back(sup::worker<ViaSeen>("cache", seen).with_name(name));
    Supervised tree(rt, spec);

    REQUIRE(seen->items() == Lines{"registered"});
    sup::Pid first = tree.child("cache");
    REQUIRE(sup::whereis_as<ViaSeen>(rt, name).value() == first);

    sup::Pid second = tree.kill_and_await_restart("cache");
    REQUIRE(second != first);
    REQUIRE(seen->wait_count(2));
    REQUIRE(seen->items() == Lines{"registered", "registered"});
    REQUIRE(sup::whereis_as<ViaSeen>(rt, name).value() == second);

    // The wrong class: an error naming both, never a Ref<Counter> to a ViaSeen.
    auto wrong = sup::whereis_as<Counter>(rt, name);
    REQUIRE(wrong.error() == sup::NameError::Code::wrong_type);
    REQUIRE(wrong.error().name == "{via,Registry,{names,cache}}");
    REQUIRE(wrong.error().actual.find("ViaSeen") != std::string::npos);

    // Stopped by its supervisor: released (lookups see live entries only).
    REQUIRE(sup::terminate_child(tree.pid(), "cache"));
    REQUIRE(sup::whereis_as<ViaSeen>(rt, name).error() == sup::NameError::Code::not_registered);
    REQUIRE(sup::restart_child(tree.pid(), "cache"));
    REQUIRE(sup::whereis_as<ViaSeen>(rt, name).value() == tree.child("cache"));

    // A second child under the same via-name does not start: already_started.
    auto dup = sup::start_child(tree.pid(), sup::worker<ViaSeen>("dup", seen).with_name(name));
    REQUIRE(dup.error().code == sup::SupError::Code::start_failed);
    REQUIRE(dup.error().reason == sup::ExitReason::error("already_started"));
    // A registry that is not running: noproc.
    auto lost = sup::start_child(
        tree.pid(),
        sup::worker<ViaSeen>("lost", seen).with_name(sup::std_lib::via_name("nobody", "x")));
    REQUIRE(lost.error().code == sup::SupError::Code::start_failed);
    REQUIRE(lost.error().reason == sup::ExitReason::error("noproc"));
}
