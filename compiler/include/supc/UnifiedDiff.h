// Unified diffs (`diff -u`, `gofmt -d`), for `supc fmt --diff`.
#pragma once

#include <string>
#include <string_view>

namespace supc {

/// The hunks of a unified diff from `before` to `after`, compared line by line: each hunk
/// `@@ -l,n +l,n @@` (`,n` left out when n is 1; an empty side is `l,0` with l the line
/// before it, as GNU diff writes them) with `context` unchanged lines around the changes,
/// hunks closer than 2 * context merged, and `\ No newline at end of file` after a last
/// line without one. Empty when the texts are equal. The edit script is a shortest one
/// (dtl's O(NP) algorithm of Wu, Manber and Myers).
std::string unifiedDiffHunks(std::string_view before, std::string_view after, unsigned context = 3);

/// `--- fromName`, `+++ toName`, then the hunks; empty when the texts are equal.
std::string unifiedDiff(std::string_view before, std::string_view after, std::string_view fromName,
                        std::string_view toName, unsigned context = 3);

} // namespace supc
