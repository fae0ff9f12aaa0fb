// The child and supervisor settings end to end: one row per setting says where the checked
// tree holds its effective value, its language default, and how each back end hands it on —
// its name in `supc dump`'s JSON, the member or builder of the runtime's spec that generated
// C++ sets, and the conversion `supc sim` applies to the real runtime's spec. How it is
// written and checked is its SettingInfo (Settings.h: name, places, form, check).
//
// Every phase iterates these rows (forEachChildSetting, forEachSupervisorSetting) with code
// written once per value type (RestartType, Shutdown, Intensity, ...), never once per
// setting. A new setting of an existing value type is a field below, a row, its
// SettingInfo, its check and the runtime's field (docs/architecture.md, "Add a setting").
//
// The runtime never sees this table: the rows name the runtime's spec types
// (sup/spec.hpp, a header without dependencies), not the other way round.
#pragma once

#include "supc/IR.h"
#include "supc/Settings.h"

#include <algorithm>
#include <chrono>
#include <climits>
#include <optional>
#include <string>
#include <string_view>
#include <sup/spec.hpp>
#include <tuple>

namespace supc {

enum class SettingOrigin : unsigned char {
    Explicit,    // written on the child (or in the supervisor's own body)
    KindDefault, // from the worker declaration's block
    Component,   // fixed by a standard component of the runtime (std.Pool's dispatcher, ...)
    Default,     // the language's default
};
/// "explicit", "kind", "component", "default"
std::string_view name(SettingOrigin o);

/// A setting's value in the checked tree and where it came from.
template <class T>
struct Resolved {
    T value{};
    SettingOrigin origin = SettingOrigin::Default;
    const ir::Setting* setting = nullptr; // the setting that gave it; null when not written
    SourceRange range() const { return setting ? setting->range : SourceRange(); }
};

/// A node's settings as a child of its supervisor (every node but the root).
struct ChildSettings {
    Resolved<RestartType> restart;
    Resolved<Shutdown> shutdown;
    Resolved<bool> significant;
    Resolved<ChildName> name;
};

/// A supervisor's own settings: supervisors and dynamic supervisors declared in .sup, and the
/// standard components (origin Component).
struct SupervisorSettings {
    Resolved<Strategy> strategy;
    Resolved<Intensity> intensity;
    Resolved<AutoShutdown> autoShutdown;
    Resolved<Backoff> backoff;
    Resolved<std::optional<int64_t>> maxChildren; // dynamic supervisors; empty: unlimited
};

/// One row: `Owner` is ChildSettings or SupervisorSettings, `T` the value type.
template <class Owner, class T, class ToRuntime>
struct SettingRow {
    using ValueType = T;
    SettingKey key;
    Resolved<T> Owner::*field;
    /// The language's default; a child's may depend on whether it is a worker or a supervisor.
    T (*byDefault)(ChildType);
    /// `supc dump`'s attribute (a second one for a value of two parts: intensity's period).
    std::string_view json, json2 = {};
    /// Generated C++: a child's builder (`.with_restart(...)`), or a supervisor spec's member
    /// (`spec.flags.strategy = ...;`; a second one for a value of two parts).
    std::string_view cpp, cpp2 = {};
    /// Enumerations: the runtime's type (`sup::Restart`) and the conversion generated code
    /// applies to a parameter's value (`sup::gen::to_restart`); ints: a conversion applied
    /// to a value that is not a literal.
    std::string_view cppType = {}, cppConvert = {};
    /// How the runtime's spec receives the value (sup::ChildSpec and sup::ChildTemplate, or
    /// sup::SupervisorSpec and sup::DynamicSupervisorSpec): what `supc sim` runs.
    ToRuntime toRuntime;

    const SettingInfo& info() const { return supc::info(key); }
};

template <class Owner, class T, class ToRuntime>
constexpr SettingRow<Owner, T, ToRuntime>
settingRow(SettingKey key, Resolved<T> Owner::*field, T (*byDefault)(ChildType),
           std::string_view json, std::string_view cpp, ToRuntime toRuntime) {
    return {key, field, byDefault, json, {}, cpp, {}, {}, {}, toRuntime};
}

/// The runtime's value of a duration in milliseconds, and of a shutdown.
inline std::chrono::milliseconds runtimeMs(int64_t ms) {
    return std::chrono::milliseconds(ms);
}
inline sup::Shutdown runtimeShutdown(const Shutdown& s) {
    switch (s.mode) {
    case Shutdown::Mode::BrutalKill:
        return sup::Shutdown::brutal_kill();
    case Shutdown::Mode::Infinity:
        return sup::Shutdown::infinity();
    case Shutdown::Mode::Timeout:
        break;
    }
    return sup::Shutdown::timeout(runtimeMs(s.milliseconds));
}
/// The runtime's name: `supc sim` registers local names as the runtime does; via-names (a
/// key in a std.Registry, which sim's stand-ins are not) and a template's names that depend on
/// start arguments are left out.
inline sup::ChildName runtimeName(const ChildName& n) {
    if (n.mode != ChildName::Mode::Local || n.name.find('{') != std::string::npos)
        return {};
    return sup::ChildName::local(n.name);
}

namespace rows {

inline constexpr auto restart = [] {
    auto r = settingRow(
        SettingKey::Restart, &ChildSettings::restart, +[](ChildType) { return defaults::restart; },
        "restart", "with_restart",
        [](auto& spec, RestartType v) { spec.restart = sup::Restart(v); });
    r.cppType = "sup::Restart";
    r.cppConvert = "sup::gen::to_restart";
    return r;
}();
inline constexpr auto shutdown = settingRow(
    SettingKey::Shutdown, &ChildSettings::shutdown,
    +[](ChildType t) { return defaults::shutdown(t); }, "shutdown", "with_shutdown",
    [](auto& spec, const Shutdown& v) { spec.shutdown = runtimeShutdown(v); });
inline constexpr auto significant = settingRow(
    SettingKey::Significant, &ChildSettings::significant,
    +[](ChildType) { return defaults::significant; }, "significant", "with_significant",
    [](auto& spec, bool v) { spec.significant = v; });
inline constexpr auto name = settingRow(
    SettingKey::Name, &ChildSettings::name, +[](ChildType) { return defaults::name(); }, "name",
    "with_name", [](auto& spec, const ChildName& v) { spec.name = runtimeName(v); });

inline constexpr auto strategy = [] {
    auto r = settingRow(
        SettingKey::Strategy, &SupervisorSettings::strategy,
        +[](ChildType) { return defaults::strategy; }, "strategy", "flags.strategy",
        [](auto& spec, Strategy v) { spec.flags.strategy = sup::Strategy(v); });
    r.cppType = "sup::Strategy";
    r.cppConvert = "sup::gen::to_strategy";
    return r;
}();
inline constexpr auto intensity = [] {
    auto r = settingRow(
        SettingKey::Intensity, &SupervisorSettings::intensity,
        +[](ChildType) { return defaults::intensity; }, "intensity", "flags.intensity",
        [](auto& spec, const Intensity& v) {
            spec.flags.intensity = int(std::clamp<int64_t>(v.restarts, 0, INT_MAX));
            spec.flags.period = runtimeMs(v.periodMs);
        });
    r.json2 = "period_ms";
    r.cpp2 = "flags.period";
    r.cppConvert = "sup::gen::to_intensity";
    return r;
}();
inline constexpr auto autoShutdown = [] {
    auto r = settingRow(
        SettingKey::AutoShutdown, &SupervisorSettings::autoShutdown,
        +[](ChildType) { return defaults::autoShutdown; }, "auto_shutdown", "flags.auto_shutdown",
        [](auto& spec, AutoShutdown v) { spec.flags.auto_shutdown = sup::AutoShutdown(v); });
    r.cppType = "sup::AutoShutdown";
    r.cppConvert = "sup::gen::to_auto_shutdown";
    return r;
}();
inline constexpr auto backoff = settingRow(
    SettingKey::Backoff, &SupervisorSettings::backoff, +[](ChildType) { return defaults::backoff; },
    "backoff", "flags.backoff",
    [](auto& spec, const Backoff& v) {
        spec.flags.backoff = v.exponential ? sup::Backoff::exponential(runtimeMs(v.minMs),
                                                                       runtimeMs(v.maxMs), v.jitter)
                                           : sup::Backoff::none();
    });
inline constexpr auto maxChildren = [] {
    auto r = settingRow(
        SettingKey::MaxChildren, &SupervisorSettings::maxChildren,
        +[](ChildType) { return defaults::maxChildren; }, "max_children", "max_children",
        [](sup::DynamicSupervisorSpec& spec, const std::optional<int64_t>& v) {
            if (v)
                spec.max_children = size_t(std::max<int64_t>(0, *v));
            else
                spec.max_children.reset();
        });
    r.cppConvert = "sup::gen::to_max_children";
    return r;
}();

} // namespace rows

/// Calls `f(row)` for each child setting, in the table's order (the order of dump, hover and
/// generated code).
template <class F>
void forEachChildSetting(F&& f) {
    f(rows::restart);
    f(rows::shutdown);
    f(rows::significant);
    f(rows::name);
}

/// Calls `f(row)` for each supervisor setting, in the table's order.
template <class F>
void forEachSupervisorSetting(F&& f) {
    f(rows::strategy);
    f(rows::intensity);
    f(rows::autoShutdown);
    f(rows::backoff);
    f(rows::maxChildren);
}

/// Whether a supervisor setting applies to a supervisor of this kind (max_children: dynamic
/// supervisors only), from where it may be written.
inline bool appliesTo(const SettingInfo& info, bool dynamic) {
    return (info.places & (dynamic ? InDynamicSupervisor : InSupervisor)) != 0;
}

/// A runtime spec's settings from the checked tree's (ChildSpec or ChildTemplate;
/// SupervisorSpec or DynamicSupervisorSpec).
template <class Spec>
void applyChildSettings(const ChildSettings& s, Spec& spec) {
    forEachChildSetting([&](const auto& row) { row.toRuntime(spec, (s.*row.field).value); });
}
template <class Spec>
void applySupervisorSettings(const SupervisorSettings& s, Spec& spec) {
    forEachSupervisorSetting([&](const auto& row) {
        using T = typename std::decay_t<decltype(row)>::ValueType;
        if constexpr (std::is_invocable_v<decltype(row.toRuntime), Spec&, const T&>)
            row.toRuntime(spec, (s.*row.field).value);
    });
}

/// A value as a spec writes it ("brutal_kill", "5s", "3 per 5s", "exponential(1s, 30s)",
/// "unlimited"): what hover and graph show.
template <class E>
requires std::is_enum_v<E> std::string settingText(E v) {
    return std::string(name(v));
}
std::string settingText(bool v);
std::string settingText(const Shutdown& v);
std::string settingText(const Intensity& v);
std::string settingText(const Backoff& v);
std::string settingText(const std::optional<int64_t>& v);
std::string settingText(const ChildName& v);

} // namespace supc
