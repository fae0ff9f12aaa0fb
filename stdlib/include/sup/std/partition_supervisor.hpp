// Elixir's PartitionSupervisor: N children ("partitions") started from one template, with ids
// 0..N-1, and a message routed to one of them by a key: rem(abs(key), N) for integers, a stable
// hash of the key for strings (the same partition on every run, in every process).
//
//   auto parts = sup::std_lib::PartitionSupervisor::start(
//       rt, sup::dynamic_worker<Counter>(), 4).value();
//   sup::Pid p = sup::std_lib::PartitionSupervisor::whereis(parts, "user:42").value();
//   sup::std_lib::PartitionSupervisor::call<Counter>(parts, 42, Get{});   // partition 2
//
// Each lookup asks the supervisor for the partition's current pid, so a restarted partition is
// reached under its key. docs/stdlib.md.
#pragma once

#include "sup/call.hpp"
#include "sup/std/hash.hpp"
#include "sup/supervisor.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace sup::std_lib {

/// std.sup's std.PartitionSupervisor(of, partitions) is this class: it starts itself
/// (start_link) as a one_for_one supervisor (Elixir's defaults: 3 restarts per 5 s) of
/// `partitions` children "0".."N-1" from the template `of` (its restart, shutdown and type
/// apply to each). A template that takes one extra start argument of type std::int64_t
/// (dynamic_worker<T, std::int64_t>, or a .sup kind with one open int parameter) receives the
/// partition's number; any other template, no extra argument.
class PartitionSupervisor {
public:
    /// `partitions` >= 1; 0 means one per scheduler thread of the runtime (std.sup's default,
    /// schedulers()); a negative number fails the start.
    static StartResult<Pid> start_link(StartContext& ctx, ChildTemplate of,
                                       std::int64_t partitions);
    static StartResult<Pid> start(Runtime& rt, ChildTemplate of, std::int64_t partitions = 0);
    /// The supervisor spec for `partitions` (>= 1) partitions.
    static SupervisorSpec spec(const ChildTemplate& of, std::int64_t partitions);
    /// A child spec for a supervision tree: worker<PartitionSupervisor>(id, of, partitions) of
    /// type supervisor.
    static ChildSpec child_spec(std::string id, ChildTemplate of, std::int64_t partitions = 0);

    /// The partition of a key among n: rem(abs(key), n) for integers (Elixir's rule),
    /// stable_hash(key) mod n for strings.
    static std::int64_t partition_for(std::int64_t key, std::int64_t n) {
        return partition_of(key, n);
    }
    static std::int64_t partition_for(std::string_view key, std::int64_t n) {
        return partition_of(key, n);
    }

    /// The number of partitions (noproc if the supervisor is dead).
    static SupResult<std::int64_t> partitions(const Pid& sup);
    /// The current pid of the partition for `key` ({:via, PartitionSupervisor, {name, key}}):
    /// not_found while it is restarting.
    static SupResult<Pid> whereis(const Pid& sup, std::int64_t key);
    static SupResult<Pid> whereis(const Pid& sup, std::string_view key);
    /// The partition numbered `partition` (0..N-1).
    static SupResult<Pid> partition_pid(const Pid& sup, std::int64_t partition);
    /// PartitionSupervisor.which_children/1 and count_children/1.
    static SupResult<std::vector<ChildInfo>> which_children(const Pid& sup);
    static SupResult<ChildCounts> count_children(const Pid& sup);

    /// A call to the partition of `key` (GenServer.call with a via PartitionSupervisor name).
    template <class T, class K, class M>
    static CallResult<reply_t<T, M>> call(const Pid& sup, const K& key, M&& msg,
                                          Clock::duration timeout) {
        return sup::call(ref_for<T>(sup, key), std::forward<M>(msg), timeout);
    }
    template <class T, class K, class M>
    static CallResult<reply_t<T, M>> call(const Pid& sup, const K& key, M&& msg) {
        return sup::call(ref_for<T>(sup, key), std::forward<M>(msg));
    }
    /// A cast to the partition of `key`: false if it is not running.
    template <class T, class K, class M>
    static bool cast(const Pid& sup, const K& key, M&& msg) {
        return sup::cast(ref_for<T>(sup, key), std::forward<M>(msg));
    }

private:
    template <class T, class K>
    static Ref<T> ref_for(const Pid& sup, const K& key) {
        SupResult<Pid> p = [&] {
            if constexpr (std::is_convertible_v<const K&, std::string_view>)
                return whereis(sup, std::string_view(key));
            else
                return whereis(sup, static_cast<std::int64_t>(key));
        }();
        return p ? p.value().template as<T>() : Ref<T>();
    }
};

namespace detail {
/// The extra start arguments a component passes to a template for child number `index`: the
/// index if the template takes one std::int64_t, else none.
StartArgs index_args(const ChildTemplate& t, std::int64_t index);
/// A child spec "id" started from template `t` with index_args(t, index).
ChildSpec child_from_template(const ChildTemplate& t, std::string id, std::int64_t index);
} // namespace detail

} // namespace sup::std_lib
