// Starts each application of one spec with the code supc generated for it, and prints the
// running trees as the runtime sees them (sup::inspect, sup::to_json), as a JSON array in the
// order of TREE_STARTS, for run.py to compare with `supc dump --root NAME`. run.py replaces
// TREE_HEADER ("app.sup.hpp") and TREE_STARTS (`show(rt, my_app::start_MyApp(rt));` for
// each application).
#include TREE_HEADER

#include <cstdio>
#include <sup/inspect.hpp>

namespace {

bool first = true;

// Prints the started tree's snapshot, then stops it.
template <class Handle>
int show(sup::Runtime&, sup::StartResult<Handle> app) {
    if (!app) {
        std::fprintf(stderr, "a tree did not start: %s\n", app.reason().to_string().c_str());
        return 1;
    }
    auto snapshot = sup::inspect(app.value().root());
    int status = 0;
    if (snapshot) {
        std::printf("%s%s\n", first ? "" : ",", sup::to_json(*snapshot, {.indent = 1}).c_str());
        first = false;
    } else {
        std::fprintf(stderr, "inspect failed: %s\n", snapshot.error().to_string().c_str());
        status = 1;
    }
    app.value().stop();
    return status;
}

} // namespace

int main() {
    sup::Runtime rt;
    int status = 0;
    std::printf("[\n");
    TREE_STARTS
    std::printf("]\n");
    return status;
}
