// L008 unbounded-dynamic: dynamic and task supervisors without max_children.
#include "supc/lint/Rule.h"

#include <fmt/format.h>

namespace supc::lint {

namespace {

constexpr RuleInfo kInfo = {
    "L008",
    "unbounded-dynamic",
    Severity::Warning,
    "a dynamic supervisor or task supervisor without max_children",
    R"(Dynamic supervisors and task supervisors start children at run time, one per
connection, request or job. Without `max_children` nothing bounds them: a traffic spike,
a retry storm or a client bug creates children until memory runs out, and the whole node
goes down instead of refusing the excess. With a bound, `start_child` fails with
`max_children` and the caller can shed load. For std.TaskSupervisor, pass
`max_children = N`.)",
    R"(import "std";
worker Conn(user: string) = "app::Conn" from "app/conn.hpp" { restart = temporary; }
dynamic_supervisor Conns of Conn;
application App {
    child conns = Conns;
    child tasks = std.TaskSupervisor;
}
)",
    R"(import "std";
worker Conn(user: string) = "app::Conn" from "app/conn.hpp" { restart = temporary; }
dynamic_supervisor Conns of Conn { max_children = 10_000; }
application App {
    child conns = Conns;
    child tasks = std.TaskSupervisor(max_children = 500);
}
)",
    "",
    {},
};

class UnboundedDynamic final : public Rule {
public:
    const RuleInfo& info() const override { return kInfo; }
    void checkNode(const Node& node, LintContext& ctx) const override {
        if (node.kind == NodeKind::DynamicSupervisor && node.isDeclaredSupervisor()) {
            const auto& max = node.supervisor->maxChildren;
            if (max.value)
                return;
            ctx.report(settingSite(max, declSite(node)),
                       fmt::format("dynamic supervisor '{}' has no max_children (unlimited{}): "
                                   "a burst of start_child calls can create children until "
                                   "memory runs out",
                                   node.decl->name,
                                   max.origin == SettingOrigin::Default ? ", the default" : ""))
                .note("add 'max_children = N;' so that start_child fails with max_children "
                      "instead");
            return;
        }
        if (node.stdKind() == ir::StdKind::TaskSupervisor && !node.isTemplate) {
            const NodeArg* max = node.arg("max_children");
            if (max && !max->value.isNone() && !max->value.isError())
                return;
            ctx.report(childSite(node),
                       fmt::format("task supervisor {} has no max_children (unlimited by "
                                   "default): a burst of tasks can grow until memory runs out",
                                   childName(node)))
                .note("pass a bound: std.TaskSupervisor(max_children = N)");
        }
    }
};

} // namespace

std::unique_ptr<Rule> makeUnboundedDynamicRule() {
    return std::make_unique<UnboundedDynamic>();
}

} // namespace supc::lint
