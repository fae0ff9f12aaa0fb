#include "supc/Settings.h"

namespace supc {

namespace {

constexpr SettingInfo kSettings[] = {
    {SettingKey::Strategy, "strategy", InSupervisor | InDynamicSupervisor,
     "one_for_one, one_for_all or rest_for_one"},
    {SettingKey::Intensity, "intensity", InSupervisor | InDynamicSupervisor,
     "N per DURATION, such as 3 per 5s"},
    {SettingKey::AutoShutdown, "auto_shutdown", InSupervisor | InDynamicSupervisor,
     "never, any_significant or all_significant"},
    {SettingKey::Backoff, "backoff", InSupervisor | InDynamicSupervisor,
     "none or exponential(MIN, MAX) or exponential(MIN, MAX, jitter = J)"},
    {SettingKey::MaxChildren, "max_children", InDynamicSupervisor, "an int"},
    {SettingKey::Restart, "restart", InWorkerDecl | InChild, "permanent, transient or temporary"},
    {SettingKey::Shutdown, "shutdown", InWorkerDecl | InChild,
     "brutal_kill, infinity or a duration"},
    {SettingKey::Significant, "significant", InWorkerDecl | InChild, "true or false"},
    {SettingKey::Needs, "needs", InChild, "a list of sibling ids"},
    {SettingKey::Type, "type", InWorkerDecl, "worker or supervisor"},
};

} // namespace

std::string_view name(Strategy s) {
    switch (s) {
    case Strategy::OneForOne:
        return "one_for_one";
    case Strategy::OneForAll:
        return "one_for_all";
    case Strategy::RestForOne:
        return "rest_for_one";
    }
    return "one_for_one";
}
std::string_view name(RestartType r) {
    switch (r) {
    case RestartType::Permanent:
        return "permanent";
    case RestartType::Transient:
        return "transient";
    case RestartType::Temporary:
        return "temporary";
    }
    return "permanent";
}
std::string_view name(AutoShutdown a) {
    switch (a) {
    case AutoShutdown::Never:
        return "never";
    case AutoShutdown::AnySignificant:
        return "any_significant";
    case AutoShutdown::AllSignificant:
        return "all_significant";
    }
    return "never";
}
std::string_view name(ChildType t) {
    return t == ChildType::Worker ? "worker" : "supervisor";
}

const Type* strategyType() {
    static const Type* t = Type::enumOf({"one_for_one", "one_for_all", "rest_for_one"});
    return t;
}
const Type* restartType() {
    static const Type* t = Type::enumOf({"permanent", "transient", "temporary"});
    return t;
}
const Type* autoShutdownType() {
    static const Type* t = Type::enumOf({"never", "any_significant", "all_significant"});
    return t;
}
const Type* childTypeType() {
    static const Type* t = Type::enumOf({"worker", "supervisor"});
    return t;
}

std::span<const SettingInfo> allSettings() {
    return kSettings;
}

const SettingInfo* findSetting(std::string_view n) {
    for (const auto& s : kSettings)
        if (s.name == n)
            return &s;
    return nullptr;
}

const SettingInfo& info(SettingKey key) {
    return kSettings[static_cast<size_t>(key)];
}

} // namespace supc
