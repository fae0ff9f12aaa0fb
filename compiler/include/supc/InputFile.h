// Reading an input: every file supc reads on a user's behalf (a spec, an import, a sim
// script, a .supc-lint file) comes through here, with one size limit, whatever it is: a
// regular file, standard input, a FIFO, a device such as /dev/zero. Nothing is read past
// the limit, so no input can make supc use unbounded memory.
#pragma once

#include "supc/DiagnosticEngine.h"
#include "supc/Limits.h"

#include <llvm/Support/MemoryBuffer.h>
#include <memory>
#include <string>

namespace supc {

struct InputProblem {
    enum class Kind : unsigned char {
        CannotRead, // missing, a directory, no permission, a read error (E001)
        TooLarge,   // more than the limit (E004)
    };
    Kind kind = Kind::CannotRead;
    /// Lowercase, without the file's name. CannotRead: "no such file or directory", "it is
    /// a directory"; TooLarge: "larger than 64 MiB (70000000 bytes)".
    std::string reason;
};

/// The result of readInput: a buffer (named `path`, or "<stdin>" for "-"), or why not.
struct InputFile {
    std::unique_ptr<llvm::MemoryBuffer> buffer;
    InputProblem problem; // when buffer is null
};

/// Reads all of `path` ("-": standard input), at most `limit` bytes: a larger input is
/// TooLarge, and only `limit + 1` bytes of it are ever read. The buffer is NUL-terminated
/// (llvm::SourceMgr's requirement).
InputFile readInput(const std::string& path, size_t limit = limits::kMaxInputBytes);

/// The same, reporting a problem through `diag` (E001: cannot read; E004: too large), at
/// `site` (the import that names the file) or else about the file as a whole; null then.
std::unique_ptr<llvm::MemoryBuffer> readInput(const std::string& path, DiagnosticEngine& diag,
                                              SourceRange site = {});

} // namespace supc
