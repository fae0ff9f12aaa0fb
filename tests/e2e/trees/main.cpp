// Starts one spec's application with the code supc generated for it, and prints the running
// tree as the runtime sees it (sup::inspect, sup::to_json) for run.py to compare with
// `supc dump`. TREE_HEADER ("app.sup.hpp") and TREE_START (my_app::start_MyApp) come from
// the build.
#include TREE_HEADER

#include <cstdio>
#include <sup/inspect.hpp>

int main() {
    sup::Runtime rt;
    auto app = TREE_START(rt);
    if (!app) {
        std::fprintf(stderr, "the tree did not start: %s\n", app.reason().to_string().c_str());
        return 1;
    }
    auto snapshot = sup::inspect(app.value().root());
    int status = 0;
    if (snapshot) {
        std::printf("%s\n", sup::to_json(*snapshot, {.indent = 1}).c_str());
    } else {
        std::fprintf(stderr, "inspect failed: %s\n", snapshot.error().to_string().c_str());
        status = 1;
    }
    app.value().stop();
    return status;
}
