#include "Command.h"
#include "supc/Driver.h"
#include "supc/Format.h"
#include "supc/TextEscape.h"
#include "supc/UnifiedDiff.h"

#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/raw_ostream.h>

namespace supc::tool {

namespace {
// EX_SOFTWARE: the formatter's check of its own output failed.
constexpr int kExitInternal = 70;

int runFmt(const CommandContext& ctx, const std::vector<std::string>& args) {
    driver::CommonOptions options;
    bool check = false, write = false, diff = false;
    driver::ArgParser parser("fmt");
    parser.flag("--check", &check);
    parser.flag("--write", &write, "-w");
    parser.flag("--diff", &diff, "-d");
    options.addColorTo(parser);
    parser.option("--error-limit", &options.errorLimit);
    std::vector<std::string> files;
    if (!parser.parse(args, files, llvm::errs()))
        return driver::ExitUsage;
    if (files.empty())
        return driver::usageError(llvm::errs(), "fmt", "no input file");
    if (int(check) + int(write) + int(diff) > 1)
        return driver::usageError(llvm::errs(), "fmt",
                                  "--check, --write and --diff exclude each other");
    if (write)
        for (const auto& f : files)
            if (f == "-")
                return driver::usageError(llvm::errs(), "fmt",
                                          "--write cannot rewrite standard input");
    auto session = driver::Session::create(options, "fmt", ctx.argv0, llvm::errs());
    if (!session)
        return driver::ExitUsage;

    int status = driver::ExitOk;
    auto fail = [&](int code) { status = std::max(status, code); };
    for (const auto& path : files) {
        std::optional<unsigned> id = loadSpecBuffer(path, session->diag());
        FormatResult result;
        if (id)
            result = formatBuffer(*id, session->diag());
        session->endFile();
        if (!id || result.status == FormatResult::Status::SpecErrors) {
            fail(driver::ExitSpecError);
            continue;
        }
        std::string shown = path == "-" ? "<stdin>" : escapeForTerminal(path);
        if (result.status == FormatResult::Status::InternalError) {
            llvm::errs() << "supc fmt: internal error: cannot format '" << shown
                         << "': " << escapeForTerminal(result.internalError)
                         << " (please report this; nothing was changed)\n";
            fail(kExitInternal);
            continue;
        }
        llvm::StringRef original = session->sourceMgr().getMemoryBuffer(*id)->getBuffer();
        bool changed = original != result.text;
        if (diff) {
            // gofmt -d: a unified diff from the file (as FILE.orig) to its formatted text,
            // which `patch -p0` applies.
            if (changed) {
                llvm::outs() << "diff -u " << shown << ".orig " << shown << "\n"
                             << unifiedDiff(original, result.text, shown + ".orig", shown);
                fail(driver::ExitFindings);
            }
        } else if (check) {
            if (changed) {
                llvm::outs() << shown << "\n";
                fail(driver::ExitFindings);
            }
        } else if (write) {
            if (!changed)
                continue;
            std::string problem = replaceFileContents(path, result.text);
            if (!problem.empty()) {
                llvm::errs() << "supc fmt: error: cannot write '" << shown << "': " << problem
                             << "\n";
                fail(driver::ExitSpecError);
            }
        } else {
            llvm::outs() << result.text;
        }
    }
    llvm::outs().flush();
    int checked = session->finish();
    return std::max(status, checked);
}
} // namespace

const Command kFmtCommand = {
    "fmt",
    "print specs in the canonical layout (keeps comments)",
    "supc fmt FILE... [--check | --write | --diff] [options]",
    "Prints each FILE in the canonical layout on standard output: 4-space indents, one\n"
    "item per line, '=' aligned in runs of settings, children and consts, comments and\n"
    "single blank lines kept, lists broken one element per line past 100 columns.\n"
    "Formatting is idempotent and changes no meaning; docs/fmt.md gives the rules.\n"
    "A file with syntax errors is not formatted: its errors are printed instead.\n"
    "FILE '-' reads standard input.\n\n"
    "options:\n"
    "  --check               print nothing but the names of files that are not formatted;\n"
    "                        exit 1 if there are any (for CI)\n"
    "  -d, --diff            print a unified diff of each file that is not formatted to its\n"
    "                        formatted text (as gofmt -d; `patch -p0` applies it); exit 1\n"
    "                        if there is any\n"
    "  -w, --write           rewrite files that are not formatted, in place (atomically:\n"
    "                        a temporary file renamed over the original)\n"
    "  --color[=WHEN]        colours: auto (default: on a terminal, unless NO_COLOR is set),\n"
    "                        always (--color alone) or never\n"
    "  --error-limit N       stop after N errors (default 50; 0: no limit)\n\n"
    "exit status: 0 done (--check, --diff: every file is formatted), 1 --check or --diff\n"
    "found files to format, 2 a file has errors or could not be read or written, 64 usage error,\n"
    "70 internal error (nothing was changed)\n",
    runFmt,
};

} // namespace supc::tool
