// The contract between stdlib/std.sup and the C++ classes: generated code starts each std kind
// with sup::worker<T>(id, args...) where the arguments are the .sup parameters in declaration
// order, mapped as docs/language.md says (int ->
// std::int64_t, int? / string? -> std::optional<...>, enum -> std::string, kind ->
// sup::ChildTemplate).
#include "std_helpers.hpp"

#include <catch2/catch.hpp>

using namespace stdtest;
using namespace sup::std_lib;

TEST_CASE("generated code's way of starting every std kind works: one tree with all four") {
    sup::Runtime rt(test::quiet(2));
    sup::SupervisorSpec app;
    app.flags.intensity = 3;
    // child registry = std.Registry(keys = duplicate, partitions = 2);
    app.children.push_back(sup::worker<Registry>("registry", std::string("duplicate"),
                                                 std::int64_t(2), std::optional<std::string>()));
    // child tasks = std.TaskSupervisor;
    app.children.push_back(sup::worker<TaskSupervisor>("tasks", std::optional<std::int64_t>())
                               .with_type(sup::ChildType::supervisor));
    // child parts = std.PartitionSupervisor(of = Member);  (partitions = schedulers())
    app.children.push_back(
        sup::worker<PartitionSupervisor>("parts", sup::dynamic_worker<Member, std::int64_t>(),
                                         std::int64_t(rt.threads()))
            .with_type(sup::ChildType::supervisor));
    // child pool = std.Pool(of = Counter(start = 3), size = 2);
    app.children.push_back(
        sup::worker<Pool>("pool", sup::dynamic_worker<Counter>(3), std::int64_t(2))
            .with_type(sup::ChildType::supervisor));
    sup::testing::Supervised tree(rt, app);

    REQUIRE(Registry::partitions(tree.child("registry")).value() == 2);
    REQUIRE(TaskSupervisor::async_nolink(tree.child("tasks"), [] { return 1; }).await().value() ==
            1);
    REQUIRE(PartitionSupervisor::partitions(tree.child("parts")).value() == 2);
    REQUIRE(PartitionSupervisor::call<Member>(tree.child("parts"), 3, Member::Index{}).value() ==
            1);
    REQUIRE(Pool::run<Counter>(tree.child("pool"), Counter::Get{}).value() == 3);
    auto types = tree.which_children();
    REQUIRE(types.size() == 4);
    REQUIRE(types[0].type == sup::ChildType::supervisor); // pool
    REQUIRE(types[3].type == sup::ChildType::worker);     // registry
}
