// Building the simulated tree from the elaborated one, and checking scripts against it.
#include "SimModel.h"
#include "supc/EditDistance.h"
#include "supc/Limits.h"

#include <climits>
#include <fmt/format.h>
#include <functional>

namespace supc::sim {

namespace {

using std::chrono::milliseconds;

struct TooLarge {
    std::string message;
};

sup::Restart toRuntime(RestartType r) {
    switch (r) {
    case RestartType::Permanent:
        return sup::Restart::permanent;
    case RestartType::Transient:
        return sup::Restart::transient;
    case RestartType::Temporary:
        return sup::Restart::temporary;
    }
    return sup::Restart::permanent;
}

sup::Shutdown toRuntime(const Shutdown& s) {
    switch (s.mode) {
    case Shutdown::Mode::BrutalKill:
        return sup::Shutdown::brutal_kill();
    case Shutdown::Mode::Infinity:
        return sup::Shutdown::infinity();
    case Shutdown::Mode::Timeout:
        return sup::Shutdown::timeout(milliseconds(s.milliseconds));
    }
    return sup::Shutdown::infinity();
}

sup::SupervisorFlags toRuntime(const SupervisorSettings& s) {
    sup::SupervisorFlags f;
    switch (s.strategy.value) {
    case Strategy::OneForOne:
        f.strategy = sup::Strategy::one_for_one;
        break;
    case Strategy::OneForAll:
        f.strategy = sup::Strategy::one_for_all;
        break;
    case Strategy::RestForOne:
        f.strategy = sup::Strategy::rest_for_one;
        break;
    }
    f.intensity = int(std::clamp<int64_t>(s.intensity.value.restarts, 0, INT_MAX));
    f.period = milliseconds(s.intensity.value.periodMs);
    switch (s.autoShutdown.value) {
    case AutoShutdown::Never:
        f.auto_shutdown = sup::AutoShutdown::never;
        break;
    case AutoShutdown::AnySignificant:
        f.auto_shutdown = sup::AutoShutdown::any_significant;
        break;
    case AutoShutdown::AllSignificant:
        f.auto_shutdown = sup::AutoShutdown::all_significant;
        break;
    }
    const Backoff& b = s.backoff.value;
    if (b.exponential)
        f.backoff =
            sup::Backoff::exponential(milliseconds(b.minMs), milliseconds(b.maxMs), b.jitter);
    return f;
}

/// The .sup defaults, for the standard supervisors.
sup::SupervisorFlags defaultFlags() {
    sup::SupervisorFlags f;
    f.intensity = 3;
    f.period = std::chrono::seconds(5);
    return f;
}

class Builder {
public:
    std::unique_ptr<SimNode> build(const Node& n, const SimNode* parent, bool isTemplate) {
        count();
        auto s = std::make_unique<SimNode>();
        s->id = isTemplate ? std::string() : n.id;
        s->decl = n.decl ? n.decl->qualifiedName : std::string();
        s->parent = parent;
        s->isTemplate = isTemplate;
        if (!n.isRoot()) {
            s->restart = toRuntime(n.restart.value);
            s->shutdown = toRuntime(n.shutdown.value);
            s->significant = n.significant.value;
        }
        switch (n.kind) {
        case NodeKind::Worker:
            s->kind = SimNode::Kind::Worker;
            break;
        case NodeKind::DynamicSupervisor:
            s->kind = SimNode::Kind::Dynamic;
            s->type = sup::ChildType::supervisor;
            if (n.supervisor) {
                s->flags = toRuntime(*n.supervisor);
                if (auto m = n.supervisor->maxChildren.value)
                    s->maxChildren = size_t(std::max<int64_t>(0, *m));
            }
            if (n.templ)
                s->templ = build(*n.templ, s.get(), true);
            else
                s->templ = standIn(s.get());
            break;
        case NodeKind::Supervisor:
            s->type = sup::ChildType::supervisor;
            if (n.supervisor) {
                s->kind = SimNode::Kind::Supervisor;
                s->flags = toRuntime(*n.supervisor);
                for (const auto& c : n.children)
                    s->children.push_back(build(*c, s.get(), false));
            } else {
                standardOrOpaque(n, *s);
            }
            break;
        }
        return s;
    }

    size_t nodes = 0;

private:
    void count() {
        if (++nodes > limits::kMaxTreeNodes)
            throw TooLarge{fmt::format("the tree has more than {} nodes once pools and partitions "
                                       "are expanded: too large to simulate",
                                       limits::kMaxTreeNodes)};
    }

    std::unique_ptr<SimNode> standIn(const SimNode* parent) {
        count();
        auto t = std::make_unique<SimNode>();
        t->parent = parent;
        t->isTemplate = true;
        t->decl = "task";
        t->restart = sup::Restart::temporary; // Task.Supervisor's default
        return t;
    }

    static int64_t intArg(const Node& n, std::string_view param, int64_t fallback) {
        const NodeArg* a = n.arg(param);
        if (!a || a->value.isNone() || a->value.isError())
            return fallback;
        return a->value.asInt();
    }

    // A C++ supervisor: the standard ones are expanded, the others are one stand-in.
    void standardOrOpaque(const Node& n, SimNode& s) {
        switch (n.stdKind()) {
        case ir::StdKind::TaskSupervisor: {
            s.kind = SimNode::Kind::Dynamic;
            s.flags = defaultFlags();
            int64_t max = intArg(n, "max_children", -1);
            if (max >= 0)
                s.maxChildren = size_t(max);
            s.templ = standIn(&s);
            return;
        }
        case ir::StdKind::PartitionSupervisor:
        case ir::StdKind::Pool: {
            bool pool = n.stdKind() == ir::StdKind::Pool;
            std::string_view param = pool ? "size" : "partitions";
            int64_t size = intArg(n, param, 0);
            if (size < 0)
                throw TooLarge{fmt::format("'{}' has {} = {}: a negative number of children",
                                           n.path(), param, size)};
            if (uint64_t(size) > limits::kMaxTreeNodes)
                count(size_t(size));
            s.kind = SimNode::Kind::Supervisor;
            s.flags = defaultFlags();
            if (!n.templ)
                return;
            for (int64_t i = 0; i < size; ++i) {
                auto c = build(*n.templ, &s, false);
                c->id = pool ? fmt::format("worker_{}", i + 1) : std::to_string(i);
                s.children.push_back(std::move(c));
            }
            return;
        }
        default:
            s.kind = SimNode::Kind::Worker;
            s.opaque = true;
            return;
        }
    }

    void count(size_t more) {
        if (more > limits::kMaxTreeNodes || nodes + more > limits::kMaxTreeNodes) {
            nodes = limits::kMaxTreeNodes;
            count();
        }
    }
};

void collectPaths(const SimNode& n, const std::string& path, std::vector<std::string>& out) {
    for (const auto& c : n.children) {
        std::string p = path.empty() ? c->id : path + "/" + c->id;
        out.push_back(p);
        collectPaths(*c, p, out);
    }
}

std::string quotedList(const std::vector<std::string>& items, size_t max = 8) {
    std::string out;
    for (size_t i = 0; i < items.size() && i < max; ++i)
        out += (i ? ", " : "") + items[i];
    if (items.size() > max)
        out += fmt::format(", ... ({} in all)", items.size());
    return out;
}

} // namespace

bool isNumber(std::string_view s) {
    if (s.empty() || s.size() > 18 || s[0] == '0')
        return false;
    for (char c : s)
        if (c < '0' || c > '9')
            return false;
    return true;
}

void ModelDeleter::operator()(const Model* m) const {
    delete m;
}

const SimNode* SimNode::child(std::string_view want) const {
    for (const auto& c : children)
        if (c->id == want)
            return c.get();
    return nullptr;
}

std::string SimNode::what() const {
    switch (kind) {
    case Kind::Worker:
        return opaque ? "C++ supervisor simulated as a stand-in" : "worker";
    case Kind::Supervisor:
        return "supervisor";
    case Kind::Dynamic:
        return "dynamic supervisor";
    }
    return "worker";
}

ModelPtr buildModel(const Tree& tree, std::string& error) {
    if (!tree.root) {
        error = "no tree";
        return nullptr;
    }
    auto m = std::make_unique<Model>();
    Builder b;
    try {
        m->root = b.build(*tree.root, nullptr, false);
    } catch (const TooLarge& t) {
        error = t.message;
        return nullptr;
    }
    m->rootName = tree.root->id;
    m->nodes = b.nodes;
    return ModelPtr(m.release());
}

std::vector<std::string> staticPaths(const Model& model) {
    std::vector<std::string> out{""};
    collectPaths(*model.root, "", out);
    return out;
}

PathTarget resolve(const Model& model, std::string_view path) {
    PathTarget t;
    const SimNode* n = model.root.get();
    std::string sofar;
    while (!path.empty()) {
        size_t slash = path.find('/');
        std::string_view seg = path.substr(0, slash);
        path = slash == std::string_view::npos ? std::string_view() : path.substr(slash + 1);
        std::string full = sofar.empty() ? std::string(seg) : sofar + "/" + std::string(seg);
        std::string where = sofar.empty() ? std::string("the root") : "'" + sofar + "'";
        if (n->kind == SimNode::Kind::Dynamic) {
            if (!isNumber(seg)) {
                t.problem = fmt::format("unknown path '{}': the children of dynamic supervisor {} "
                                        "are numbered in start order ({}1, {}2, ...)",
                                        full, where, sofar.empty() ? "" : sofar + "/",
                                        sofar.empty() ? "" : sofar + "/");
                return t;
            }
            n = n->templ.get();
            t.dynamicChild = true;
        } else if (n->kind == SimNode::Kind::Worker) {
            t.problem = fmt::format("unknown path '{}': {} is a {}, it has no children", full,
                                    where, n->what());
            return t;
        } else {
            const SimNode* c = n->child(seg);
            if (!c) {
                std::string msg = fmt::format("unknown path '{}'",
                                              full + (path.empty() ? "" : "/" + std::string(path)));
                std::vector<std::string> all = staticPaths(model);
                std::string wanted = full + (path.empty() ? "" : "/" + std::string(path));
                if (auto guess = closestMatch(wanted, all))
                    msg += fmt::format(" (did you mean '{}'?)", *guess);
                else {
                    std::vector<std::string> ids;
                    for (const auto& k : n->children)
                        ids.push_back(k->id);
                    msg += ids.empty() ? fmt::format(" ({} has no children)", where)
                                       : fmt::format(" ({} has {})", where, quotedList(ids));
                }
                t.problem = msg;
                return t;
            }
            n = c;
            t.dynamicChild = false;
        }
        sofar = full;
    }
    t.node = n;
    return t;
}

void checkScript(const Model& model, const Script& script, std::vector<ScriptError>& errors) {
    auto error = [&](ScriptLoc at, std::string msg) {
        if (errors.size() < kMaxScriptErrors)
            errors.push_back({at, std::move(msg)});
    };
    for (const Command& c : script.commands) {
        if (c.op == Op::Advance || c.op == Op::Stop)
            continue;
        PathTarget t = resolve(model, c.path);
        if (!t.node) {
            error(c.pathLoc, t.problem);
            continue;
        }
        const SimNode& n = *t.node;
        std::string shown = c.path.empty() ? std::string("the root") : "'" + c.path + "'";
        bool root = n.isRoot();
        switch (c.op) {
        case Op::Crash:
            if (root)
                error(c.pathLoc,
                      "the root cannot crash in sim: nothing supervises it (use 'stop')");
            else if (n.isSupervisor() && c.reasonLoc.line)
                error(c.reasonLoc, fmt::format("{} is a {}: 'crash' kills it (reason killed) and "
                                               "takes no reason",
                                               shown, n.what()));
            break;
        case Op::Exit:
        case Op::Hang:
            if (!n.isStandIn())
                error(c.pathLoc,
                      fmt::format("{} is a {}: '{}' applies to workers{}", shown, n.what(),
                                  name(c.op), root ? "" : " ('crash' kills a supervisor)"));
            break;
        case Op::FailStart:
            if (root)
                error(c.pathLoc, "the root starts once, before the script: 'fail_start' applies "
                                 "to children");
            break;
        case Op::StartChild:
            if (n.kind != SimNode::Kind::Dynamic) {
                std::vector<std::string> dyn;
                std::function<void(const SimNode&, const std::string&)> walk =
                    [&](const SimNode& x, const std::string& p) {
                        if (x.kind == SimNode::Kind::Dynamic)
                            dyn.push_back(p.empty() ? "\"\"" : p);
                        for (const auto& k : x.children)
                            walk(*k, p.empty() ? k->id : p + "/" + k->id);
                    };
                walk(*model.root, "");
                error(c.pathLoc,
                      fmt::format("{} is a {}, not a dynamic supervisor: 'start_child' adds a "
                                  "child from a dynamic supervisor's template ({})",
                                  shown, n.what(),
                                  dyn.empty() ? std::string("this tree has none")
                                              : "dynamic supervisors here: " + quotedList(dyn)));
            }
            break;
        case Op::TerminateChild:
        case Op::RestartChild:
        case Op::DeleteChild:
            if (root)
                error(c.pathLoc,
                      fmt::format("the root has no supervisor: '{}' applies to "
                                  "children{}",
                                  name(c.op),
                                  c.op == Op::TerminateChild ? " (use 'stop' to stop the tree)"
                                                             : ""));
            else if (t.dynamicChild && c.op != Op::TerminateChild)
                error(c.pathLoc, fmt::format("{} is a child of a dynamic supervisor: '{}' does "
                                             "not apply to it (OTP: {{error, "
                                             "simple_one_for_one}}); use 'terminate_child'",
                                             shown, name(c.op)));
            break;
        case Op::Advance:
        case Op::Stop:
            break;
        }
    }
}

} // namespace supc::sim
