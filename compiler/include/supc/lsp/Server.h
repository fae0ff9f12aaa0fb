// supc lsp: the Language Server Protocol server (docs/editors.md).
//
// One thread reads messages (Transport.h) into a queue and records cancellations as they
// arrive; the main thread answers them in order. Edits are applied at once (incremental
// sync) but analysed later: a document is re-checked when no message has arrived for the
// debounce delay, or at once when a request needs it, so a burst of keystrokes costs one
// analysis. A request cancelled before it is answered gets RequestCancelled; a request
// over the workspace (references, rename, workspace symbols) looks for its cancellation
// between files.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace supc::lsp {

struct ServerOptions {
    std::string stdlibDir;
    /// How long after the last edit diagnostics are computed.
    unsigned debounceMs = 40;
    /// The most .sup files read from the workspace folders for cross-file requests.
    unsigned maxWorkspaceFiles = 2000;
};

class Server {
public:
    Server(int inFd, int outFd, ServerOptions options);
    ~Server();
    /// Serves until `exit` (or the end of input). Returns the process exit status LSP
    /// asks for: 0 after `shutdown` then `exit`, 1 otherwise.
    int run();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace supc::lsp
