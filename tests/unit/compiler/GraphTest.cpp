// supc graph's model: one box per node in start order, templates, collapsed runs.
#include "supc/Graph.h"

#include "TestSupport.h"

#include <catch2/catch.hpp>
#include <fstream>
#include <llvm/Support/raw_ostream.h>
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

std::vector<std::string> titles(const GraphModel& m) {
    std::vector<std::string> out;
    for (const auto& n : m.nodes)
        out.push_back(n.title);
    return out;
}

GraphModel model(const std::string& spec, unsigned collapse = 5, const std::string& root = "") {
    MapEnvironment env;
    auto e = elaborateText(spec, env, root);
    REQUIRE(e.tree);
    GraphOptions options;
    options.collapseRuns = collapse;
    return buildGraphModel(*e.tree, options);
}

} // namespace

TEST_CASE("the example's boxes come depth first, children in start order") {
    GraphModel m = model(exampleSpec());
    CHECK(m.name == "MyApp");
    CHECK(titles(m) == std::vector<std::string>{"MyApp", "repo", "registry", "services", "cache",
                                                "mailer", "pool", "worker_1 \u2026 worker_10",
                                                "connections", "template", "tasks", "template",
                                                "endpoint"});
    // Parents point at the right boxes.
    CHECK(m.nodes[4].parent == 3);  // cache under services
    CHECK(m.nodes[7].parent == 6);  // the run under pool
    CHECK(m.nodes[9].parent == 8);  // the template under connections
    CHECK(m.nodes[10].parent == 0); // tasks under the root
    CHECK(m.nodes[7].count == 10);
    CHECK(m.nodes[9].isTemplate);
    CHECK(m.nodes[9].border == GraphNode::Border::Dashed);
    CHECK(m.nodes[5].border == GraphNode::Border::Dotted); // mailer: transient
    CHECK(m.nodes[8].shape == GraphNode::Shape::DynamicSupervisor);
    // std.TaskSupervisor: the dynamic supervisor of tasks its class is.
    CHECK(m.nodes[10].shape == GraphNode::Shape::DynamicSupervisor);
    CHECK(m.nodes[11].parent == 10);
    CHECK(m.nodes[11].lines[0] == "worker std.TaskSupervisor.task");
    CHECK(m.nodes[3].lines == std::vector<std::string>{"supervisor Services",
                                                       "one_for_all \u00B7 3 per 5s",
                                                       "permanent \u00B7 shutdown infinity"});
}

TEST_CASE("every node is drawn when collapsing is off") {
    GraphModel m = model(exampleSpec(), 0);
    // 1 root, 7 children, 2 in services, 10 in the pool, 2 templates.
    CHECK(m.nodes.size() == 22);
    CHECK(m.nodes[7].title == "worker_1");
    CHECK(m.nodes[7].lines[0] == "worker PoolWorker(worker_id = 1)");
    CHECK(m.nodes[16].title == "worker_10");
}

TEST_CASE("only runs of identical workers collapse") {
    std::string spec = R"(
        worker W(n: int) = "W" from "w.hpp";
        worker V = "V" from "v.hpp";
        supervisor S { child only = V; }
        application A {
            for i in 1..3 { child "a_{i}" = W(n = i); }
            child b_1 = W(n = 0) { restart = temporary; }
            for i in 2..3 { child "b_{i}" = W(n = i) { restart = temporary; } }
            for i in 1..3 { child "v_{i}" = V; }
            for i in 1..4 { child "s_{i}" = S; }
        })";
    GraphModel m = model(spec, 3);
    std::vector<std::string> top;
    for (const auto& n : m.nodes)
        if (n.parent == 0)
            top.push_back(n.title);
    // a_* (permanent) and b_* (temporary) differ in restart type; v_* is another kind;
    // supervisors are never collapsed (their subtrees would be hidden).
    CHECK(top == std::vector<std::string>{"a_1 \u2026 a_3", "b_1 \u2026 b_3", "v_1 \u2026 v_3",
                                          "s_1", "s_2", "s_3", "s_4"});
    // Below a threshold of 4, the runs of three stay expanded.
    CHECK(model(spec, 4).nodes.size() == 1 + 9 + 4 * 2);
}

TEST_CASE("children beyond max_children become one box") {
    std::string spec = R"(
        worker W(n: int) = "W" from "w.hpp";
        supervisor S { child only = W(n = 0); }
        application A {
            child first = S;
            for i in 1..7 { child "w_{i}" = W(n = i); }
            child last = S;
        })";
    MapEnvironment env;
    auto e = elaborateText(spec, env);
    REQUIRE(e.tree);
    GraphOptions options;
    options.collapseRuns = 5;
    options.maxChildren = 2; // first, the run w_1 ... w_7, then the rest
    GraphModel m = buildGraphModel(*e.tree, options);
    CHECK(titles(m) ==
          std::vector<std::string>{"A", "first", "only", "w_1 \u2026 w_7", "\u2026 1 more"});
    CHECK(m.nodes.back().isElision);
    CHECK(m.nodes.back().count == 1);
    CHECK(m.nodes.back().lines ==
          std::vector<std::string>{"1 supervisor", "last to last not drawn"});
    options.maxChildren = 0;
    CHECK(buildGraphModel(*e.tree, options).nodes.size() == 6);
}

TEST_CASE("a deep tree does not exhaust the stack") {
    std::string spec = "worker W = \"W\" from \"w.hpp\";\nsupervisor S0 { child w = W; }\n";
    for (int i = 1; i < 150; ++i)
        spec +=
            "supervisor S" + std::to_string(i) + " { child s = S" + std::to_string(i - 1) + "; }\n";
    spec += "application A { child top = S149; }\n";
    GraphModel m = model(spec);
    CHECK(m.nodes.size() == 152);
    CHECK(m.nodes.back().title == "w");
    CHECK(m.nodes.back().parent == 150);
    std::string dot;
    llvm::raw_string_ostream os(dot);
    writeDot(m, os);
    CHECK(dot.find("n150 -> n151;") != std::string::npos);
}
