// How a supervisor stops children (supervisor:shutdown/1 and terminate_dynamic_children/1).
#pragma once

#include "cell.hpp"
#include "sup/supervisor.hpp"

#include <optional>
#include <vector>

namespace sup::detail {

/// Stops `child` as OTP's shutdown/1: brutal_kill kills it; a timeout asks it to shut down and
/// kills it when the timeout expires (on the runtime's clock); infinity asks and waits. Returns
/// the reason it died with (killed, shutdown, or its own reason if it died first), or nullopt
/// if the supervisor `self` was killed while it waited (its parent's own shutdown timeout, say):
/// a killed supervisor does nothing more, and the child, already asked, goes on stopping alone.
/// `self` is unlinked from the child first, so no exit signal of it reaches `self` afterwards.
///
/// The request runs on the supervisor's own thread when the child is idle and either stops at
/// once (ActorTraits::stops_at_once) or would be waited for without a limit (infinity): no
/// handoff, and the same results. A child whose stop may take time (its own terminate(), a
/// supervisor stopping its children) is asked through its mailbox, so that its timeout holds.
std::optional<ExitReason> shutdown_child(Cell* self, const Pid& child, const Shutdown& how);

/// Stops all `children` at once and waits for them together until one common deadline
/// (dynamic supervisors); the reasons in the same order, or nullopt if `self` was killed while
/// it waited.
std::optional<std::vector<ExitReason>>
shutdown_children(Cell* self, const std::vector<Pid>& children, const Shutdown& how);

/// Whether a child stopped by its supervisor died as expected (OTP's shutdown/1 'ok' cases).
bool expected_shutdown_reason(const ExitReason& r, const Shutdown& how, Restart restart);

} // namespace sup::detail
