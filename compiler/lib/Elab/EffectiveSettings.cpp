#include "supc/EffectiveSettings.h"

namespace supc {

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

const ir::Setting* kindSetting(const ir::KindDecl& kind, SettingKey key) {
    if (auto* w = llvm::dyn_cast<ir::WorkerDecl>(&kind))
        return w->settings.find(key);
    return nullptr;
}

} // namespace supc
