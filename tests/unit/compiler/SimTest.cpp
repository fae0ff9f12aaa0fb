// supc sim's library: the script parser, the simulated tree (standard kinds expanded),
// path checks, the trace, and the guards that keep bad input from hanging it.
#include "Sim/SimModel.h"
#include "TestSupport.h"
#include "supc/Simulator.h"

#include <catch2/catch.hpp>
#include <llvm/Support/raw_ostream.h>

using namespace supc;
using namespace supc::sim;
using namespace supc::test;

namespace {

Script parse(const std::string& text, std::vector<ScriptError>& errors) {
    return parseScript(text, "s.txt", errors);
}

std::vector<std::string> messages(const std::vector<ScriptError>& errors) {
    std::vector<std::string> out;
    for (const auto& e : errors)
        out.push_back(std::to_string(e.loc.line) + ":" + std::to_string(e.loc.column) + " " +
                      e.message);
    return out;
}

struct Simulated {
    std::string trace;
    SimResult result;
};

Simulated run(const std::string& spec, const std::string& script, SimOptions options = {},
              const std::string& root = "") {
    MapEnvironment env;
    auto e = elaborateText(spec, env, root);
    REQUIRE(e.tree);
    std::string why;
    ModelPtr model = buildModel(*e.tree, why);
    REQUIRE(model);
    std::vector<ScriptError> errors;
    Script s = parseScript(script, "s.txt", errors);
    checkScript(*model, s, errors);
    REQUIRE(messages(errors) == std::vector<std::string>{});
    Simulated out;
    llvm::raw_string_ostream os(out.trace);
    out.result = simulate(*model, s, os, options);
    os.flush();
    return out;
}

const char* kServices = R"(
worker W = "sim::W" from "w.hpp";
supervisor Services {
    strategy = one_for_all;
    child cache  = W;
    child mailer = W;
}
dynamic_supervisor Connections of W { max_children = 2; }
application App {
    child repo        = W;
    child services    = Services;
    child connections = Connections;
}
)";

} // namespace

TEST_CASE("script: commands, arguments, comments and blank lines") {
    std::vector<ScriptError> errors;
    Script s = parse("# a comment\n\ncrash a/b\ncrash a \"db down\" # why\nexit a normal\r\n"
                     "fail_start x 3\nhang x\nstart_child d\nterminate_child x\nrestart_child x\n"
                     "delete_child x\nadvance 1_500ms\nadvance 2m\nstop\n",
                     errors);
    REQUIRE(errors.empty());
    REQUIRE(s.commands.size() == 12);
    CHECK(s.commands[0].op == Op::Crash);
    CHECK(s.commands[0].path == "a/b");
    CHECK(s.commands[0].reason == "crash");
    CHECK(s.commands[0].loc.line == 3);
    CHECK(s.commands[0].pathLoc.column == 7);
    CHECK(s.commands[1].reason == "db down");
    CHECK(s.commands[2].op == Op::Exit);
    CHECK(s.commands[2].reason == "normal");
    CHECK(s.commands[3].count == 3);
    CHECK(s.commands[9].durationMs == 1500);
    CHECK(s.commands[10].durationMs == 120'000);
    CHECK(s.commands[11].op == Op::Stop);
}

TEST_CASE("script: the root is written \"\"; paths have no empty ids") {
    std::vector<ScriptError> errors;
    Script s = parse("start_child \"\"\ncrash a/\ncrash a//b\n", errors);
    REQUIRE(s.commands.size() == 1);
    CHECK(s.commands[0].path.empty());
    CHECK(
        messages(errors) ==
        std::vector<std::string>{
            "2:7 invalid path 'a/': a path is child ids joined by '/', without a leading, trailing "
            "or doubled '/'",
            "3:7 invalid path 'a//b': a path is child ids joined by '/', without a leading, "
            "trailing or doubled '/'"});
}

TEST_CASE("script: bad durations and counts, unknown commands, argument counts") {
    std::vector<ScriptError> errors;
    parse("advance 5\nadvance 10q\nadvance 1_\nadvance 99999999999999999999h\nfail_start a -1\n"
          "fail_start a 1000001\nstrat_child a\nexit a\ncrash a b c\n",
          errors);
    CHECK(messages(errors) ==
          std::vector<std::string>{
              "1:9 bad duration '5': a duration needs a unit: ms, s, m or h",
              "2:9 bad duration '10q': unknown unit 'q': expected ms, s, m or h",
              "3:9 bad duration '1_': misplaced '_'",
              "4:9 bad duration '99999999999999999999h': longer than the simulator's clock can go "
              "(1000000h)",
              "5:14 the count of 'fail_start' must be a positive integer, found '-1'",
              "6:14 the count of 'fail_start' can be at most 1000000, found 1000001",
              "7:1 unknown command 'strat_child' (did you mean 'start_child'?)",
              "8:7 'exit' needs a reason (normal or shutdown): exit PATH normal|shutdown",
              "9:11 unexpected argument 'c': crash PATH [REASON]"});
}

TEST_CASE("script: the error count is bounded, whatever the input") {
    std::vector<ScriptError> errors;
    std::string garbage;
    for (int i = 0; i < 10'000; ++i)
        garbage += "\x01\xff zz \"\n";
    parse(garbage, errors);
    CHECK(errors.size() == kMaxScriptErrors + 1);
    CHECK(errors.back().message.find("too many errors") == 0);
}

TEST_CASE("model: the standard kinds are the trees their components build") {
    MapEnvironment env;
    auto e = elaborateText(R"(
import "std";
worker Job = "sim::Job" from "job.hpp";
application App {
    child registry = std.Registry;
    child pool     = std.Pool(of = Job, size = 5);
    child shards   = std.PartitionSupervisor(of = Job, partitions = 2);
    child tasks    = std.TaskSupervisor(max_children = 7);
}
)",
                           env);
    REQUIRE(e.tree);
    std::string why;
    ModelPtr m = buildModel(*e.tree, why);
    REQUIRE(m);
    const SimNode& root = *m->root;
    REQUIRE(root.children.size() == 4);
    CHECK(root.children[0]->kind == SimNode::Kind::Worker);
    const SimNode& pool = *root.children[1];
    CHECK(pool.kind == SimNode::Kind::Supervisor);
    CHECK(pool.supervisor.flags.strategy == sup::Strategy::rest_for_one);
    CHECK(pool.supervisor.flags.intensity == 3);
    CHECK(pool.supervisor.flags.period == std::chrono::seconds(5));
    REQUIRE(pool.children.size() == 2);
    CHECK(pool.children[0]->id == "dispatcher");
    CHECK(pool.children[0]->isStandIn());
    const SimNode& workers = *pool.children[1];
    CHECK(workers.id == "workers");
    CHECK(workers.supervisor.flags.strategy == sup::Strategy::one_for_one);
    CHECK(workers.supervisor.flags.intensity == 5); // max(3, size)
    REQUIRE(workers.children.size() == 5);
    CHECK(workers.children[4]->id == "4");
    const SimNode& shards = *root.children[2];
    REQUIRE(shards.children.size() == 2);
    CHECK(shards.children[0]->id == "0");
    const SimNode& tasks = *root.children[3];
    CHECK(tasks.kind == SimNode::Kind::Dynamic);
    CHECK(tasks.supervisor.max_children == std::optional<size_t>(7));
    CHECK(tasks.templ->restart() == sup::Restart::temporary);
    CHECK(tasks.templ->shutdown() == sup::Shutdown::timeout(std::chrono::milliseconds(5000)));
    CHECK(staticPaths(*m) == std::vector<std::string>{"", "registry", "pool", "pool/dispatcher",
                                                      "pool/workers", "pool/workers/0",
                                                      "pool/workers/1", "pool/workers/2",
                                                      "pool/workers/3", "pool/workers/4", "shards",
                                                      "shards/0", "shards/1", "tasks"});
}

TEST_CASE("model: paths resolve to nodes, dynamic children to the template") {
    MapEnvironment env;
    auto e = elaborateText(kServices, env);
    REQUIRE(e.tree);
    std::string why;
    ModelPtr m = buildModel(*e.tree, why);
    REQUIRE(m);
    CHECK(resolve(*m, "services/cache").node->id == "cache");
    PathTarget dyn = resolve(*m, "connections/12");
    REQUIRE(dyn.node);
    CHECK(dyn.node->isTemplate);
    CHECK(dyn.dynamicChild);
    CHECK(resolve(*m, "services/cahce").problem ==
          "no node 'services/cahce': 'services' has no child 'cahce' (did you mean "
          "'services/cache'?)");
    CHECK(resolve(*m, "connections/01").problem.find("numbered in start order") !=
          std::string::npos);
}

TEST_CASE("sim: the trace is JSON lines with event, path, reason and t_ms") {
    Simulated s = run(kServices, "crash repo \"say \\\"hi\\\"\\n\"\n");
    CHECK(s.result.status == SimResult::Status::Ok);
    CHECK(s.trace == "{\"event\":\"start\",\"path\":\"repo\",\"t_ms\":0}\n"
                     "{\"event\":\"start\",\"path\":\"services/cache\",\"t_ms\":0}\n"
                     "{\"event\":\"start\",\"path\":\"services/mailer\",\"t_ms\":0}\n"
                     "{\"event\":\"start\",\"path\":\"services\",\"t_ms\":0}\n"
                     "{\"event\":\"start\",\"path\":\"connections\",\"t_ms\":0}\n"
                     "{\"event\":\"start\",\"path\":\"\",\"t_ms\":0}\n"
                     "{\"event\":\"exit\",\"path\":\"repo\",\"reason\":\"say \\\"hi\\\"\\n\","
                     "\"t_ms\":0}\n"
                     "{\"event\":\"start\",\"path\":\"repo\",\"t_ms\":0}\n");
    SimOptions bare;
    bare.timestamps = false;
    CHECK(run(kServices, "", bare).trace.find("t_ms") == std::string::npos);
}

TEST_CASE("sim: the same script gives the same trace on every run") {
    const char* script = "start_child connections\nhang services/mailer\ncrash services/cache\n"
                         "crash connections/1\nadvance 2s\nfail_start repo 1\ncrash repo\nstop\n";
    std::string first = run(kServices, script).trace;
    for (int i = 0; i < 10; ++i)
        CHECK(run(kServices, script).trace == first);
}

TEST_CASE("sim: a restart loop that would not end is stopped by the event guard") {
    const char* spec = R"(
worker W = "sim::W" from "w.hpp";
application App {
    intensity = 100000000 per 1s;
    child a = W;
}
)";
    SimOptions options;
    options.maxEventsPerLine = 1000;
    Simulated s = run(spec, "fail_start a 1000000\ncrash a\nstop\n", options);
    CHECK(s.result.status == SimResult::Status::Stuck);
    REQUIRE(s.result.errors.size() == 1);
    CHECK(s.result.errors[0].loc.line == 2);
    CHECK(s.result.errors[0].message.find("had not settled after 1000 events") !=
          std::string::npos);
}

TEST_CASE("sim: run-time refusals stop the simulation at their line") {
    Simulated s = run(kServices, "start_child connections\nstart_child connections\n"
                                 "start_child connections\nstop\n");
    CHECK(s.result.status == SimResult::Status::BadScript);
    REQUIRE(s.result.errors.size() == 1);
    CHECK(s.result.errors[0].loc.line == 3);
    CHECK(s.trace.find("\"path\":\"connections/2\"") != std::string::npos);
    CHECK(s.trace.find("\"path\":\"connections/3\"") == std::string::npos);
}

TEST_CASE("sim: a hung child with infinity shutdown is reported, not waited for") {
    const char* spec = R"(
worker W = "sim::W" from "w.hpp" { shutdown = infinity; }
application App { child a = W; }
)";
    Simulated s = run(spec, "hang a\nterminate_child a\n");
    CHECK(s.result.status == SimResult::Status::Stuck);
    REQUIRE(s.result.errors.size() == 1);
    CHECK(s.result.errors[0].message.find("waits forever for 'a'") != std::string::npos);
}

TEST_CASE("sim: the virtual clock stops at its limit") {
    Simulated s = run(kServices, "advance 1000000h\nadvance 1ms\n");
    CHECK(s.result.status == SimResult::Status::BadScript);
    REQUIRE(s.result.errors.size() == 1);
    CHECK(s.result.errors[0].loc.line == 2);
}
