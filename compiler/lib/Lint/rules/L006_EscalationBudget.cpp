// L006 escalation-budget: restart arithmetic over the tree (compiler/lib/Analysis).
#include "supc/analysis/EscalationBudget.h"
#include "supc/lint/Rule.h"

#include <fmt/format.h>
#include <unordered_map>

namespace supc::lint {

namespace {

constexpr ThresholdInfo kThresholds[] = {
    {"max_crashes", 100, false,
     "the most crashes of one worker, before the root gives up, that nested intensities may "
     "multiply to"},
    {"pool_size", 10, false,
     "how many interchangeable children make a worker's supervisor a pool, whose budget one "
     "worker may use up without that counting as multiplication"},
};

constexpr RuleInfo kInfo = {
    "L006",
    "escalation-budget",
    Severity::Warning,
    "nested intensities let one worker crash more than 100 times before the root gives up, or "
    "backoff puts a supervisor's intensity out of reach",
    R"(supc follows each worker's crash loop up the tree. Its supervisor, with intensity N per
P, gives up after N+1 crashes within P and exits with reason `shutdown`; its parent counts
that as one restart (a restarted supervisor starts with an empty history), and so on up to
the root. So the crashes one worker may go through before the root gives up are the
product of (N+1) over its supervisors: OTP's design principles warn that 10 restarts at
each of two levels let a child be restarted about 100 times, "which is probably excessive":
the system churns for a long time before anyone is told. The rule fires when that product
exceeds 100 (the `max_crashes` option) along a path with two or more levels that multiply;
the finding sits on the intensity that contributes most, and its message shows the
numbers level by level. A worker's own supervisor is left out of the product when it is
a pool (10 or more interchangeable children, the `pool_size` option, or a dynamic
supervisor that may run as many): its budget is shared by the pool and sized for it (L010
asks for that), so one worker using it up is not multiplication.

It also fires when a supervisor's own `backoff` makes the intensity written on it
unreachable: restart k of a child waits at least MIN * 2^(k-1) (up to MAX, less jitter),
so a looping child crashes only a few times within the period P; when even all its
restartable children looping at once cannot crash more than N times within P, the
supervisor can never give up, and the intensity is dead configuration. (With the default
intensity nothing is reported: retrying for ever, spaced out, is what a backoff is
usually for.)

Escalation that stops at a transient or temporary supervisor is L015's business.)",
    R"(worker Conn = "app::Conn" from "app/conn.hpp";
supervisor Shard { intensity = 10 per 5s; child conn = Conn; }
supervisor Cluster { intensity = 10 per 5s; child shard_a = Shard; child shard_b = Shard; }
application App {
    child cluster = Cluster;
}
)",
    R"(worker Conn = "app::Conn" from "app/conn.hpp";
supervisor Shard { intensity = 10 per 5s; child conn = Conn; }
supervisor Cluster { intensity = 1 per 5s; child shard_a = Shard; child shard_b = Shard; }
application App {
    child cluster = Cluster;
}
)",
    "",
    kThresholds,
};

using namespace analysis;

SourceRange intensitySite(const Node& sup) {
    return settingSite(sup.supervisor->intensity, declSite(sup));
}

std::string times(uint64_t n) {
    return n == 1 ? std::string("once") : formatCount(n) + " times";
}

std::string ordinal(uint64_t n) {
    const char* suffix = "th";
    if (n % 100 < 11 || n % 100 > 13) {
        if (n % 10 == 1)
            suffix = "st";
        if (n % 10 == 2)
            suffix = "nd";
        if (n % 10 == 3)
            suffix = "rd";
    }
    return std::to_string(n) + suffix;
}

// Many interchangeable restartable workers (or a dynamic supervisor that may have them).
bool isPool(const Node& sup, int64_t poolSize) {
    if (sup.kind == NodeKind::DynamicSupervisor && sup.supervisor) {
        const auto& max = sup.supervisor->maxChildren.value;
        return !max || *max >= poolSize;
    }
    std::unordered_map<const ir::KindDecl*, int64_t> byKind;
    for (const auto& c : sup.children)
        if (c->kind == NodeKind::Worker && c->restart.value != RestartType::Temporary &&
            ++byKind[c->decl] >= poolSize)
            return true;
    return false;
}

class EscalationBudget final : public Rule {
public:
    const RuleInfo& info() const override { return kInfo; }

    // A written intensity that the supervisor's own backoff keeps out of reach, even with
    // every restartable child crashing in a loop at once. (With the default intensity,
    // retrying for ever, spaced out, is taken to be what the backoff is for.)
    static void checkBackoff(const Node& sup, LintContext& ctx) {
        const SupervisorSettings& s = *sup.supervisor;
        if (s.intensity.origin == SettingOrigin::Default || !s.backoff.value.exponential)
            return;
        uint64_t looping = 0;
        if (sup.kind == NodeKind::DynamicSupervisor) {
            if (!sup.templ || sup.templ->restart.value == RestartType::Temporary ||
                !s.maxChildren.value)
                return;
            looping = uint64_t(std::max<int64_t>(0, *s.maxChildren.value));
        } else {
            for (const auto& c : sup.children)
                looping += c->restart.value != RestartType::Temporary;
        }
        if (looping == 0)
            return;
        const Intensity& in = s.intensity.value;
        uint64_t each = maxCrashesWithin(s.backoff.value, in.periodMs);
        uint64_t most = each > kMany / looping ? kMany : each * looping;
        if (most > uint64_t(std::max<int64_t>(0, in.restarts)))
            return;
        SourceRange at = s.intensity.range();
        if (ctx.reported(at)) {
            ctx.report(at, ""); // counts the instance
            return;
        }
        std::string period = formatDuration(in.periodMs);
        std::string crashes =
            looping == 1
                ? fmt::format("its one restartable child can crash at most {} within {}",
                              times(each), period)
                : fmt::format("each of its {} restartable children can crash at most {} within "
                              "{}, {} in all",
                              looping, times(each), period, formatCount(most));
        ctx.report(at, fmt::format("'{}' can never give up: with its backoff, {}, and it gives up "
                                   "only at the {} restart within {} (intensity {})",
                                   sup.decl->name, crashes, ordinal(uint64_t(in.restarts) + 1),
                                   period, settingText(in)))
            .note(fmt::format("backoff is set here: restart k waits at least min(MAX, MIN * "
                              "2^(k-1)), so {} restarts of one child take at least {}",
                              in.restarts,
                              formatDuration(minBackoffDelayMs(
                                  s.backoff.value, uint64_t(std::max<int64_t>(0, in.restarts))))),
                  s.backoff.range())
            .note("lengthen the period or lower the intensity so that crash loops end in a "
                  "give-up; if retrying for ever is the intent, say so in a suppression");
    }

    void checkNode(const Node& node, LintContext& ctx) const override {
        if (node.isDeclaredSupervisor())
            checkBackoff(node, ctx);
        if (node.kind != NodeKind::Worker || node.isRoot())
            return;
        // A standard component's template: its children are the nodes that crash, and
        // they are the component's (lint does not judge them).
        if (node.isTemplate && node.parent->kind != NodeKind::DynamicSupervisor)
            return;
        EscalationChain chain = escalationChain(node);
        if (chain.levels.empty())
            return;
        const EscalationLevel& last = chain.levels.back();

        // Multiplication along the path.
        if (!chain.reachesRoot())
            return;
        int64_t max = ctx.threshold("max_crashes");
        if (last.crashes <= uint64_t(std::max<int64_t>(0, max)))
            return;
        // A pool's budget is the pool's: leave it out of the product.
        size_t first = isPool(*chain.levels.front().supervisor, ctx.threshold("pool_size")) ? 1 : 0;
        uint64_t product = 1;
        for (size_t i = first; i < chain.levels.size(); ++i) {
            uint64_t factor = std::max<uint64_t>(1, chain.levels[i].exitsNeeded);
            product = product > kMany / factor ? kMany : product * factor;
        }
        if (product <= uint64_t(std::max<int64_t>(0, max)))
            return;
        const EscalationLevel* biggest = nullptr;
        unsigned multiplying = 0;
        for (size_t i = first; i < chain.levels.size(); ++i) {
            const EscalationLevel& l = chain.levels[i];
            if (l.outcome != LevelOutcome::GivesUp || l.exitsNeeded < 2)
                continue;
            ++multiplying;
            if (!biggest || l.exitsNeeded >= biggest->exitsNeeded)
                biggest = &l;
        }
        if (multiplying < 2)
            return;
        SourceRange at = intensitySite(*biggest->supervisor);
        if (ctx.reported(at)) {
            ctx.report(at, ""); // counts the instance
            return;
        }
        // The detailed chain, with the restarts each level makes, for the message.
        std::vector<std::string> lines = describe(escalationChain(node, ChainOptions{true}));
        std::string message;
        for (const auto& l : lines)
            message += (message.empty() ? "" : "; ") + l;
        bool defaulted =
            biggest->supervisor->supervisor->intensity.origin == SettingOrigin::Default;
        ctx.report(at, message)
            .note(fmt::format("nested intensities multiply: more than {} crashes of one worker "
                              "before the root gives up is probably excessive",
                              max))
            .note(fmt::format("'{}' contributes a factor of {} ({} + 1{}); lower it, or the "
                              "intensity of the supervisors above (OTP's advice: keep the top "
                              "levels' intensity small)",
                              biggest->supervisor->decl->name, biggest->exitsNeeded,
                              biggest->intensity.restarts,
                              defaulted ? ", with the default intensity 3 per 5s" : ""));
    }
};

} // namespace

std::unique_ptr<Rule> makeEscalationBudgetRule() {
    return std::make_unique<EscalationBudget>();
}

} // namespace supc::lint
