// The checked tree's settings in the runtime's types (sup::Restart, sup::ProcessSpec, ...):
// what `supc sim` and `supc run` hand to the runtime. The only place these translations are
// written.
#pragma once

#include "supc/Tree.h"

#include <sup/process.hpp>
#include <sup/spec.hpp>

namespace supc {

sup::Restart toRuntime(RestartType r);
sup::Shutdown toRuntime(const Shutdown& s);
sup::SupervisorFlags toRuntime(const SupervisorSettings& s);
/// A program's process, as elaboration computed it for one node.
sup::ProcessSpec toRuntime(const ProgramSpec& p);

} // namespace supc
