#include "Command.h"
#include "supc/Driver.h"
#include "supc/Dump.h"
#include "supc/Elaborator.h"

#include <llvm/Support/raw_ostream.h>

namespace supc::tool {

namespace {
int runDump(const CommandContext& ctx, const std::vector<std::string>& args) {
    driver::CommonOptions options;
    std::string root;
    driver::ArgParser parser("dump");
    options.addTo(parser);
    parser.option("--root", &root);
    std::vector<std::string> files;
    if (!parser.parse(args, files, llvm::errs()))
        return driver::ExitUsage;
    if (files.empty())
        return driver::usageError(llvm::errs(), "dump", "no input file");
    if (files.size() > 1)
        return driver::usageError(llvm::errs(), "dump", "dump takes one file");
    auto session = driver::Session::create(options, "dump", ctx.argv0, llvm::errs());
    if (!session)
        return driver::ExitUsage;
    auto [program, tree] = session->elaborateRoot(files[0], root);
    if (!tree)
        return session->finish();
    dumpTreeJson(*tree, llvm::outs());
    return session->finish();
}
} // namespace

const Command kDumpCommand = {
    "dump",
    "print the elaborated tree as JSON",
    "supc dump FILE [--root NAME] [options]",
    "Checks FILE, elaborates one tree (loops expanded, ids interpolated, every default\n"
    "filled in) and prints it as JSON on standard output; docs/cli.md gives the schema.\n"
    "env() consts read the environment (their default when unset); schedulers() is the\n"
    "number of hardware threads, or $SUPC_SCHEDULERS. FILE '-' reads standard input.\n\n"
    "options:\n"
    "  --root NAME           the supervisor, dynamic supervisor or application to start\n"
    "                        from (default: the file's only application)\n"
    "  --stdlib DIR          where 'import \"std\";' looks\n"
    "  --format=human|json|github   how diagnostics are printed (json: an array on stdout;\n"
    "                        github: GitHub Actions annotations on stdout)\n"
    "  --color[=WHEN]        colours: auto (default: on a terminal, unless NO_COLOR is set),\n"
    "                        always (--color alone) or never\n"
    "  --error-limit N       stop after N errors (default 50; 0: no limit)\n\n"
    "exit status: 0 printed, 2 the spec has errors or no root, 64 usage error\n",
    runDump,
};

} // namespace supc::tool
