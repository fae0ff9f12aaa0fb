// `supc impact FILE --crash PATH`: what restarts when PATH crashes, and how many crashes of
// PATH bring each ancestor down (docs/impact.md). The path lookup and the report are
// compiler/lib/Analysis's (TreePath.h, ImpactReport.h); this file reads the command line.
#include "Command.h"
#include "supc/Driver.h"
#include "supc/Elaborator.h"
#include "supc/TextEscape.h"
#include "supc/analysis/ImpactReport.h"
#include "supc/analysis/TreePath.h"

#include <llvm/Support/raw_ostream.h>

namespace supc::tool {

namespace {

int runImpact(const CommandContext& ctx, const std::vector<std::string>& args) {
    driver::CommonOptions options;
    std::string root;
    std::vector<std::string> crashes; // repeated, to tell `--crash ''` (the root) from none
    driver::ArgParser parser("impact");
    parser.option("--root", &root);
    parser.repeated("--crash", &crashes);
    parser.option("--stdlib", &options.stdlib);
    options.addColorTo(parser);
    parser.option("--error-limit", &options.errorLimit);
    std::vector<std::string> files;
    if (!parser.parse(args, files, llvm::errs()))
        return driver::ExitUsage;
    if (files.empty())
        return driver::usageError(llvm::errs(), "impact", "no input file");
    if (files.size() > 1)
        return driver::usageError(llvm::errs(), "impact", "impact takes one file");
    if (crashes.empty())
        return driver::usageError(llvm::errs(), "impact", "no path: give one with --crash PATH");
    if (crashes.size() > 1)
        return driver::usageError(llvm::errs(), "impact", "give one --crash PATH, not several");
    const std::string& crash = crashes.front();

    auto session = driver::Session::create(options, "impact", ctx.argv0, llvm::errs());
    if (!session)
        return driver::ExitUsage;
    auto [program, tree] = session->elaborateRoot(files[0], root);
    if (!tree)
        return session->finish();
    if (int status = session->finish(); status != driver::ExitOk)
        return status;

    analysis::PathLookup target = analysis::lookupPath(*tree, crash);
    if (!target.node) {
        llvm::errs() << "supc impact: error: " << escapeForTerminal(target.problem) << "\n";
        return driver::ExitSpecError;
    }
    // Ids cannot hold control characters, but the report is escaped line by line all the
    // same, as all human output is (docs/cli.md).
    std::string report;
    llvm::raw_string_ostream os(report);
    analysis::writeImpactReport(*target.node, crash, os);
    os.flush();
    for (llvm::StringRef rest = report; !rest.empty();) {
        auto [line, after] = rest.split('\n');
        llvm::outs() << escapeForTerminal(line) << "\n";
        rest = after;
    }
    return driver::ExitOk;
}

} // namespace

const Command kImpactCommand = {
    "impact",
    "what restarts when a node crashes, and how many crashes take each ancestor down",
    "supc impact FILE [--root NAME] --crash PATH [options]",
    "Checks FILE, elaborates one tree (as dump does) and answers statically, from the\n"
    "strategies, restart types and intensities along the path:\n"
    "  - what PATH's supervisor stops and starts again when PATH crashes once;\n"
    "  - if it keeps crashing, how many crashes within which period bring each ancestor\n"
    "    down (and what the next one up restarts then), up to the root, or where and why\n"
    "    escalation stops (a transient or temporary parent, backoff, a C++ supervisor).\n"
    "The arithmetic is lint rule L006's (supc explain L006). PATH is child ids from the\n"
    "root joined by '/' (services/cache); '' is the root; a dynamic supervisor's children\n"
    "are numbered (connections/1). docs/impact.md has the details.\n\n"
    "options:\n"
    "  --crash PATH          the node that crashes\n"
    "  --root NAME           the supervisor, dynamic supervisor or application to analyse\n"
    "                        (default: the file's only application)\n"
    "  --stdlib DIR          where 'import \"std\";' looks\n"
    "  --color[=WHEN]        colours: auto (default: on a terminal, unless NO_COLOR is set),\n"
    "                        always (--color alone) or never\n"
    "  --error-limit N       stop after N errors (default 50; 0: no limit)\n\n"
    "exit status: 0 printed, 2 the spec has errors, no root, or PATH names no node,\n"
    "64 usage error\n",
    runImpact,
};

} // namespace supc::tool
