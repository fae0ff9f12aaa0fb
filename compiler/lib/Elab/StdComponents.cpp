// The one description of each standard component's tree: what its C++ class
// (stdlib/src/*.cpp) builds when it starts, ids, strategies, intensities, restart types and
// shutdowns. The runtime's code and this must agree; tests/e2e/trees runs programs using
// every component and compares their running trees with `supc dump`.
#include "StdComponents.h"

#include <algorithm>
#include <fmt/format.h>

namespace supc::elab {

ComponentBuilder::~ComponentBuilder() = default;

namespace {

constexpr int64_t kSecond = 1000;

// OTP's (and sup::ChildSpec's) shutdowns for a child that does not set one.
constexpr Shutdown kWorkerShutdown{Shutdown::Mode::Timeout, 5 * kSecond};
constexpr Shutdown kSupervisorShutdown{Shutdown::Mode::Infinity, 0};

constexpr ComponentPart kPoolDispatcher{"std.Pool.dispatcher", "sup::std_lib::PoolDispatcher",
                                        "sup/std/pool.hpp"};
constexpr ComponentPart kPoolWorkers{"std.Pool.workers", "", ""};
constexpr ComponentPart kTask{"std.TaskSupervisor.task", "", ""};

// Pool::spec (stdlib/src/pool.cpp): a rest_for_one supervisor, 3 restarts per 5 s, of the
// dispatcher and then a one_for_one supervisor of `size` workers "0".."size-1" made from
// `of`, with max(3, size) restarts per 5 s, so that the dispatcher's crash restarts the
// workers, and a worker's only itself. `size` must be at least 1.
void pool(ComponentBuilder& b) {
    int64_t size = b.intArg("size").value_or(0);
    if (size < 1) {
        b.badArgument("size", fmt::format("'size' of std.Pool must be at least 1, found {}", size));
        return;
    }
    b.expect(uint64_t(size) + 2);
    Node& pool = b.node();
    b.supervise(pool, NodeKind::Supervisor, Strategy::RestForOne, {3, 5 * kSecond});
    b.addPart(pool, "dispatcher", kPoolDispatcher, NodeKind::Worker, RestartType::Permanent,
              kWorkerShutdown);
    Node& workers = b.addPart(pool, "workers", kPoolWorkers, NodeKind::Supervisor,
                              RestartType::Permanent, kSupervisorShutdown);
    b.supervise(workers, NodeKind::Supervisor, Strategy::OneForOne,
                {std::max<int64_t>(3, size), 5 * kSecond});
    for (int64_t i = 0; i < size; ++i)
        b.addFromTemplate(workers, std::to_string(i), i);
}

// PartitionSupervisor::spec (stdlib/src/partition_supervisor.cpp): one_for_one, Elixir's
// 3 restarts per 5 s, of `partitions` children "0".."N-1" made from `of`; 0 partitions
// means one per scheduler thread.
void partitionSupervisor(ComponentBuilder& b) {
    int64_t partitions = b.intArg("partitions").value_or(0);
    if (partitions < 0) {
        b.badArgument("partitions",
                      fmt::format("'partitions' of std.PartitionSupervisor cannot be negative, "
                                  "found {} (0: one per scheduler thread)",
                                  partitions));
        return;
    }
    if (partitions == 0)
        partitions = b.schedulers();
    b.expect(uint64_t(partitions));
    Node& parts = b.node();
    b.supervise(parts, NodeKind::Supervisor, Strategy::OneForOne, {3, 5 * kSecond});
    for (int64_t i = 0; i < partitions; ++i)
        b.addFromTemplate(parts, std::to_string(i), i);
}

// TaskSupervisor::spec (stdlib/src/task_supervisor.cpp): a dynamic supervisor, Elixir's 3
// restarts per 5 s unless the child's block gives an intensity, of tasks that restart as
// `task_restart` says (temporary by default) and stop with a `task_shutdown` timeout (5 s),
// at most `max_children` at once (unlimited when left out).
void taskSupervisor(ComponentBuilder& b) {
    std::optional<int64_t> max = b.intArg("max_children");
    if (max && *max < 0) {
        b.badArgument("max_children",
                      fmt::format("'max_children' of std.TaskSupervisor cannot be negative, "
                                  "found {}",
                                  *max));
        return;
    }
    Shutdown shutdown = kWorkerShutdown;
    if (const Value* v = b.arg("task_shutdown")) {
        if (v->asMilliseconds() < 0) {
            b.badArgument("task_shutdown",
                          fmt::format("'task_shutdown' of std.TaskSupervisor cannot be negative, "
                                      "found {}ms",
                                      v->asMilliseconds()));
            return;
        }
        shutdown = {Shutdown::Mode::Timeout, v->asMilliseconds()};
    }
    RestartType restart = RestartType::Temporary;
    if (const Value* v = b.arg("task_restart"))
        restart = v->enumName() == "permanent"   ? RestartType::Permanent
                  : v->enumName() == "transient" ? RestartType::Transient
                                                 : RestartType::Temporary;
    Node& tasks = b.node();
    b.supervise(tasks, NodeKind::DynamicSupervisor, Strategy::OneForOne, {3, 5 * kSecond}, max);
    b.templatePart(tasks, kTask, restart, shutdown);
}

} // namespace

void expandComponent(ir::StdKind kind, ComponentBuilder& b) {
    switch (kind) {
    case ir::StdKind::Pool:
        return pool(b);
    case ir::StdKind::PartitionSupervisor:
        return partitionSupervisor(b);
    case ir::StdKind::TaskSupervisor:
        return taskSupervisor(b);
    case ir::StdKind::Registry: // a worker
    case ir::StdKind::None:
        return;
    }
}

} // namespace supc::elab
