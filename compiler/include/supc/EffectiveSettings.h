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
#include "supc/SettingTable.h"

#include <optional>

namespace supc {

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

/// A supervisor setting (a row of SettingTable.h) of a supervisor, application or dynamic
/// supervisor declaration: its own body, else the default.
template <class Row>
EffectiveSetting<typename Row::ValueType> effectiveSupervisorSetting(const Row& row,
                                                                     const ir::KindDecl& decl) {
    if (const ir::Setting* s = decl.settings.find(row.key))
        return {SettingOrigin::Explicit, s, {}};
    return {SettingOrigin::Default, nullptr, row.byDefault(ChildType::Supervisor)};
}

/// The worker declaration's own setting of `key` (the default for its children), if any.
const ir::Setting* kindSetting(const ir::KindDecl& kind, SettingKey key);

/// A child setting (a row of SettingTable.h) of a child of kind `kind`: its own block `own`
/// (null for a template, which has none), else the worker kind's block, else the default.
/// `kind` null means a parameter of type `kind` used as the child's kind: what is not written
/// on the child comes with the kind value passed (origin KindDefault, no setting).
template <class Row>
EffectiveSetting<typename Row::ValueType>
effectiveChildSetting(const Row& row, const ir::SettingList* own, const ir::KindDecl* kind) {
    if (own)
        if (const ir::Setting* s = own->find(row.key))
            return {SettingOrigin::Explicit, s, {}};
    if (!kind) // a kind value: it carries its kind's settings
        return {SettingOrigin::KindDefault, nullptr, {}};
    if (const ir::Setting* s = kindSetting(*kind, row.key))
        return {SettingOrigin::KindDefault, s, {}};
    return {SettingOrigin::Default, nullptr, row.byDefault(ir::childTypeOf(*kind))};
}

} // namespace supc
