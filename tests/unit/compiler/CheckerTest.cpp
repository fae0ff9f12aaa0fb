// The checker's output: resolved declarations with bound names and typed expressions.
#include "TestSupport.h"
#include "supc/Limits.h"

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

using namespace supc;
using namespace supc::test;
using llvm::cast;
using llvm::dyn_cast;
using llvm::isa;

namespace {

std::string exampleSpec() {
    std::ifstream in(std::string(SUPC_TEST_SOURCE_DIR) + "/examples/phoenix_app/app.sup");
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

template <class T>
const T& declAs(const Checked& c, const std::string& name) {
    const ir::Decl* d = c.decl(name);
    INFO("declaration " << name);
    REQUIRE(d);
    REQUIRE(isa<T>(d));
    return *cast<T>(d);
}

} // namespace

TEST_CASE("the complete example resolves: modules, kinds, stdlib") {
    auto c = check(exampleSpec(), "app.sup");
    INFO(fmt::format("{}", fmt::join(c->summary(), "\n")));
    REQUIRE(c->codes().empty());
    const ir::Program& p = *c->program;
    REQUIRE(p.modules.size() == 2);
    CHECK(p.modules[0]->name == "std"); // imports first
    CHECK(p.modules[0]->isStdlib);
    CHECK(p.entry == p.modules[1].get());
    CHECK(p.entry->package == std::vector<std::string>{"my_app"});
    REQUIRE(p.entry->imports.size() == 1);
    CHECK(p.entry->imports[0].name == "std");

    const auto& registry = *cast<ir::WorkerDecl>(p.modules[0]->find("Registry"));
    CHECK(registry.qualifiedName == "std.Registry");
    CHECK(registry.stdKind == ir::StdKind::Registry);
    CHECK(registry.cppType == "sup::std_lib::Registry");
    CHECK(registry.childType == ChildType::Worker);
    CHECK(registry.params[0].type->str() == "enum(unique, duplicate)");

    const auto& pool = *cast<ir::WorkerDecl>(p.modules[0]->find("Pool"));
    CHECK(pool.stdKind == ir::StdKind::Pool);
    CHECK(pool.childType == ChildType::Supervisor);
    REQUIRE(pool.templateParam());
    CHECK(pool.templateParam()->name == "of");
    const auto& tasks = *cast<ir::WorkerDecl>(p.modules[0]->find("TaskSupervisor"));
    CHECK(tasks.params[0].type->str() == "int?");
    CHECK_FALSE(tasks.params[0].isRequired());
    const auto& parts = *cast<ir::WorkerDecl>(p.modules[0]->find("PartitionSupervisor"));
    CHECK(isa<ir::SchedulersExpr>(parts.params[1].defaultValue.get()));
    CHECK(parts.params[1].defaultValue->dependence() == ir::DependsOnStartup);
}

TEST_CASE("worker kinds: C++ type, header, typed parameters, kind defaults") {
    auto c = check(exampleSpec(), "app.sup");
    const auto& cache = declAs<ir::WorkerDecl>(*c, "Cache");
    CHECK(cache.cppType == "my_app::Cache");
    CHECK(cache.header == "my_app/cache.hpp");
    REQUIRE(cache.params.size() == 1);
    CHECK(cache.params[0].name == "ttl");
    CHECK(cache.params[0].type == Type::durationType());
    auto& def = cast<ir::LiteralExpr>(*cache.params[0].defaultValue);
    CHECK(def.value.asMilliseconds() == 300000);
    const ir::Setting* shutdown = cache.settings.find(SettingKey::Shutdown);
    REQUIRE(shutdown);
    CHECK(shutdown->range.text() == "shutdown = 10s;");
    CHECK(shutdown->shutdownMode == Shutdown::Mode::Timeout);

    const auto& conn = declAs<ir::WorkerDecl>(*c, "UserConnection");
    CHECK(conn.params[0].isRequired());
    CHECK(conn.params[0].type == Type::stringType());
}

TEST_CASE("env() consts are flagged, typed by their default, and start-up dependence propagates") {
    auto c = check(exampleSpec(), "app.sup");
    const auto& size = declAs<ir::ConstDecl>(*c, "pool_size");
    CHECK(size.isEnv);
    CHECK(size.envVar == "POOL_SIZE");
    CHECK(size.type == Type::intType());
    CHECK(size.dependsOnStartup);
    REQUIRE(size.value);
    CHECK(size.value->asInt() == 10);

    // MyApp's `child pool = WorkerPool(size = pool_size)`.
    const auto& app = declAs<ir::SupervisorDecl>(*c, "MyApp");
    CHECK(app.isApplication());
    const ir::ChildDecl* pool = nullptr;
    for (const auto& item : app.body)
        if (auto* ch = dyn_cast<ir::ChildDecl>(item.get()); ch && ch->id.plainText() == "pool")
            pool = ch;
    REQUIRE(pool);
    auto& inst = cast<ir::KindInstanceExpr>(*pool->kind);
    CHECK(inst.decl->name == "WorkerPool");
    REQUIRE(inst.args.size() == 1);
    CHECK(inst.args[0].param->name == "size");
    auto& ref = cast<ir::ConstRefExpr>(*inst.args[0].value);
    CHECK(ref.decl == &size);
    CHECK(ref.dependence() == ir::DependsOnStartup);
    CHECK(inst.dependence() == ir::DependsOnStartup);
}

TEST_CASE("supervisor bodies: loops, interpolated ids, parameter and loop references") {
    auto c = check(exampleSpec(), "app.sup");
    const auto& pool = declAs<ir::SupervisorDecl>(*c, "WorkerPool");
    REQUIRE(pool.params.size() == 1);
    REQUIRE(pool.body.size() == 1);
    auto& loop = cast<ir::Loop>(*pool.body[0]);
    CHECK(loop.var == "i");
    CHECK(cast<ir::LiteralExpr>(*loop.from).value.asInt() == 1);
    auto& to = cast<ir::ParamRefExpr>(*loop.to);
    CHECK(to.param == &pool.params[0]);
    CHECK(loop.to->dependence() == ir::DependsOnParams);

    auto& child = cast<ir::ChildDecl>(*loop.body[0]);
    REQUIRE(child.id.parts.size() == 2);
    CHECK(child.id.parts[0].text == "worker_");
    CHECK(cast<ir::LoopVarRefExpr>(*child.id.parts[1].expr).loop == &loop);
    auto& kind = cast<ir::KindInstanceExpr>(*child.kind);
    CHECK(kind.decl->name == "PoolWorker");
    CHECK(cast<ir::LoopVarRefExpr>(*kind.args[0].value).loop == &loop);
    CHECK(kind.args[0].value->dependence() == ir::DependsOnLoopVars);

    const auto& services = declAs<ir::SupervisorDecl>(*c, "Services");
    const ir::Setting* strategy = services.settings.find(SettingKey::Strategy);
    REQUIRE(strategy);
    CHECK(cast<ir::LiteralExpr>(*strategy->value).value.enumName() == "one_for_all");
    const ir::Setting* intensity = services.settings.find(SettingKey::Intensity);
    CHECK(cast<ir::LiteralExpr>(*intensity->value).value.asInt() == 3);
    CHECK(cast<ir::LiteralExpr>(*intensity->period).value.asMilliseconds() == 5000);
    CHECK(intensity->range.text() == "intensity = 3 per 5s;");

    const auto& conns = declAs<ir::DynamicSupervisorDecl>(*c, "Connections");
    CHECK(cast<ir::KindInstanceExpr>(*conns.templ).decl->name == "UserConnection");
    CHECK(conns.settings.find(SettingKey::MaxChildren));
}

TEST_CASE("settings as written keep their keys, values and ranges") {
    auto c = check("worker W = \"w\" from \"w.hpp\";\n"
                   "supervisor S(d: duration = 2s) {\n"
                   "  backoff = exponential(100ms, d * 10, jitter = 0.2);\n"
                   "  child a = W;\n"
                   "  child b = W { restart = temporary; shutdown = d; needs = [a, \"a\"]; }\n"
                   "}\n");
    REQUIRE(c->codes().empty());
    const auto& s = declAs<ir::SupervisorDecl>(*c, "S");
    const ir::Setting* backoff = s.settings.find(SettingKey::Backoff);
    REQUIRE(backoff);
    CHECK(backoff->exponential);
    CHECK(cast<ir::BinaryExpr>(*backoff->period).op == ir::BinaryOp::Mul);
    CHECK(backoff->period->dependence() == ir::DependsOnParams);
    CHECK(cast<ir::LiteralExpr>(*backoff->jitter).value.asDecimal() == 0.2);
    auto& b = cast<ir::ChildDecl>(*s.body[1]);
    const ir::Setting* shutdown = b.settings.find(SettingKey::Shutdown);
    CHECK(isa<ir::ParamRefExpr>(*shutdown->value));
    const ir::Setting* needs = b.settings.find(SettingKey::Needs);
    REQUIRE(needs->needs.size() == 2);
    CHECK(needs->needs[0].plainText() == "a");
    CHECK(needs->needs[1].plainText() == "a");
}

TEST_CASE("imports: relative files, qualified and unqualified names, missing and cyclic") {
    // Uses the lit inputs: Inputs/ambiguous.sup imports two files declaring Repo.
    std::string dir = std::string(SUPC_TEST_SOURCE_DIR) + "/tests/lit/check/Inputs/";
    auto both = check("import \"amb_a.sup\";\nimport \"amb_b\";\n"
                      "application App { child a = amb_a.Repo; child b = amb_b.Repo; }\n",
                      dir + "virtual.sup");
    INFO(fmt::format("{}", fmt::join(both->summary(), "\n")));
    CHECK(both->codes().empty());
    REQUIRE(both->program);
    CHECK(both->program->modules.size() == 3);

    auto ambiguous = check("import \"amb_a.sup\";\nimport \"amb_b\";\n"
                           "application App { child a = Repo; }\n",
                           dir + "virtual.sup");
    CHECK(ambiguous->codes() == std::vector<std::string>{"E041"});

    auto missing = check("import \"nowhere\";\nconst a = 1;\n", dir + "virtual.sup");
    CHECK(missing->codes() == std::vector<std::string>{"E030"});
    // The rest is checked; the names the import may have declared are not reported.
    REQUIRE(missing->program);
    CHECK(missing->program->entry->namesIncomplete);

    auto cycle = check("import \"cycle_a.sup\";\nconst a = 1;\n", dir + "virtual.sup");
    CHECK(cycle->hasCode("E029"));
}

TEST_CASE("consts evaluate in any order, with cycles and arithmetic errors reported") {
    auto ok = check("const b = a * 2;\nconst a = 20 / 3;\nconst d = 1s + 500ms;\n");
    REQUIRE(ok->codes().empty());
    CHECK(declAs<ir::ConstDecl>(*ok, "b").value->asInt() == 12);
    CHECK(declAs<ir::ConstDecl>(*ok, "d").value->asMilliseconds() == 1500);

    CHECK(check("const a = b;\nconst b = c;\nconst c = a;\n")->codes() ==
          std::vector<std::string>{"E036"});
    CHECK(check("const a = 1 / (2 - 2);\n")->codes() == std::vector<std::string>{"E035"});
    CHECK(check("const a = -9223372036854775807 - 2;\n")->codes() ==
          std::vector<std::string>{"E035"});
}

TEST_CASE("a supervisor containing itself is found, however long the chain") {
    std::string spec = "worker W = \"w\" from \"w\";\n";
    for (int i = 0; i < 500; ++i)
        spec += "supervisor S" + std::to_string(i) + " { child c = S" +
                std::to_string((i + 1) % 500) + "; }\n";
    auto c = check(spec);
    CHECK(c->codes() == std::vector<std::string>{"E021"});
}

TEST_CASE("each module keeps its comments, in source order, strings excepted") {
    auto c = check("// first\nworker W = \"a::W\" from \"w\";\nconst s = \"a // not a comment\"; "
                   "/* block\n */\nconst a = 1; // last\n");
    REQUIRE(c->codes().empty());
    const auto& comments = c->program->entry->comments;
    REQUIRE(comments.size() == 3);
    CHECK(comments[0].text() == "// first");
    CHECK(comments[1].text() == "/* block\n */");
    CHECK(comments[2].text() == "// last");
}

TEST_CASE("durations stay within the runtime's clock, written or computed") {
    CHECK(limits::kMaxDurationText == fmt::format("{}ms (about {}h)", limits::kMaxDurationMs,
                                                  limits::kMaxDurationMs / 3'600'000));
    auto ok = check("const a = 9223372036854ms;\nconst b = -a;\nconst c = 2562047h + 1s;\n");
    CHECK(ok->codes().empty());
    auto bad = check("const a = 9223372036855ms;\nconst b = 2562047h * 2;\n"
                     "const c = 2562047h * 9999999999;\nconst d = 1 * 2;\n");
    CHECK(bad->codes() == std::vector<std::string>{"E032", "E032", "E032"});
    // Integers keep their 64 bits: only their overflow is an error.
    auto ints = check("const a = 9223372036854775807;\nconst b = a + 1;\n");
    CHECK(ints->codes() == std::vector<std::string>{"E035"});
}

TEST_CASE("with errors: which declarations failed, and which a failure taints") {
    auto c = check("worker W(n: int) = \"a::W\" from \"w.hpp\";\n"
                   "const bad = 1 / 0;\n"
                   "const fromBad = bad + 1;\n"
                   "const good = 2;\n"
                   "supervisor UsesBad { child w = W(n = fromBad); }\n"
                   "supervisor UsesGood { child w = W(n = good); }\n"
                   "supervisor Outer { child a = UsesBad; child b = UsesGood; }\n"
                   "supervisor Broken { child w = W(n = ); }\n" // dropped
                   "supervisor UsesBroken { child b = Broken(x = 1); }\n"
                   "supervisor Cycle { child again = Cycle; }\n");
    REQUIRE(c->program);
    auto decl = [&](const std::string& name) {
        const ir::Decl* d = c->decl(name);
        INFO("declaration " << name);
        REQUIRE(d);
        return d;
    };
    // One error per mistake: the division, the syntax error, the cycle.
    CHECK(c->codes() == std::vector<std::string>{"E008", "E035", "E021"});
    CHECK(decl("bad")->failed);
    CHECK(decl("bad")->tainted);
    CHECK_FALSE(decl("fromBad")->failed); // its own resolution reported nothing
    CHECK(decl("fromBad")->tainted);
    CHECK_FALSE(decl("good")->tainted);
    CHECK_FALSE(decl("W")->tainted);
    CHECK_FALSE(decl("UsesBad")->failed);
    CHECK(decl("UsesBad")->tainted);
    CHECK_FALSE(decl("UsesGood")->tainted);
    CHECK(decl("Outer")->tainted); // through UsesBad
    CHECK(decl("Broken")->dropped);
    CHECK(decl("Broken")->tainted);
    CHECK(decl("UsesBroken")->failed); // quietly: its use of Broken is not checked
    CHECK(decl("Cycle")->failed);
    // The child that uses the dropped kind failed; the clean one did not.
    auto childOf = [&](const std::string& name) {
        const auto& body = cast<ir::SupervisorDecl>(decl(name))->body;
        REQUIRE(body.size() == 1);
        return cast<ir::ChildDecl>(body[0].get());
    };
    CHECK(childOf("UsesBroken")->failed);
    CHECK_FALSE(childOf("UsesGood")->failed);
}

TEST_CASE("a program without errors has nothing failed or tainted") {
    auto c = check(exampleSpec(), "app.sup");
    REQUIRE(c->program);
    REQUIRE(c->codes().empty());
    for (const auto& m : c->program->modules) {
        CHECK_FALSE(m->namesIncomplete);
        for (const auto& d : m->decls) {
            INFO(d->qualifiedName);
            CHECK_FALSE(d->failed);
            CHECK_FALSE(d->tainted);
            CHECK_FALSE(d->dropped);
        }
    }
}
