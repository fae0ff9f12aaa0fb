// The extension interface: what a library built on the runtime (the standard library, or
// components of your own) needs beyond the user API, without reaching into the runtime's
// internals: the runtime an actor or a pid belongs to, and state kept per runtime (so that two
// runtimes in one process never share it). docs/runtime.md, "Extending the runtime".
//
//   struct Directory {                       // one per runtime
//       std::mutex m;
//       std::map<std::string, sup::Pid> entries;
//   };
//   // in an actor's handler:
//   Directory& d = sup::ext::runtime_state<Directory>(*sup::ext::current_runtime());
#pragma once

#include "sup/pid.hpp"

#include <typeinfo>

namespace sup {

class Runtime;

namespace ext {

/// The runtime of the calling actor (in its handlers, init and terminate), or null outside
/// actors.
Runtime* current_runtime() noexcept;
/// The runtime `pid` belongs to, whether the actor is alive or not; null for an empty pid.
Runtime* runtime_of(const Pid& pid) noexcept;

/// The runtime's one T: made by T() on first use, from any thread; later calls return the same
/// object. It lives as long as the runtime: ~Runtime destroys it after every actor is gone
/// (states in the reverse order of their making), so actors may use it until they die, also
/// in their destructors; its own destructor must not use the runtime. T guards its data
/// itself (any thread may use it at once).
template <class T>
T& runtime_state(Runtime& rt);

/// runtime_state's untyped form: the object stored under `type`, made by `make` if there is
/// none yet, and passed to `destroy` with the runtime.
void* runtime_state(Runtime& rt, const std::type_info& type, void* (*make)(),
                    void (*destroy)(void*) noexcept);

template <class T>
T& runtime_state(Runtime& rt) {
    return *static_cast<T*>(runtime_state(
        rt, typeid(T), []() -> void* { return new T(); },
        [](void* p) noexcept { delete static_cast<T*>(p); }));
}

} // namespace ext
} // namespace sup
