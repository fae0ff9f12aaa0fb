// sup/extension.hpp: the runtime of an actor or a pid, and libraries' per-runtime state.
#include "sup/extension.hpp"

#include "runtime_impl.hpp"

namespace sup::detail {

void* ExtensionStates::get(const std::type_info& type, void* (*make)(),
                           void (*destroy)(void*) noexcept) {
    {
        std::lock_guard<std::mutex> l(m_);
        for (const Entry& e : entries_)
            if (*e.type == type)
                return e.object;
    }
    // Made outside the lock: T() may itself use runtime states.
    void* made = make();
    std::lock_guard<std::mutex> l(m_);
    for (const Entry& e : entries_)
        if (*e.type == type) { // made by another thread meanwhile: theirs wins
            destroy(made);
            return e.object;
        }
    entries_.push_back(Entry{&type, made, destroy});
    return made;
}

void ExtensionStates::clear() noexcept {
    std::vector<Entry> entries;
    {
        std::lock_guard<std::mutex> l(m_);
        entries.swap(entries_);
    }
    for (auto it = entries.rbegin(); it != entries.rend(); ++it)
        it->destroy(it->object);
}

} // namespace sup::detail

namespace sup::ext {

Runtime* current_runtime() noexcept {
    detail::RuntimeImpl* rt = detail::current_runtime();
    return rt ? &rt->facade : nullptr;
}

Runtime* runtime_of(const Pid& pid) noexcept {
    return pid ? &detail::runtime_of(pid.cell())->facade : nullptr;
}

void* runtime_state(Runtime& rt, const std::type_info& type, void* (*make)(),
                    void (*destroy)(void*) noexcept) {
    return detail::impl_of(rt)->extension_states.get(type, make, destroy);
}

} // namespace sup::ext
