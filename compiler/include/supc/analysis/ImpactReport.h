// `supc impact`'s answer (docs/impact.md): what a node's supervisor does when the node
// crashes once, and, if it keeps crashing, how many of its crashes bring each ancestor
// down, up to the root or to where escalation stops. The arithmetic is restartSet and
// escalationChain (EscalationBudget.h), the linter's (L006): impact and lint never disagree.
#pragma once

#include "supc/Tree.h"

#include <string_view>

namespace llvm {
class raw_ostream;
}

namespace supc::analysis {

/// Writes the report about `crashed`, the node `path` names (lookupPath: for a dynamic
/// supervisor's child, its template, which the report calls by the path given).
void writeImpactReport(const Node& crashed, std::string_view path, llvm::raw_ostream& out);

} // namespace supc::analysis
