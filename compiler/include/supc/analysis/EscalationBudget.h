// Restart and escalation arithmetic over the elaborated tree (Tree.h), shared by the
// linter's escalation-budget rule (L006) and `supc impact`.
//
// Two questions, answered statically from the settings every node carries:
//
//   restartSet(node)        when `node` exits, what does its supervisor do? Which siblings
//                           are stopped and started again (its strategy, OTP's order),
//                           which temporary bystanders are dropped.
//   escalationChain(node)   if `node` keeps crashing, how many of its crashes, within which
//                           time, bring each ancestor down, up to the root, or where and
//                           why escalation stops.
//
// The model is OTP's (OTP_REFERENCE.md) plus the runtime's backoff:
//   - a supervisor with intensity N per P gives up at the (N+1)th counted restart within
//     P; giving up, it stops its children and exits with reason `shutdown`;
//   - a restart is counted when it is decided, one per exit, whatever the strategy
//     restarts with it (one_for_all and rest_for_one restart siblings, and a restarted
//     child supervisor starts with an empty restart history: each of its give-ups costs
//     another N+1 crashes below it, which is why nested intensities multiply);
//   - permanent children are restarted after any exit, transient ones after an abnormal
//     exit only, temporary ones never: a supervisor that gives up exits with `shutdown`,
//     so a transient or temporary parent spec does not restart it and escalation stops
//     there (elixir-lang/elixir#5550);
//   - a significant child whose exit is not restarted makes an any_significant supervisor
//     (or an all_significant one, when it is its only significant child) shut down, with
//     reason `shutdown`;
//   - backoff delays restart k of a child by min(MAX, MIN * 2^(k-1)), less jitter at
//     worst; crash k+1 cannot come before restart k, so N+1 exits within P may be out of
//     reach: the supervisor then never gives up on that child's crash loop.
// Crashes are assumed to follow each start at once (a crash loop at full speed).
#pragma once

#include "supc/Tree.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace supc::analysis {

/// How a node stopped, as its supervisor sees it.
enum class ExitReason : unsigned char {
    Crash,    // abnormal: an exception, a kill
    Shutdown, // `shutdown`: what a supervisor that gave up or shut itself down exits with
    Normal,   // the child finished its work
};
std::string_view name(ExitReason r);

/// Whether `child`'s supervisor starts it again after an exit for `reason`.
bool isRestarted(const Node& child, ExitReason reason);

/// What the supervisor of `exited` does when it exits for `reason`.
struct RestartSet {
    const Node* supervisor = nullptr; // exited's parent; null for the root
    /// False when the supervisor is a C++ class (std.Pool, ...) whose strategy supc does
    /// not know: only `exited` is listed.
    bool known = true;
    bool restartsExited = false;      // exited is started again
    std::vector<const Node*> stopped; // siblings stopped first, in stop order (reverse start order)
    std::vector<const Node*> restarted; // children started again, in start order
    std::vector<const Node*> dropped;   // temporary siblings stopped and not started again
    /// Nodes started again, counting whole subtrees (templates' run-time children not).
    uint64_t nodesRestarted = 0;
};
RestartSet restartSet(const Node& exited, ExitReason reason = ExitReason::Crash);

/// How far one ancestor is from going down.
enum class LevelOutcome : unsigned char {
    GivesUp,      // intensity exceeded after `exitsNeeded` counted exits of `child`
    AutoShutdown, // `child` is significant and not restarted: the supervisor shuts down
    // The chain stops here: this ancestor stays up.
    NotRestarted, // `child` is not restarted (temporary; transient after a shutdown) and not
                  // significant
    Unreachable,  // backoff: `exitsNeeded` exits of `child` cannot fit in the period
    Unknown,      // a C++ supervisor (std.Pool, ...): its intensity is its own business
};
std::string_view name(LevelOutcome o);

struct EscalationLevel {
    const Node* supervisor = nullptr;         // the ancestor
    const Node* child = nullptr;              // its child on the path from the crashed node
    ExitReason childExit = ExitReason::Crash; // how `child` exits: a crash, then `shutdown`
    LevelOutcome outcome = LevelOutcome::GivesUp;
    Intensity intensity; // the supervisor's (when known)
    /// Exits of `child` that bring the supervisor down: N+1 (1 for an auto shutdown).
    uint64_t exitsNeeded = 0;
    /// Crashes of the crashed node that bring the supervisor down: the product of
    /// exitsNeeded from the bottom (saturates at kMany).
    uint64_t crashes = 0;
    /// That many crashes arriving within this window are sure to bring it down (the
    /// shortest period on the way, the only constraint without backoff).
    int64_t windowMs = 0;
    /// The least time those crashes can take, from the first: backoff delays here and
    /// below (0 without backoff).
    int64_t fastestMs = 0;
    /// The least time between the first and the last counted exit of `child` here; more
    /// than the period means Unreachable.
    int64_t spanMs = 0;
    /// Of spanMs, the backoff delays of this supervisor's own restarts.
    int64_t backoffMs = 0;
    /// With ChainOptions::countRestarts: the nodes the supervisor starts again at each
    /// counted exit of `child` (restartSet: the child, and its siblings under one_for_all
    /// or rest_for_one, with their subtrees), and the nodes started again in all, at this
    /// level and below, until the supervisor goes down. 0 when not counted.
    uint64_t nodesPerRestart = 0;
    uint64_t nodesRestarted = 0;
    /// Of the children restarted at each counted exit, the siblings of `child`
    /// (one_for_all, rest_for_one).
    uint64_t siblingsPerRestart = 0;
    bool goesDown() const {
        return outcome == LevelOutcome::GivesUp || outcome == LevelOutcome::AutoShutdown;
    }
};

inline constexpr uint64_t kMany = UINT64_MAX;

struct EscalationChain {
    const Node* crashed = nullptr;
    /// From the crashed node's supervisor upward. Every level but the last goes down; the
    /// last either goes down (then it is the root: the tree terminates) or says why the
    /// escalation stops there. Empty when the crashed node is the root.
    std::vector<EscalationLevel> levels;
    bool reachesRoot() const { return !levels.empty() && levels.back().goesDown(); }
    /// The level where escalation stops, or null when it reaches the root.
    const EscalationLevel* stop() const {
        return levels.empty() || levels.back().goesDown() ? nullptr : &levels.back();
    }
};
struct ChainOptions {
    /// Count the nodes restarted at each level (costs a restartSet per level: the linter
    /// asks only for the chains it reports).
    bool countRestarts = false;
};
EscalationChain escalationChain(const Node& crashed, ChainOptions options = {});

/// The least total delay of a supervisor's first `restarts` restarts of one child (its
/// backoff; 0 without). Saturates at INT64_MAX.
int64_t minBackoffDelayMs(const Backoff& backoff, uint64_t restarts);

/// How many crashes of one child in a crash loop can fall within `periodMs`: the first,
/// then one after each restart delay that still fits (kMany without backoff: restarts
/// are immediate). With m children looping at once, at most m times as many.
uint64_t maxCrashesWithin(const Backoff& backoff, int64_t periodMs);

/// One sentence per level, as the linter and `supc impact` print them: "4 crashes of
/// 'pool/worker_1' within 5s take down 'pool'", "4 such give-ups within 5s take down
/// the root 'MyApp': 16 crashes within 5s", "escalation stops at 'jobs': ...".
std::vector<std::string> describe(const EscalationChain& chain);

/// A node as the sentences name it: "'services/cache'", "the root 'MyApp'", "a run-time
/// child of 'connections'".
std::string label(const Node& n);

/// A count as people read it: "16", "more than 10^18" for kMany.
std::string formatCount(uint64_t n);

} // namespace supc::analysis
