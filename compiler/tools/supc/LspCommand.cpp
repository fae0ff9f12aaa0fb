#include "Command.h"
#include "supc/Checker.h"
#include "supc/Driver.h"
#include "supc/lsp/Server.h"

#include <csignal>
#include <llvm/Support/raw_ostream.h>
#include <unistd.h>

namespace supc::tool {

namespace {
int runLsp(const CommandContext& ctx, const std::vector<std::string>& args) {
    std::string stdlib;
    bool stdio = false;
    driver::ArgParser parser("lsp");
    parser.option("--stdlib", &stdlib);
    parser.flag("--stdio", &stdio); // what editors pass; stdio is the only transport
    std::vector<std::string> positionals;
    if (!parser.parse(args, positionals, llvm::errs()))
        return driver::ExitUsage;
    if (!positionals.empty())
        return driver::usageError(llvm::errs(), "lsp",
                                  "unexpected argument '" + positionals[0] + "'");
    // A client that goes away mid-reply must end the server with its input, not a signal.
    std::signal(SIGPIPE, SIG_IGN);
    lsp::ServerOptions options;
    options.stdlibDir = findStdlibDir(stdlib, ctx.argv0);
    lsp::Server server(STDIN_FILENO, STDOUT_FILENO, options);
    return server.run();
}
} // namespace

const Command kLspCommand = {
    "lsp",
    "a Language Server Protocol server for editors, on stdin and stdout",
    "supc lsp [--stdio] [--stdlib DIR]",
    "Serves the Language Server Protocol over standard input and output, for editors\n"
    "(set-up for VS Code, Vim and Neovim: docs/editors.md). It checks the editor's buffers as\n"
    "they are typed, saved or not, as `supc lint` checks files (env() at its defaults):\n"
    "diagnostics with fix-its, hover, definition, references, symbols, completion,\n"
    "formatting (the `supc fmt` layout), code actions and rename. An `import` reads an open\n"
    "buffer before the file on disk. Messages go to standard error.\n\n"
    "options:\n"
    "  --stdio        use standard input and output (the default and only transport)\n"
    "  --stdlib DIR   where 'import \"std\";' looks (as for `supc check`)\n\n"
    "exit status: 0 after the client's shutdown and exit, 1 when the input ends or `exit`\n"
    "comes without `shutdown` (as the protocol says), 64 usage error\n",
    runLsp,
};

} // namespace supc::tool
