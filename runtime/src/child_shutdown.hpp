// How a supervisor stops children (supervisor:shutdown/1 and terminate_dynamic_children/1).
#pragma once

#include "cell.hpp"
#include "sup/supervisor.hpp"

#include <vector>

namespace sup::detail {

/// Stops `child`: brutal_kill kills it; a timeout asks it to shut down and kills it when the
/// timeout expires (on the runtime's clock); infinity asks and waits. Returns the reason it
/// died with (killed, shutdown, or its own reason if it died first). The supervisor `self` is
/// unlinked first, so no exit signal of this child reaches it afterwards.
ExitReason shutdown_child(Cell* self, const Pid& child, const Shutdown& how);

/// Stops all `children` at once and waits for them together (dynamic supervisors); the reasons
/// in the same order.
std::vector<ExitReason> shutdown_children(Cell* self, const std::vector<Pid>& children,
                                          const Shutdown& how);

/// Whether a child stopped by its supervisor died as expected (OTP's shutdown/1 'ok' cases).
bool expected_shutdown_reason(const ExitReason& r, const Shutdown& how, Restart restart);

} // namespace sup::detail
