// The settings table (Settings.h, SettingTable.h): its rows agree with each other and with
// the runtime's spec types that they name.
#include "supc/SettingTable.h"

#include "supc/Types.h"

#include <catch2/catch.hpp>
#include <set>
#include <string>

using namespace supc;
using namespace std::chrono_literals;

TEST_CASE("settings table: every SettingInfo is found by its key and by its name") {
    std::set<std::string_view> names;
    for (const SettingInfo& s : allSettings()) {
        CHECK(&info(s.key) == &s);
        CHECK(findSetting(s.name) == &s);
        CHECK(names.insert(s.name).second);
        CHECK(s.places != 0);
        CHECK(!s.expected.empty());
        if (s.form == SettingForm::Enum) {
            REQUIRE(s.type);
            CHECK(s.type()->kind() == TypeKind::Enum);
            CHECK(!s.noun.empty());
        }
        CHECK((!s.literalOnly || s.form == SettingForm::Enum));
    }
}

TEST_CASE("settings table: child rows are child settings, supervisor rows supervisor settings") {
    int children = 0, supervisors = 0;
    forEachChildSetting([&](const auto& row) {
        ++children;
        CHECK((row.info().places & InChild) != 0);
        CHECK(!row.json.empty());
        CHECK(!row.cpp.empty());
    });
    forEachSupervisorSetting([&](const auto& row) {
        ++supervisors;
        CHECK((row.info().places & InDynamicSupervisor) != 0);
        CHECK(!row.json.empty());
        CHECK(!row.cpp.empty());
    });
    CHECK(children == 4);
    CHECK(supervisors == 5);
}

// The rows convert the compiler's enumerations to the runtime's by position: the two must
// list the same enumerators in the same order.
TEST_CASE("settings table: an enumerator reaches the runtime under its own name") {
    const auto& restarts = restartType()->enumerators();
    for (size_t i = 0; i < restarts.size(); ++i) {
        sup::ChildSpec spec;
        rows::restart.toRuntime(spec, RestartType(i));
        CHECK(sup::to_string(spec.restart) == restarts[i]);
    }
    const auto& strategies = strategyType()->enumerators();
    for (size_t i = 0; i < strategies.size(); ++i) {
        sup::SupervisorSpec spec;
        rows::strategy.toRuntime(spec, Strategy(i));
        CHECK(sup::to_string(spec.flags.strategy) == strategies[i]);
    }
    const auto& autoShutdowns = autoShutdownType()->enumerators();
    for (size_t i = 0; i < autoShutdowns.size(); ++i) {
        sup::SupervisorSpec spec;
        rows::autoShutdown.toRuntime(spec, AutoShutdown(i));
        CHECK(sup::to_string(spec.flags.auto_shutdown) == autoShutdowns[i]);
    }
}

TEST_CASE("settings table: the tree's settings fill the runtime's specs") {
    ChildSettings c;
    c.restart.value = RestartType::Temporary;
    c.shutdown.value = {Shutdown::Mode::Timeout, 1500};
    c.significant.value = true;
    sup::ChildSpec spec;
    applyChildSettings(c, spec);
    CHECK(spec.restart == sup::Restart::temporary);
    CHECK(spec.shutdown == sup::Shutdown::timeout(1500ms));
    CHECK(spec.significant);
    sup::ChildTemplate templ;
    c.shutdown.value = {Shutdown::Mode::BrutalKill, 0};
    applyChildSettings(c, templ);
    CHECK(templ.restart == sup::Restart::temporary);
    CHECK(templ.shutdown == sup::Shutdown::brutal_kill());
    CHECK(templ.significant);
    // Names: a local one reaches the runtime (supc sim registers it, as the runtime does);
    // via-names (sim's stand-ins are no registries) and a template's `{param}` do not.
    c.name.value = {ChildName::Mode::Local, "cache", ""};
    applyChildSettings(c, spec);
    CHECK(spec.name == sup::ChildName::local("cache"));
    c.name.value = {ChildName::Mode::Via, "room:1", "rooms"};
    applyChildSettings(c, spec);
    CHECK_FALSE(spec.name);
    c.name.value = {ChildName::Mode::Local, "job_{id}", ""};
    applyChildSettings(c, templ);
    CHECK_FALSE(templ.name);

    SupervisorSettings s;
    s.strategy.value = Strategy::RestForOne;
    s.intensity.value = {7, 2000};
    s.autoShutdown.value = AutoShutdown::AllSignificant;
    s.backoff.value = {true, 100, 3000, 0.25};
    s.maxChildren.value = 12;
    sup::DynamicSupervisorSpec dynamic;
    applySupervisorSettings(s, dynamic);
    CHECK(dynamic.flags.strategy == sup::Strategy::rest_for_one);
    CHECK(dynamic.flags.intensity == 7);
    CHECK(dynamic.flags.period == 2000ms);
    CHECK(dynamic.flags.auto_shutdown == sup::AutoShutdown::all_significant);
    CHECK(dynamic.flags.backoff.min == 100ms);
    CHECK(dynamic.flags.backoff.max == 3000ms);
    CHECK(dynamic.flags.backoff.jitter == 0.25);
    CHECK(dynamic.max_children == std::optional<std::size_t>(12));
    // A static supervisor's spec has no max_children: the row does not apply to it.
    sup::SupervisorSpec fixed;
    applySupervisorSettings(s, fixed);
    CHECK(fixed.flags.intensity == 7);
    CHECK(fixed.flags.backoff.enabled());
}

TEST_CASE("settings table: values as a spec writes them") {
    CHECK(settingText(Shutdown{Shutdown::Mode::BrutalKill, 0}) == "brutal_kill");
    CHECK(settingText(Shutdown{Shutdown::Mode::Infinity, 0}) == "infinity");
    CHECK(settingText(Shutdown{Shutdown::Mode::Timeout, 5000}) == "5s");
    CHECK(settingText(Intensity{3, 5000}) == "3 per 5s");
    CHECK(settingText(Backoff{}) == "none");
    CHECK(settingText(Backoff{true, 1000, 30000, 0}) == "exponential(1s, 30s)");
    CHECK(settingText(RestartType::Transient) == "transient");
    CHECK(settingText(std::optional<int64_t>()) == "unlimited");
    CHECK(settingText(ChildName{}) == "none");
    CHECK(settingText(ChildName{ChildName::Mode::Local, "ca\"che", ""}) == "\"ca\\\"che\"");
    CHECK(settingText(ChildName{ChildName::Mode::Via, "room:{id}", "rooms"}) ==
          "via(\"rooms\", \"room:{id}\")");
}
