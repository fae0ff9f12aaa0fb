// Registered names across one tree (private to lib/Elab): the checks no single setting can
// make, run once a root's tree is elaborated.
#pragma once

#include "supc/DiagnosticEngine.h"
#include "supc/Tree.h"

namespace supc::elab {

/// Each registered name of the tree's static children (`name` settings, and a std.Registry's
/// `name` argument) is used once, and so is each via-name (E049); a via-name's registry is a
/// std.Registry of the tree with unique keys, started before the child for a static one
/// (E050). Names that depend on a dynamic child's start arguments are checked when it starts.
void checkNames(const Node& root, DiagnosticEngine& diag);

} // namespace supc::elab
