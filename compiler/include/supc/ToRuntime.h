// A program's process in the runtime's type (sup::ProcessSpec): what `supc run` hands to
// the runtime. The child and supervisor settings go to the runtime's specs by the settings
// table (SettingTable.h: applyChildSettings, applySupervisorSettings).
#pragma once

#include "supc/Tree.h"

#include <sup/process.hpp>
#include <sup/spec.hpp>

namespace supc {

/// A program's process, as elaboration computed it for one node.
sup::ProcessSpec toRuntime(const ProgramSpec& p);

} // namespace supc
