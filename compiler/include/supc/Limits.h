// Limits that keep bad or hostile input from exhausting the stack, memory or time.
// Each one is reported as E004 with the number, and documented in docs/language.md.
#pragma once

#include <cstddef>
#include <cstdint>

namespace supc::limits {

/// Largest spec file read (a 100,000-child spec written out child by child is ~6 MiB).
inline constexpr size_t kMaxFileBytes = 64u << 20;
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
/// Default number of errors reported before supc stops (`--error-limit`).
inline constexpr unsigned kDefaultErrorLimit = 50;

} // namespace supc::limits
