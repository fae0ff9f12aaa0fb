// `supc graph`: the elaborated tree (Tree.h) as a picture, in Graphviz dot or Mermaid
// (docs/graph.md).
//
// Two steps: the tree becomes a GraphModel — one box per node, template or collapsed run
// of identical workers, each with its label lines and its style in abstract terms — and a
// writer prints the model in one syntax. Every value shown comes from the elaborated tree:
// defaults are already filled in there.
#pragma once

#include "supc/Tree.h"

#include <string>
#include <vector>

namespace llvm {
class raw_ostream;
}

namespace supc {

enum class GraphFormat { Dot, Mermaid };

struct GraphOptions {
    GraphFormat format = GraphFormat::Dot;
    /// Runs of at least this many consecutive sibling workers of one declaration, with the
    /// same restart type, shutdown and significance, become one box ("worker_1 … worker_10",
    /// "10× worker PoolWorker"). 0 or 1: never collapse.
    unsigned collapseRuns = 5;
    /// At most this many boxes under one supervisor (a collapsed run is one); the rest
    /// become one "… N more children" box and their subtrees are not drawn. 0: no limit.
    unsigned maxChildren = 50;
};

/// One box of the picture.
struct GraphNode {
    enum class Shape { Supervisor, DynamicSupervisor, Worker };
    /// The border (and the edge from the parent): the restart type — permanent solid,
    /// transient dotted, temporary dashed; a template is always dashed.
    enum class Border { Solid, Dotted, Dashed };

    Shape shape = Shape::Worker;
    Border border = Border::Solid;
    bool significant = false;
    bool isTemplate = false;        // a dynamic supervisor's (or std.Pool's) template
    bool isElision = false;         // stands for the children beyond GraphOptions::maxChildren
    size_t count = 1;               // more than 1: a collapsed run of workers, or the elided
    std::string title;              // the child id; the declaration for the root; "template"
    std::vector<std::string> lines; // the rest of the label, one entry per line
    int parent = -1;                // index in GraphModel::nodes; -1 for the root
};

struct GraphModel {
    std::string name;             // the root's declaration
    std::vector<GraphNode> nodes; // depth first, children in start order
};

GraphModel buildGraphModel(const Tree& tree, const GraphOptions& options);

/// Graphviz: `ordering=out` and edges in start order keep children left to right.
void writeDot(const GraphModel& model, llvm::raw_ostream& os);
/// Mermaid `flowchart TB`, nodes and edges in declaration (start) order.
void writeMermaid(const GraphModel& model, llvm::raw_ostream& os);

void writeGraph(const Tree& tree, const GraphOptions& options, llvm::raw_ostream& os);

} // namespace supc
