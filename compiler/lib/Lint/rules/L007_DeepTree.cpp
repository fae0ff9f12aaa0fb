// L007 deep-tree: too many supervisors between the root and a node.
#include "supc/lint/Rule.h"

#include <fmt/format.h>

namespace supc::lint {

namespace {

constexpr ThresholdInfo kThresholds[] = {
    {"max_depth", 5, false, "the most supervisors on a path from the root, the root included"},
};

constexpr RuleInfo kInfo = {
    "L007",
    "deep-tree",
    Severity::Warning,
    "a path from the root is deeper than 5 supervisors",
    R"(Every level of supervision is a hop that a failure travels before it is handled, a
supervisor that must stop its children before it stops, and a factor in the restart
arithmetic (L006): deep trees restart slowly and are hard to reason about. Levels that
only wrap a single child, or that exist for naming rather than as failure domains, can
usually go. The depth counts supervisors (generated, dynamic and C++ ones such as
std.Pool) from the root, the root included.)",
    R"(worker Leaf = "app::Leaf" from "app/leaf.hpp";
supervisor L6 { child leaf = Leaf; }
supervisor L5 { child l6 = L6; }
supervisor L4 { child l5 = L5; }
supervisor L3 { child l4 = L4; }
supervisor L2 { child l3 = L3; }
application App { child l2 = L2; }
)",
    R"(worker Leaf = "app::Leaf" from "app/leaf.hpp";
supervisor L3 { child leaf = Leaf; }
supervisor L2 { child l3 = L3; }
application App { child l2 = L2; }
)",
    "",
    kThresholds,
};

unsigned supervisorDepth(const Node& node) {
    unsigned depth = 0;
    for (const Node* n = &node; n; n = n->parent)
        if (isSupervisorLike(*n))
            ++depth;
    return depth;
}

class DeepTree final : public Rule {
public:
    const RuleInfo& info() const override { return kInfo; }
    void checkNode(const Node& node, LintContext& ctx) const override {
        if (node.isRoot() || !isSupervisorLike(node))
            return;
        int64_t max = ctx.threshold("max_depth");
        unsigned depth = supervisorDepth(node);
        // Report the first supervisor past the limit on each path, not its descendants.
        if (int64_t(depth) != max + 1)
            return;
        ctx.report(childSite(node),
                   fmt::format("'{}' is {} supervisors deep, counting the root (more than {})",
                               node.path(), depth, max))
            .note("flatten levels that are not failure domains of their own: each level adds "
                  "restart latency and multiplies the escalation budget (L006)");
    }
};

} // namespace

std::unique_ptr<Rule> makeDeepTreeRule() {
    return std::make_unique<DeepTree>();
}

} // namespace supc::lint
