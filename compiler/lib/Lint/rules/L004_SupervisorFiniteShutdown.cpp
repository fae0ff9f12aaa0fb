// L004 supervisor-finite-shutdown: a supervisor child that may be killed mid-shutdown.
#include "supc/lint/Rule.h"

#include <fmt/format.h>

namespace supc::lint {

namespace {

constexpr RuleInfo kInfo = {
    "L004",
    "supervisor-finite-shutdown",
    Severity::Warning,
    "a supervisor child has a finite shutdown",
    R"(When a supervisor stops a child supervisor, the child supervisor first stops its own
children, one by one, each with its own shutdown time. A finite `shutdown` (or
`brutal_kill`) on the child supervisor caps that whole cascade: when the time runs out the
child supervisor is killed while some of its children are still running, and they are left
without a supervisor, or killed without the chance to finish cleanly. OTP's documentation
warns about exactly this race and recommends `infinity` for supervisors, which is also
supc's default: the bound belongs on the workers.)",
    R"(worker Db = "app::Db" from "app/db.hpp" { shutdown = 30s; }
supervisor Storage { child db = Db; }
application App {
    child storage = Storage { shutdown = 5s; }
}
)",
    R"(worker Db = "app::Db" from "app/db.hpp" { shutdown = 30s; }
supervisor Storage { child db = Db; }
application App {
    child storage = Storage { shutdown = infinity; }
}
)",
    "replaces the shutdown value with infinity",
    {},
};

class SupervisorFiniteShutdown final : public Rule {
public:
    const RuleInfo& info() const override { return kInfo; }
    void checkNode(const Node& node, LintContext& ctx) const override {
        if (node.isRoot() || !isSupervisorLike(node))
            return;
        const auto& shutdown = node.shutdown;
        if (shutdown.value.mode == Shutdown::Mode::Infinity)
            return;
        bool brutal = shutdown.value.mode == Shutdown::Mode::BrutalKill;
        std::string where = shutdown.origin == SettingOrigin::KindDefault
                                ? fmt::format(" (the default of kind '{}')", node.decl->name)
                                : "";
        ctx.report(settingSite(shutdown, childSite(node)),
                   brutal ? fmt::format("supervisor {} has shutdown = brutal_kill{}: it is killed "
                                        "before it can stop its own children",
                                        childName(node), where)
                          : fmt::format("supervisor {} has a finite shutdown of {}{}: if its "
                                        "children take longer to stop, it is killed while they "
                                        "still run",
                                        childName(node), settingText(shutdown.value), where))
            .note("give supervisors 'shutdown = infinity' (the default) and bound the workers' "
                  "shutdown instead")
            .fixIt(settingValue(shutdown), "infinity");
    }
};

} // namespace

std::unique_ptr<Rule> makeSupervisorFiniteShutdownRule() {
    return std::make_unique<SupervisorFiniteShutdown>();
}

} // namespace supc::lint
