// Limits that keep bad or hostile input from exhausting the stack, memory or time.
// Each one is reported as E004 with the number, and documented in docs/language.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace supc::limits {

/// Largest input read: a spec, an import, standard input, a sim script, a .supc-lint file;
/// a regular file, a pipe, a FIFO or a device (a 100,000-child spec written out child by
/// child is ~6 MiB). Nothing past it is read (InputFile.h).
inline constexpr size_t kMaxInputBytes = 64u << 20;
/// Longest duration: what the runtime's nanosecond clock (a signed 64-bit count of
/// nanoseconds) can hold, in whole milliseconds, about 2,562,047 hours. Longer duration
/// literals and results are errors (E032).
inline constexpr int64_t kMaxDurationMs = INT64_MAX / 1'000'000;
/// kMaxDurationMs as messages say it (a unit test keeps them in step).
inline constexpr std::string_view kMaxDurationText = "9223372036854ms (about 2562047h)";
/// Deepest nesting of brackets ( [ { < and of prefix minus signs, checked on the tokens
/// before the (recursive) parser runs.
inline constexpr unsigned kMaxNestingDepth = 100;
/// Longest chain of binary operators in one expression (the AST is a binary tree and
/// every later phase walks it recursively).
inline constexpr unsigned kMaxExpressionDepth = 200;
/// Deepest import chain.
inline constexpr unsigned kMaxImportDepth = 64;
/// Deepest chain of consts defined in terms of each other.
inline constexpr unsigned kMaxConstDepth = 256;
/// Deepest supervision tree after elaboration.
inline constexpr unsigned kMaxTreeDepth = 200;
/// Most nodes in one elaborated tree (a loop over an absurd range stops here, not in
/// the out-of-memory killer; a million nodes take about half a gigabyte).
inline constexpr uint64_t kMaxTreeNodes = 1'000'000;
/// Most "did you mean" suggestions looked for in one run (each may compare a name with
/// every name of a spec); later errors are reported without one.
inline constexpr unsigned kMaxSuggestions = 100;
/// Default number of errors reported before supc stops (`--error-limit`).
inline constexpr unsigned kDefaultErrorLimit = 50;

} // namespace supc::limits
