#include "Command.h"
#include "supc/Driver.h"
#include "supc/Elaborator.h"

#include <llvm/Support/raw_ostream.h>

namespace supc::tool {

namespace {
int runCheck(const CommandContext& ctx, const std::vector<std::string>& args) {
    driver::CommonOptions options;
    driver::ArgParser parser("check");
    options.addTo(parser);
    std::vector<std::string> files;
    if (!parser.parse(args, files, llvm::errs()))
        return driver::ExitUsage;
    if (files.empty())
        return driver::usageError(llvm::errs(), "check", "no input files");
    auto session = driver::Session::create(options, "check", ctx.argv0, llvm::errs());
    if (!session)
        return driver::ExitUsage;
    for (const auto& file : files) {
        if (session->diag().limitReached())
            break;
        // Value-dependent rules (ids after loops, needs, empty loops) need the trees; env()
        // reads the environment, as `supc dump` does.
        session->checkAndElaborate(file, Environment::real());
        session->endFile();
    }
    int status = session->finish();
    if (options.format == "human")
        driver::printSummary(llvm::errs(), session->diag());
    return status;
}
} // namespace

const Command kCheckCommand = {
    "check",
    "parse, resolve imports and validate specs",
    "supc check FILE... [options]",
    "Checks each spec (and every spec it imports) and prints every error, clang-style.\n"
    "Besides the declarations, it elaborates each application of each FILE (or, in a file\n"
    "without applications, each supervisor that nothing else uses), so that errors that\n"
    "depend on values (duplicate ids after loops, needs, empty loops) are found too;\n"
    "env() reads the environment, as `supc dump` does.\n"
    "One run reports the errors of every phase, each once: a declaration with a syntax\n"
    "error is dropped and the others are checked; what an error taints is not elaborated,\n"
    "the rest is (docs/cli.md, \"Several errors in one run\").\n"
    "FILE '-' reads standard input.\n\n"
    "options:\n"
    "  --stdlib DIR          where 'import \"std\";' looks (default: $SUPC_STDLIB, then the\n"
    "                        installed stdlib, then the source tree's)\n"
    "  --format=human|json|github\n"
    "                        how diagnostics are printed (json: an array on stdout;\n"
    "                        github: GitHub Actions annotations on stdout, docs/ci.md)\n"
    "  --color[=WHEN]        colours: auto (default: on a terminal, unless NO_COLOR is set),\n"
    "                        always (--color alone) or never\n"
    "  --error-limit N       stop after N errors (default 50; 0: no limit)\n\n"
    "exit status: 0 no errors, 2 errors (or a file cannot be read), 64 usage error\n",
    runCheck,
};

} // namespace supc::tool
