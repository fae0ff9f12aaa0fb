// sup::inspect (a snapshot of a running tree) and its JSON.
#include "sup_helpers.hpp"

#include <catch2/catch.hpp>
#include <thread>

using namespace test;
using sup::ChildInfo;
using sup::ChildSnapshot;
using sup::ChildType;
using sup::Restart;
using sup::Shutdown;
using sup::Strategy;
using sup::SupError;
using sup::SupervisorSnapshot;
using sup::testing::Supervised;
using namespace std::chrono_literals;

namespace {

/// root (one_for_all, 3 per 7 s, any_significant)
///   a    permanent, brutal_kill
///   b    transient, significant, 250 ms
///   sub  (rest_for_one, 2 per 1500 ms, backoff 10 ms..1 s, jitter 0.25)
///     x  temporary, infinity
///     y  permanent, default shutdown
///   dyn  dynamic (max 5; template: transient, 100 ms)
sup::SupervisorSpec sample_tree() {
    sup::SupervisorSpec sub;
    sub.flags.strategy = Strategy::rest_for_one;
    sub.flags.intensity = 2;
    sub.flags.period = 1500ms;
    sub.flags.backoff = sup::Backoff::exponential(10ms, 1s, 0.25);
    sub.children.push_back(sup::testing::stand_in("x")
                               .with_restart(Restart::temporary)
                               .with_shutdown(Shutdown::infinity()));
    sub.children.push_back(sup::testing::stand_in("y"));

    sup::SupervisorSpec root;
    root.flags.strategy = Strategy::one_for_all;
    root.flags.intensity = 3;
    root.flags.period = 7s;
    root.flags.auto_shutdown = sup::AutoShutdown::any_significant;
    root.children.push_back(sup::testing::stand_in("a").with_shutdown(Shutdown::brutal_kill()));
    root.children.push_back(sup::testing::stand_in("b")
                                .with_restart(Restart::transient)
                                .with_significant()
                                .with_shutdown(Shutdown::timeout(250ms)));
    root.children.push_back(sup::supervisor("sub", [sub] { return sub; }));
    root.children.push_back(sup::dynamic_supervisor("dyn", [] {
        sup::DynamicSupervisorSpec d;
        d.child = sup::testing::dynamic_stand_in()
                      .with_restart(Restart::transient)
                      .with_shutdown(Shutdown::timeout(100ms));
        d.max_children = 5;
        return d;
    }));
    return root;
}

std::vector<std::string> ids(const SupervisorSnapshot& s) {
    std::vector<std::string> v;
    for (const ChildSnapshot& c : s.children)
        v.push_back(c.id);
    return v;
}

const ChildSnapshot& child(const SupervisorSnapshot& s, const std::string& id) {
    for (const ChildSnapshot& c : s.children)
        if (c.id == id)
            return c;
    throw std::runtime_error("no child " + id);
}

/// A worker that ignores its supervisor's shutdown request (and says it was asked).
struct Deaf : sup::Actor<Deaf> {
    Recorder* asked;
    explicit Deaf(Recorder* r) : asked(r) {}
    bool on_shutdown_request(const sup::ExitReason&) override {
        asked->add("asked");
        return false;
    }
};

/// A worker that inspects a supervisor from its handler.
struct Inspector : sup::Actor<Inspector> {
    struct Count {
        sup::Pid sup;
    };
    std::size_t handle_call(Count c) {
        auto s = sup::inspect(c.sup);
        return s ? s->children.size() : 0;
    }
};

} // namespace

TEST_CASE("inspect: a tree's flags and children in start order - recursively") {
    sup::Runtime rt(quiet());
    Supervised tree(rt, sample_tree());
    sup::Pid dyn = tree.child("dyn");
    sup::Pid d1 = sup::start_child(dyn).value();
    sup::Pid d2 = sup::start_child(dyn).value();

    auto r = sup::inspect(tree.pid());
    REQUIRE(r);
    const SupervisorSnapshot& s = *r;
    CHECK(s.kind == SupervisorSnapshot::Kind::supervisor);
    CHECK(s.pid == tree.pid());
    CHECK(s.name.empty());
    CHECK(s.path.empty());
    CHECK(s.flags.strategy == Strategy::one_for_all);
    CHECK(s.flags.intensity == 3);
    CHECK(s.flags.period == 7s);
    CHECK(s.flags.auto_shutdown == sup::AutoShutdown::any_significant);
    CHECK_FALSE(s.flags.backoff.enabled());
    CHECK_FALSE(s.max_children);
    CHECK_FALSE(s.child_template);
    CHECK(ids(s) == Lines{"a", "b", "sub", "dyn"}); // start order (which_children: newest first)

    const ChildSnapshot& a = child(s, "a");
    CHECK(a.pid == tree.child("a"));
    CHECK(a.state == ChildInfo::State::running);
    CHECK(a.type == ChildType::worker);
    CHECK(a.restart == Restart::permanent);
    CHECK(a.shutdown == Shutdown::brutal_kill());
    CHECK_FALSE(a.significant);
    CHECK_FALSE(a.supervisor);
    CHECK_FALSE(a.error);

    const ChildSnapshot& b = child(s, "b");
    CHECK(b.restart == Restart::transient);
    CHECK(b.shutdown == Shutdown::timeout(250ms));
    CHECK(b.significant);

    const ChildSnapshot& sub = child(s, "sub");
    CHECK(sub.pid == tree.child("sub"));
    CHECK(sub.type == ChildType::supervisor);
    CHECK(sub.shutdown == Shutdown::infinity()); // a supervisor's default
    REQUIRE(sub.supervisor);
    const SupervisorSnapshot& ss = *sub.supervisor;
    CHECK(ss.kind == SupervisorSnapshot::Kind::supervisor);
    CHECK(ss.pid == sub.pid);
    CHECK(ss.path == "sub");
    CHECK(ss.flags.strategy == Strategy::rest_for_one);
    CHECK(ss.flags.intensity == 2);
    CHECK(ss.flags.period == 1500ms);
    CHECK(ss.flags.backoff.enabled());
    CHECK(ss.flags.backoff.min == 10ms);
    CHECK(ss.flags.backoff.max == 1s);
    CHECK(ss.flags.backoff.jitter == 0.25);
    CHECK(ids(ss) == Lines{"x", "y"});
    CHECK(child(ss, "x").restart == Restart::temporary);
    CHECK(child(ss, "x").shutdown == Shutdown::infinity());
    CHECK(child(ss, "x").pid == tree.child("sub/x"));
    CHECK(child(ss, "y").shutdown == Shutdown::timeout(5000ms)); // a worker's default

    const ChildSnapshot& dn = child(s, "dyn");
    REQUIRE(dn.supervisor);
    const SupervisorSnapshot& ds = *dn.supervisor;
    CHECK(ds.kind == SupervisorSnapshot::Kind::dynamic_supervisor);
    CHECK(ds.path == "dyn");
    CHECK(ds.flags.strategy == Strategy::one_for_one);
    REQUIRE(ds.max_children);
    CHECK(*ds.max_children == 5);
    REQUIRE(ds.child_template);
    CHECK(ds.child_template->type == ChildType::worker);
    CHECK(ds.child_template->restart == Restart::transient);
    CHECK(ds.child_template->shutdown == Shutdown::timeout(100ms));
    CHECK_FALSE(ds.child_template->significant);
    CHECK(ids(ds) == Lines{"1", "2"});
    CHECK(child(ds, "1").pid == d1);
    CHECK(child(ds, "2").pid == d2);
    CHECK(child(ds, "2").restart == Restart::transient);

    // Not recursive: the children that are supervisors are listed, not inspected.
    sup::InspectOptions flat;
    flat.recursive = false;
    auto f = sup::inspect(tree.pid(), flat);
    REQUIRE(f);
    CHECK(ids(*f) == Lines{"a", "b", "sub", "dyn"});
    CHECK_FALSE(child(*f, "sub").supervisor);
    CHECK_FALSE(child(*f, "sub").error);
}

TEST_CASE("inspect: children without a process - undefined and restarting") {
    auto clock = std::make_shared<sup::VirtualClock>();
    sup::Runtime rt(virtual_time(clock));
    sup::SupervisorSpec spec = sup_spec(Strategy::one_for_one, 10, 60s);
    spec.flags.backoff = sup::Backoff::exponential(1s, 10s);
    spec.children.push_back(sup::testing::stand_in("a"));
    spec.children.push_back(sup::testing::stand_in("b"));
    Supervised tree(rt, spec);
    REQUIRE(sup::terminate_child(tree.pid(), "a"));
    crash(tree.child("b"));
    rt.wait_quiescent(); // b waits for its delayed restart
    auto s = sup::inspect(tree.pid());
    REQUIRE(s);
    REQUIRE(ids(*s) == Lines{"a", "b"});
    CHECK(s->children[0].state == ChildInfo::State::undefined);
    CHECK_FALSE(s->children[0].pid);
    CHECK(s->children[1].state == ChildInfo::State::restarting);
    CHECK_FALSE(s->children[1].pid);
    clock->advance(1s);
    auto after = sup::inspect(tree.pid());
    REQUIRE(after);
    CHECK(after->children[1].state == ChildInfo::State::running);
    CHECK(after->children[1].pid == tree.child("b"));
}

TEST_CASE("inspect: errors - empty or dead pid - a worker - a supervisor that does not answer") {
    sup::Runtime rt(quiet());
    CHECK(sup::inspect(sup::Pid()).error().code == SupError::Code::noproc);

    Recorder asked;
    sup::SupervisorSpec inner = sup_spec(Strategy::one_for_one, 1, 5s);
    inner.children.push_back(sup::worker<Deaf>("hung", &asked).with_shutdown(Shutdown::infinity()));
    sup::SupervisorSpec root = sup_spec(Strategy::one_for_one, 1, 5s);
    root.children.push_back(sup::testing::stand_in("w"));
    root.children.push_back(sup::supervisor("inner", [inner] { return inner; }));
    Supervised tree(rt, root);

    auto w = sup::inspect(tree.child("w"));
    CHECK(w.error().code == SupError::Code::invalid_spec);
    CHECK(w.error().detail == "not a supervisor");

    // "inner" is busy for good: it waits for a child that ignores its shutdown (infinity).
    sup::Pid inner_pid = tree.child("inner");
    sup::Pid hung = tree.child("inner/hung");
    std::thread stopper([&] { (void)sup::terminate_child(inner_pid, "hung"); });
    REQUIRE(asked.wait_count(1)); // inner is in terminate_child, until hung dies

    sup::InspectOptions quick;
    quick.timeout = 200ms;
    auto busy = sup::inspect(inner_pid, quick);
    CHECK(busy.error().code == SupError::Code::timeout);
    // The root answers; its busy child is reported as such.
    auto top = sup::inspect(tree.pid(), quick);
    REQUIRE(top);
    CHECK(ids(*top) == Lines{"w", "inner"});
    const ChildSnapshot& in = child(*top, "inner");
    CHECK(in.pid == inner_pid);
    CHECK_FALSE(in.supervisor);
    REQUIRE(in.error);
    CHECK(in.error->code == SupError::Code::timeout);

    sup::kill(hung); // inner goes on
    stopper.join();
    auto again = sup::inspect(inner_pid);
    REQUIRE(again);
    CHECK(child(*again, "hung").state == ChildInfo::State::undefined);

    tree.stop();
    auto dead = sup::inspect(inner_pid);
    CHECK(dead.error().code == SupError::Code::noproc);
}

TEST_CASE("inspect: from an actor's handler and from a deterministic runtime's outside thread") {
    SECTION("from a handler") {
        sup::Runtime rt(quiet());
        Supervised tree(rt, sample_tree());
        auto in = rt.spawn<Inspector>().value();
        CHECK(sup::call(in, Inspector::Count{tree.pid()}).value() == 4);
    }
    SECTION("deterministic, virtual time") {
        auto clock = std::make_shared<sup::VirtualClock>();
        sup::Runtime rt(virtual_time(clock));
        Supervised tree(rt, sample_tree());
        auto s = sup::inspect(tree.pid());
        REQUIRE(s);
        CHECK(ids(*s) == Lines{"a", "b", "sub", "dyn"});
        REQUIRE(child(*s, "sub").supervisor);
        CHECK(ids(*child(*s, "sub").supervisor) == Lines{"x", "y"});
    }
}

// While children crash and restart, every snapshot is whole: the same ids in the same order,
// a running child's pid alive or just dead, never a torn entry.
TEST_CASE("inspect: snapshots while the tree restarts children") {
    sup::Runtime rt(quiet());
    sup::SupervisorSpec spec = sup_spec(Strategy::rest_for_one, 1000000, 1s);
    for (const char* id : {"a", "b", "c"})
        spec.children.push_back(sup::testing::stand_in(id));
    Supervised tree(rt, spec);
    std::atomic<bool> done{false};
    std::thread crasher([&] {
        while (!done) {
            if (sup::Pid p = tree.tree().lookup("b"))
                crash(p);
            std::this_thread::yield();
        }
    });
    std::size_t running = 0;
    for (int i = 0; i < 300; ++i) {
        auto s = sup::inspect(tree.pid());
        REQUIRE(s);
        REQUIRE(ids(*s) == Lines{"a", "b", "c"});
        for (const ChildSnapshot& c : s->children) {
            REQUIRE((c.state == ChildInfo::State::running) == static_cast<bool>(c.pid));
            running += c.state == ChildInfo::State::running;
        }
    }
    done = true;
    crasher.join();
    CHECK(running > 0);
}

TEST_CASE("to_json: the documented shape") {
    sup::Runtime rt(quiet());
    sup::SupervisorSpec spec = sup_spec(Strategy::one_for_one, 3, 5s);
    spec.name = "app";
    spec.children.push_back(sup::testing::stand_in("cache").with_name("cache"));
    spec.children.push_back(sup::dynamic_supervisor("conns", [] {
        sup::DynamicSupervisorSpec d;
        d.flags.intensity = 100;
        d.flags.period = 60s;
        d.flags.backoff = sup::Backoff::exponential(100ms, 1500us * 1000, 0.5);
        d.flags.backoff.seed = 7;
        d.child = sup::testing::dynamic_stand_in().with_restart(Restart::temporary);
        return d;
    }));
    Supervised tree(rt, spec);
    sup::Pid one = sup::start_child(tree.child("conns")).value();
    auto s = sup::inspect(tree.pid());
    REQUIRE(s);
    std::string expected = R"({
  "id": null,
  "pid": "ROOT",
  "kind": "supervisor",
  "name": "app",
  "path": "",
  "strategy": "one_for_one",
  "intensity": 3,
  "period_ms": 5000,
  "auto_shutdown": "never",
  "backoff": null,
  "restarts_in_period": 0,
  "children": [
    {
      "id": "cache",
      "pid": "CACHE",
      "kind": "worker",
      "state": "running",
      "child_type": "worker",
      "restart": "permanent",
      "shutdown": 5000,
      "significant": false,
      "name": {
        "kind": "local",
        "name": "cache"
      },
      "restarts": 0,
      "last_exit": null
    },
    {
      "id": "conns",
      "pid": "CONNS",
      "kind": "dynamic_supervisor",
      "state": "running",
      "child_type": "supervisor",
      "restart": "permanent",
      "shutdown": "infinity",
      "significant": false,
      "name": null,
      "restarts": 0,
      "last_exit": null,
      "path": "conns",
      "strategy": "one_for_one",
      "intensity": 100,
      "period_ms": 60000,
      "auto_shutdown": "never",
      "backoff": {
        "kind": "exponential",
        "min_ms": 100,
        "max_ms": 1500,
        "jitter": 0.5,
        "seed": 7
      },
      "restarts_in_period": 0,
      "max_children": null,
      "template": {
        "child_type": "worker",
        "restart": "temporary",
        "shutdown": 5000,
        "significant": false
      },
      "children": [
        {
          "id": "1",
          "pid": "ONE",
          "kind": "worker",
          "state": "running",
          "child_type": "worker",
          "restart": "temporary",
          "shutdown": 5000,
          "significant": false,
          "name": null,
          "restarts": 0,
          "last_exit": null
        }
      ]
    }
  ]
})";
    auto replace = [&](const std::string& what, const sup::Pid& p) {
        expected.replace(expected.find(what), what.size(), p.to_string());
    };
    replace("ROOT", tree.pid());
    replace("CACHE", tree.child("cache"));
    replace("CONNS", tree.child("conns"));
    replace("ONE", one);
    CHECK(sup::to_json(*s) == expected);
}

TEST_CASE("to_json: strings escaped - always valid UTF-8 - durations in ms - one line") {
    SupervisorSnapshot s;
    s.flags.period = std::chrono::nanoseconds(1'500'250); // 1.50025 ms
    s.name = "n\"a\\me";
    ChildSnapshot c;
    // quote, backslash, short escapes, other controls, DEL, valid 2/3/4-byte UTF-8, then
    // invalid bytes: a lone continuation, a truncated sequence, an overlong '/', a surrogate.
    c.id = std::string("q\"b\\\b\f\n\r\t\x01\x1f\x7f") + "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80" +
           "\x80|\xE2\x82|\xC0\xAF|\xED\xA0\x80";
    c.shutdown = Shutdown::brutal_kill();
    c.error = SupError{SupError::Code::timeout, {}, {}, "timeout"};
    static const sup::ViaModule registry_module{};
    c.name = sup::ChildName::via(registry_module, "re\"g", "k\xff");
    s.children.push_back(c);
    sup::JsonOptions one_line;
    one_line.indent = 0;
    std::string expected =
        R"({"id":null,"pid":null,"kind":"supervisor","name":"n\"a\\me","path":"",)"
        R"("strategy":"one_for_one","intensity":1,"period_ms":1.50025,"auto_shutdown":"never",)"
        R"("backoff":null,"restarts_in_period":0,"children":[{"id":"q\"b\\\b\f\n\r\t\u0001\u001f\u007f)"
        "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"
        "\xEF\xBF\xBD|\xEF\xBF\xBD\xEF\xBF\xBD|\xEF\xBF\xBD\xEF\xBF\xBD|"
        "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"
        R"(","pid":null,"kind":"worker","state":"undefined","child_type":"worker",)"
        R"("restart":"permanent","shutdown":"brutal_kill","significant":false,)"
        R"("name":{"kind":"via","registry":"re\"g","key":"k)"
        "\xEF\xBF\xBD"
        R"("},"restarts":0,)"
        R"("last_exit":null,"error":"timeout"}]})";
    CHECK(sup::to_json(s, one_line) == expected);
}
