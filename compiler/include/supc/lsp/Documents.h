// supc lsp: the open documents (the editor's buffers, saved or not) and positions in them.
//
// LSP positions are a line and a character offset in the encoding the client and server
// agreed on (UTF-16 code units unless the client offers UTF-8, which supc prefers: its
// diagnostics count bytes). A LineTable converts between them and byte offsets.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace supc::lsp {

enum class PositionEncoding : unsigned char { Utf16, Utf8 };

struct Position {
    uint32_t line = 0, character = 0;
    bool operator==(const Position&) const = default;
};
struct Range {
    Position start, end;
};

/// The line starts of a text, for offset <-> position conversions.
class LineTable {
public:
    explicit LineTable(std::string_view text);
    /// The byte offset of `pos`, clamped to the line (a character past its end is the
    /// end of the line; a line past the last is the end of the text), as LSP asks.
    size_t offset(Position pos, PositionEncoding enc) const;
    Position position(size_t offset, PositionEncoding enc) const;
    size_t lineCount() const { return starts_.size(); }

private:
    std::string_view text_;
    std::vector<size_t> starts_;
};

/// One open document.
struct Document {
    std::string uri;
    std::string path; // the file path the URI names (empty when it is not a file: URI)
    std::string text;
    int64_t version = 0;
    /// Bumped by every change: analyses remember the generation they saw.
    uint64_t generation = 0;
};

/// An incremental (or whole) change, as textDocument/didChange sends it.
struct TextChange {
    std::optional<Range> range; // none: the whole text
    std::string text;
};

/// Applies `change` to `text`. False (and nothing changed) when the range is reversed.
bool applyChange(std::string& text, const TextChange& change, PositionEncoding enc);

class DocumentStore {
public:
    Document& open(const std::string& uri, std::string text, int64_t version);
    /// Applies the changes in order; false if the document is not open or a change is
    /// malformed (the document is then left as it was before the bad change).
    bool change(const std::string& uri, int64_t version, const std::vector<TextChange>& changes,
                PositionEncoding enc);
    void close(const std::string& uri);
    Document* find(const std::string& uri);
    /// By file path (canonical), for import resolution from open buffers.
    const Document* findByPath(const std::string& canonicalPath) const;
    const std::map<std::string, Document>& all() const { return docs_; }

private:
    std::map<std::string, Document> docs_; // by URI
    uint64_t generation_ = 0;
};

/// file:///a/b%20c.sup -> /a/b c.sup (empty for other schemes or a malformed URI).
std::string uriToPath(std::string_view uri);
/// /a/b c.sup -> file:///a/b%20c.sup
std::string pathToUri(std::string_view path);

} // namespace supc::lsp
