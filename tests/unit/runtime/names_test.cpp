// A child's name (sup::ChildSettings::name, sup/names.hpp): registered before its init runs,
// released when it dies, taken again by the restarted child; typed lookups that say what they
// found instead of handing out a Ref of the wrong class.
#include "sup/inspect.hpp"
#include "sup/names.hpp"
#include "sup_helpers.hpp"

#include <catch2/catch.hpp>

using namespace test;
using sup::ChildName;
using sup::NameError;
using sup::testing::StandIn;
using sup::testing::Supervised;

namespace {

// Records, in its init, what a typed lookup of its own name answered.
class Named : public sup::Actor<Named> {
public:
    Named(std::shared_ptr<Recorder> seen, ChildName name)
        : seen_(std::move(seen)), name_(std::move(name)) {}
    sup::InitResult init() override {
        auto me = sup::whereis_as<Named>(name_);
        seen_->add(me && me.value() == self_pid() ? "registered" : "missing");
        return sup::InitResult::ok();
    }
    struct Ping {};
    std::string handle_call(Ping) { return "pong"; }

private:
    std::shared_ptr<Recorder> seen_;
    ChildName name_;
};

sup::SupervisorSpec one_for_one(std::vector<sup::ChildSpec> children) {
    return sup_spec(sup::Strategy::one_for_one, 5, 3600s, std::move(children));
}

/// Dynamic children named "job_N" from their start argument N (as generated code names a child
/// from its arguments, a via key say).
sup::DynamicSupervisorSpec jobs_named_by_their_argument() {
    sup::DynamicSupervisorSpec d;
    d.flags.intensity = 5;
    d.flags.period = 3600s;
    d.child = sup::ChildTemplate{};
    d.child.start = [](sup::StartContext& ctx, const sup::StartArgs& a) {
        const auto& [n] = std::any_cast<const std::tuple<std::int64_t>&>(a.value());
        ctx.set_name(ChildName::local("job_" + std::to_string(n)));
        return ctx.spawn_link<StandIn>();
    };
    return d;
}

} // namespace

TEST_CASE("child_name_registered_before_init_released_and_retaken") {
    sup::Runtime rt(quiet());
    auto seen = std::make_shared<Recorder>();
    Supervised top(
        rt, one_for_one(
                {sup::worker<Named>("cache", seen, ChildName::local("cache")).with_name("cache")}));
    REQUIRE(seen->items() == std::vector<std::string>{"registered"});
    sup::Pid first = top.child("cache");
    CHECK(rt.whereis("cache") == first);

    // Killed: the name goes with it, and the restarted child takes it before its init.
    sup::Pid second = top.kill_and_await_restart("cache");
    CHECK(second != first);
    REQUIRE(seen->wait_count(2));
    CHECK(seen->items() == std::vector<std::string>{"registered", "registered"});
    CHECK(rt.whereis("cache") == second);
    CHECK(sup::call(sup::whereis_as<Named>(rt, "cache").value(), Named::Ping{}).value() == "pong");

    // Gone for good (terminated by its supervisor): released.
    REQUIRE(sup::terminate_child(top.pid(), "cache"));
    CHECK_FALSE(rt.whereis("cache"));
    CHECK(sup::whereis_as<Named>(rt, "cache").error() == NameError::Code::not_registered);
}

TEST_CASE("child_name_taken_fails_the_start_as_already_started") {
    sup::Runtime rt(quiet());
    auto squatter = rt.spawn<StandIn>().value();
    REQUIRE(rt.register_name("cache", squatter));
    auto r =
        sup::start_supervisor(rt, one_for_one({sup::testing::stand_in("a").with_name("cache")}));
    REQUIRE(r.failed());
    CHECK(r.reason().to_string().find("already_started") != std::string::npos);
    rt.stop(squatter);
}

TEST_CASE("child_name_typed_lookup_mismatch_is_an_error_not_a_ref") {
    sup::Runtime rt(quiet());
    auto seen = std::make_shared<Recorder>();
    Supervised top(rt,
                   one_for_one({sup::worker<Named>("n", seen, ChildName::local("n")).with_name("n"),
                                sup::testing::stand_in("s").with_name("stand_in")}));
    auto wrong = sup::whereis_as<StandIn>(rt, "n");
    REQUIRE_FALSE(wrong);
    CHECK(wrong.error() == NameError::Code::wrong_type);
    CHECK(wrong.error().pid == top.child("n"));
    CHECK(wrong.error().to_string().find("is a ") != std::string::npos);
    CHECK(wrong.error().actual.find("Named") != std::string::npos);
    CHECK(wrong.error().expected == "sup::testing::StandIn");
    CHECK(sup::whereis_as<StandIn>(rt, "stand_in").value() == top.child("s"));
    CHECK(sup::whereis_as<StandIn>(rt, "nobody").error() == NameError::Code::not_registered);
    // Outside actors without a runtime: said so.
    CHECK(sup::whereis_as<StandIn>("stand_in").error() == NameError::Code::no_runtime);
}

TEST_CASE("child_name_of_a_supervisor_child_and_of_dynamic_children") {
    sup::Runtime rt(quiet());
    sup::DynamicSupervisorSpec d = jobs_named_by_their_argument();
    Supervised top(
        rt, one_for_one({sup::dynamic_supervisor("jobs", [d] { return d; }).with_name("jobs")}));
    sup::Pid jobs = top.child("jobs");
    CHECK(rt.whereis("jobs") == jobs);
    auto one = sup::start_child(jobs, sup::args(std::int64_t(1))).value();
    auto two = sup::start_child(jobs, sup::args(std::int64_t(2))).value();
    CHECK(rt.whereis("job_1") == one);
    CHECK(rt.whereis("job_2") == two);
    CHECK(sup::start_child(jobs, sup::args(std::int64_t(1))).error().code ==
          sup::SupError::Code::start_failed);
}

TEST_CASE("child_name_not_taken_by_the_start_function_fails_the_start") {
    sup::Runtime rt(quiet());
    sup::ChildSpec odd;
    odd.id = "odd";
    odd.name = ChildName::local("odd");
    // Starts its actor outside the context: the name could not be registered before init.
    odd.start = [](sup::StartContext& ctx) -> sup::StartResult<sup::Pid> {
        auto p = ctx.runtime().spawn<StandIn>();
        return sup::StartResult<sup::Pid>::make_started(p.value());
    };
    auto r = sup::start_supervisor(rt, one_for_one({odd}));
    REQUIRE(r.failed());
    CHECK(r.reason().to_string().find("name_not_registered") != std::string::npos);
}

TEST_CASE("child_name_invalid_spec") {
    sup::Runtime rt(quiet());
    sup::ChildSpec bad = sup::testing::stand_in("bad");
    bad.name.kind = ChildName::Kind::via; // no module
    auto r = sup::check_childspecs({bad});
    REQUIRE_FALSE(r);
    CHECK(r.error().detail.find("invalid_name") != std::string::npos);
}

TEST_CASE("child_name_in_inspect_and_its_json_dynamic_names_kept_across_a_restart") {
    sup::Runtime rt(quiet());
    sup::DynamicSupervisorSpec d = jobs_named_by_their_argument();
    Supervised top(
        rt, one_for_one({sup::testing::stand_in("cache").with_name("cache"),
                         sup::dynamic_supervisor("jobs", [d] { return d; }).with_name("jobs"),
                         sup::testing::stand_in("plain")}));
    sup::Pid jobs = top.child("jobs");
    REQUIRE(sup::start_child(jobs, sup::args(std::int64_t(7))));
    REQUIRE(sup::start_child(jobs, sup::args(std::int64_t(8))));
    // The restarted child takes its own name again; inspect says the name it took.
    sup::Pid second = top.kill_and_await_restart("jobs/1");
    CHECK(rt.whereis("job_7") == second);

    auto s = sup::inspect(top.pid());
    REQUIRE(s);
    REQUIRE(s->children.size() == 3);
    CHECK(s->children[0].name == ChildName::local("cache"));
    CHECK(s->children[1].name == ChildName::local("jobs"));
    CHECK_FALSE(s->children[2].name);
    REQUIRE(s->children[1].supervisor);
    const auto& dyn = s->children[1].supervisor->children;
    REQUIRE(dyn.size() == 2);
    CHECK(dyn[0].name == ChildName::local("job_7"));
    CHECK(dyn[0].pid == second);
    CHECK(dyn[1].name == ChildName::local("job_8"));

    // JSON: `supc dump`'s shape for a child's name; a supervisor child has one "name" key.
    std::string json = sup::to_json(*s, {.indent = 0});
    CHECK(json.find(R"("id":"cache")") != std::string::npos);
    CHECK(json.find(R"("name":{"kind":"local","name":"cache"})") != std::string::npos);
    CHECK(json.find(R"("name":{"kind":"local","name":"job_7"})") != std::string::npos);
    CHECK(json.find(R"("name":{"kind":"local","name":"job_8"})") != std::string::npos);
    std::size_t jobs_at = json.find(R"("id":"jobs")");
    REQUIRE(jobs_at != std::string::npos);
    std::size_t jobs_end = json.find(R"("children")", jobs_at);
    std::string jobs_keys = json.substr(jobs_at, jobs_end - jobs_at);
    const std::string child_name = R"("name":{"kind":"local","name":"jobs"})";
    std::size_t name_at = jobs_keys.find(child_name);
    REQUIRE(name_at != std::string::npos);
    jobs_keys.erase(name_at, child_name.size());
    CHECK(jobs_keys.find(R"("name")") == std::string::npos); // no second, supervisor "name" key
    CHECK(json.find(R"("id":"plain","pid")") != std::string::npos);
}

TEST_CASE("child_name_in_inspect_a_static_child_named_by_its_start") {
    // A static child whose start function names it (generated code does this for the children
    // of a std.PartitionSupervisor, whose names depend on their index): inspect says the name
    // it registered, before and after a restart; its spec has none.
    sup::Runtime rt(quiet());
    int starts = 0;
    sup::ChildSpec named = sup::testing::stand_in("slot");
    named.start = [&starts](sup::StartContext& ctx) -> sup::StartResult<sup::Pid> {
        ctx.set_name(ChildName::local("slot_" + std::to_string(starts++)));
        return ctx.spawn_link<StandIn>();
    };
    Supervised top(rt, one_for_one({std::move(named)}));
    auto s = sup::inspect(top.pid());
    REQUIRE(s);
    REQUIRE(s->children.size() == 1);
    CHECK(s->children[0].name == ChildName::local("slot_0"));
    top.kill_and_await_restart("slot");
    s = sup::inspect(top.pid());
    REQUIRE(s);
    CHECK(s->children[0].name == ChildName::local("slot_1"));
    CHECK(rt.whereis("slot_1") == s->children[0].pid);
    CHECK(sup::to_json(*s, {.indent = 0}).find(R"("name":{"kind":"local","name":"slot_1"})") !=
          std::string::npos);
}
