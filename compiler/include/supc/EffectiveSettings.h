// The checked program, part (c): every declaration's effective settings, symbolically.
//
// Two things are made from the resolved declarations (IR.h): instance trees, with values
// (Tree.h, by elaboration), and C++, with expressions (Codegen.h: a supervisor with
// parameters becomes a function with parameters, a loop a loop). Both need the same answer
// for every setting of a supervisor declaration, of a `child` declaration and of a
// template: where its value comes from — the child's own block, the worker kind's block,
// a standard component, or the language's default — and, when it is not written anywhere,
// the value. That answer is given here, once: the rule "child, else kind, else default" and
// the defaults themselves (Settings.h's `defaults::`) are applied nowhere else. The
// elaborator evaluates what this says per instance; the code generator prints it.
#pragma once

#include "supc/IR.h"
#include "supc/Settings.h"

#include <optional>
#include <string_view>

namespace supc {

enum class SettingOrigin : unsigned char {
    Explicit,    // written on the child (or in the supervisor's own body)
    KindDefault, // from the worker declaration's block
    Component,   // fixed by a standard component of the runtime (std.Pool's dispatcher, ...)
    Default,     // the language's default
};
/// "explicit", "kind", "component", "default"
std::string_view name(SettingOrigin o);

/// One effective setting of a declaration. When it is written (origin Explicit or
/// KindDefault), `setting` is the setting as written: its expressions are bound in the
/// scope of the child's use (Explicit) or of the kind's parameters as bound at the use
/// (KindDefault), and `value` is unused. Otherwise `value` is the value.
template <class T>
struct EffectiveSetting {
    SettingOrigin origin = SettingOrigin::Default;
    const ir::Setting* setting = nullptr;
    T value{};
    bool written() const { return setting != nullptr; }
};

/// The settings of a supervisor, application or dynamic supervisor declaration (its own
/// body, else the defaults).
struct EffectiveSupervisorSettings {
    EffectiveSetting<Strategy> strategy;
    EffectiveSetting<Intensity> intensity;
    EffectiveSetting<AutoShutdown> autoShutdown;
    EffectiveSetting<Backoff> backoff;
    EffectiveSetting<std::optional<int64_t>> maxChildren; // empty: unlimited
};
EffectiveSupervisorSettings effectiveSupervisorSettings(const ir::KindDecl& decl);

/// The settings of a child of kind `kind`: those of its own block `own` (null for a template,
/// which has none), else the worker kind's block, else the defaults. `kind` null means a
/// parameter of type `kind` used as the child's kind: what is not written on the child comes
/// with the kind value passed (origin KindDefault, no setting), and `type` is unknown.
struct EffectiveChildSettings {
    EffectiveSetting<RestartType> restart;
    EffectiveSetting<Shutdown> shutdown;
    EffectiveSetting<bool> significant;
    std::optional<ChildType> type; // worker or supervisor: the kind's
};
EffectiveChildSettings effectiveChildSettings(const ir::SettingList* own, const ir::KindDecl* kind);

} // namespace supc
