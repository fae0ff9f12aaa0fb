// supc: argument parsing and dispatch only; every command is a file of its own.
#include "Command.h"
#include "supc/Driver.h"
#include "supc/EditDistance.h"

#include <llvm/Support/raw_ostream.h>

int main(int argc, char** argv) {
    using namespace supc;
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty()) {
        tool::printOverview();
        return driver::ExitUsage;
    }
    const std::string& first = args[0];
    if (first == "-h" || first == "--help") {
        tool::printOverview();
        return driver::ExitOk;
    }
    if (first == "--version" || first == "version") {
        llvm::outs() << "supc " SUPC_VERSION "\n";
        return driver::ExitOk;
    }
    const tool::Command* command = tool::findCommand(first);
    if (!command) {
        std::vector<std::string> names;
        for (const tool::Command* c : tool::commands())
            names.emplace_back(c->name);
        std::string msg = first.rfind("-", 0) == 0 ? "unknown option '" + first + "'"
                                                   : "unknown command '" + first + "'";
        if (auto guess = closestMatch(first, names))
            msg += " (did you mean '" + *guess + "'?)";
        return driver::usageError(llvm::errs(), "", msg);
    }
    std::vector<std::string> rest(args.begin() + 1, args.end());
    for (const auto& a : rest)
        if (a == "-h" || a == "--help")
            return tool::printCommandHelp(command->name);
    return command->run(tool::CommandContext{argv[0]}, rest);
}
