// `supc fmt`: the canonical layout of a .sup file (docs/fmt.md).
//
// The formatter is the one tool that works on the syntax rather than the checked tree:
// it must keep the text's meaning *and* its comments, which the checked program no longer
// has. It reads the scanner's tokens (comments included, from the hidden channel) of a
// file the parser accepted, and prints every token and every comment again, in order,
// laid out by fixed rules. Only optional punctuation changes: a `;` after a closing `}`
// is dropped, and a trailing comma in a bracketed list is present exactly when the list
// is broken over several lines.
#pragma once

#include "supc/DiagnosticEngine.h"

#include <optional>
#include <string>

namespace supc {

struct FormatOptions {
    unsigned lineWidth = 100; // columns (code points) a line should not exceed
    unsigned indentWidth = 4;
};

struct FormatResult {
    enum class Status {
        Formatted,     // `text` holds the formatted file
        SpecErrors,    // the file has lexical or syntax errors (reported): nothing formatted
        InternalError, // the formatter's own output check failed (a bug): nothing formatted
    };
    Status status = Status::SpecErrors;
    std::string text;
    std::string internalError; // what the output check found
};

/// Formats buffer `bufferId` of the engine's SourceMgr. Errors in the buffer are reported
/// through `diag`. Before returning a Formatted result the formatter scans its own output
/// and checks that it has the same tokens (up to the optional punctuation above) and the
/// same comments, in the same order.
FormatResult formatBuffer(unsigned bufferId, DiagnosticEngine& diag,
                          const FormatOptions& options = {});

/// Reads `path` ("-": standard input) into the engine's SourceMgr, as the checker reads a
/// spec: E001 when it cannot be read, E004 when it is too large. Returns the buffer id.
std::optional<unsigned> loadSpecBuffer(const std::string& path, DiagnosticEngine& diag);

/// Replaces the contents of the file at `path` (symbolic links followed) atomically:
/// writes a temporary file beside it with the same permissions, flushes it to disk, then
/// renames it over the file. A file whose permissions allow no one to write it is refused,
/// even for a user who could replace it. Returns "" on success, else what went wrong; on
/// failure the file is untouched.
std::string replaceFileContents(const std::string& path, std::string_view contents);

} // namespace supc
