// "Did you mean ...?": the closest known name to a misspelt one.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace supc {

/// The candidate closest to `typo` by edit distance (case-insensitive, transpositions
/// count as one edit), if it is close enough to be a plausible typo: at most a third of
/// the longer name's length, and at least one character shared. Ties go to the first.
/// Failing that, the one candidate (if exactly one) that starts with `typo` (3 characters
/// or more): `brutal` for `brutal_kill`.
std::optional<std::string> closestMatch(std::string_view typo,
                                        const std::vector<std::string>& candidates);

/// Optimal string alignment distance (Levenshtein plus adjacent transpositions),
/// case-insensitive.
unsigned editDistance(std::string_view a, std::string_view b);

/// The same, but gives up as soon as the distance is known to exceed `limit`: returns
/// `limit + 1` then. Costs O(|a| |b|) at worst, far less for names that differ early.
unsigned editDistance(std::string_view a, std::string_view b, unsigned limit);

/// Candidates indexed once, for many "did you mean" questions against the same names
/// (every unknown name of a file asks about the same declarations): closest() answers as
/// closestMatch() does, but looks only at candidates of a plausible length and stops each
/// comparison once it cannot win, so that a spec with thousands of misspelt names costs
/// thousands of small lookups, not thousands of scans of every name.
class NameIndex {
public:
    /// Adds a candidate; ties go to the one added first. Duplicates count (two identical
    /// candidates make a prefix ambiguous, as in closestMatch).
    void add(std::string name);
    size_t size() const { return names_.size(); }
    bool empty() const { return names_.empty(); }

    std::optional<std::string> closest(std::string_view typo) const;
    /// The same among the first `count` candidates added only (the siblings declared
    /// before a child, say).
    std::optional<std::string> closest(std::string_view typo, size_t count) const;
    /// The same over several indexes, as if their candidates were added in this order.
    static std::optional<std::string> closest(std::string_view typo,
                                              std::initializer_list<const NameIndex*> indexes);

    /// The best candidate within the distance rules of closestMatch: its distance and
    /// its rank (order of addition), or nothing. For merging several indexes.
    struct Match {
        unsigned distance;
        size_t rank;
        const std::string* name;
    };
    std::optional<Match> nearest(std::string_view typo, size_t count = SIZE_MAX) const;
    /// The candidates longer than `typo` that start with it (case-insensitive), up to 2
    /// (among the first `count` added).
    std::vector<const std::string*> extending(std::string_view typo, size_t count = SIZE_MAX) const;

    /// Candidates compared with a typo so far: the work done, for tests.
    uint64_t comparisons() const { return comparisons_; }

private:
    std::vector<std::string> names_;                   // as added
    std::vector<std::string> lower_;                   // the same, lowercase
    std::map<size_t, std::vector<uint32_t>> byLength_; // length -> indices, ascending
    mutable std::vector<uint32_t> sorted_;             // indices by lowercase name (lazily)
    mutable uint64_t comparisons_ = 0;
};

} // namespace supc
