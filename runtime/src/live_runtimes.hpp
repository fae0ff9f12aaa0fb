// The runtimes alive in the process (kept by Runtime's constructor and destructor).
#pragma once

#include <optional>

namespace sup::detail {

/// The scheduler threads of the one runtime alive in the process, or nullopt when there is
/// none or more than one (what schedulers() falls back to outside actors and scopes).
std::optional<unsigned> sole_runtime_threads();

} // namespace sup::detail
