#include "Command.h"
#include "supc/Driver.h"
#include "supc/EditDistance.h"
#include "supc/ErrorCatalog.h"
#include "supc/lint/Lint.h"

#include <llvm/Support/raw_ostream.h>

namespace supc::tool {

namespace {
int runExplain(const CommandContext&, const std::vector<std::string>& args) {
    lint::registerRuleCatalog(); // L-codes next to the E-codes
    bool all = false, markdown = false, list = false;
    driver::ArgParser parser("explain");
    parser.flag("--all", &all);
    parser.flag("--markdown", &markdown);
    parser.flag("--list", &list);
    std::vector<std::string> codes;
    if (!parser.parse(args, codes, llvm::errs()))
        return driver::ExitUsage;
    auto& out = llvm::outs();
    if (list) {
        for (const CodeInfo* e : allCodes())
            out << e->code << "  " << e->name << ": " << e->title << "\n";
        return driver::ExitOk;
    }
    if (all) {
        if (!codes.empty())
            return driver::usageError(llvm::errs(), "explain", "--all takes no codes");
        if (markdown) {
            out << renderCatalogMarkdown();
        } else {
            bool first = true;
            for (const CodeInfo* e : allCodes()) {
                out << (first ? "" : "\n") << renderExplanation(*e, false);
                first = false;
            }
        }
        return driver::ExitOk;
    }
    if (codes.empty())
        return driver::usageError(llvm::errs(), "explain", "which code? (e.g. supc explain E012)");
    for (size_t i = 0; i < codes.size(); ++i) {
        const CodeInfo* e = findCode(codes[i]);
        if (!e) {
            std::vector<std::string> known;
            for (const CodeInfo* k : allCodes())
                known.emplace_back(k->code);
            std::string msg = "unknown code '" + codes[i] + "'";
            if (auto guess = closestMatch(codes[i], known))
                msg += " (did you mean '" + *guess + "'?)";
            return driver::usageError(llvm::errs(), "explain", msg);
        }
        out << (i ? "\n" : "") << renderExplanation(*e, markdown);
    }
    return driver::ExitOk;
}
} // namespace

const Command kExplainCommand = {
    "explain",
    "explain an error code or a lint rule: what it means, an example, the fix",
    "supc explain CODE... | --all [--markdown] | --list",
    "Prints the long explanation of each CODE: an error (E012), with a spec that shows it\n"
    "and the corrected spec; or a lint rule (L002), with a spec it fires on and the nearest\n"
    "spec it does not fire on.\n\n"
    "options:\n"
    "  --all        every code, errors then lint rules\n"
    "  --markdown   Markdown instead of plain text (--all --markdown is docs/errors.md, the\n"
    "               errors only; `supc lint --rules --markdown` is docs/lint.md's rules)\n"
    "  --list       one line per code\n\n"
    "exit status: 0 explained, 64 unknown code or usage error\n",
    runExplain,
};

} // namespace supc::tool
