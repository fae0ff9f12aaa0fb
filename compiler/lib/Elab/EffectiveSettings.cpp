#include "supc/EffectiveSettings.h"

namespace supc {

namespace {

template <class T>
EffectiveSetting<T> written(const ir::Setting* s, SettingOrigin origin, T fallback) {
    if (s)
        return {origin, s, T{}};
    return {SettingOrigin::Default, nullptr, fallback};
}

// The child's own setting, else its worker kind's (a default for every child of the kind),
// else the language's default.
template <class T>
EffectiveSetting<T> childSetting(SettingKey key, const ir::SettingList* own,
                                 const ir::KindDecl* kind, T fallback) {
    if (own)
        if (const ir::Setting* s = own->find(key))
            return {SettingOrigin::Explicit, s, T{}};
    if (!kind) // a kind value: it carries its kind's settings
        return {SettingOrigin::KindDefault, nullptr, T{}};
    if (auto* w = llvm::dyn_cast<ir::WorkerDecl>(kind))
        if (const ir::Setting* s = w->settings.find(key))
            return {SettingOrigin::KindDefault, s, T{}};
    return {SettingOrigin::Default, nullptr, fallback};
}

} // namespace

std::string_view name(SettingOrigin o) {
    switch (o) {
    case SettingOrigin::Explicit:
        return "explicit";
    case SettingOrigin::KindDefault:
        return "kind";
    case SettingOrigin::Component:
        return "component";
    case SettingOrigin::Default:
        return "default";
    }
    return "default";
}

EffectiveSupervisorSettings effectiveSupervisorSettings(const ir::KindDecl& decl) {
    const ir::SettingList& list = decl.settings;
    auto own = [&](SettingKey key) { return list.find(key); };
    EffectiveSupervisorSettings s;
    s.strategy = written(own(SettingKey::Strategy), SettingOrigin::Explicit, defaults::strategy);
    s.intensity = written(own(SettingKey::Intensity), SettingOrigin::Explicit, defaults::intensity);
    s.autoShutdown =
        written(own(SettingKey::AutoShutdown), SettingOrigin::Explicit, defaults::autoShutdown);
    s.backoff = written(own(SettingKey::Backoff), SettingOrigin::Explicit, defaults::backoff);
    s.maxChildren =
        written(own(SettingKey::MaxChildren), SettingOrigin::Explicit, defaults::maxChildren);
    return s;
}

EffectiveChildSettings effectiveChildSettings(const ir::SettingList* own,
                                              const ir::KindDecl* kind) {
    EffectiveChildSettings s;
    s.restart = childSetting(SettingKey::Restart, own, kind, defaults::restart);
    std::optional<ChildType> type;
    if (kind)
        type = ir::childTypeOf(*kind);
    s.shutdown = childSetting(SettingKey::Shutdown, own, kind,
                              defaults::shutdown(type.value_or(ChildType::Worker)));
    s.significant = childSetting(SettingKey::Significant, own, kind, defaults::significant);
    s.type = type;
    return s;
}

} // namespace supc
