// L008 unbounded-dynamic: dynamic supervisors of permanent children without max_children.
#include "supc/lint/Rule.h"

#include <fmt/format.h>

namespace supc::lint {

namespace {

constexpr RuleInfo kInfo = {
    "L008",
    "unbounded-dynamic",
    Severity::Warning,
    "a dynamic supervisor without max_children whose children are permanent",
    R"(A dynamic supervisor's permanent children stay until someone calls `terminate_child`:
each `start_child` adds one for good (a crash restarts it, it never leaves on its own). When
nothing in the program removes them, and nothing bounds them, a burst of start_child calls
(a traffic spike, a retry storm, a client bug) grows the tree until memory runs out and the
whole node goes down instead of refusing the excess. With `max_children`, `start_child`
fails with `max_children` and the caller can shed load.

Unbounded is Elixir's default (DynamicSupervisor and Task.Supervisor take `:infinity`), and
it is right for children that end on their own: temporary or transient children (one per
connection, request or job) leave the tree when their work is done, and tasks always do. The
rule does not fire on those, nor on std.TaskSupervisor: how many run at once is a question
of load, which a spec cannot judge.)",
    R"(worker Room(name: string) = "app::Room" from "app/room.hpp";
dynamic_supervisor Rooms of Room { intensity = 100 per 60s; }
application App {
    child rooms = Rooms;
}
)",
    R"(worker Room(name: string) = "app::Room" from "app/room.hpp";
dynamic_supervisor Rooms of Room {
    max_children = 10_000;
    intensity = 100 per 60s;
}
application App {
    child rooms = Rooms;
}
)",
    "",
    {},
};

class UnboundedDynamic final : public Rule {
public:
    const RuleInfo& info() const override { return kInfo; }
    void checkNode(const Node& node, LintContext& ctx) const override {
        if (node.kind != NodeKind::DynamicSupervisor || !node.isDeclaredSupervisor() || !node.templ)
            return;
        const auto& max = node.supervisor->maxChildren;
        if (max.value || node.templ->restart.value != RestartType::Permanent)
            return;
        ctx.report(settingSite(max, declSite(node)),
                   fmt::format("dynamic supervisor '{}' has no max_children (unlimited{}) and "
                               "its children are permanent: each start_child adds one that "
                               "stays until terminate_child, and nothing bounds how many",
                               node.decl->name,
                               max.origin == SettingOrigin::Default ? ", the default" : ""))
            .note("add 'max_children = N;' so that start_child fails with max_children "
                  "instead, or make the children temporary or transient if they end on their "
                  "own");
    }
};

} // namespace

std::unique_ptr<Rule> makeUnboundedDynamicRule() {
    return std::make_unique<UnboundedDynamic>();
}

} // namespace supc::lint
