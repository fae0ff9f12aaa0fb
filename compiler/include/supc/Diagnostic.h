// Diagnostics as structured data: severity, code, message, location, range, notes and
// fix-its. Printers (human, JSON) render them; nothing stores a pre-rendered string, so
// the linter can emit SARIF from the very same objects.
#pragma once

#include "supc/ErrorCatalog.h"
#include "supc/SourceLocation.h"

#include <optional>
#include <string>
#include <vector>

namespace supc {

enum class Severity : unsigned char { Error, Warning, Note, Remark };
std::string_view severityName(Severity s);

/// Replace `range` by `replacement` (an insertion when the range is empty).
struct FixIt {
    SourceRange range;
    std::string replacement;
};

/// A note attached to a diagnostic; with a range, it is printed with its own caret.
struct DiagNote {
    std::string message;
    SourceRange range;
};

struct Diagnostic {
    Severity severity = Severity::Error;
    std::string code;        // "E012", "L002"; empty for the few uncoded messages
    std::string message;     // lowercase, no final period
    SourceRange range;       // the caret goes at range.begin; may be invalid
    std::string file;        // for diagnostics about a whole file (no range)
    bool showSnippet = true; // false when the source line is not printable (binary input)
    std::vector<DiagNote> notes;
    std::vector<FixIt> fixIts;
    /// A lint finding suppressed in the source (`// supc:allow(L002): reason`), kept for
    /// SARIF's `suppressions`: the reason. Such a diagnostic is not counted, and only a
    /// consumer that asked for them (Linter::keepSuppressed) receives it.
    std::optional<std::string> suppressedBecause;
};

} // namespace supc
