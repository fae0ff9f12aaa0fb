// The settings of supervisors and children (LANGUAGE.md's tables): their names, where
// each may appear, their enumerations, defaults, and the typed values the elaborated tree
// holds.
#pragma once

#include "supc/Types.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace supc {

namespace ir {
struct Setting;
}
class Value;
class DiagnosticEngine;

enum class Strategy : unsigned char { OneForOne, OneForAll, RestForOne };
enum class RestartType : unsigned char { Permanent, Transient, Temporary };
enum class AutoShutdown : unsigned char { Never, AnySignificant, AllSignificant };
/// OTP's child type: a worker, or a process that supervises its own children.
enum class ChildType : unsigned char { Worker, Supervisor };

struct Shutdown {
    enum class Mode : unsigned char { BrutalKill, Infinity, Timeout };
    Mode mode = Mode::Timeout;
    int64_t milliseconds = 0; // Timeout only
    bool operator==(const Shutdown&) const = default;
};

/// More than `restarts` restarts within `periodMs` and the supervisor gives up.
struct Intensity {
    int64_t restarts = 0;
    int64_t periodMs = 0;
    bool operator==(const Intensity&) const = default;
};

/// Delay before each restart: none, or exponential between bounds with jitter.
struct Backoff {
    bool exponential = false;
    int64_t minMs = 0;
    int64_t maxMs = 0;
    double jitter = 0.0;
    bool operator==(const Backoff&) const = default;
};

/// A child's registered name (`name = "cache";`, `name = via("rooms", "room:{id}");`): none, a
/// name of the runtime's registry, or a key in the std.Registry registered as `registry`. In a
/// dynamic supervisor's template, `{param}` stands for the start argument each child gets.
struct ChildName {
    enum class Mode : unsigned char { None, Local, Via };
    Mode mode = Mode::None;
    std::string name;     // Local: the name; Via: the key
    std::string registry; // Via: the registry's registered name
    bool operator==(const ChildName&) const = default;
};

/// LANGUAGE.md's defaults, in one place: the middle end fills them in (EffectiveSettings.h);
/// the back ends read the values it gives them and never these.
namespace defaults {
inline constexpr Strategy strategy = Strategy::OneForOne;
inline constexpr Intensity intensity{3, 5000};
inline constexpr AutoShutdown autoShutdown = AutoShutdown::Never;
inline constexpr Backoff backoff{};
inline constexpr std::optional<int64_t> maxChildren{}; // unlimited
inline constexpr RestartType restart = RestartType::Permanent;
inline constexpr bool significant = false;
/// No registered name.
inline ChildName name() {
    return {};
}
/// Workers: 5 s; supervisors (C++ classes of type supervisor too): infinity.
constexpr Shutdown shutdown(ChildType type) {
    return type == ChildType::Supervisor ? Shutdown{Shutdown::Mode::Infinity, 0}
                                         : Shutdown{Shutdown::Mode::Timeout, 5000};
}
} // namespace defaults

std::string_view name(Strategy s);
std::string_view name(RestartType r);
std::string_view name(AutoShutdown a);
std::string_view name(ChildType t);

/// The enumerated types of the settings above (enumerators in enum order).
const Type* strategyType();
const Type* restartType();
const Type* autoShutdownType();
const Type* childTypeType();
const Type* readinessType();    // exec, notify
const Type* notifySocketType(); // path, abstract
const Type* outputModeType();   // log, inherit, discard
const Type* containmentType();  // automatic, cgroup, process_tree
/// The signals a `stop_signal` may name, SIGHUP ... SIGSYS (Linux's numbering, in order).
const Type* signalType();
/// The Linux number of a signal of signalType() ("SIGTERM": 15); 0 if it is not one.
int signalNumber(std::string_view name);
/// Whether a signal's default action ends a process (what a stop signal must be able to
/// do): not SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU, SIGCONT, SIGCHLD, SIGURG or SIGWINCH.
bool signalCanStop(std::string_view name);

/// A program's settings as the elaborated tree holds them (sup::ProcessSpec's fields).
enum class Readiness : unsigned char { Exec, Notify };
enum class NotifySocket : unsigned char { Path, Abstract };
enum class OutputMode : unsigned char { Log, Inherit, Discard };
enum class Containment : unsigned char { Automatic, Cgroup, ProcessTree };
std::string_view name(Readiness r);
std::string_view name(NotifySocket n);
std::string_view name(OutputMode o);
std::string_view name(Containment c);
namespace defaults {
inline constexpr int64_t startTimeoutMs = 30000;
}

enum class SettingKey : unsigned char {
    Strategy,
    Intensity,
    AutoShutdown,
    Backoff,
    MaxChildren, // supervisor settings
    Restart,
    Shutdown,
    Significant,
    Name,
    Needs, // child settings
    Type,  // worker declarations only
    // A program's settings (`worker W = program "cmd" { ... }`): how its process runs.
    Args,
    Env,
    UnsetEnv,
    InheritEnv,
    WorkingDir,
    StopSignal,
    Readiness,
    NotifySocket,
    StartTimeout,
    Output,
    OutputFile,
    Containment,
};

/// Where a setting is written.
enum SettingPlace : unsigned {
    InSupervisor = 1u << 0,        // body of `supervisor` / `application`
    InDynamicSupervisor = 1u << 1, // body of `dynamic_supervisor`
    InWorkerDecl = 1u << 2,        // block of a `worker` declaration: defaults for children
    InChild = 1u << 3,             // block of a `child`
    InProgramDecl = 1u << 4,       // block of a `worker ... = program "..."` declaration
};

/// How a setting is written, which says how Sema resolves it (one function per form, in
/// lib/Sema/ResolveSettings.cpp) and what ir::Setting holds.
enum class SettingForm : unsigned char {
    Enum,        // an enumerator of `type()` (or an expression of that type)
    Bool,        // true, false, or a bool expression
    OptionalInt, // an int? (none: unlimited)
    Shutdown,    // brutal_kill | infinity | DURATION
    Intensity,   // N per DURATION
    Backoff,     // none | exponential(MIN, MAX) | exponential(MIN, MAX, jitter = J)
    Ids,         // a list of sibling ids (needs)
    Timeout,     // DURATION | infinity
    String,      // a string that may interpolate parameters and consts: "/srv/{name}"
    Strings,     // a list of such strings
    Name,        // such a string, or via(REGISTRY, KEY) of two such strings
};

/// The values of a setting's expressions (ir::Setting's value, period, jitter) as far as a
/// phase knows them (null: not known there, not checked): the constants for Sema, every
/// instance's values for elaboration.
struct SettingValues {
    const Value* value = nullptr;
    const Value* period = nullptr;
    const Value* jitter = nullptr;
    bool dynamic = false; // the setting is a dynamic supervisor's
};
/// A setting's value check (lib/Sema/SettingsCheck.cpp): reports what is wrong, false if
/// anything was.
using SettingCheck = bool (*)(const ir::Setting&, const SettingValues&, DiagnosticEngine&);

struct SettingInfo {
    SettingKey key;
    std::string_view name;
    unsigned places;           // SettingPlace bits where it is allowed
    std::string_view expected; // for messages: "one_for_one, one_for_all or rest_for_one"
    SettingForm form;
    const Type* (*type)() = nullptr; // Enum: the enumeration
    std::string_view noun = {};      // Enum: what a value is called ("restart type")
    SettingCheck check = nullptr;    // its value check, called by Sema and elaboration
    /// Enum: only a literal enumerator (`type`): never computed.
    bool literalOnly = false;
    /// What it does, in a sentence (hover).
    std::string_view doc = {};
};

/// A setting whose value is strings with `{name}` interpolations (form String, Strings or Name:
/// a program's args, env, unset_env, working_dir, output_file; a child's name), which the
/// parser reads so.
bool isProgramStringSetting(std::string_view name);
/// Whether the key is one of a program's own settings (args ... containment).
constexpr bool isProgramSetting(SettingKey k) {
    return k >= SettingKey::Args;
}

std::span<const SettingInfo> allSettings();
const SettingInfo* findSetting(std::string_view name);
const SettingInfo& info(SettingKey key);

} // namespace supc
