#include "supc/EditDistance.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cctype>

using supc::closestMatch;
using supc::editDistance;

namespace {

// The rule closestMatch implements, written the obvious way (every candidate, full
// distance): the indexed lookups must agree with it.
std::optional<std::string> reference(std::string_view typo, const std::vector<std::string>& cs) {
    std::optional<std::string> best;
    unsigned bestDistance = ~0u;
    for (const auto& c : cs) {
        if (c == typo)
            continue;
        size_t longer = std::max(c.size(), typo.size());
        unsigned limit = unsigned(std::max<size_t>(1, (longer + 2) / 3));
        unsigned d = editDistance(typo, c);
        if (d <= limit && d < bestDistance && d < longer) {
            best = c;
            bestDistance = d;
        }
    }
    if (best || typo.size() < 3)
        return best;
    for (const auto& c : cs) {
        if (c.size() <= typo.size())
            continue;
        bool prefix = true;
        for (size_t i = 0; i < typo.size() && prefix; ++i)
            prefix = std::tolower(static_cast<unsigned char>(c[i])) ==
                     std::tolower(static_cast<unsigned char>(typo[i]));
        if (!prefix)
            continue;
        if (best)
            return std::nullopt;
        best = c;
    }
    return best;
}

} // namespace

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

TEST_CASE("a bounded distance stops at the limit, and agrees below it") {
    CHECK(editDistance("permanant", "permanent", 3) == 1);
    CHECK(editDistance("abcdefgh", "zyxwvuts", 2) == 3); // limit + 1: gave up
    CHECK(editDistance("tll", "ttl", 1) == 1);
    CHECK(editDistance("abc", "abcdefg", 2) == 3); // lengths alone exceed it
}

TEST_CASE("NameIndex answers as closestMatch does, for every typo against every list") {
    const std::vector<std::string> names = {
        "permanent", "transient", "temporary",   "Registry", "std.Registry", "Pool",
        "std.Pool",  "pool_size", "brutal_kill", "infinity", "ab",           "aa",
        "bb",        "Kind1",     "Kind12",      "kind2",    "Kind1",        "x"};
    supc::NameIndex index;
    for (const auto& n : names)
        index.add(n);
    const std::vector<std::string> typos = {
        "permanant", "temprary", "sometimes", "x",    "ab",     "Regsitry", "std.Regstry",
        "Poo",       "pool",     "brutal",    "inf",  "Kind",   "kind1",    "Kind3",
        "KIND12",    "",         "a",         "std.", "pool_s", "infinty"};
    for (const auto& t : typos) {
        INFO(t);
        CHECK(index.closest(t) == reference(t, names));
        CHECK(closestMatch(t, names) == reference(t, names));
        // Split over two indexes, as the resolver asks (its scope's names, then the file's).
        supc::NameIndex first, second;
        for (size_t i = 0; i < names.size(); ++i)
            (i < 7 ? first : second).add(names[i]);
        CHECK(supc::NameIndex::closest(t, {&first, &second}) == reference(t, names));
    }
    // Two identical candidates extending the typo make it ambiguous.
    CHECK_FALSE(closestMatch("brutal", {"brutal_kill", "brutal_kill"}).has_value());
    CHECK(closestMatch("brutal", {"brutal_kill", "infinity"}) == "brutal_kill");
}

TEST_CASE("NameIndex looks at candidates of a plausible length only") {
    // 100,000 names, none of which is close: each lookup compares a few lengths' worth.
    supc::NameIndex index;
    for (int i = 0; i < 100000; ++i)
        index.add("declaration_number_" + std::to_string(i));
    CHECK_FALSE(index.closest("Cache").has_value());
    CHECK(index.comparisons() == 0); // no name of a length within reach of 5
    CHECK(index.closest("declaration_number_12x") == "declaration_number_12");
}

TEST_CASE("NameIndex agrees with the plain rule on random names and typos") {
    uint64_t state = 12345;
    auto next = [&] {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        return unsigned(state >> 33);
    };
    auto word = [&] {
        std::string w;
        size_t len = 1 + next() % 12;
        for (size_t i = 0; i < len; ++i)
            w += "abcdeAB_."[next() % 9];
        return w;
    };
    std::vector<std::string> names;
    supc::NameIndex index;
    for (int i = 0; i < 300; ++i) {
        names.push_back(word());
        index.add(names.back());
    }
    for (int i = 0; i < 2000; ++i) {
        std::string t = i % 2 ? word() : names[next() % names.size()];
        if (i % 4 == 0 && !t.empty())
            t[next() % t.size()] = 'c'; // a typo of a known name
        INFO(t);
        REQUIRE(index.closest(t) == reference(t, names));
    }
}
