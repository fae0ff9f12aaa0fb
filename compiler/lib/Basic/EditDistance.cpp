#include "supc/EditDistance.h"

#include <algorithm>
#include <cctype>

namespace supc {

namespace {

char lower(char c) {
    return char(std::tolower(static_cast<unsigned char>(c)));
}

std::string lowercase(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        c = lower(c);
    return out;
}

// The distance of two lowercase strings, or limit + 1 once it must exceed `limit`.
unsigned boundedDistance(std::string_view a, std::string_view b, unsigned limit) {
    const size_t n = a.size(), m = b.size();
    if ((n > m ? n - m : m - n) > limit)
        return limit + 1;
    // Three rolling rows (enough for the transposition case), in a buffer kept between
    // calls: an index compares thousands of names per lookup.
    thread_local std::vector<unsigned> rows;
    if (rows.size() < 3 * (m + 1))
        rows.resize(3 * (m + 1));
    unsigned* prev2 = rows.data();
    unsigned* prev = prev2 + (m + 1);
    unsigned* cur = prev + (m + 1);
    for (size_t j = 0; j <= m; ++j)
        prev[j] = unsigned(j);
    unsigned prevMin = 0;
    for (size_t i = 1; i <= n; ++i) {
        cur[0] = unsigned(i);
        unsigned rowMin = cur[0];
        for (size_t j = 1; j <= m; ++j) {
            unsigned cost = a[i - 1] == b[j - 1] ? 0 : 1;
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                cur[j] = std::min(cur[j], prev2[j - 2] + 1);
            rowMin = std::min(rowMin, cur[j]);
        }
        // Each cell of a later row costs at least the smallest of this row, or of the row
        // before plus one (a transposition): once both are past the limit, so is the end.
        if (rowMin > limit && prevMin >= limit)
            return limit + 1;
        prevMin = rowMin;
        unsigned* oldest = prev2;
        prev2 = prev;
        prev = cur;
        cur = oldest;
    }
    return std::min(prev[m], limit + 1);
}

// closestMatch's rule: at most a third of the longer name's length (at least 1).
unsigned limitFor(size_t a, size_t b) {
    return unsigned(std::max<size_t>(1, (std::max(a, b) + 2) / 3));
}

} // namespace

unsigned editDistance(std::string_view a, std::string_view b, unsigned limit) {
    return boundedDistance(lowercase(a), lowercase(b), limit);
}

unsigned editDistance(std::string_view a, std::string_view b) {
    return boundedDistance(lowercase(a), lowercase(b), unsigned(std::max(a.size(), b.size())));
}

void NameIndex::add(std::string name) {
    uint32_t index = uint32_t(names_.size());
    lower_.push_back(lowercase(name));
    byLength_[name.size()].push_back(index);
    names_.push_back(std::move(name));
    sorted_.clear(); // rebuilt at the next prefix question
}

std::optional<NameIndex::Match> NameIndex::nearest(std::string_view typo, size_t count) const {
    std::string t = lowercase(typo);
    const size_t len = typo.size();
    // A candidate of length m is within reach only if |m - len| <= limitFor(m, len).
    size_t lo = len - std::min(len, size_t(limitFor(len, len)));
    size_t hi = std::max(len + 1, (3 * len + 2) / 2 + 1);
    std::optional<Match> best;
    for (auto it = byLength_.lower_bound(lo); it != byLength_.end() && it->first <= hi; ++it) {
        size_t m = it->first;
        unsigned limit = limitFor(m, len);
        if ((m > len ? m - len : len - m) > limit)
            continue;
        size_t longer = std::max(m, len);
        for (uint32_t index : it->second) {
            if (index >= count)
                break; // ascending: the rest were added later
            if (names_[index] == typo)
                continue; // an exact match is not a suggestion
            // Only a strictly better distance (or an equal one added earlier) can win.
            unsigned bound = limit;
            if (best)
                bound = std::min(bound, best->distance);
            ++comparisons_;
            unsigned d = boundedDistance(t, lower_[index], bound);
            if (d > limit || d >= longer)
                continue;
            if (!best || d < best->distance || (d == best->distance && index < best->rank))
                best = Match{d, index, &names_[index]};
        }
    }
    return best;
}

std::vector<const std::string*> NameIndex::extending(std::string_view typo, size_t count) const {
    if (sorted_.size() != names_.size()) {
        sorted_.resize(names_.size());
        for (uint32_t i = 0; i < sorted_.size(); ++i)
            sorted_[i] = i;
        std::stable_sort(sorted_.begin(), sorted_.end(),
                         [&](uint32_t a, uint32_t b) { return lower_[a] < lower_[b]; });
    }
    std::string t = lowercase(typo);
    auto it = std::lower_bound(sorted_.begin(), sorted_.end(), t,
                               [&](uint32_t i, const std::string& v) { return lower_[i] < v; });
    std::vector<const std::string*> out;
    for (; it != sorted_.end() && out.size() < 2; ++it) {
        const std::string& l = lower_[*it];
        if (l.compare(0, t.size(), t) != 0)
            break;
        if (l.size() > t.size() && *it < count)
            out.push_back(&names_[*it]);
    }
    return out;
}

std::optional<std::string> NameIndex::closest(std::string_view typo) const {
    return closest(typo, {this});
}

std::optional<std::string> NameIndex::closest(std::string_view typo, size_t count) const {
    if (auto m = nearest(typo, count))
        return *m->name;
    if (typo.size() < 3)
        return std::nullopt;
    auto longer = extending(typo, count);
    if (longer.size() == 1)
        return *longer[0];
    return std::nullopt;
}

std::optional<std::string> NameIndex::closest(std::string_view typo,
                                              std::initializer_list<const NameIndex*> indexes) {
    // The smallest distance wins; on a tie, the earlier index, then the earlier candidate.
    std::optional<Match> best;
    for (const NameIndex* index : indexes)
        if (auto m = index->nearest(typo); m && (!best || m->distance < best->distance))
            best = m;
    if (best)
        return *best->name;
    if (typo.size() < 3)
        return std::nullopt;
    // A unique candidate that starts with what was typed: `brutal` for `brutal_kill`.
    std::vector<const std::string*> longer;
    for (const NameIndex* index : indexes)
        for (const std::string* c : index->extending(typo))
            longer.push_back(c);
    if (longer.size() == 1)
        return *longer[0];
    return std::nullopt;
}

std::optional<std::string> closestMatch(std::string_view typo,
                                        const std::vector<std::string>& candidates) {
    NameIndex index;
    for (const auto& c : candidates)
        index.add(c);
    return index.closest(typo);
}

} // namespace supc
