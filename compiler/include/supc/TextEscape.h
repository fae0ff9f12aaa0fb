// Text that came from outside (spec text, file names, script lines, command-line
// arguments) made safe to print: on a terminal, without control sequences; in JSON, as
// valid UTF-8. docs/cli.md ("Text supc echoes") says what is escaped and how.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace supc {

/// One unit of text: a well-formed UTF-8 sequence (`codePoint` >= 0) or an ill-formed one
/// (`codePoint` == -1, `size` the bytes of its maximal subpart as Unicode §3.9 defines it,
/// at least 1: "\xE2\x82" followed by "A" is one ill-formed unit of 2 bytes).
struct Utf8Unit {
    int32_t codePoint = -1;
    size_t size = 1;
};

/// The unit at the start of `text` (which must not be empty).
Utf8Unit decodeUtf8(std::string_view text);

/// Whether `text` is well-formed UTF-8 throughout.
bool isValidUtf8(std::string_view text);

/// Whether a terminal could act on `codePoint` instead of showing it: the C0 controls
/// (tab and newline included), DEL, the C1 controls, the line and paragraph separators
/// and the bidirectional formatting characters (U+061C, U+200E, U+200F, U+202A-U+202E,
/// U+2066-U+2069), which reorder what follows them on the line.
bool isUnsafeToShow(int32_t codePoint);

/// `text` as it is, except that each code point isUnsafeToShow prints as `<U+XXXX>` (4 to
/// 6 upper-case hex digits) and each byte of ill-formed UTF-8 as `<XX>`:
/// "a\x1b[31m\xff" is "a<U+001B>[31m<FF>". Every human-readable output of supc passes the
/// text it echoes through this.
std::string escapeForTerminal(std::string_view text);

/// A line of source or script text as a snippet under a message shows it, appended to
/// `out`: tabs expanded to the next multiple of 8, the rest as escapeForTerminal shows it.
/// `column` advances by the width shown, so that a caret can be put under any byte: one
/// column per character, two for a wide one (CJK), none for a combining mark, and as many
/// as an escape has characters.
void appendShownLine(std::string_view text, std::string& out, size_t& column);

/// How one unit prints in escapeForTerminal.
std::string escapeUnit(std::string_view bytes, Utf8Unit unit);

/// `text` as valid UTF-8: each ill-formed unit becomes U+FFFD (the replacement
/// character), as Unicode's "maximal subpart" practice and Python's "replace" do; all else
/// is kept. What JSON output does with text that is not UTF-8 (file names, script text).
std::string toValidUtf8(std::string_view text);

} // namespace supc
