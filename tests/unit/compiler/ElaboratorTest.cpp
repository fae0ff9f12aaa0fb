// The elaborated tree: concrete values, defaults with their origin, the environment.
#include "TestSupport.h"

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

using namespace supc;
using namespace supc::test;

namespace {

std::string exampleSpec() {
    std::ifstream in(std::string(SUPC_TEST_SOURCE_DIR) + "/examples/phoenix_app/app.sup");
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// Checks, then elaborates; returns the codes reported (the tree must then be null).
std::vector<std::string> elaborationErrors(const std::string& spec, const Environment& env) {
    auto c = check(spec);
    INFO(fmt::format("{}", fmt::join(c->summary(), "\n")));
    REQUIRE(c->program);
    REQUIRE(c->codes().empty());
    const ir::KindDecl* root = selectRoot(*c->program, "", *c->engine);
    REQUIRE(root);
    auto tree = elaborate(*c->program, *root, *c->engine, env);
    CHECK_FALSE(tree);
    return c->codes();
}

std::vector<std::string> elaborationErrors(const std::string& spec) {
    MapEnvironment env;
    return elaborationErrors(spec, env);
}

} // namespace

TEST_CASE("the complete example elaborates with every default filled in") {
    auto e = elaborateText(exampleSpec());
    REQUIRE(e.tree);
    const Node& root = *e.tree->root;
    CHECK(root.id == "MyApp");
    CHECK(root.isRoot());
    CHECK(root.kind == NodeKind::Supervisor);
    REQUIRE(root.supervisor);
    CHECK(root.supervisor->strategy.value == Strategy::RestForOne);
    CHECK(root.supervisor->intensity.value == Intensity{3, 5000});
    CHECK(root.supervisor->intensity.origin == SettingOrigin::Default);
    CHECK(root.children.size() == 7);
    // 1 root + 7 children + 2 in services + 10 in the pool + 2 templates.
    CHECK(e.tree->nodeCount == 22);

    const Node& repo = child(root, "repo");
    CHECK(repo.kind == NodeKind::Worker);
    CHECK(repo.restart.value == RestartType::Permanent);
    CHECK(repo.restart.origin == SettingOrigin::Default);
    CHECK(repo.shutdown.value == Shutdown{Shutdown::Mode::Timeout, 5000});
    CHECK(repo.shutdown.origin == SettingOrigin::Default);
    CHECK_FALSE(repo.shutdown.range().isValid());
    CHECK(repo.path() == "repo");

    const Node& services = child(root, "services");
    CHECK(services.kind == NodeKind::Supervisor);
    CHECK(services.shutdown.value.mode == Shutdown::Mode::Infinity); // supervisors' default
    CHECK(services.supervisor->strategy.origin == SettingOrigin::Explicit);
    // The linter points at the setting line: the range is the one written.
    CHECK(services.supervisor->strategy.range().text() == "strategy  = one_for_all;");

    const Node& cache = child(services, "cache");
    CHECK(cache.path() == "services/cache");
    CHECK(cache.shutdown.value.milliseconds == 10000);
    CHECK(cache.shutdown.origin == SettingOrigin::KindDefault);
    CHECK(cache.shutdown.range().text() == "shutdown = 10s;");
    REQUIRE(cache.args.size() == 1);
    CHECK(cache.args[0].param->name == "ttl");
    CHECK(cache.args[0].value.asMilliseconds() == 60000);
    CHECK(cache.args[0].explicitArg);
    CHECK(cache.args[0].range.text() == "ttl = 60s");

    const Node& mailer = child(services, "mailer");
    CHECK(mailer.restart.value == RestartType::Transient);
    CHECK(mailer.restart.origin == SettingOrigin::KindDefault);
    CHECK(mailer.shutdown.value.mode == Shutdown::Mode::BrutalKill);
    CHECK(mailer.shutdown.origin == SettingOrigin::Explicit);
    CHECK(mailer.shutdown.range().text() == "shutdown = brutal_kill;");

    const Node& pool = child(root, "pool");
    CHECK(pool.children.size() == 10);
    CHECK(pool.children[2]->id == "worker_3");
    CHECK(pool.children[2]->args[0].value.asInt() == 3);
    CHECK(pool.children[2]->decl->name == "PoolWorker");
    REQUIRE(pool.children[2]->childDecl);

    const Node& conns = child(root, "connections");
    CHECK(conns.kind == NodeKind::DynamicSupervisor);
    CHECK(conns.supervisor->maxChildren.value == std::optional<int64_t>(10000));
    CHECK(conns.children.empty());
    REQUIRE(conns.templ);
    CHECK(conns.templ->isTemplate);
    CHECK(conns.templ->restart.value == RestartType::Temporary);
    REQUIRE(conns.templ->startArgs.size() == 1);
    CHECK(conns.templ->startArgs[0]->name == "user_id");

    // A standard component: the tree its C++ class builds, with the component's settings.
    const Node& tasks = child(root, "tasks");
    CHECK(tasks.kind == NodeKind::DynamicSupervisor);
    CHECK(tasks.stdKind() == ir::StdKind::TaskSupervisor);
    REQUIRE(tasks.supervisor);
    CHECK(tasks.supervisor->intensity.value == Intensity{3, 5000});
    CHECK(tasks.supervisor->intensity.origin == SettingOrigin::Component);
    CHECK_FALSE(tasks.supervisor->maxChildren.value);
    CHECK(tasks.shutdown.value.mode == Shutdown::Mode::Infinity);
    CHECK(tasks.arg("max_children")->value.isNone());
    REQUIRE(tasks.templ);
    CHECK(tasks.templ->declName() == "std.TaskSupervisor.task");
    CHECK(tasks.templ->component == &tasks);
    CHECK(tasks.templ->restart.value == RestartType::Temporary);
    CHECK(tasks.templ->shutdown.value == Shutdown{Shutdown::Mode::Timeout, 5000});

    const Node& endpoint = child(root, "endpoint");
    REQUIRE(endpoint.needs.size() == 2);
    CHECK(endpoint.needs[0].target == &repo);
    CHECK(endpoint.needs[1].target == &services);
    REQUIRE(endpoint.needsSetting);
    CHECK(endpoint.needsSetting->range.text() == "needs = [repo, services];");
}

TEST_CASE("env() and schedulers() come from the injected environment") {
    MapEnvironment env;
    env.vars["POOL_SIZE"] = "3";
    auto e = elaborateText(exampleSpec(), env);
    REQUIRE(e.tree);
    CHECK(child(*e.tree->root, "pool").children.size() == 3);

    MapEnvironment sched;
    sched.schedulerCount = 6;
    auto p = elaborateText("import \"std\";\nworker W = \"w\" from \"w\";\n"
                           "application A { child p = std.PartitionSupervisor(of = W); }\n",
                           sched);
    REQUIRE(p.tree);
    const Node& parts = child(*p.tree->root, "p");
    CHECK(parts.arg("partitions")->value.asInt() == 6);
    CHECK_FALSE(parts.arg("partitions")->explicitArg);
    REQUIRE(parts.templ);
    CHECK(parts.templ->decl->name == "W");

    MapEnvironment bad;
    bad.vars["POOL_SIZE"] = "ten";
    CHECK(elaborationErrors(exampleSpec(), bad) == std::vector<std::string>{"E034"});
    MapEnvironment durations;
    durations.vars["T"] = "1_500ms";
    auto d = elaborateText("const t = env(\"T\", 5s);\nworker W(t: duration) = \"w\" from \"w\";\n"
                           "application A { child w = W(t = t * 2); }\n",
                           durations);
    REQUIRE(d.tree);
    CHECK(child(*d.tree->root, "w").args[0].value.asMilliseconds() == 3000);
}

TEST_CASE("kind defaults, explicit settings and parameters: the right one wins") {
    auto e = elaborateText("worker W(t: duration = 1s) = \"w\" from \"w\" "
                           "{ restart = transient; shutdown = t * 3; significant = true; }\n"
                           "application A {\n"
                           "  auto_shutdown = all_significant;\n"
                           "  child a = W;\n"
                           "  child b = W(t = 2s) { restart = temporary; }\n"
                           "  child c = W { significant = false; shutdown = infinity; }\n"
                           "}\n");
    REQUIRE(e.tree);
    const Node& a = child(*e.tree->root, "a");
    CHECK(a.restart.origin == SettingOrigin::KindDefault);
    CHECK(a.shutdown.value.milliseconds == 3000);
    CHECK(a.significant.value);
    const Node& b = child(*e.tree->root, "b");
    CHECK(b.restart.value == RestartType::Temporary);
    CHECK(b.restart.origin == SettingOrigin::Explicit);
    CHECK(b.shutdown.value.milliseconds == 6000); // the kind default, with b's argument
    CHECK(b.shutdown.origin == SettingOrigin::KindDefault);
    const Node& c = child(*e.tree->root, "c");
    CHECK_FALSE(c.significant.value);
    CHECK(c.shutdown.value.mode == Shutdown::Mode::Infinity);
    CHECK(e.tree->root->supervisor->autoShutdown.value == AutoShutdown::AllSignificant);
}

TEST_CASE("loops: bounds from parameters, nesting, ids, and the duplicates they make") {
    auto e = elaborateText(
        "worker W(i: int) = \"w\" from \"w\";\n"
        "supervisor Grid(rows: int, cols: int = 2) {\n"
        "  for r in 1..rows { for c in 1..cols { child \"c{r}x{c}\" = W(i = r * 10 + c); } }\n"
        "}\n"
        "application A { child g = Grid(rows = 3); }\n");
    REQUIRE(e.tree);
    const Node& g = child(*e.tree->root, "g");
    REQUIRE(g.children.size() == 6);
    CHECK(g.children[0]->id == "c1x1");
    CHECK(g.children[5]->id == "c3x2");
    CHECK(g.children[5]->args[0].value.asInt() == 32);

    CHECK(elaborationErrors(
              "worker W = \"w\" from \"w\";\n"
              "application A { for i in 1..3 { child \"w{i}\" = W; } child w2 = W; }\n") ==
          std::vector<std::string>{"E020"});
    CHECK(elaborationErrors("worker W = \"w\" from \"w\";\n"
                            "supervisor S(n: int) { for i in 1..n { child \"w{i}\" = W; } }\n"
                            "application A { child s = S(n = 0); }\n") ==
          std::vector<std::string>{"E023"});
    CHECK(elaborationErrors("worker W = \"w\" from \"w\";\n"
                            "application A { for i in 1..2_000_000 { child \"w{i}\" = W; } }\n") ==
          std::vector<std::string>{"E004"});
}

TEST_CASE("needs and significance are checked on the elaborated children") {
    CHECK(elaborationErrors("worker W = \"w\" from \"w\";\n"
                            "application A { child a = W { needs = [b]; } child b = W; }\n") ==
          std::vector<std::string>{"E028"});
    CHECK(elaborationErrors(
              "worker W = \"w\" from \"w\";\n"
              "application A { for i in 1..3 { child \"w{i}\" = W { needs = [\"x{i}\"]; } } }\n") ==
          std::vector<std::string>{"E027"}); // reported once for the loop, not per iteration
    CHECK(elaborationErrors("worker W = \"w\" from \"w\" { significant = true; }\n"
                            "application A { auto_shutdown = any_significant; child a = W; }\n") ==
          std::vector<std::string>{"E025"});
    CHECK(elaborationErrors("worker W = \"w\" from \"w\" { restart = transient; }\n"
                            "application A { child a = W { significant = true; } }\n") ==
          std::vector<std::string>{"E026"});
}

TEST_CASE("kinds passed as values become templates or children") {
    auto e = elaborateText("import \"std\";\n"
                           "worker W(id: int, tag: string = \"t\") = \"w\" from \"w\";\n"
                           "supervisor Two(of: kind) { child a = of; child b = of; }\n"
                           "application A {\n"
                           "  child two = Two(of = W(id = 1));\n"
                           "  child pool = std.Pool(of = W(tag = \"p\"), size = 4);\n"
                           "}\n");
    REQUIRE(e.tree);
    const Node& two = child(*e.tree->root, "two");
    REQUIRE(two.children.size() == 2);
    CHECK(two.children[1]->decl->name == "W");
    CHECK(two.children[1]->args[0].value.asInt() == 1);
    const Node& pool = child(*e.tree->root, "pool");
    CHECK(pool.stdKind() == ir::StdKind::Pool);
    REQUIRE(pool.templ);
    REQUIRE(pool.templ->startArgs.size() == 1);
    CHECK(pool.templ->startArgs[0]->name == "id");
    CHECK(pool.templ->arg("tag")->value.asString() == "p");
    // The pool's children are made from its template, each with its index.
    const Node& workers = child(pool, "workers");
    REQUIRE(workers.children.size() == 4);
    const Node& third = *workers.children[3];
    CHECK(third.id == "3");
    CHECK(third.component == &pool);
    CHECK(third.arg("id")->value.asInt() == 3);
    CHECK(third.arg("tag")->value.asString() == "p");

    // A kind parameter used as a child needs every argument.
    CHECK(elaborationErrors("worker W(id: int) = \"w\" from \"w\";\n"
                            "supervisor One(of: kind) { child a = of; }\n"
                            "application A { child one = One(of = W); }\n") ==
          std::vector<std::string>{"E018"});
}

TEST_CASE("standard components are the trees their classes build") {
    MapEnvironment env;
    env.schedulerCount = 3;
    auto e = elaborateText("import \"std\";\n"
                           "worker W(index: int) = \"w\" from \"w\" { restart = transient; }\n"
                           "application A {\n"
                           "  child pool = std.Pool(of = W, size = 7);\n"
                           "  child parts = std.PartitionSupervisor(of = W);\n"
                           "}\n",
                           env);
    REQUIRE(e.tree);
    const Node& pool = child(*e.tree->root, "pool");
    CHECK(pool.kind == NodeKind::Supervisor);
    REQUIRE(pool.supervisor);
    CHECK(pool.supervisor->strategy.value == Strategy::RestForOne);
    CHECK(pool.supervisor->strategy.origin == SettingOrigin::Component);
    CHECK(pool.supervisor->intensity.value == Intensity{3, 5000});
    REQUIRE(pool.children.size() == 2);
    const Node& dispatcher = *pool.children[0];
    CHECK(dispatcher.id == "dispatcher");
    CHECK(dispatcher.kind == NodeKind::Worker);
    CHECK(dispatcher.decl == nullptr);
    CHECK(dispatcher.declName() == "std.Pool.dispatcher");
    CHECK(dispatcher.component == &pool);
    CHECK(dispatcher.restart.origin == SettingOrigin::Component);
    CHECK(dispatcher.shutdown.value == Shutdown{Shutdown::Mode::Timeout, 5000});
    const Node& workers = *pool.children[1];
    CHECK(workers.id == "workers");
    CHECK(workers.path() == "pool/workers");
    CHECK(workers.shutdown.value.mode == Shutdown::Mode::Infinity);
    CHECK(workers.supervisor->strategy.value == Strategy::OneForOne);
    CHECK(workers.supervisor->intensity.value == Intensity{7, 5000}); // max(3, size)
    REQUIRE(workers.children.size() == 7);
    CHECK(workers.children[0]->path() == "pool/workers/0");
    CHECK(workers.children[6]->arg("index")->value.asInt() == 6);
    // The template's settings (here its kind's), as child_from_template copies them.
    CHECK(workers.children[6]->restart.value == RestartType::Transient);
    CHECK(workers.children[6]->restart.origin == SettingOrigin::KindDefault);

    // partitions defaults to schedulers(): one per scheduler thread.
    const Node& parts = child(*e.tree->root, "parts");
    REQUIRE(parts.children.size() == 3);
    CHECK(parts.children[2]->id == "2");
    CHECK(parts.supervisor->strategy.value == Strategy::OneForOne);

    // Arguments the component refuses at start are errors here.
    const std::string w = "import \"std\";\nworker W(index: int) = \"w\" from \"w\";\n";
    CHECK(elaborationErrors(w + "application A { child p = std.Pool(of = W, size = 0); }\n") ==
          std::vector<std::string>{"E032"});
    CHECK(elaborationErrors(
              w +
              "application A { child p = std.PartitionSupervisor(of = W, partitions = -1); }\n") ==
          std::vector<std::string>{"E032"});
    CHECK(elaborationErrors(
              w + "application A { child t = std.TaskSupervisor(max_children = -1); }\n") ==
          std::vector<std::string>{"E032"});
    // A pool past the tree's limit is refused before its nodes are made.
    CHECK(elaborationErrors(
              w + "application A { child p = std.Pool(of = W, size = 2_000_000_000); }\n") ==
          std::vector<std::string>{"E004"});
}

TEST_CASE("roots: the only application, --root, and clear errors otherwise") {
    auto two = check("worker W = \"w\" from \"w\";\napplication A { child w = W; }\n"
                     "application B { child w = W; }\nsupervisor S(n: int) { child w = W; }\n");
    REQUIRE(two->program);
    CHECK_FALSE(selectRoot(*two->program, "", *two->engine));
    CHECK(selectRoot(*two->program, "B", *two->engine)->name == "B");
    CHECK_FALSE(selectRoot(*two->program, "S", *two->engine)); // required parameter
    CHECK_FALSE(selectRoot(*two->program, "W", *two->engine)); // a worker
    CHECK(two->codes() == std::vector<std::string>{"E033", "E033", "E033"});

    auto lib = check("worker W = \"w\" from \"w\";\nsupervisor S { child w = W; }\n"
                     "supervisor T { child s = S; }\n");
    auto roots = defaultRoots(*lib->program);
    REQUIRE(roots.size() == 1); // S is used by T: only T is a root of its own
    CHECK(roots[0]->name == "T");
}

TEST_CASE("elaborateAll: every default root, each tree complete, errors of each reported") {
    auto two = check("worker W(n: int = 1) = \"w\" from \"w\";\n"
                     "const n = env(\"ELAB_ALL_N\", 2);\n"
                     "application A { child w = W(n = n); }\n"
                     "application B { for i in 1..n { child \"w{i}\" = W; } }\n");
    REQUIRE(two->program);
    MapEnvironment env;
    ProgramTrees all = elaborateAll(*two->program, *two->engine, env);
    CHECK(all.complete);
    REQUIRE(all.trees.size() == 2);
    CHECK(all.trees[0]->root->decl->name == "A");
    CHECK(all.trees[1]->root->decl->name == "B");
    CHECK(all.trees[1]->root->children.size() == 2);

    // One root fails (zero iterations: E023), the other still elaborates.
    env.vars["ELAB_ALL_N"] = "0";
    ProgramTrees some = elaborateAll(*two->program, *two->engine, env);
    CHECK_FALSE(some.complete);
    REQUIRE(some.trees.size() == 1);
    CHECK(some.trees[0]->root->decl->name == "A");
    CHECK(two->codes() == std::vector<std::string>{"E023"});
}

TEST_CASE("Environment::defaults: every env() const at its default, schedulers() as real") {
    CHECK_FALSE(Environment::defaults().get("PATH"));
    CHECK(Environment::defaults().schedulers() == Environment::real().schedulers());
    auto c = check("worker W = \"w\" from \"w\";\nconst n = env(\"PATH\", 3);\n"
                   "application A { for i in 1..n { child \"w{i}\" = W; } }\n");
    REQUIRE(c->program);
    ProgramTrees t = elaborateAll(*c->program, *c->engine, Environment::defaults());
    REQUIRE(t.trees.size() == 1);
    CHECK(t.trees[0]->root->children.size() == 3); // PATH is set, but not read
}
