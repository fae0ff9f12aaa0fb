#include "supc/EditDistance.h"

#include <algorithm>
#include <cctype>

namespace supc {

unsigned editDistance(std::string_view a, std::string_view b) {
    const size_t n = a.size(), m = b.size();
    // Three rolling rows: enough for the transposition case.
    std::vector<unsigned> prev2(m + 1), prev(m + 1), cur(m + 1);
    for (size_t j = 0; j <= m; ++j)
        prev[j] = unsigned(j);
    for (size_t i = 1; i <= n; ++i) {
        cur[0] = unsigned(i);
        for (size_t j = 1; j <= m; ++j) {
            auto ca = std::tolower(static_cast<unsigned char>(a[i - 1]));
            auto cb = std::tolower(static_cast<unsigned char>(b[j - 1]));
            unsigned cost = ca == cb ? 0 : 1;
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
            if (i > 1 && j > 1 && ca == std::tolower(static_cast<unsigned char>(b[j - 2])) &&
                std::tolower(static_cast<unsigned char>(a[i - 2])) == cb)
                cur[j] = std::min(cur[j], prev2[j - 2] + 1);
        }
        std::swap(prev2, prev);
        std::swap(prev, cur);
    }
    return prev[m];
}

std::optional<std::string> closestMatch(std::string_view typo,
                                        const std::vector<std::string>& candidates) {
    std::optional<std::string> best;
    unsigned bestDistance = ~0u;
    for (const auto& c : candidates) {
        if (c == typo)
            continue;
        // Cheap length filter before the quadratic distance.
        size_t longer = std::max(c.size(), typo.size());
        size_t shorter = std::min(c.size(), typo.size());
        unsigned limit = unsigned(std::max<size_t>(1, (longer + 2) / 3));
        if (longer - shorter > limit)
            continue;
        unsigned d = editDistance(typo, c);
        if (d <= limit && d < bestDistance && d < longer) {
            best = c;
            bestDistance = d;
        }
    }
    if (best || typo.size() < 3)
        return best;
    // A unique candidate that starts with what was typed: `brutal` for `brutal_kill`.
    for (const auto& c : candidates) {
        if (c.size() <= typo.size())
            continue;
        bool prefix = true;
        for (size_t i = 0; i < typo.size() && prefix; ++i)
            prefix = std::tolower(static_cast<unsigned char>(c[i])) ==
                     std::tolower(static_cast<unsigned char>(typo[i]));
        if (!prefix)
            continue;
        if (best)
            return std::nullopt; // ambiguous
        best = c;
    }
    return best;
}

} // namespace supc
