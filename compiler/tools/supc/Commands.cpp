#include "Command.h"
#include "supc/Driver.h"
#include "supc/EditDistance.h"

#include <llvm/Support/raw_ostream.h>

namespace supc::tool {

namespace {
// The one table of subcommands.
const Command* const kCommands[] = {
    &kCheckCommand,   &kCompileCommand, &kDumpCommand, &kFmtCommand,
    &kGraphCommand,   &kSimCommand,     &kRunCommand,  &kImpactCommand,
    &kExplainCommand, &kLintCommand,    &kLspCommand,  &kHelpCommand,
};
} // namespace

std::span<const Command* const> commands() {
    return kCommands;
}

const Command* findCommand(std::string_view name) {
    for (const Command* c : kCommands)
        if (c->name == name)
            return c;
    return nullptr;
}

std::string overviewText() {
    std::string text;
    llvm::raw_string_ostream out(text);
    out << "supc " SUPC_VERSION " - declarative supervision trees for C++\n\n"
           "usage: supc <command> [options] [arguments]\n\ncommands:\n";
    for (const Command* c : kCommands) {
        out << "  " << c->name;
        for (size_t i = c->name.size(); i < 10; ++i)
            out << ' ';
        out << c->summary << "\n";
    }
    out << "\noptions:\n"
           "  -h, --help  show this help\n"
           "  --version   show supc's version\n\n"
           "exit status: 0 success, 1 findings, 2 the spec has errors, 64 usage error,\n"
           "73 an output cannot be written\n"
           "run 'supc help <command>' for a command's options\n";
    out.flush();
    return text;
}

void printOverview() {
    llvm::outs() << overviewText();
    llvm::outs().flush();
}

std::string commandHelpText(const Command& c) {
    return "usage: " + std::string(c.usage) + "\n\n" + std::string(c.summary) + "\n\n" +
           std::string(c.help);
}

int printCommandHelp(std::string_view name) {
    const Command* c = findCommand(name);
    if (!c) {
        std::vector<std::string> names;
        for (const Command* k : kCommands)
            names.emplace_back(k->name);
        std::string msg = "unknown command '" + std::string(name) + "'";
        if (auto guess = closestMatch(name, names))
            msg += " (did you mean '" + *guess + "'?)";
        return driver::usageError(llvm::errs(), "help", msg);
    }
    llvm::outs() << commandHelpText(*c);
    llvm::outs().flush();
    return driver::ExitOk;
}

} // namespace supc::tool
