// The settings of supervisors and children (LANGUAGE.md's tables): their names, where
// each may appear, their enumerations, defaults, and the typed values the elaborated tree
// holds.
#pragma once

#include "supc/Types.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace supc {

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

enum class SettingKey : unsigned char {
    Strategy,
    Intensity,
    AutoShutdown,
    Backoff,
    MaxChildren, // supervisor settings
    Restart,
    Shutdown,
    Significant,
    Needs, // child settings
    Type,  // worker declarations only
};

/// Where a setting is written.
enum SettingPlace : unsigned {
    InSupervisor = 1u << 0,        // body of `supervisor` / `application`
    InDynamicSupervisor = 1u << 1, // body of `dynamic_supervisor`
    InWorkerDecl = 1u << 2,        // block of a `worker` declaration: defaults for children
    InChild = 1u << 3,             // block of a `child`
};

struct SettingInfo {
    SettingKey key;
    std::string_view name;
    unsigned places;           // SettingPlace bits where it is allowed
    std::string_view expected; // for messages: "one_for_one, one_for_all or rest_for_one"
};

std::span<const SettingInfo> allSettings();
const SettingInfo* findSetting(std::string_view name);
const SettingInfo& info(SettingKey key);

} // namespace supc
