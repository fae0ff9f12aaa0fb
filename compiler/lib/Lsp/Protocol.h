// supc lsp, internal: what the features share — converting supc's source ranges to LSP
// locations and back, in the negotiated position encoding.
#pragma once

#include "supc/lsp/Analysis.h"
#include "supc/lsp/Documents.h"

#include <functional>
#include <llvm/Support/JSON.h>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace supc::lsp {

/// The server's view that each feature needs: the encoding, and how a file is named.
struct Context {
    PositionEncoding encoding = PositionEncoding::Utf16;
    /// The URI of a file path (an open document's own URI when it is open).
    std::function<std::string(const std::string& path)> uriOf;
};

/// Positions in the buffers of one analysis (a line table per buffer, made on demand).
class Locator {
public:
    Locator(const Analysis& a, const Context& ctx) : a_(a), ctx_(ctx) {}
    /// The LSP range of `r` in whichever buffer holds it.
    std::optional<Range> range(SourceRange r);
    /// The LSP location {uri, range} of `r` (any module of the program).
    std::optional<llvm::json::Value> location(SourceRange r);
    /// The URI of the file whose buffer holds `loc`.
    std::string uriOf(llvm::SMLoc loc);
    /// The byte offset in the entry buffer of an LSP position.
    size_t entryOffset(Position p);
    /// The LSP position of a byte offset in the entry buffer.
    Position entryPosition(size_t offset);

private:
    const LineTable& table(unsigned buffer);
    const Analysis& a_;
    const Context& ctx_;
    std::map<unsigned, std::unique_ptr<LineTable>> tables_;
};

llvm::json::Value toJson(const Position& p);
llvm::json::Value toJson(const Range& r);
std::optional<Position> positionFrom(const llvm::json::Value* v);
std::optional<Range> rangeFrom(const llvm::json::Value* v);

/// A diagnostic of the entry file as LSP's Diagnostic (range, severity, code, source,
/// message with the notes that have no place, relatedInformation for those that do).
std::optional<llvm::json::Value> toLspDiagnostic(const Diagnostic& d, Locator& loc);

// ------------------------------------------------------------------ features
// Each takes the analysis of the document asked about and answers with the result of the
// LSP request (null when there is nothing to say).

llvm::json::Value hover(const Analysis& a, Locator& loc, Position pos);
llvm::json::Value definition(const Analysis& a, Locator& loc, Position pos);
llvm::json::Value documentSymbols(const Analysis& a, Locator& loc);
llvm::json::Value completion(const Analysis& a, Locator& loc, Position pos);
llvm::json::Value codeActions(const Analysis& a, Locator& loc, const std::string& uri, Range range);
/// The edits that give `text` the `supc fmt` layout: one edit covering what changed, none
/// when it is formatted, null when it has syntax errors (nothing can be formatted).
llvm::json::Value formatting(const std::string& path, const std::string& text,
                             PositionEncoding enc);

} // namespace supc::lsp
