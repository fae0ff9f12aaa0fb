// In-source suppressions: `// supc:allow(L002): reason` (or `/* ... */`). A comment that
// shares its line with code applies to that line; a comment alone on its line applies to
// the next line. Several rules may be named, by id or name: `supc:allow(L002, flat-tree): reason`.
#pragma once

#include "supc/lint/Lint.h"

#include <optional>
#include <string>
#include <vector>

namespace supc::lint {

struct SuppressionComment {
    SourceRange range;       // the whole comment
    bool standalone = false; // alone on its line(s): it applies to the next line
    struct Named {
        const Rule* rule;
        SourceRange range; // the id or name in the comment
    };
    std::vector<Named> rules; // the known rules it names (it suppresses these)
    bool hasReason = false;
    std::string reason; // the text after ':', trimmed (SARIF's justification)
    struct Problem {
        SourceRange range;
        std::string message;
    };
    /// Malformed directive, unknown rule, L000 named, no reason: each an L000 finding.
    std::vector<Problem> problems;
};

/// Parses a comment; nullopt when it is not a `supc:` directive at all. `bufferStart` is
/// the start of the buffer holding it (to tell whether code precedes it on its line).
std::optional<SuppressionComment> parseSuppression(SourceRange comment, const char* bufferStart);

} // namespace supc::lint
