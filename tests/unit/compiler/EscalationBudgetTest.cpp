// The restart and escalation arithmetic of compiler/lib/Analysis (lint's L006, impact).
#include "supc/analysis/EscalationBudget.h"

#include "TestSupport.h"
#include "supc/analysis/TreePath.h"

#include <catch2/catch.hpp>

using namespace supc;
using namespace supc::analysis;
using namespace supc::test;

namespace {

const std::string kWorkers = R"(
worker W = "app::W" from "app/w.hpp";
worker T = "app::T" from "app/t.hpp" { restart = temporary; }
worker R = "app::R" from "app/r.hpp" { restart = transient; }
)";

Elaborated tree(const std::string& spec) {
    auto e = elaborateText(kWorkers + spec);
    REQUIRE(e.tree);
    return e;
}

const Node& at(const Elaborated& e, const std::string& path) {
    const Node* n = lookupPath(*e.tree, path).node;
    INFO("path " << path);
    REQUIRE(n);
    return *n;
}

std::vector<std::string> ids(const std::vector<const Node*>& nodes) {
    std::vector<std::string> out;
    for (const Node* n : nodes)
        out.push_back(n->id);
    return out;
}

} // namespace

TEST_CASE("nested intensities multiply: defaults give 4 x 4 crashes within 5s") {
    auto e = tree(R"(
supervisor Pool { child worker_1 = W; child worker_2 = W; }
application App { child pool = Pool; }
)");
    auto chain = escalationChain(at(e, "pool/worker_1"));
    REQUIRE(chain.levels.size() == 2);
    CHECK(chain.reachesRoot());
    CHECK(chain.stop() == nullptr);

    const EscalationLevel& pool = chain.levels[0];
    CHECK(pool.supervisor->id == "pool");
    CHECK(pool.child->id == "worker_1");
    CHECK(pool.childExit == ExitReason::Crash);
    CHECK(pool.outcome == LevelOutcome::GivesUp);
    CHECK(pool.exitsNeeded == 4);
    CHECK(pool.crashes == 4);
    CHECK(pool.windowMs == 5000);
    CHECK(pool.fastestMs == 0);

    const EscalationLevel& root = chain.levels[1];
    CHECK(root.supervisor->isRoot());
    CHECK(root.childExit == ExitReason::Shutdown);
    CHECK(root.exitsNeeded == 4);
    CHECK(root.crashes == 16);
    CHECK(root.windowMs == 5000);

    auto text = describe(chain);
    REQUIRE(text.size() == 2);
    CHECK(text[0] == "4 crashes of 'pool/worker_1' within 5s take down 'pool'");
    CHECK(text[1] == "4 give-ups of 'pool' within 5s take down the root 'App': 16 crashes of "
                     "'pool/worker_1' within 5s");
}

TEST_CASE("restarts counted along the chain: siblings under one_for_all, whole subtrees") {
    auto e = tree(R"(
supervisor Services { strategy = one_for_all; child cache = W; child mailer = W; }
application App { child services = Services; child other = W; }
)");
    auto cheap = escalationChain(at(e, "services/cache"));
    CHECK(cheap.levels[0].nodesPerRestart == 0); // not asked for
    auto chain = escalationChain(at(e, "services/cache"), ChainOptions{true});
    REQUIRE(chain.levels.size() == 2);
    // 3 restarts of cache and mailer before the 4th crash gives up: 6 nodes.
    CHECK(chain.levels[0].nodesPerRestart == 2);
    CHECK(chain.levels[0].nodesRestarted == 6);
    // 4 give-ups of services (6 nodes below each), 3 restarts of services' 3 nodes.
    CHECK(chain.levels[1].nodesPerRestart == 3);
    CHECK(chain.levels[1].nodesRestarted == 4 * 6 + 3 * 3);
    auto text = describe(chain);
    CHECK(chain.levels[0].siblingsPerRestart == 1);
    CHECK(chain.levels[1].siblingsPerRestart == 0);
    CHECK(text[0] == "4 crashes of 'services/cache' within 5s take down 'services' (each restart "
                     "also restarts 1 sibling: one_for_all)");
    CHECK(text[1] == "4 give-ups of 'services' within 5s take down the root 'App': 16 crashes of "
                     "'services/cache' within 5s");
}

TEST_CASE("each level's intensity and period count; the window is the shortest period") {
    auto e = tree(R"(
supervisor Leaf { intensity = 2 per 5s; child w = W; }
supervisor Mid { intensity = 0 per 1m; child leaf = Leaf; }
application App { intensity = 9 per 10s; child mid = Mid; }
)");
    auto chain = escalationChain(at(e, "mid/leaf/w"));
    REQUIRE(chain.levels.size() == 3);
    CHECK(chain.levels[0].crashes == 3);
    CHECK(chain.levels[0].windowMs == 5000);
    CHECK(chain.levels[1].exitsNeeded == 1); // intensity 0: the first give-up below is fatal
    CHECK(chain.levels[1].crashes == 3);
    CHECK(chain.levels[1].windowMs == 5000);
    CHECK(chain.levels[2].exitsNeeded == 10);
    CHECK(chain.levels[2].crashes == 30);
    CHECK(chain.levels[2].windowMs == 5000);
    CHECK(chain.reachesRoot());
    CHECK(
        describe(chain)[1] ==
        "1 give-up of 'mid/leaf' within 1m takes down 'mid': 3 crashes of 'mid/leaf/w' within 5s");
}

TEST_CASE("a temporary child's crashes never count; a transient child's do") {
    auto e = tree(R"(
application App { child t = T; child r = R; }
)");
    auto temp = escalationChain(at(e, "t"));
    REQUIRE(temp.levels.size() == 1);
    REQUIRE(temp.stop());
    CHECK(temp.stop()->outcome == LevelOutcome::NotRestarted);
    CHECK(temp.stop()->childExit == ExitReason::Crash);
    CHECK_FALSE(temp.reachesRoot());
    CHECK(describe(temp)[0] == "'t' is temporary: the root 'App' does not restart it, so its "
                               "crashes never count against App's intensity");

    auto trans = escalationChain(at(e, "r"));
    REQUIRE(trans.levels.size() == 1);
    CHECK(trans.levels[0].outcome == LevelOutcome::GivesUp);
    CHECK(trans.reachesRoot());
}

TEST_CASE("a transient supervisor that gives up is not restarted: escalation stops there") {
    auto e = tree(R"(
supervisor Jobs { child w = W; }
application App { child jobs = Jobs { restart = transient; } child other = W; }
)");
    auto chain = escalationChain(at(e, "jobs/w"));
    REQUIRE(chain.levels.size() == 2);
    CHECK(chain.levels[0].outcome == LevelOutcome::GivesUp);
    const EscalationLevel* stop = chain.stop();
    REQUIRE(stop);
    CHECK(stop->supervisor->isRoot());
    CHECK(stop->child->id == "jobs");
    CHECK(stop->childExit == ExitReason::Shutdown);
    CHECK(stop->outcome == LevelOutcome::NotRestarted);
    CHECK(describe(chain)[1] == "escalation stops at the root 'App': 'jobs' exits with reason "
                                "shutdown, which the root 'App' does not restart for a transient "
                                "child");
    // The same give-up, seen as a restart set: nothing is restarted, no sibling touched.
    RestartSet rs = restartSet(at(e, "jobs"), ExitReason::Shutdown);
    CHECK_FALSE(rs.restartsExited);
    CHECK(rs.restarted.empty());
    CHECK(rs.stopped.empty());
}

TEST_CASE("a significant child that is not restarted shuts an auto_shutdown supervisor down") {
    auto e = tree(R"(
supervisor Unit { child w = W; }
supervisor Work {
    auto_shutdown = any_significant;
    child unit = Unit { restart = transient; significant = true; }
    child t = T { significant = true; }
}
application App { child work = Work; }
)");
    auto chain = escalationChain(at(e, "work/unit/w"));
    REQUIRE(chain.levels.size() == 3);
    CHECK(chain.levels[0].outcome == LevelOutcome::GivesUp);
    CHECK(chain.levels[1].outcome == LevelOutcome::AutoShutdown);
    CHECK(chain.levels[1].exitsNeeded == 1);
    CHECK(chain.levels[1].crashes == 4);
    CHECK(chain.levels[2].outcome == LevelOutcome::GivesUp);
    CHECK(chain.levels[2].crashes == 16);
    CHECK(chain.reachesRoot());

    // A temporary significant child: its very first crash shuts 'work' down.
    auto t = escalationChain(at(e, "work/t"));
    REQUIRE(t.levels.size() == 2);
    CHECK(t.levels[0].outcome == LevelOutcome::AutoShutdown);
    CHECK(t.levels[1].crashes == 4);
}

TEST_CASE("all_significant shuts down on the exit of its only significant child, not one of two") {
    auto e = tree(R"(
supervisor One { auto_shutdown = all_significant; child t = T { significant = true; } child w = W; }
supervisor Two { auto_shutdown = all_significant; child a = T { significant = true; }
                 child b = T { significant = true; } }
application App { child one = One; child two = Two; }
)");
    CHECK(escalationChain(at(e, "one/t")).levels[0].outcome == LevelOutcome::AutoShutdown);
    CHECK(escalationChain(at(e, "two/a")).levels[0].outcome == LevelOutcome::NotRestarted);
}

TEST_CASE("backoff can put a supervisor's intensity out of reach of one child's crash loop") {
    auto e = tree(R"(
supervisor Slow { intensity = 3 per 5s; backoff = exponential(1s, 30s); child w = W; }
supervisor Patient { intensity = 3 per 10s; backoff = exponential(1s, 30s); child w = W; }
application App { child slow = Slow; child patient = Patient; }
)");
    // Restarts wait 1s, 2s, 4s: the 4th crash comes 7s after the first, beyond 5s.
    auto slow = escalationChain(at(e, "slow/w"));
    REQUIRE(slow.levels.size() == 1);
    CHECK(slow.levels[0].outcome == LevelOutcome::Unreachable);
    CHECK(slow.levels[0].backoffMs == 7000);
    CHECK(slow.levels[0].spanMs == 7000);
    CHECK(describe(slow)[0] == "'slow' never gives up on it: its backoff delays 3 restarts by at "
                               "least 7s in all, longer than its period of 5s");

    // Within 10s it gives up, after 7s at the fastest; each give-up then takes 7s, and the
    // root would need 4 of them within 5s.
    auto patient = escalationChain(at(e, "patient/w"));
    REQUIRE(patient.levels.size() == 2);
    CHECK(patient.levels[0].outcome == LevelOutcome::GivesUp);
    CHECK(patient.levels[0].fastestMs == 7000);
    CHECK(patient.levels[1].outcome == LevelOutcome::Unreachable);
    CHECK(patient.levels[1].backoffMs == 0);
    CHECK(patient.levels[1].spanMs == 21000);
    CHECK(describe(patient)[0] == "4 crashes of 'patient/w' within 10s take down 'patient' "
                                  "(backoff: they take at least 7s)");
}

TEST_CASE("backoff delays: doubling to the maximum, jitter lowers them, huge counts saturate") {
    Backoff none;
    CHECK(minBackoffDelayMs(none, 100) == 0);
    Backoff b{true, 1000, 30000, 0.0};
    CHECK(minBackoffDelayMs(b, 0) == 0);
    CHECK(minBackoffDelayMs(b, 1) == 1000);
    CHECK(minBackoffDelayMs(b, 3) == 7000);
    CHECK(minBackoffDelayMs(b, 5) == 31000); // 1 + 2 + 4 + 8 + 16
    CHECK(minBackoffDelayMs(b, 7) == 91000); // ... + 30 + 30
    Backoff jitter{true, 1000, 4000, 0.5};
    CHECK(minBackoffDelayMs(jitter, 4) == 1000 + 1000 + 2000 + 2000);
    Backoff tiny{true, 1, 1000, 0.0};
    CHECK(minBackoffDelayMs(tiny, 1'000'000'000'000'000) ==
          1023 + (1'000'000'000'000'000 - 10) * 1000);
    CHECK(minBackoffDelayMs(b, UINT64_MAX) == INT64_MAX);
}

TEST_CASE("how many crashes of one looping child fit in a period") {
    CHECK(maxCrashesWithin(Backoff{}, 5000) == kMany);
    Backoff b{true, 1000, 30000, 0.0};
    CHECK(maxCrashesWithin(b, 0) == 1); // the first crash only
    CHECK(maxCrashesWithin(b, 999) == 1);
    CHECK(maxCrashesWithin(b, 1000) == 2); // crash, 1s, crash
    CHECK(maxCrashesWithin(b, 5000) == 3); // 0, 1s, 3s (the next at 7s)
    CHECK(maxCrashesWithin(b, 7000) == 4);
    CHECK(maxCrashesWithin(b, 91000) == 8); // ... 31s, 61s, 91s
    Backoff tiny{true, 1, 1, 0.0};
    CHECK(maxCrashesWithin(tiny, 1'000'000) == 1'000'001);
}

TEST_CASE("crash counts saturate instead of overflowing") {
    auto e = tree(R"(
supervisor A { intensity = 1_000_000_000 per 1h; child w = W; }
supervisor B { intensity = 1_000_000_000 per 1h; child a = A; }
application App { intensity = 1_000_000_000 per 1h; child b = B; }
)");
    auto chain = escalationChain(at(e, "b/a/w"));
    REQUIRE(chain.levels.size() == 3);
    CHECK(chain.levels[1].crashes == 1'000'000'001ull * 1'000'000'001ull);
    CHECK(chain.levels[2].crashes == kMany);
    CHECK(formatCount(chain.levels[2].crashes) == "more than 10^18");
    CHECK(chain.reachesRoot());
}

TEST_CASE("restart sets follow the strategy, in OTP's order, dropping temporary bystanders") {
    auto e = tree(R"(
supervisor All { strategy = one_for_all; child a = W; child b = T; child c = W; child d = R; }
supervisor Rest { strategy = rest_for_one; child a = W; child b = W; child c = W; child d = W; }
supervisor One { child a = W; child b = W; }
application App { child all = All; child rest = Rest; child one = One; }
)");
    RestartSet all = restartSet(at(e, "all/c"));
    CHECK(all.supervisor->id == "all");
    CHECK(all.known);
    CHECK(all.restartsExited);
    CHECK(ids(all.stopped) == std::vector<std::string>{"d", "b", "a"});
    CHECK(ids(all.restarted) == std::vector<std::string>{"a", "c", "d"});
    CHECK(ids(all.dropped) == std::vector<std::string>{"b"});
    CHECK(all.nodesRestarted == 3);

    RestartSet rest = restartSet(at(e, "rest/b"));
    CHECK(ids(rest.stopped) == std::vector<std::string>{"d", "c"});
    CHECK(ids(rest.restarted) == std::vector<std::string>{"b", "c", "d"});

    RestartSet one = restartSet(at(e, "one/a"));
    CHECK(one.stopped.empty());
    CHECK(ids(one.restarted) == std::vector<std::string>{"a"});

    // A temporary child's exit touches nobody, even under one_for_all.
    RestartSet temp = restartSet(at(e, "all/b"));
    CHECK_FALSE(temp.restartsExited);
    CHECK(temp.restarted.empty());
    CHECK(temp.stopped.empty());
    // A transient child that exits normally is not restarted either.
    CHECK_FALSE(restartSet(at(e, "all/d"), ExitReason::Normal).restartsExited);
    CHECK(restartSet(at(e, "all/d"), ExitReason::Crash).restartsExited);
}

TEST_CASE("a restarted child supervisor counts with its whole subtree") {
    auto e = tree(R"(
supervisor Inner { child a = W; child b = W; }
supervisor Outer { strategy = one_for_all; child inner = Inner; child w = W; }
application App { child outer = Outer; }
)");
    RestartSet rs = restartSet(at(e, "outer/w"));
    CHECK(ids(rs.restarted) == std::vector<std::string>{"inner", "w"});
    CHECK(rs.nodesRestarted == 4); // inner, its two children, w
    CHECK(restartSet(*e.tree->root).supervisor == nullptr);
    CHECK(escalationChain(*e.tree->root).levels.empty());
}

TEST_CASE("dynamic children escalate through their supervisor; C++ supervisors are unknown") {
    auto e = elaborateText(kWorkers + R"(
import "std";
worker Custom(of: kind) = "app::Custom" from "app/custom.hpp" { type = supervisor; }
dynamic_supervisor Conns of W { intensity = 10 per 1s; max_children = 100; }
application App {
    child conns = Conns;
    child pool = std.Pool(of = W, size = 4);
    child custom = Custom(of = W);
}
)");
    REQUIRE(e.tree);
    const Node& conn = at(e, "conns/17");
    CHECK(conn.isTemplate);
    auto chain = escalationChain(conn);
    REQUIRE(chain.levels.size() == 2);
    CHECK(chain.levels[0].exitsNeeded == 11);
    CHECK(chain.levels[0].windowMs == 1000);
    CHECK(chain.levels[1].crashes == 44);
    CHECK(chain.levels[1].windowMs == 1000);
    CHECK(describe(chain)[0] == "11 crashes of a run-time child of 'conns' within 1s take down "
                                "'conns'");
    CHECK(ids(restartSet(conn).restarted) == std::vector<std::string>{""});

    // A standard component is the tree its class builds: std.Pool's workers are under its
    // one_for_one 'workers' (max(3, size) restarts per 5 s) under the rest_for_one pool
    // (3 per 5 s).
    const Node& pooled = at(e, "pool/workers/1");
    auto known = escalationChain(pooled);
    REQUIRE(known.levels.size() == 3);
    CHECK(known.levels[0].supervisor->path() == "pool/workers");
    CHECK(known.levels[0].exitsNeeded == 5);
    CHECK(known.levels[1].exitsNeeded == 4);
    CHECK(known.levels[2].crashes == 5 * 4 * 4);
    CHECK(ids(restartSet(pooled).restarted) == std::vector<std::string>{"1"});
    CHECK(ids(restartSet(at(e, "pool/dispatcher")).restarted) ==
          std::vector<std::string>{"dispatcher", "workers"});

    // Another C++ supervisor's children are its own business.
    const Node& custom = at(e, "custom");
    REQUIRE(custom.templ);
    auto unknown = escalationChain(*custom.templ);
    REQUIRE(unknown.levels.size() == 1);
    CHECK(unknown.levels[0].outcome == LevelOutcome::Unknown);
    CHECK_FALSE(restartSet(*custom.templ).known);
}

TEST_CASE("paths name nodes from the root") {
    auto e = tree(R"(
supervisor Services { child cache = W; }
dynamic_supervisor Conns of W;
application App { child services = Services; child conns = Conns; }
)");
    CHECK(lookupPath(*e.tree, "").node == e.tree->root.get());
    CHECK(at(e, "services/cache").id == "cache");
    CHECK(at(e, "conns/1").isTemplate);
    CHECK(lookupPath(*e.tree, "conns/1").dynamicChild);
    CHECK_FALSE(lookupPath(*e.tree, "services/cache").dynamicChild);
    for (const char* none : {"services/nope", "services/cache/deeper", "nope", "conns/0",
                             "conns/01", "conns/x", "/services", "services/", "services//cache"}) {
        INFO(none);
        PathLookup l = lookupPath(*e.tree, none);
        CHECK(l.node == nullptr);
        CHECK_FALSE(l.problem.empty());
    }
    CHECK(lookupPath(*e.tree, "services/nope").problem ==
          "no node 'services/nope': 'services' has no child 'nope' (did you mean "
          "'services/cache'?)");
    CHECK(isDynamicChildId("1"));
    CHECK(isDynamicChildId("999999999999999999"));
    CHECK_FALSE(isDynamicChildId("1000000000000000000"));
    CHECK_FALSE(isDynamicChildId("0"));
    CHECK_FALSE(isDynamicChildId("-1"));
    CHECK_FALSE(isDynamicChildId("+1"));
    CHECK_FALSE(isDynamicChildId(""));
}
