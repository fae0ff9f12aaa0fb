#include "Command.h"
#include "supc/Driver.h"
#include "supc/Elaborator.h"
#include "supc/Graph.h"

#include <charconv>
#include <llvm/Support/raw_ostream.h>
#include <tuple>

namespace supc::tool {

namespace {
int runGraph(const CommandContext& ctx, const std::vector<std::string>& args) {
    driver::CommonOptions options; // diagnostics are human-readable: --format is the picture's
    std::string root, format = "dot", collapse, maxChildren;
    driver::ArgParser parser("graph");
    parser.option("--root", &root);
    parser.option("--format", &format);
    parser.option("--collapse", &collapse);
    parser.option("--max-children", &maxChildren);
    parser.option("--stdlib", &options.stdlib);
    options.addColorTo(parser);
    parser.option("--error-limit", &options.errorLimit);
    std::vector<std::string> files;
    if (!parser.parse(args, files, llvm::errs()))
        return driver::ExitUsage;
    if (files.empty())
        return driver::usageError(llvm::errs(), "graph", "no input file");
    if (files.size() > 1)
        return driver::usageError(llvm::errs(), "graph", "graph takes one file");

    GraphOptions graph;
    if (format == "dot")
        graph.format = GraphFormat::Dot;
    else if (format == "mermaid")
        graph.format = GraphFormat::Mermaid;
    else
        return driver::usageError(llvm::errs(), "graph",
                                  "--format takes dot or mermaid, not '" + format + "'");
    for (auto [name, text, out] :
         {std::tuple{"--collapse", &collapse, &graph.collapseRuns},
          std::tuple{"--max-children", &maxChildren, &graph.maxChildren}}) {
        if (text->empty())
            continue;
        auto [p, ec] = std::from_chars(text->data(), text->data() + text->size(), *out);
        if (ec != std::errc() || p != text->data() + text->size())
            return driver::usageError(llvm::errs(), "graph",
                                      std::string(name) + " takes a number, not '" + *text + "'");
    }

    auto session = driver::Session::create(options, "graph", ctx.argv0, llvm::errs());
    if (!session)
        return driver::ExitUsage;
    auto [program, tree] = session->elaborateRoot(files[0], root);
    if (!tree)
        return session->finish();
    writeGraph(*tree, graph, llvm::outs());
    return session->finish();
}
} // namespace

const Command kGraphCommand = {
    "graph",
    "draw the elaborated tree (Graphviz dot or Mermaid)",
    "supc graph FILE [--root NAME] [--format=dot|mermaid] [options]",
    "Checks FILE, elaborates one tree (as dump does) and prints it as a Graphviz digraph\n"
    "(render it with 'dot -Tsvg') or a Mermaid flowchart. Each node shows its id, its kind\n"
    "and declaration with the arguments given, a supervisor's strategy and intensity, a\n"
    "dynamic supervisor's max_children and template, a child's restart type and shutdown.\n"
    "Children appear left to right in start order. Supervisors are boxes (3-D: dynamic),\n"
    "workers ellipses; borders and edges are solid for permanent children, dotted for\n"
    "transient, dashed for temporary ones and templates; significant children are bold.\n"
    "docs/graph.md has the details. FILE '-' reads standard input.\n\n"
    "options:\n"
    "  --root NAME           the supervisor, dynamic supervisor or application to draw\n"
    "                        (default: the file's only application)\n"
    "  --format=dot|mermaid  the output syntax (default: dot)\n"
    "  --collapse N          draw runs of N or more identical sibling workers as one node\n"
    "                        (default 5; 0: draw every node)\n"
    "  --max-children N      draw at most N boxes under a supervisor, then one box for\n"
    "                        the rest (default 50; 0: no limit)\n"
    "  --stdlib DIR          where 'import \"std\";' looks\n"
    "  --color[=WHEN]        colours: auto (default: on a terminal, unless NO_COLOR is set),\n"
    "                        always (--color alone) or never\n"
    "  --error-limit N       stop after N errors (default 50; 0: no limit)\n\n"
    "exit status: 0 printed, 2 the spec has errors or no root, 64 usage error\n",
    runGraph,
};

} // namespace supc::tool
