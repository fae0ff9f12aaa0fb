// PartitionSupervisor: a one_for_one supervisor of N children from one template.
#include "sup/std/partition_supervisor.hpp"

#include <tuple>

namespace sup::std_lib {

namespace detail {

StartArgs index_args(const ChildTemplate& t, std::int64_t index) {
    if (t.extra_args && *t.extra_args == typeid(std::tuple<std::int64_t>))
        return sup::args(index);
    return {};
}

ChildSpec child_from_template(const ChildTemplate& t, std::string id, std::int64_t index) {
    ChildSpec s;
    s.id = std::move(id);
    s.start = [start = t.start, extra = index_args(t, index)](StartContext& ctx) {
        return start(ctx, extra);
    };
    s.settings() = t.settings();
    return s;
}

} // namespace detail

namespace {
std::optional<ExitReason> check(const ChildTemplate& of, std::int64_t partitions) {
    if (!of.start)
        return ExitReason::error("the partition template has no start function");
    if (partitions < 0)
        return ExitReason::error("partitions must be a positive integer, found " +
                                 std::to_string(partitions));
    return std::nullopt;
}

std::int64_t resolve(std::int64_t partitions, Runtime& rt) {
    return partitions > 0 ? partitions : static_cast<std::int64_t>(rt.threads());
}

} // namespace

SupervisorSpec PartitionSupervisor::spec(const ChildTemplate& of, std::int64_t partitions) {
    SupervisorSpec s;
    s.flags.strategy = Strategy::one_for_one;
    s.flags.intensity = 3; // Elixir's defaults
    s.flags.period = std::chrono::seconds(5);
    for (std::int64_t i = 0; i < partitions; ++i)
        s.children.push_back(detail::child_from_template(of, std::to_string(i), i));
    return s;
}

StartResult<Pid> PartitionSupervisor::start_link(StartContext& ctx, ChildTemplate of,
                                                 std::int64_t partitions) {
    if (auto bad = check(of, partitions))
        return StartResult<Pid>::make_failed(*bad);
    return ctx.start_supervisor(spec(of, resolve(partitions, ctx.runtime())));
}

StartResult<Pid> PartitionSupervisor::start(Runtime& rt, ChildTemplate of,
                                            std::int64_t partitions) {
    if (auto bad = check(of, partitions))
        return StartResult<Pid>::make_failed(*bad);
    return sup::start_supervisor(rt, spec(of, resolve(partitions, rt)));
}

ChildSpec PartitionSupervisor::child_spec(std::string id, ChildTemplate of,
                                          std::int64_t partitions) {
    return sup::worker<PartitionSupervisor>(std::move(id), std::move(of), partitions)
        .with_type(ChildType::supervisor);
}

SupResult<std::int64_t> PartitionSupervisor::partitions(const Pid& sup) {
    auto r = sup::count_children(sup);
    if (!r)
        return sup::fail(r.error());
    return static_cast<std::int64_t>(r.value().specs);
}

SupResult<Pid> PartitionSupervisor::partition_pid(const Pid& sup, std::int64_t partition) {
    auto r = sup::which_children(sup);
    if (!r)
        return sup::fail(r.error());
    std::string id = std::to_string(partition);
    for (const ChildInfo& c : r.value())
        if (c.id == id && c.pid)
            return c.pid;
    SupError e;
    e.code = SupError::Code::not_found;
    return sup::fail(std::move(e));
}

namespace {
template <class K>
SupResult<Pid> route(const Pid& sup, const K& key) {
    auto r = sup::which_children(sup);
    if (!r)
        return sup::fail(r.error());
    auto n = static_cast<std::int64_t>(r.value().size());
    std::string id = std::to_string(partition_of(key, n));
    for (const ChildInfo& c : r.value())
        if (c.id == id && c.pid)
            return c.pid;
    SupError e;
    e.code = SupError::Code::not_found;
    return sup::fail(std::move(e));
}
} // namespace

SupResult<Pid> PartitionSupervisor::whereis(const Pid& sup, std::int64_t key) {
    return route(sup, key);
}
SupResult<Pid> PartitionSupervisor::whereis(const Pid& sup, std::string_view key) {
    return route(sup, key);
}

SupResult<std::vector<ChildInfo>> PartitionSupervisor::which_children(const Pid& sup) {
    return sup::which_children(sup);
}
SupResult<ChildCounts> PartitionSupervisor::count_children(const Pid& sup) {
    return sup::count_children(sup);
}

} // namespace sup::std_lib
