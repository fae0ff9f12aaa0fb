#include "supc/analysis/EscalationBudget.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <limits>

namespace supc::analysis {

namespace {

constexpr int64_t kForever = std::numeric_limits<int64_t>::max();

uint64_t mulSat(uint64_t a, uint64_t b) {
    if (a == 0 || b == 0)
        return 0;
    if (a > kMany / b)
        return kMany;
    return a * b;
}

int64_t addSat(int64_t a, int64_t b) {
    return a > kForever - b ? kForever : a + b;
}

int64_t mulSat(int64_t a, uint64_t b) {
    if (a <= 0 || b == 0)
        return 0;
    if (b > uint64_t(kForever) || a > kForever / int64_t(b))
        return kForever;
    return a * int64_t(b);
}

uint64_t subtreeSize(const Node& n) {
    uint64_t size = 1;
    for (const auto& c : n.children)
        size = std::min<uint64_t>(kMany - 1, size + subtreeSize(*c));
    return size;
}

// Whether the exit of significant `child`, not restarted, makes `sup` shut itself down.
bool triggersAutoShutdown(const Node& child, const Node& sup) {
    if (!child.significant.value || !sup.supervisor)
        return false;
    switch (sup.supervisor->autoShutdown.value) {
    case AutoShutdown::Never:
        return false;
    case AutoShutdown::AnySignificant:
        return true;
    case AutoShutdown::AllSignificant:
        // Only when it is the last significant child left: statically, the only one.
        if (child.isTemplate)
            return false;
        for (const auto& c : sup.children)
            if (c.get() != &child && c->significant.value)
                return false;
        return true;
    }
    return false;
}

std::string plural(uint64_t n, std::string_view one, std::string_view many) {
    return fmt::format("{} {}", formatCount(n), n == 1 ? one : many);
}

} // namespace

std::string label(const Node& n) {
    if (n.isRoot())
        return fmt::format("the root '{}'", n.id);
    if (n.isTemplate)
        return fmt::format("a run-time child of '{}'", n.parent ? n.parent->path() : "");
    return fmt::format("'{}'", n.path());
}

std::string_view name(ExitReason r) {
    switch (r) {
    case ExitReason::Crash:
        return "crash";
    case ExitReason::Shutdown:
        return "shutdown";
    case ExitReason::Normal:
        return "normal";
    }
    return "crash";
}

std::string_view name(LevelOutcome o) {
    switch (o) {
    case LevelOutcome::GivesUp:
        return "gives_up";
    case LevelOutcome::AutoShutdown:
        return "auto_shutdown";
    case LevelOutcome::NotRestarted:
        return "not_restarted";
    case LevelOutcome::Unreachable:
        return "unreachable";
    case LevelOutcome::Unknown:
        return "unknown";
    }
    return "unknown";
}

bool isRestarted(const Node& child, ExitReason reason) {
    if (child.isRoot())
        return false;
    switch (child.restart.value) {
    case RestartType::Permanent:
        return true;
    case RestartType::Transient:
        return reason == ExitReason::Crash;
    case RestartType::Temporary:
        return false;
    }
    return false;
}

RestartSet restartSet(const Node& exited, ExitReason reason) {
    RestartSet r;
    r.supervisor = exited.parent;
    if (!exited.parent)
        return r;
    const Node& sup = *exited.parent;
    r.restartsExited = isRestarted(exited, reason);
    r.known = sup.supervisor != nullptr;
    // An exit that is not restarted touches no sibling, whatever the strategy.
    if (!r.restartsExited)
        return r;
    Strategy strategy = sup.supervisor ? sup.supervisor->strategy.value : Strategy::OneForOne;
    if (!r.known || exited.isTemplate || sup.kind == NodeKind::DynamicSupervisor ||
        strategy == Strategy::OneForOne) {
        r.restarted.push_back(&exited);
        r.nodesRestarted = subtreeSize(exited);
        return r;
    }
    size_t at = 0;
    while (at < sup.children.size() && sup.children[at].get() != &exited)
        ++at;
    size_t first = strategy == Strategy::OneForAll ? 0 : at;
    for (size_t i = sup.children.size(); i-- > first;) {
        const Node* c = sup.children[i].get();
        if (c == &exited)
            continue;
        r.stopped.push_back(c);
        if (c->restart.value == RestartType::Temporary)
            r.dropped.push_back(c);
    }
    for (size_t i = first; i < sup.children.size(); ++i) {
        const Node* c = sup.children[i].get();
        if (c != &exited && c->restart.value == RestartType::Temporary)
            continue;
        r.restarted.push_back(c);
        r.nodesRestarted = std::min(kMany - 1, r.nodesRestarted + subtreeSize(*c));
    }
    return r;
}

int64_t minBackoffDelayMs(const Backoff& b, uint64_t restarts) {
    if (!b.exponential || restarts == 0 || b.minMs <= 0)
        return 0;
    double jitter = std::clamp(b.jitter, 0.0, 1.0);
    auto lowest = [&](int64_t d) {
        auto low = int64_t(std::floor(double(d) * (1.0 - jitter)));
        return std::clamp(low, b.minMs, std::max(b.minMs, b.maxMs));
    };
    int64_t total = 0;
    int64_t d = b.minMs;
    uint64_t k = 0;
    // Doubling terms (at most 63 of them), then every further restart waits the maximum.
    while (k < restarts && d < b.maxMs) {
        total = addSat(total, lowest(d));
        ++k;
        d = d > b.maxMs / 2 ? b.maxMs : d * 2;
    }
    if (k < restarts)
        total = addSat(total, mulSat(lowest(std::max(b.minMs, b.maxMs)), restarts - k));
    return total;
}

uint64_t maxCrashesWithin(const Backoff& b, int64_t periodMs) {
    if (!b.exponential || b.minMs <= 0)
        return kMany;
    // The delays only grow: find the most restarts whose delays fit, by doubling then
    // bisecting over the count.
    uint64_t lo = 0, hi = 1;
    while (hi < kMany / 2 && minBackoffDelayMs(b, hi) <= periodMs)
        lo = hi, hi *= 2;
    while (lo + 1 < hi) {
        uint64_t mid = lo + (hi - lo) / 2;
        (minBackoffDelayMs(b, mid) <= periodMs ? lo : hi) = mid;
    }
    return lo + 1;
}

EscalationChain escalationChain(const Node& crashed, ChainOptions options) {
    EscalationChain chain;
    uint64_t restartedBelow = 0; // nodes started again below the current level
    chain.crashed = &crashed;
    const Node* child = &crashed;
    ExitReason exit = ExitReason::Crash;
    uint64_t crashes = 1;
    int64_t window = kForever; // the shortest period so far
    int64_t fastest = 0;       // the least time for `child` to go down once, from its first crash
    while (child->parent) {
        const Node& sup = *child->parent;
        EscalationLevel level;
        level.supervisor = &sup;
        level.child = child;
        level.childExit = exit;
        if (sup.supervisor)
            level.intensity = sup.supervisor->intensity.value;
        level.crashes = crashes;
        level.windowMs = window;
        level.fastestMs = fastest;

        if (!isRestarted(*child, exit)) {
            if (triggersAutoShutdown(*child, sup)) {
                level.outcome = LevelOutcome::AutoShutdown;
                level.exitsNeeded = 1;
                chain.levels.push_back(level);
                child = &sup;
                exit = ExitReason::Shutdown;
                continue;
            }
            level.outcome = LevelOutcome::NotRestarted;
            chain.levels.push_back(level);
            break;
        }
        if (!sup.supervisor) {
            level.outcome = LevelOutcome::Unknown;
            chain.levels.push_back(level);
            break;
        }
        const Intensity& in = level.intensity;
        uint64_t n = uint64_t(std::max<int64_t>(0, in.restarts));
        level.exitsNeeded = n == kMany ? kMany : n + 1;
        // Exit j+1 comes at the earliest after restart j's delay and the time `child`
        // takes to go down again.
        level.backoffMs = minBackoffDelayMs(sup.supervisor->backoff.value, n);
        level.spanMs = addSat(mulSat(fastest, n), level.backoffMs);
        level.crashes = mulSat(crashes, level.exitsNeeded);
        level.windowMs = std::min(window, in.periodMs);
        level.fastestMs = addSat(fastest, level.spanMs);
        if (level.spanMs > in.periodMs) {
            level.outcome = LevelOutcome::Unreachable;
            chain.levels.push_back(level);
            break;
        }
        level.outcome = LevelOutcome::GivesUp;
        if (options.countRestarts) {
            // N restarts here, each after the child went down once more below.
            RestartSet set = restartSet(*child, exit);
            level.nodesPerRestart = set.nodesRestarted;
            level.siblingsPerRestart = set.restarted.empty() ? 0 : set.restarted.size() - 1;
            uint64_t below = mulSat(restartedBelow, level.exitsNeeded);
            uint64_t here = mulSat(n, level.nodesPerRestart);
            level.nodesRestarted = below > kMany - here ? kMany : below + here;
            restartedBelow = level.nodesRestarted;
        }
        chain.levels.push_back(level);
        crashes = level.crashes;
        window = level.windowMs;
        fastest = level.fastestMs;
        child = &sup;
        exit = ExitReason::Shutdown;
    }
    return chain;
}

std::string formatCount(uint64_t n) {
    return n == kMany ? std::string("more than 10^18") : std::to_string(n);
}

std::vector<std::string> describe(const EscalationChain& chain) {
    std::vector<std::string> out;
    if (!chain.crashed)
        return out;
    const std::string crashed = label(*chain.crashed);
    for (size_t i = 0; i < chain.levels.size(); ++i) {
        const EscalationLevel& l = chain.levels[i];
        const std::string sup = label(*l.supervisor);
        const std::string child = label(*l.child);
        std::string restart(name(l.child->restart.value));
        switch (l.outcome) {
        case LevelOutcome::GivesUp: {
            std::string_view take = l.exitsNeeded == 1 ? "takes" : "take";
            std::string s = i == 0
                                ? fmt::format("{} of {} within {} {} down {}",
                                              plural(l.exitsNeeded, "crash", "crashes"), crashed,
                                              formatDuration(l.intensity.periodMs), take, sup)
                                : fmt::format("{} of {} within {} {} down {}: {} of {}",
                                              plural(l.exitsNeeded, "give-up", "give-ups"), child,
                                              formatDuration(l.intensity.periodMs), take, sup,
                                              plural(l.crashes, "crash", "crashes"), crashed);
            if (i != 0)
                s += fmt::format(" within {}", formatDuration(l.windowMs));
            if (l.siblingsPerRestart > 0)
                s += fmt::format(" (each restart also restarts {} {}: {})",
                                 formatCount(l.siblingsPerRestart),
                                 l.siblingsPerRestart == 1 ? "sibling" : "siblings",
                                 name(l.supervisor->supervisor->strategy.value));
            if (l.fastestMs > 0)
                s += fmt::format(" (backoff: they take at least {})", formatDuration(l.fastestMs));
            out.push_back(s);
            break;
        }
        case LevelOutcome::AutoShutdown:
            out.push_back(fmt::format("{} is significant: its exit shuts {} down (auto_shutdown = "
                                      "{})",
                                      child, sup,
                                      name(l.supervisor->supervisor->autoShutdown.value)));
            break;
        case LevelOutcome::NotRestarted:
            if (l.childExit == ExitReason::Crash)
                out.push_back(fmt::format("{} is {}: {} does not restart it, so its crashes never "
                                          "count against {}'s intensity",
                                          child, restart, sup, l.supervisor->id));
            else
                out.push_back(fmt::format("escalation stops at {}: {} exits with reason shutdown, "
                                          "which {} does not restart for a {} child",
                                          sup, child, sup, restart));
            break;
        case LevelOutcome::Unreachable:
            if (l.backoffMs > l.intensity.periodMs)
                out.push_back(fmt::format("{} never gives up on it: its backoff delays {} by at "
                                          "least {} in all, longer than its period of {}",
                                          sup, plural(l.exitsNeeded - 1, "restart", "restarts"),
                                          formatDuration(l.backoffMs),
                                          formatDuration(l.intensity.periodMs)));
            else
                out.push_back(fmt::format("{} never gives up on it: {} of {} take at least {}, "
                                          "longer than its period of {}",
                                          sup, plural(l.exitsNeeded, "exit", "exits"), child,
                                          formatDuration(l.spanMs),
                                          formatDuration(l.intensity.periodMs)));
            break;
        case LevelOutcome::Unknown:
            out.push_back(fmt::format("{} is a C++ supervisor ('{}'): its intensity is its own, "
                                      "supc does not know it",
                                      sup, l.supervisor->declName()));
            break;
        }
    }
    return out;
}

} // namespace supc::analysis
