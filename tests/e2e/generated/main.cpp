// Starts the generated tree and checks it against tree.sup: children and their arguments,
// the env() consts (SLOTS=3 is used; GREETING_MS=abc is not a duration: the default, and a
// warning), the dynamic supervisor's limit, a clean stop.
#include "tree.sup.hpp"

#include <cstdio>
#include <cstdlib>
#include <string>

namespace {
int failures = 0;
void expect(bool ok, const std::string& what) {
    std::printf("%s: %s\n", ok ? "ok" : "FAILED", what.c_str());
    if (!ok)
        ++failures;
}
} // namespace

int main() {
    std::string warnings;
    sup::gen::set_warning_sink(
        [&](std::string_view line) { warnings += std::string(line) + "\n"; });

    sup::Runtime rt(sup::RuntimeOptions{.threads = 2});
    auto started = gen_test::start_Main(rt);
    if (!started.started()) {
        std::printf("FAILED: start_Main: %s\n", started.reason().to_string().c_str());
        return 1;
    }
    const gen_test::MainTree& tree = started.value();

    auto greeter = sup::call(tree.greeter(), gen_test::Describe{});
    expect(greeter.has_value() &&
               greeter.value() == "world every=100ms loud=no tags=2 limit=7 mode=fancy",
           "greeter built from the spec's arguments: " +
               (greeter.has_value() ? greeter.value() : "?"));
    expect(warnings.find("GREETING_MS='abc'") != std::string::npos,
           "a warning for GREETING_MS=abc: " + warnings);

    for (int i = 1; i <= 3; ++i) {
        auto slot = sup::call(tree.slots_slot(i), gen_test::Describe{});
        expect(slot.has_value() && slot.value() == "slot" + std::to_string(i * 10),
               "slots/slot_" + std::to_string(i) + " (SLOTS=3)");
    }
    expect(!tree.lookup("slots/slot_4"), "no fourth slot");

    auto a = tree.sessions_start_child("ann");
    auto b = tree.sessions_start_child("bob");
    auto c = tree.sessions_start_child("cat");
    expect(a.has_value() && b.has_value(), "two sessions started");
    expect(!c.has_value() && c.error() == sup::SupError::Code::max_children,
           "a third: max_children");
    if (a.has_value()) {
        auto who = sup::call(a.value().as<gen_test::Session>(), gen_test::Describe{});
        expect(who.has_value() && who.value() == "ann", "the session got its start_child argument");
    }

    auto reason = tree.stop();
    expect(reason && reason->is_shutdown(), "the tree stops with reason shutdown");
    return failures == 0 ? 0 : 1;
}
