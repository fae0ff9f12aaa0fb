// L005 temporary-in-group: a temporary child that group restarts silently drop.
#include "supc/lint/Rule.h"

#include <fmt/format.h>

namespace supc::lint {

namespace {

constexpr RuleInfo kInfo = {
    "L005",
    "temporary-in-group",
    Severity::Warning,
    "a temporary child under one_for_all or rest_for_one",
    R"(A `temporary` child is never restarted, also when it is only a bystander: under
`one_for_all`, when any sibling crashes, and under `rest_for_one`, when an earlier sibling
crashes, the supervisor stops it along with the others and then starts the others again,
but not the temporary child. It silently disappears, after a crash that was not its own
(elixir-lang/elixir#7589). Make it `transient` (restarted after a crash, not after it
finishes), or give it a supervisor of its own under `one_for_one`. Under `rest_for_one`
it is reported only when an earlier sibling can be restarted.)",
    R"(worker Session = "app::Session" from "app/session.hpp";
worker Warmup = "app::Warmup" from "app/warmup.hpp";
application App {
    strategy = one_for_all;
    child session = Session;
    child warmup = Warmup { restart = temporary; }
}
)",
    R"(worker Session = "app::Session" from "app/session.hpp";
worker Warmup = "app::Warmup" from "app/warmup.hpp";
application App {
    strategy = one_for_all;
    child session = Session;
    child warmup = Warmup { restart = transient; }
}
)",
    "",
    {},
};

class TemporaryInGroup final : public Rule {
public:
    const RuleInfo& info() const override { return kInfo; }
    void checkNode(const Node& node, LintContext& ctx) const override {
        if (node.kind != NodeKind::Supervisor || !node.isDeclaredSupervisor())
            return;
        const auto& strategy = node.supervisor->strategy;
        if (strategy.value == Strategy::OneForOne)
            return;
        bool all = strategy.value == Strategy::OneForAll;
        for (size_t k = 0; k < node.children.size(); ++k) {
            const Node& c = *node.children[k];
            if (c.restart.value != RestartType::Temporary)
                continue;
            // Who can take it down: any restartable sibling (one_for_all), an earlier one
            // (rest_for_one).
            const Node* culprit = nullptr;
            for (size_t j = 0; j < (all ? node.children.size() : k) && !culprit; ++j)
                if (j != k && node.children[j]->restart.value != RestartType::Temporary)
                    culprit = node.children[j].get();
            if (!culprit)
                continue;
            SourceRange at =
                c.restart.origin == SettingOrigin::Explicit ? c.restart.range() : childSite(c);
            auto b = ctx.report(
                at, fmt::format(
                        "temporary child {} is under {} in '{}': when {} crashes, it is "
                        "stopped with the others and not started again",
                        childName(c), all ? "one_for_all" : "rest_for_one", node.decl->name,
                        all ? "any sibling"
                            : fmt::format("an earlier sibling such as {}", childName(*culprit))));
            if (c.restart.origin == SettingOrigin::KindDefault)
                b.note(fmt::format("temporary is the default of kind '{}'", c.decl->name),
                       c.restart.range());
            b.note("make it transient (restarted after a crash, not after finishing), or give "
                   "it a one_for_one supervisor of its own");
        }
    }
};

} // namespace

std::unique_ptr<Rule> makeTemporaryInGroupRule() {
    return std::make_unique<TemporaryInGroup>();
}

} // namespace supc::lint
