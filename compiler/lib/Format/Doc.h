// The formatter's layout engine: documents in the style of Wadler's "A prettier printer"
// (as in Prettier and rustfmt's descendants), plus what a formatter that keeps comments
// needs.
//
// A Doc is text with optional line breaks. A Group is printed flat (its Lines as spaces,
// its SoftLines as nothing) when it fits in the remaining width, otherwise broken (each
// Line a newline at the current Nest indent); nested groups decide on their own. A group
// that contains a hard break (Newline, BlankLine, a line comment, a comment on its own
// line, a multi-line comment) is always broken.
//
// Comments are not plain text: a line comment at the end of a line goes into the line's
// comment column (consecutive lines' comments are aligned when the document is printed),
// and whatever non-punctuation text follows it starts a new line.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace supc::format {

struct Doc {
    enum class Kind : uint8_t {
        Text,      // text (a token)
        Glue,      // `,` or `;`: sticks to the code before it, even past a line comment
        Space,     // one space before the next text, unless that text is glue
        Line,      // flat: a space; broken: a newline
        SoftLine,  // flat: nothing; broken: a newline
        Newline,   // always a newline (no blank line)
        BlankLine, // a newline and one empty line (never at the start of the output)
        IfBreak,   // glue printed only when the enclosing group is broken (trailing comma)
        Comment,   // a comment token, see `comment()`
        Nest,      // `parts` indented `indent` more when they break
        Group,     // `parts` flat if they fit
        Concat,    // `parts` in sequence
    };
    Kind kind = Kind::Concat;
    bool isLineComment = false; // Comment
    bool newlineBefore = false; // Comment: starts its own line
    bool newlineAfter = false;  // Comment: nothing followed it on its line
    bool forceBreak = false;    // Group, computed by print()
    bool spaceBefore = false;   // as if a Space came first (saves a part per token)
    int indent = 0;
    /// Not owned: tokens and comments point into the source buffer, which outlives the
    /// document (a document of a big spec has millions of parts).
    std::string_view text;
    std::vector<Doc> parts;
};

using DocList = std::vector<Doc>;

Doc text(std::string_view s);
Doc glue(std::string_view s);
Doc space();
Doc line();
Doc softLine();
Doc newline();
Doc blankLine();
Doc ifBreak(std::string_view s);
/// A comment: `newlineBefore` puts it on a line of its own (at the current indent if the
/// line is empty, else on a continuation line); otherwise a line comment goes into the
/// comment column of the current line and a block comment stays inline.
Doc comment(std::string_view s, bool isLine, bool newlineBefore, bool newlineAfter);
Doc nest(int indent, DocList parts);
Doc group(DocList parts);
Doc concat(DocList parts);

struct PrintOptions {
    int lineWidth = 100;
    int continuationIndent = 4; // extra indent of a line continued after a comment
};

/// Prints `doc` (computing its groups' forced breaks first). The result has no trailing
/// spaces, no blank lines at the start or end, and ends with one newline (empty input:
/// the empty string).
std::string print(Doc& doc, const PrintOptions& options);

/// Display width of UTF-8 text: its number of code points.
int displayWidth(std::string_view s);

} // namespace supc::format
