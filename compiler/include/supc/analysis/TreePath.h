// Paths that name the nodes of an elaborated tree, as users write them: child ids from the
// root joined by '/' ("services/cache"), "" for the root, and for a dynamic supervisor's
// children the number of their start ("connections/1"). One parser and one lookup for
// every command that takes paths: `supc sim`'s scripts and `supc impact --crash`.
#pragma once

#include "supc/Tree.h"

#include <optional>
#include <string>
#include <string_view>

namespace supc::analysis {

/// A dynamic supervisor's child's id: the number of its start, 1, 2, ... (decimal, without
/// leading zeros or signs, at most 18 digits).
bool isDynamicChildId(std::string_view id);

/// Why `path` is not a path at all (a leading, trailing or doubled '/'), or nothing.
std::optional<std::string> pathSyntaxProblem(std::string_view path);

/// What a path names in a tree.
struct PathLookup {
    /// The node; for a dynamic supervisor's child (or a node below one), the node of its
    /// template. Null when the path names nothing; then `problem` says why.
    const Node* node = nullptr;
    /// The last segment numbers a dynamic supervisor's child.
    bool dynamicChild = false;
    /// "no node 'services/mailr': 'services' has no child 'mailr' (did you mean
    /// 'services/mailer'?)", "invalid path '/repo': ...".
    std::string problem;
};

/// Looks `path` up in `tree`, segment by segment, so that a problem names the first
/// segment that matches nothing (with the closest existing path, if one is close).
PathLookup lookupPath(const Tree& tree, std::string_view path);

} // namespace supc::analysis
