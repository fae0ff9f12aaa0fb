#include "supc/EditDistance.h"

#include <catch2/catch.hpp>

using supc::closestMatch;
using supc::editDistance;

TEST_CASE("edit distance counts insertions, deletions, substitutions and swaps") {
    CHECK(editDistance("permanent", "permanent") == 0);
    CHECK(editDistance("permanant", "permanent") == 1); // substitution
    CHECK(editDistance("stratgy", "strategy") == 1);    // deletion
    CHECK(editDistance("restarts", "restart") == 1);    // insertion
    CHECK(editDistance("tll", "ttl") == 1);             // transposition
    CHECK(editDistance("Duration", "duration") == 0);   // case-insensitive
    CHECK(editDistance("", "abc") == 3);
}

TEST_CASE("closestMatch suggests plausible typos only") {
    std::vector<std::string> restart = {"permanent", "transient", "temporary"};
    CHECK(closestMatch("permanant", restart) == "permanent");
    CHECK(closestMatch("temprary", restart) == "temporary");
    CHECK_FALSE(closestMatch("sometimes", restart).has_value());
    CHECK_FALSE(closestMatch("x", {"strategy"}).has_value());
    // An exact match is not a suggestion.
    CHECK_FALSE(closestMatch("ttl", {"ttl"}).has_value());
    // Ties go to the first candidate.
    CHECK(closestMatch("ab", {"aa", "bb"}) == "aa");
}
