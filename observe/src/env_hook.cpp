// Linked into every program supc_generate builds (as an object, so that the linker keeps it):
// makes SUPC_OBSERVE=ADDR:PORT observe the application's tree (sup::observe_from_env), through
// the hook that generated start functions run (sup::gen::start).
#include "sup/gen.hpp"
#include "sup/observe.hpp"

namespace {

std::shared_ptr<void> observe_started_tree(sup::Runtime& rt, const sup::Tree& tree) {
    sup::Observer o = sup::observe_from_env(rt, tree);
    if (!o)
        return nullptr;
    return std::make_shared<sup::Observer>(std::move(o));
}

[[maybe_unused]] const bool registered = [] {
    sup::gen::set_started_hook(&observe_started_tree);
    return true;
}();

} // namespace
