// A subcommand of `supc`. Each lives in its own file (CheckCommand.cpp, ...) and is listed
// once in Commands.cpp; adding a command is adding a file and a line there.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace supc::tool {

struct CommandContext {
    const char* argv0;
};

struct Command {
    std::string_view name;
    std::string_view summary; // one line, for `supc --help`
    std::string_view usage;   // "supc check FILE... [options]"
    std::string_view help;    // the rest of `supc help NAME`
    int (*run)(const CommandContext& ctx, const std::vector<std::string>& args);
};

/// Every command, in the order `supc --help` lists them.
std::span<const Command* const> commands();
const Command* findCommand(std::string_view name);

/// `supc --help`, and `supc help NAME`.
void printOverview();
int printCommandHelp(std::string_view name);
/// Their texts: what `supc --help` and `supc help NAME` print.
std::string overviewText();
std::string commandHelpText(const Command& command);

/// Generated from the same texts (HelpFormats.cpp), so that they cannot drift from
/// `supc help`: the man page supc(1) (`command` null) or supc-NAME(1), in roff; the
/// options a command's help lists (`--format`, `-w`, ...); shell completion scripts.
std::string renderManPage(const Command* command);
std::vector<std::string> commandOptions(const Command& command);
std::string renderCompletion(std::string_view shell); // "bash" or "zsh"; empty otherwise

extern const Command kCheckCommand;
extern const Command kCompileCommand;
extern const Command kDumpCommand;
extern const Command kExplainCommand;
extern const Command kFmtCommand;
extern const Command kGraphCommand;
extern const Command kHelpCommand;
extern const Command kImpactCommand;
extern const Command kLintCommand;
extern const Command kLspCommand;
extern const Command kRunCommand;
extern const Command kSimCommand;

} // namespace supc::tool
