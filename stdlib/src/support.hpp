// What the standard components need from the runtime beyond its user API.
#pragma once

#include "sup/runtime.hpp"

namespace sup::std_lib::support {

/// The runtime of the calling actor, or null outside actors.
inline Runtime* current_runtime() {
    sup::detail::RuntimeImpl* rt = sup::detail::current_runtime();
    return rt ? &sup::detail::runtime_of_impl(rt) : nullptr;
}

/// The runtime `pid` lives in, or null for an empty pid.
inline Runtime* runtime_of(const Pid& pid) {
    return pid ? &sup::detail::runtime_of_impl(sup::detail::runtime_of(pid.cell())) : nullptr;
}

} // namespace sup::std_lib::support
