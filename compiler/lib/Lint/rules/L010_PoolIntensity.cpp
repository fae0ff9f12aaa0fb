// L010 pool-intensity: many interchangeable children on the default restart budget.
#include "supc/lint/Rule.h"

#include <fmt/format.h>
#include <unordered_map>

namespace supc::lint {

namespace {

constexpr ThresholdInfo kThresholds[] = {
    {"min_children", 10, false,
     "how many interchangeable children make a pool whose intensity should not be the default"},
};

constexpr RuleInfo kInfo = {
    "L010",
    "pool-intensity",
    Severity::Warning,
    "a supervisor with 10 or more interchangeable children keeps the default 3 per 5s",
    R"(The default intensity, 3 restarts per 5s, is a budget for a handful of distinct
children. A pool of N interchangeable workers sees N times the crashes: with 10 workers,
4 crashes among them within 5 seconds (a hiccup of the database they all use) exhaust it,
and the whole pool goes down and escalates, when each worker alone was well within any
reasonable budget. Scale the intensity with the pool (`intensity = size per 5s` in a
supervisor with a `size` parameter), or choose the budget deliberately. Interchangeable
children are restartable workers of one kind (child supervisors give up rarely, and
their give-ups are meant to escalate); a dynamic supervisor counts when its
`max_children` is 10 or more, or unlimited, and its template is a restartable worker.)",
    R"(worker PoolWorker(id: int) = "app::PoolWorker" from "app/pool.hpp";
supervisor Pool(size: int) {
    for i in 1..size { child "worker_{i}" = PoolWorker(id = i); }
}
application App {
    child pool = Pool(size = 10);
}
)",
    R"(worker PoolWorker(id: int) = "app::PoolWorker" from "app/pool.hpp";
supervisor Pool(size: int) {
    intensity = size per 5s;
    for i in 1..size { child "worker_{i}" = PoolWorker(id = i); }
}
application App {
    child pool = Pool(size = 10);
}
)",
    "",
    kThresholds,
};

bool isDefaultIntensity(const Intensity& i) {
    return i == defaults::intensity;
}

class PoolIntensity final : public Rule {
public:
    const RuleInfo& info() const override { return kInfo; }
    void checkNode(const Node& node, LintContext& ctx) const override {
        if (!node.isDeclaredSupervisor() || !isDefaultIntensity(node.supervisor->intensity.value))
            return;
        int64_t min = ctx.threshold("min_children");
        const auto& intensity = node.supervisor->intensity;
        std::string budget = intensity.origin == SettingOrigin::Default
                                 ? "keeps the default intensity of 3 restarts per 5s"
                                 : "has an intensity of 3 restarts per 5s (the default)";
        if (node.kind == NodeKind::DynamicSupervisor) {
            const Node* t = node.templ.get();
            if (!t || t->restart.value == RestartType::Temporary || t->kind != NodeKind::Worker)
                return;
            const auto& max = node.supervisor->maxChildren.value;
            if (max && *max < min)
                return;
            ctx.report(settingSite(intensity, declSite(node)),
                       fmt::format("'{}' may run {} interchangeable '{}' children but {}: 4 "
                                   "crashes among them within 5s take it down",
                                   node.decl->name,
                                   max ? fmt::format("up to {}", *max) : "any number of",
                                   t->decl->name, budget))
                .note("scale the intensity with the number of children, e.g. "
                      "'intensity = 100 per 5s;'");
            return;
        }
        if (node.kind != NodeKind::Supervisor)
            return;
        std::unordered_map<const ir::Decl*, int64_t> byKind;
        const ir::Decl* biggest = nullptr;
        for (const auto& c : node.children) {
            if (c->restart.value == RestartType::Temporary || c->kind != NodeKind::Worker)
                continue;
            int64_t n = ++byKind[c->decl];
            if (!biggest || n > byKind[biggest])
                biggest = c->decl;
        }
        if (!biggest || byKind[biggest] < min)
            return;
        int64_t n = byKind[biggest];
        ctx.report(settingSite(intensity, declSite(node)),
                   fmt::format("'{}' has {} interchangeable '{}' children but {}: 4 crashes "
                               "among them within 5s take the whole group down",
                               node.decl->name, n, biggest->name, budget))
            .note(fmt::format("scale the intensity with the pool, e.g. 'intensity = {} per 5s;' "
                              "(or 'size per 5s' with a size parameter)",
                              n));
    }
};

} // namespace

std::unique_ptr<Rule> makePoolIntensityRule() {
    return std::make_unique<PoolIntensity>();
}

} // namespace supc::lint
