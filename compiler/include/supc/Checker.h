// The checker: from a spec file to resolved, validated declarations (IR.h).
//
//   load      read the file and, depth first, every file it imports (cycles, missing
//             files); parse each one (Parser.h)
//   declare   one symbol table per file; package placement; duplicate names
//   resolve   types of parameters, consts (evaluated, env() at its default), parameter
//             defaults, settings, bodies; every name bound, every expression typed
//   cycles    supervisors that contain themselves
//
// Elaboration into an instance tree (Elaborator.h) is a separate step that needs a root.
#pragma once

#include "supc/DiagnosticEngine.h"
#include "supc/IR.h"

#include <functional>
#include <llvm/Support/MemoryBuffer.h>
#include <memory>
#include <optional>
#include <string>

namespace supc {

struct CheckOptions {
    /// Where `import` looks after the importing file's directory ("" for nowhere).
    std::string stdlibDir;
    /// Files held in memory that take precedence over the disk (an editor's unsaved
    /// buffers, `supc lsp`): given the path an import would read, returns its text, or
    /// nothing to read the file. The path is the one an import names, joined to the
    /// importing file's directory (or to the stdlib directory), not yet canonical.
    std::function<std::optional<std::string>(const std::string& path)> openBuffer;
};

/// Checks the spec at `path` ("-" reads standard input) and everything it imports.
/// Returns null when the file could not be read or parsed; otherwise the program, which
/// is complete only when `diag.hasErrors()` is false.
std::unique_ptr<ir::Program> checkFile(const std::string& path, DiagnosticEngine& diag,
                                       const CheckOptions& options);

/// The same for a spec in memory (tests); its imports are resolved relative to the
/// directory of the buffer's name.
std::unique_ptr<ir::Program> checkBuffer(std::unique_ptr<llvm::MemoryBuffer> buffer,
                                         DiagnosticEngine& diag, const CheckOptions& options);

/// The identity of a spec file, as ir::Module::canonicalPath records it: the real path
/// (symbolic links resolved), else the absolute path without dots; "<stdin>" for "-".
std::string canonicalSpecPath(const std::string& path);

/// The stdlib directory: `flag` (--stdlib) if given, else $SUPC_STDLIB, else
/// <dir of the executable>/../share/supc/stdlib if it exists, else the source tree's
/// stdlib/ (compiled in).
std::string findStdlibDir(const std::string& flag, const char* argv0);

} // namespace supc
