// Source locations: byte positions inside buffers owned by an llvm::SourceMgr.
//
// Every AST node, resolved declaration and tree node carries a SourceRange, so that any
// phase (checker, linter, code generator) can point a diagnostic at the exact text.
#pragma once

#include <llvm/Support/SMLoc.h>
#include <llvm/Support/SourceMgr.h>
#include <string>
#include <string_view>

namespace supc {

/// A half-open byte range [begin, end) in one buffer of the SourceMgr. Invalid when begin
/// is null (a value that came from a default rather than from the text).
struct SourceRange {
    llvm::SMLoc begin;
    llvm::SMLoc end;

    SourceRange() = default;
    SourceRange(llvm::SMLoc b, llvm::SMLoc e) : begin(b), end(e) {}
    static SourceRange fromPointers(const char* b, const char* e) {
        return {llvm::SMLoc::getFromPointer(b), llvm::SMLoc::getFromPointer(e)};
    }

    bool isValid() const { return begin.isValid(); }
    explicit operator bool() const { return isValid(); }
    size_t size() const { return isValid() ? size_t(end.getPointer() - begin.getPointer()) : 0; }
    std::string_view text() const {
        return isValid() ? std::string_view(begin.getPointer(), size()) : std::string_view();
    }
    /// The smallest range covering both (either may be invalid).
    static SourceRange join(SourceRange a, SourceRange b) {
        if (!a.isValid())
            return b;
        if (!b.isValid())
            return a;
        return {a.begin.getPointer() < b.begin.getPointer() ? a.begin : b.begin,
                a.end.getPointer() > b.end.getPointer() ? a.end : b.end};
    }
    llvm::SMRange toSMRange() const { return {begin, end}; }
    bool operator==(const SourceRange& o) const { return begin == o.begin && end == o.end; }
};

/// A location as people read it: file name, 1-based line and column (bytes).
struct PresumedLocation {
    std::string file;
    unsigned line = 0;
    unsigned column = 0;
    bool isValid() const { return line != 0; }
};

/// Resolves `loc` to file:line:column, or an invalid location for an invalid SMLoc.
PresumedLocation presumedLocation(const llvm::SourceMgr& sm, llvm::SMLoc loc);

/// The 1-based column of `loc` in Unicode code points (SARIF's and GitHub's columns; each
/// byte that does not continue a UTF-8 sequence counts one), or 0 for an invalid SMLoc.
unsigned codePointColumn(const llvm::SourceMgr& sm, llvm::SMLoc loc);

} // namespace supc
