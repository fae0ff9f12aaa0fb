#include "Command.h"
#include "supc/Driver.h"

#include <llvm/Support/raw_ostream.h>

namespace supc::tool {

namespace {
int runHelp(const CommandContext&, const std::vector<std::string>& args) {
    if (args.empty()) {
        printOverview();
        return driver::ExitOk;
    }
    if (args.size() > 1)
        return driver::usageError(llvm::errs(), "help", "help takes one command name");
    return printCommandHelp(args[0]);
}
} // namespace

const Command kHelpCommand = {
    "help",
    "show help for a command",
    "supc help [COMMAND]",
    "Without a command, lists the commands; with one, shows its usage and options.\n",
    runHelp,
};

} // namespace supc::tool
