// `supc dump`: the elaborated tree as JSON (docs/cli.md describes the schema).
#pragma once

#include "supc/Tree.h"

namespace llvm {
class raw_ostream;
}

namespace supc {

/// Writes `tree` as one JSON object (indented), followed by a newline.
void dumpTreeJson(const Tree& tree, llvm::raw_ostream& os);

} // namespace supc
