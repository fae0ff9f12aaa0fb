// `supc impact FILE --crash PATH`: what restarts when PATH crashes, and how many crashes of
// PATH bring each ancestor down. The arithmetic is the linter's (L006), from
// compiler/lib/Analysis; this file only finds the node and prints (docs/impact.md).
#include "Command.h"
#include "supc/Driver.h"
#include "supc/EditDistance.h"
#include "supc/Elaborator.h"
#include "supc/Value.h"
#include "supc/analysis/EscalationBudget.h"

#include <fmt/format.h>
#include <llvm/Support/raw_ostream.h>

namespace supc::tool {

namespace {

using namespace supc::analysis;

void collectPaths(const Node& n, std::vector<std::string>& out) {
    if (!n.isRoot())
        out.push_back(n.path());
    for (const auto& c : n.children)
        collectPaths(*c, out);
}

/// A decimal number without leading zeros: a dynamic child's id.
bool isNumber(std::string_view s) {
    if (s.empty() || s.size() > 19 || (s.size() > 1 && s[0] == '0'))
        return false;
    for (char c : s)
        if (c < '0' || c > '9')
            return false;
    return true;
}

/// The node PATH names, or null with the reason in `problem`: walks the tree segment by
/// segment so that the message names the first segment that matches nothing.
const Node* resolvePath(const Tree& tree, const std::string& path, std::string& problem) {
    const Node* n = tree.root.get();
    if (path.empty())
        return n;
    if (path.front() == '/' || path.back() == '/' || path.find("//") != std::string::npos) {
        problem = fmt::format("invalid path '{}': a path is child ids joined by '/', without a "
                              "leading, trailing or doubled '/' (the root is '')",
                              path);
        return nullptr;
    }
    std::string_view rest = path;
    std::string sofar;
    while (!rest.empty() || n == tree.root.get()) {
        size_t slash = rest.find('/');
        std::string seg(rest.substr(0, slash));
        rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
        std::string here = sofar.empty() ? seg : sofar + "/" + seg;
        const Node* next = nullptr;
        for (const auto& c : n->children)
            if (c->id == seg)
                next = c.get();
        if (!next && n->templ) {
            if (n->kind == NodeKind::DynamicSupervisor && !isNumber(seg)) {
                problem = fmt::format("'{}' is a dynamic supervisor: its children are numbered in "
                                      "start order ('{}/1', '{}/2', ...), not '{}'",
                                      n->path(), n->path(), n->path(), seg);
                return nullptr;
            }
            next = n->templ.get();
        }
        if (!next) {
            std::vector<std::string> all;
            collectPaths(*tree.root, all);
            std::string owner = sofar.empty() ? fmt::format("the root '{}'", tree.root->id)
                                              : fmt::format("'{}'", sofar);
            if (n->kind == NodeKind::Worker) {
                problem =
                    fmt::format("no node '{}': {} is a worker, it has no children", path, owner);
                return nullptr;
            }
            if (n->children.empty() && !n->workerDecl() && n->isTemplate) {
                problem = fmt::format("no node '{}': {} is started at run time from '{}', whose "
                                      "children depend on its start arguments: supc does not "
                                      "expand them",
                                      path, owner, n->decl ? n->decl->qualifiedName : "");
                return nullptr;
            }
            if (!n->supervisor && n->children.empty()) {
                problem = fmt::format("no node '{}': {} is a C++ supervisor ('{}'): its children "
                                      "are its own business, supc does not know them",
                                      path, owner, n->decl ? n->decl->qualifiedName : "");
                return nullptr;
            }
            problem = fmt::format("no node '{}': {} has no child '{}'", path, owner, seg);
            // Suggest a path near the one given, not one the given path already went through.
            std::erase_if(all, [&](const std::string& p) {
                return path.compare(0, p.size(), p) == 0 && path.size() > p.size() &&
                       path[p.size()] == '/';
            });
            if (auto m = closestMatch(path, all))
                problem += fmt::format(" (did you mean '{}'?)", *m);
            else if (auto m2 = closestMatch(here, all))
                problem += fmt::format(" (did you mean '{}'?)", *m2);
            return nullptr;
        }
        n = next;
        sofar = here;
        if (rest.empty())
            break;
    }
    return n;
}

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
        return tool::listOf(nodes, names);
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

void printImpact(llvm::raw_ostream& out, const Node& crashed, const std::string& path) {
    const std::string who = path.empty() ? label(crashed) : fmt::format("'{}'", path);
    const Names names{&crashed, path};
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

int runImpact(const CommandContext& ctx, const std::vector<std::string>& args) {
    driver::CommonOptions options;
    std::string root;
    std::vector<std::string> crashes; // repeated, to tell `--crash ''` (the root) from none
    driver::ArgParser parser("impact");
    parser.option("--root", &root);
    parser.repeated("--crash", &crashes);
    parser.option("--stdlib", &options.stdlib);
    parser.option("--color", &options.color);
    parser.option("--error-limit", &options.errorLimit);
    std::vector<std::string> files;
    if (!parser.parse(args, files, llvm::errs()))
        return driver::ExitUsage;
    if (files.empty())
        return driver::usageError(llvm::errs(), "impact", "no input file");
    if (files.size() > 1)
        return driver::usageError(llvm::errs(), "impact", "impact takes one file");
    if (crashes.empty())
        return driver::usageError(llvm::errs(), "impact", "no path: give one with --crash PATH");
    if (crashes.size() > 1)
        return driver::usageError(llvm::errs(), "impact", "give one --crash PATH, not several");
    const std::string& crash = crashes.front();

    auto session = driver::Session::create(options, "impact", ctx.argv0, llvm::errs());
    if (!session)
        return driver::ExitUsage;
    auto [program, tree] = session->elaborateRoot(files[0], root);
    if (!tree)
        return session->finish();
    if (int status = session->finish(); status != driver::ExitOk)
        return status;

    std::string problem;
    const Node* node = resolvePath(*tree, crash, problem);
    if (!node) {
        llvm::errs() << "supc impact: error: " << problem << "\n";
        return driver::ExitSpecError;
    }
    printImpact(llvm::outs(), *node, crash);
    return driver::ExitOk;
}

} // namespace

const Command kImpactCommand = {
    "impact",
    "what restarts when a node crashes, and how many crashes take each ancestor down",
    "supc impact FILE [--root NAME] --crash PATH [options]",
    "Checks FILE, elaborates one tree (as dump does) and answers statically, from the\n"
    "strategies, restart types and intensities along the path:\n"
    "  - what PATH's supervisor stops and starts again when PATH crashes once;\n"
    "  - if it keeps crashing, how many crashes within which period bring each ancestor\n"
    "    down (and what the next one up restarts then), up to the root, or where and why\n"
    "    escalation stops (a transient or temporary parent, backoff, a C++ supervisor).\n"
    "The arithmetic is lint rule L006's (supc explain L006). PATH is child ids from the\n"
    "root joined by '/' (services/cache); '' is the root; a dynamic supervisor's children\n"
    "are numbered (connections/1). docs/impact.md has the details.\n\n"
    "options:\n"
    "  --crash PATH          the node that crashes\n"
    "  --root NAME           the supervisor, dynamic supervisor or application to analyse\n"
    "                        (default: the file's only application)\n"
    "  --stdlib DIR          where 'import \"std\";' looks\n"
    "  --color=auto|always|never\n"
    "  --error-limit N       stop after N errors (default 50; 0: no limit)\n\n"
    "exit status: 0 printed, 2 the spec has errors, no root, or PATH names no node,\n"
    "64 usage error\n",
    runImpact,
};

} // namespace supc::tool
