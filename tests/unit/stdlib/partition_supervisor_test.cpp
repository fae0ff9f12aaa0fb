// PartitionSupervisor: routing (fixed expectations), partitions from a template with their
// index, which_children / count_children, a restarted partition reached under its key.
#include "std_helpers.hpp"

#include <catch2/catch.hpp>
#include <limits>

using namespace stdtest;
using sup::std_lib::PartitionSupervisor;
using sup::testing::Supervised;

TEST_CASE("routing: abs(key) mod n for integers and FNV-1a mod n for strings") {
    // Elixir's rule for integers.
    REQUIRE(PartitionSupervisor::partition_for(0, 4) == 0);
    REQUIRE(PartitionSupervisor::partition_for(5, 4) == 1);
    REQUIRE(PartitionSupervisor::partition_for(-5, 4) == 1);
    REQUIRE(PartitionSupervisor::partition_for(42, 7) == 0);
    REQUIRE(PartitionSupervisor::partition_for(std::numeric_limits<std::int64_t>::min(), 3) ==
            static_cast<std::int64_t>((std::uint64_t(1) << 63) % 3));
    // Strings: fixed values, the same on every run and in every process (FNV-1a 64).
    static_assert(sup::std_lib::stable_hash("") == 0xcbf29ce484222325ull);
    static_assert(sup::std_lib::stable_hash("a") == 0xaf63dc4c8601ec8cull);
    REQUIRE(sup::std_lib::stable_hash("user:42") == 0x6c151ea4dcd221c2ull);
    REQUIRE(PartitionSupervisor::partition_for("alice", 4) == 3);
    REQUIRE(PartitionSupervisor::partition_for("bob", 4) == 0);
    REQUIRE(PartitionSupervisor::partition_for("user:1", 4) == 3);
    REQUIRE(PartitionSupervisor::partition_for("user:2", 4) == 2);
    REQUIRE(PartitionSupervisor::partition_for("user:42", 7) == 0);
    REQUIRE(PartitionSupervisor::partition_for("room:lobby", 7) == 4);
    REQUIRE(PartitionSupervisor::partition_for(std::string("alice"), 7) == 1);
}

TEST_CASE("partitions 0..N-1 from the template / each told its number when it takes one") {
    sup::Runtime rt(test::quiet());
    sup::Pid parts =
        PartitionSupervisor::start(rt, sup::dynamic_worker<Member, std::int64_t>(), 4).value();
    REQUIRE(PartitionSupervisor::partitions(parts).value() == 4);
    auto children = PartitionSupervisor::which_children(parts).value();
    std::vector<std::string> ids;
    for (auto& c : children)
        ids.push_back(c.id);
    REQUIRE(ids == Lines{"3", "2", "1", "0"}); // newest first, as which_children
    REQUIRE(PartitionSupervisor::count_children(parts).value() == sup::ChildCounts{4, 4, 0, 4});
    for (std::int64_t p = 0; p < 4; ++p) {
        auto pid = PartitionSupervisor::partition_pid(parts, p).value();
        REQUIRE(sup::call(pid.as<Member>(), Member::Index{}).value() == p);
    }
    // A key goes to its partition: 42 -> 2, "alice" -> 3.
    REQUIRE(PartitionSupervisor::call<Member>(parts, 42, Member::Index{}).value() == 2);
    REQUIRE(PartitionSupervisor::call<Member>(parts, "alice", Member::Index{}).value() == 3);
    REQUIRE(PartitionSupervisor::whereis(parts, -6).value() ==
            PartitionSupervisor::partition_pid(parts, 2).value());

    // A template without an extra argument gets none.
    sup::Pid counters = PartitionSupervisor::start(rt, sup::dynamic_worker<Counter>(10), 2).value();
    REQUIRE(PartitionSupervisor::call<Counter>(counters, 1, Counter::Get{}).value() == 10);
}

TEST_CASE("a restarted partition is reached under its key") {
    sup::Runtime rt(test::quiet());
    sup::SupervisorSpec spec;
    // What generated code writes for `child parts = std.PartitionSupervisor(of = Counter,
    // partitions = 3);`.
    spec.children.push_back(
        sup::worker<PartitionSupervisor>("parts", sup::dynamic_worker<Counter>(), std::int64_t(3))
            .with_type(sup::ChildType::supervisor));
    Supervised tree(rt, spec);
    sup::Pid parts = tree.child("parts");
    REQUIRE(PartitionSupervisor::call<Counter>(parts, "user:2", Counter::Add{5}).value() == 5);
    // "user:2" -> partition 1 of 3.
    REQUIRE(sup::std_lib::partition_of("user:2", 3) == 1);
    sup::Pid old = tree.child("parts/1");
    REQUIRE(PartitionSupervisor::whereis(parts, "user:2").value() == old);

    auto crash = PartitionSupervisor::call<Counter>(parts, "user:2", Counter::Crash{});
    REQUIRE(crash.error().code == sup::CallError::Code::exited);
    sup::Pid fresh = tree.await_restart("parts/1", old);
    REQUIRE(PartitionSupervisor::whereis(parts, "user:2").value() == fresh);
    REQUIRE(PartitionSupervisor::call<Counter>(parts, "user:2", Counter::Get{}).value() == 0);
    // The other partitions were not touched (one_for_one).
    REQUIRE(tree.events().lines(parts) == Lines{"child_started 0", "child_started 1",
                                                "child_started 2", "child_exited 1 counter crashed",
                                                "child_restarted 1"});

    // While a partition is not running, its keys give not_found (and calls noproc).
    REQUIRE(sup::terminate_child(parts, "1"));
    REQUIRE(PartitionSupervisor::whereis(parts, "user:2").error().code ==
            sup::SupError::Code::not_found);
    REQUIRE(PartitionSupervisor::call<Counter>(parts, "user:2", Counter::Get{}).error().code ==
            sup::CallError::Code::noproc);
    REQUIRE(!PartitionSupervisor::cast<Counter>(parts, "user:2", Counter::Add{1}));
}

TEST_CASE("partitions default to one per scheduler thread / a negative number fails the start") {
    sup::Runtime rt(test::quiet(3));
    sup::Pid parts = PartitionSupervisor::start(rt, sup::dynamic_worker<Counter>()).value();
    REQUIRE(PartitionSupervisor::partitions(parts).value() == 3);
    auto bad = PartitionSupervisor::start(rt, sup::dynamic_worker<Counter>(), -1);
    REQUIRE(bad.failed());
    REQUIRE(bad.reason().to_string() == "partitions must be a positive integer, found -1");
    REQUIRE(PartitionSupervisor::start(rt, sup::ChildTemplate{}, 2).failed());
}
