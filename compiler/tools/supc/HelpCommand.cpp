#include "Command.h"
#include "supc/Driver.h"

#include <llvm/Support/raw_ostream.h>

namespace supc::tool {

namespace {
int runHelp(const CommandContext&, const std::vector<std::string>& argv) {
    bool man = false;
    std::string completion;
    driver::ArgParser parser("help");
    parser.flag("--man", &man);
    parser.option("--completion", &completion);
    std::vector<std::string> args;
    if (!parser.parse(argv, args, llvm::errs()))
        return driver::ExitUsage;
    if (!completion.empty()) {
        if (man || !args.empty())
            return driver::usageError(llvm::errs(), "help", "--completion takes no command");
        std::string script = renderCompletion(completion);
        if (script.empty())
            return driver::usageError(llvm::errs(), "help",
                                      "--completion takes bash or zsh, not '" + completion + "'");
        llvm::outs() << script;
        return driver::ExitOk;
    }
    if (man) {
        if (args.size() > 1)
            return driver::usageError(llvm::errs(), "help", "help takes one command name");
        const Command* c = args.empty() ? nullptr : findCommand(args[0]);
        if (!args.empty() && !c)
            return printCommandHelp(args[0]); // the unknown-command error
        llvm::outs() << renderManPage(c);
        return driver::ExitOk;
    }
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
    "supc help [COMMAND] [--man] | --completion bash|zsh",
    "Without a command, lists the commands; with one, shows its usage and options.\n\n"
    "options:\n"
    "  --man                 the same text as a man page (roff): supc(1), or supc-COMMAND(1)\n"
    "  --completion SHELL    a completion script for bash or zsh: the commands, and each\n"
    "                        command's options as its help lists them\n",
    runHelp,
};

} // namespace supc::tool
