#include "supc/analysis/ImpactReport.h"

#include "supc/Value.h"
#include "supc/analysis/EscalationBudget.h"

#include <fmt/format.h>
#include <llvm/Support/raw_ostream.h>

namespace supc::analysis {

namespace {

/// How the output names a node: the crashed node by the path given (a dynamic child's
/// number rather than "a run-time child of ..."), the others as the linter does.
struct Names {
    const Node* crashed = nullptr;
    std::string crashedPath;
    std::string operator()(const Node& n) const {
        if (&n == crashed && n.isTemplate)
            return fmt::format("'{}'", crashedPath);
        return label(n);
    }
    /// A sentence of describe(), with the crashed dynamic child named by its path.
    std::string sentence(std::string s) const {
        if (!crashed || !crashed->isTemplate)
            return s;
        const std::string from = label(*crashed), to = (*this)(*crashed);
        for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
            s.replace(at, from.size(), to);
        return s;
    }
};

std::string listOf(const std::vector<const Node*>& nodes, const Names& names) {
    std::string out;
    for (const Node* n : nodes) {
        if (!out.empty())
            out += ", ";
        out += names(*n);
    }
    return out;
}

std::string strategyOf(const Node& sup) {
    if (!sup.supervisor)
        return "a C++ supervisor";
    if (sup.kind == NodeKind::DynamicSupervisor)
        return "dynamic, one_for_one";
    return std::string(name(sup.supervisor->strategy.value));
}

std::string plural(uint64_t n, std::string_view one, std::string_view many) {
    return fmt::format("{} {}", formatCount(n), n == 1 ? one : many);
}

/// What `exited`'s supervisor does when it exits for `reason`, as indented lines.
void printRestartSet(llvm::raw_ostream& out, const Node& exited, ExitReason reason,
                     std::string_view indent, const Names& names) {
    const auto label = [&](const Node& n) { return names(n); };
    const auto listOf = [&](const std::vector<const Node*>& nodes) {
        return analysis::listOf(nodes, names);
    };
    RestartSet set = restartSet(exited, reason);
    if (!set.supervisor)
        return;
    const Node& sup = *set.supervisor;
    if (!set.restartsExited) {
        out << indent
            << fmt::format("{} ({}) does not restart {}: it is {} and exits with reason {}\n",
                           label(sup), strategyOf(sup), label(exited), name(exited.restart.value),
                           name(reason));
        return;
    }
    if (!set.known) {
        out << indent
            << fmt::format("{} ({}, '{}') restarts {}; what else it restarts is its own business\n",
                           label(sup), strategyOf(sup), sup.decl ? sup.decl->qualifiedName : "",
                           label(exited));
        return;
    }
    if (!set.stopped.empty())
        out << indent
            << fmt::format("{} ({}) stops {}\n", label(sup), strategyOf(sup), listOf(set.stopped));
    out << indent
        << fmt::format("{} ({}) starts {} again ({} in all, counting subtrees)\n", label(sup),
                       strategyOf(sup), listOf(set.restarted),
                       plural(set.nodesRestarted, "node", "nodes"));
    if (!set.dropped.empty())
        out << indent
            << fmt::format("{} {} temporary: stopped and not started again\n", listOf(set.dropped),
                           set.dropped.size() == 1 ? "is" : "are");
}

} // namespace

void writeImpactReport(const Node& crashed, std::string_view path, llvm::raw_ostream& out) {
    const std::string who = path.empty() ? label(crashed) : fmt::format("'{}'", path);
    const Names names{&crashed, std::string(path)};
    if (crashed.isRoot()) {
        out << fmt::format("{} is the root: nothing supervises it, so its crash ends the tree\n",
                           who);
        return;
    }
    out << fmt::format("if {} crashes:\n", who);
    printRestartSet(out, crashed, ExitReason::Crash, "  ", names);

    EscalationChain chain = escalationChain(crashed, ChainOptions{true});
    std::vector<std::string> lines = describe(chain);
    out << "if it keeps crashing:\n";
    for (size_t i = 0; i < chain.levels.size(); ++i) {
        const EscalationLevel& l = chain.levels[i];
        out << "  " << names.sentence(i < lines.size() ? lines[i] : std::string()) << "\n";
        // A supervisor that goes down exits with reason shutdown: what its own supervisor
        // restarts then (when it does not, the next sentence says why).
        if (l.goesDown() && !l.supervisor->isRoot() &&
            isRestarted(*l.supervisor, ExitReason::Shutdown))
            printRestartSet(out, *l.supervisor, ExitReason::Shutdown, "    then ", names);
    }
    if (chain.reachesRoot()) {
        const EscalationLevel& top = chain.levels.back();
        uint64_t more = top.crashes == kMany ? kMany : top.crashes - 1;
        out << fmt::format("the root gives up after {} of {}",
                           plural(top.crashes, "crash", "crashes"), who);
        if (top.windowMs > 0 && top.windowMs < INT64_MAX)
            out << fmt::format(" within {}", formatDuration(top.windowMs));
        out << fmt::format(": this one and {} more\n", formatCount(more));
    } else if (const EscalationLevel* stop = chain.stop()) {
        out << fmt::format("the root never gives up because of {}: escalation stops at {}\n", who,
                           label(*stop->supervisor));
    }
}

} // namespace supc::analysis
