// Parsing one .sup buffer into an ast::File.
#pragma once

#include "supc/AST.h"
#include "supc/DiagnosticEngine.h"

#include <memory>

namespace supc {

struct ParseResult {
    std::unique_ptr<ast::File> file; // always set; empty when nothing could be parsed
    /// The file cannot be checked: not UTF-8, too large, empty, or its tokens cannot be
    /// read. (Lexical errors in literals are reported but not fatal: the AST is complete.)
    bool fatal = false;
    /// Syntax errors were reported: the declarations they were in are not in `file->decls`
    /// (see ast::File::dropped); the others are, and can be checked.
    bool syntaxErrors = false;
};

/// Parses buffer `bufferId` of the engine's SourceMgr, reporting every lexical and syntax
/// error (up to the engine's limit). `path` is recorded in the AST.
ParseResult parseBuffer(unsigned bufferId, DiagnosticEngine& diag);

/// Checks that `text` is UTF-8 without NUL bytes; on failure returns the byte offset of
/// the first offending byte and a description.
struct EncodingProblem {
    size_t offset;
    std::string what;
};
std::optional<EncodingProblem> findEncodingProblem(std::string_view text);

} // namespace supc
