// Building the simulated tree from the elaborated one, and checking scripts against it.
#include "SimModel.h"
#include "supc/EditDistance.h"
#include "supc/Limits.h"
#include "supc/analysis/TreePath.h"

#include <climits>
#include <fmt/format.h>
#include <functional>

namespace supc::sim {

namespace {

struct CannotSimulate {
    std::string message;
};

class Builder {
public:
    explicit Builder(Model& model) : model_(model) {}

    std::unique_ptr<SimNode> build(const Node& n, const SimNode* parent, bool isTemplate) {
        count();
        auto s = std::make_unique<SimNode>();
        model_.byNode.emplace(&n, s.get());
        s->id = isTemplate ? std::string() : n.id;
        s->decl = std::string(n.declName());
        s->parent = parent;
        s->isTemplate = isTemplate;
        auto type =
            n.kind != NodeKind::Worker ? sup::ChildType::supervisor : sup::ChildType::worker;
        if (isTemplate) {
            applyChildSettings(n, s->templSpec);
            s->templSpec.type = type;
        } else if (!n.isRoot()) {
            applyChildSettings(n, s->spec);
            s->spec.type = type;
        }
        if (n.kind == NodeKind::Worker || !n.supervisor) {
            // A worker, or a C++ supervisor whose children are its own business (the
            // standard components are expanded by elaboration, with their settings).
            s->kind = SimNode::Kind::Worker;
            s->opaque = n.kind != NodeKind::Worker;
            return s;
        }
        applySupervisorSettings(*n.supervisor, s->supervisor);
        if (n.kind == NodeKind::DynamicSupervisor) {
            s->kind = SimNode::Kind::Dynamic;
            if (!n.templ)
                throw CannotSimulate{
                    fmt::format("'{}' has no template to start children from", n.path())};
            s->templ = build(*n.templ, s.get(), true);
            return s;
        }
        s->kind = SimNode::Kind::Supervisor;
        for (const auto& c : n.children)
            s->children.push_back(build(*c, s.get(), false));
        return s;
    }

    size_t nodes = 0;

private:
    Model& model_;

    void count() {
        if (++nodes > limits::kMaxTreeNodes)
            throw CannotSimulate{fmt::format(
                "the tree has more than {} nodes: too large to simulate", limits::kMaxTreeNodes)};
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
    m->tree = &tree;
    Builder b(*m);
    try {
        m->root = b.build(*tree.root, nullptr, false);
    } catch (const CannotSimulate& t) {
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
    analysis::PathLookup l = analysis::lookupPath(*model.tree, path);
    if (!l.node) {
        t.problem = std::move(l.problem);
        return t;
    }
    auto it = model.byNode.find(l.node);
    if (it == model.byNode.end()) { // a node sim runs as part of a stand-in
        t.problem = fmt::format("no node '{}': it is part of a stand-in", path);
        return t;
    }
    t.node = it->second;
    t.dynamicChild = l.dynamicChild;
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
