// "Did you mean ...?": the closest known name to a misspelt one.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace supc {

/// The candidate closest to `typo` by edit distance (case-insensitive, transpositions
/// count as one edit), if it is close enough to be a plausible typo: at most a third of
/// the longer name's length, and at least one character shared. Ties go to the first.
std::optional<std::string> closestMatch(std::string_view typo,
                                        const std::vector<std::string>& candidates);

/// Optimal string alignment distance (Levenshtein plus adjacent transpositions).
unsigned editDistance(std::string_view a, std::string_view b);

} // namespace supc
