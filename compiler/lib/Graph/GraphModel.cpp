// From the elaborated tree to the boxes of the picture: labels, shapes, borders, and the
// collapsing of long runs of identical workers.
#include "supc/Graph.h"

#include <fmt/format.h>

namespace supc {

namespace {

constexpr std::string_view kDot = " \u00B7 "; // " · " between facts on one line
constexpr size_t kMaxArgChars = 40;           // longer argument values are cut

// A value as written in a spec, cut to kMaxArgChars code points.
std::string argText(const Value& v) {
    std::string s = v.str();
    size_t chars = 0;
    for (size_t i = 0; i < s.size(); ++i) {
        if ((static_cast<unsigned char>(s[i]) & 0xC0) == 0x80)
            continue;
        if (++chars > kMaxArgChars)
            return s.substr(0, i) + "\u2026";
    }
    return s;
}

std::string_view kindWord(NodeKind k) {
    switch (k) {
    case NodeKind::Worker:
        return "worker";
    case NodeKind::Supervisor:
        return "supervisor";
    case NodeKind::DynamicSupervisor:
        return "dynamic supervisor";
    }
    return "worker";
}

GraphNode::Shape shapeOf(NodeKind k) {
    switch (k) {
    case NodeKind::Worker:
        return GraphNode::Shape::Worker;
    case NodeKind::Supervisor:
        return GraphNode::Shape::Supervisor;
    case NodeKind::DynamicSupervisor:
        return GraphNode::Shape::DynamicSupervisor;
    }
    return GraphNode::Shape::Worker;
}

// "worker Cache(ttl = 60s)", "program Web(port = 8081)": the kind, the declaration and the
// arguments given at the use site (after evaluation: a loop's `worker_id = i` shows its number).
std::string kindLine(const Node& n, bool withArgs) {
    if (n.isRoot()) {
        bool app = n.decl->kind() == ir::Decl::Kind::Application;
        return fmt::format("{} {}", app ? "application" : kindWord(n.kind), n.declName());
    }
    // A program's children are workers that are processes: "program Web(port = 8081)".
    std::string out = fmt::format("{} {}", n.program ? "program" : kindWord(n.kind), n.declName());
    if (!withArgs)
        return out;
    std::string args;
    for (const auto& a : n.args) {
        if (!a.explicitArg || a.value.isNone())
            continue;
        if (!args.empty())
            args += ", ";
        args += a.param->name + " = " + argText(a.value);
    }
    return args.empty() ? out : out + "(" + args + ")";
}

// "one_for_all · 3 per 5s", with auto_shutdown and backoff when they are not the default
// and max_children for dynamic supervisors.
std::string supervisorLine(const Node& n) {
    const SupervisorSettings& s = *n.supervisor;
    std::string out =
        fmt::format("{}{}{} per {}", name(s.strategy.value), kDot, s.intensity.value.restarts,
                    formatDuration(s.intensity.value.periodMs));
    if (s.autoShutdown.value != AutoShutdown::Never)
        out += fmt::format("{}auto_shutdown {}", kDot, name(s.autoShutdown.value));
    if (s.backoff.value.exponential) {
        const Backoff& b = s.backoff.value;
        out +=
            fmt::format("{}backoff {}..{}", kDot, formatDuration(b.minMs), formatDuration(b.maxMs));
        if (b.jitter != 0)
            out += fmt::format(" jitter {}", b.jitter);
    }
    if (n.kind == NodeKind::DynamicSupervisor) {
        const auto& max = s.maxChildren.value;
        out += fmt::format("{}max_children {}", kDot, max ? std::to_string(*max) : "unlimited");
    }
    return out;
}

// "permanent · shutdown 5s · significant"
std::string childLine(const Node& n) {
    std::string out =
        fmt::format("{}{}shutdown {}", name(n.restart.value), kDot, settingText(n.shutdown.value));
    if (n.significant.value)
        out += fmt::format("{}significant", kDot);
    if (n.name.value.mode != ChildName::Mode::None)
        out += fmt::format("{}name {}", kDot, settingText(n.name.value));
    return out;
}

GraphNode::Border borderOf(const Node& n) {
    if (n.isRoot())
        return GraphNode::Border::Solid;
    switch (n.restart.value) {
    case RestartType::Permanent:
        return GraphNode::Border::Solid;
    case RestartType::Transient:
        return GraphNode::Border::Dotted;
    case RestartType::Temporary:
        return GraphNode::Border::Dashed;
    }
    return GraphNode::Border::Solid;
}

// Workers that one box can stand for.
bool sameRun(const Node& a, const Node& b) {
    return a.kind == NodeKind::Worker && b.kind == NodeKind::Worker && !a.templ && !b.templ &&
           a.decl == b.decl && a.part == b.part && a.restart.value == b.restart.value &&
           a.shutdown.value == b.shutdown.value && a.significant.value == b.significant.value &&
           a.name.value == b.name.value;
}

class Builder {
public:
    Builder(const GraphOptions& options, GraphModel& model) : options_(options), model_(model) {}

    // Depth first, children in start order, a template after the children (iterative:
    // trees may be as deep as the elaborator allows).
    void add(const Node& root) {
        struct Frame {
            const Node* node;
            int index;
            size_t next = 0;  // the next child to draw
            size_t boxes = 0; // boxes drawn for its children so far
            bool templateDone = false;
        };
        std::vector<Frame> stack;
        stack.push_back({&root, addNode(root, -1)});
        while (!stack.empty()) {
            Frame& f = stack.back();
            const auto& kids = f.node->children;
            if (f.next < kids.size() && options_.maxChildren && f.boxes == options_.maxChildren) {
                addElision(kids, f.next, f.index);
                f.next = kids.size();
                continue;
            }
            if (f.next < kids.size()) {
                ++f.boxes;
                size_t i = f.next, end = i + 1;
                while (end < kids.size() && sameRun(*kids[i], *kids[end]))
                    ++end;
                if (options_.collapseRuns > 1 && end - i >= options_.collapseRuns) {
                    addRun(*kids[i], *kids[end - 1], end - i, f.index);
                    f.next = end;
                    continue;
                }
                f.next = i + 1;
                const Node& child = *kids[i];
                int index = addNode(child, f.index);
                stack.push_back({&child, index});
                continue;
            }
            // The template a dynamic supervisor (or a C++ supervisor that supc does not
            // expand) starts children from; a standard component's are drawn as children.
            bool drawTemplate =
                f.node->templ && !(f.node->kind == NodeKind::Supervisor && f.node->supervisor);
            if (drawTemplate && !f.templateDone) {
                f.templateDone = true;
                const Node& t = *f.node->templ;
                int index = addNode(t, f.index);
                stack.push_back({&t, index});
                continue;
            }
            stack.pop_back();
        }
    }

private:
    int addNode(const Node& n, int parent) {
        GraphNode g;
        g.parent = parent;
        g.shape = shapeOf(n.kind);
        g.border = n.isTemplate ? GraphNode::Border::Dashed : borderOf(n);
        g.isTemplate = n.isTemplate;
        g.significant = !n.isRoot() && n.significant.value;
        g.title = n.isTemplate ? "template" : n.id;
        g.lines.push_back(kindLine(n, true));
        if (n.isTemplate && !n.startArgs.empty()) {
            std::string args;
            for (const auto* p : n.startArgs)
                args += (args.empty() ? "" : ", ") + p->name;
            g.lines.push_back("start_child(" + args + ")");
        }
        if (n.supervisor)
            g.lines.push_back(supervisorLine(n));
        if (!n.isRoot())
            g.lines.push_back(childLine(n));
        model_.nodes.push_back(std::move(g));
        return int(model_.nodes.size() - 1);
    }

    // One box for children [from, end) of a node, which are not drawn.
    void addElision(const std::vector<std::unique_ptr<Node>>& kids, size_t from, int parent) {
        size_t counts[3] = {0, 0, 0};
        for (size_t i = from; i < kids.size(); ++i)
            ++counts[size_t(kids[i]->kind)];
        GraphNode g;
        g.parent = parent;
        g.isElision = true;
        g.count = kids.size() - from;
        g.title = fmt::format("\u2026 {} more", g.count);
        std::string what;
        auto add = [&](size_t n, std::string_view one, std::string_view many) {
            if (!n)
                return;
            if (!what.empty())
                what += ", ";
            what += fmt::format("{} {}", n, n == 1 ? one : many);
        };
        add(counts[size_t(NodeKind::Worker)], "worker", "workers");
        add(counts[size_t(NodeKind::Supervisor)], "supervisor", "supervisors");
        add(counts[size_t(NodeKind::DynamicSupervisor)], "dynamic supervisor",
            "dynamic supervisors");
        g.lines.push_back(what);
        g.lines.push_back(fmt::format("{} to {} not drawn", kids[from]->id, kids.back()->id));
        model_.nodes.push_back(std::move(g));
    }

    void addRun(const Node& first, const Node& last, size_t count, int parent) {
        GraphNode g;
        g.parent = parent;
        g.shape = GraphNode::Shape::Worker;
        g.border = borderOf(first);
        g.significant = first.significant.value;
        g.count = count;
        g.title = first.id + " \u2026 " + last.id;
        g.lines.push_back(fmt::format("{}\u00D7 {}", count, kindLine(first, false)));
        g.lines.push_back(childLine(first));
        model_.nodes.push_back(std::move(g));
    }

    const GraphOptions& options_;
    GraphModel& model_;
};

} // namespace

GraphModel buildGraphModel(const Tree& tree, const GraphOptions& options) {
    GraphModel model;
    model.name = tree.root->decl->qualifiedName;
    Builder(options, model).add(*tree.root);
    return model;
}

void writeGraph(const Tree& tree, const GraphOptions& options, llvm::raw_ostream& os) {
    GraphModel model = buildGraphModel(tree, options);
    if (options.format == GraphFormat::Mermaid)
        writeMermaid(model, os);
    else
        writeDot(model, os);
}

} // namespace supc
