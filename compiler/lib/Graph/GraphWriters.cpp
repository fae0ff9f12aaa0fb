// The graph model in Graphviz dot and in Mermaid.
#include "supc/Graph.h"
#include "supc/TextEscape.h"

#include <fmt/format.h>
#include <llvm/Support/raw_ostream.h>

namespace supc {

namespace {

// Control characters (a string argument may hold them) become visible text: C0, DEL and
// C1 as `\xNN`, the other characters a terminal or viewer would act on (bidirectional
// formatting, line separators: supc/TextEscape.h) as `\uNNNN`. Neither syntax allows
// them in labels as they are.
template <class Escape>
std::string escapeWith(std::string_view s, Escape escape) {
    std::string out;
    for (size_t i = 0; i < s.size();) {
        char c = s[i];
        unsigned char b = static_cast<unsigned char>(c);
        if (b >= 0x80) {
            Utf8Unit u = decodeUtf8(s.substr(i));
            if (u.codePoint >= 0 && isUnsafeToShow(u.codePoint))
                out += u.codePoint <= 0xFF ? fmt::format("\\x{:02X}", u.codePoint)
                                           : fmt::format("\\u{:04X}", u.codePoint);
            else
                out += toValidUtf8(s.substr(i, u.size));
            i += u.size;
            continue;
        }
        ++i;
        if (b < 0x20 || b == 0x7F) {
            out += fmt::format("\\x{:02X}", b);
            continue;
        }
        if (const char* e = escape(c))
            out += e;
        else
            out += c;
    }
    return out;
}

// Text inside a Graphviz HTML-like label. Graphviz (2.43 at least) reads backslash
// escapes even there, turning `\\` into `\`: a backslash is written twice.
std::string html(std::string_view s) {
    return escapeWith(s, [](char c) -> const char* {
        switch (c) {
        case '\\':
            return "\\\\";
        case '&':
            return "&amp;";
        case '<':
            return "&lt;";
        case '>':
            return "&gt;";
        case '"':
            return "&quot;";
        default:
            return nullptr;
        }
    });
}

// Text inside a Graphviz double-quoted string.
std::string dotString(std::string_view s) {
    return "\"" +
           escapeWith(s,
                      [](char c) -> const char* {
                          switch (c) {
                          case '"':
                              return "\\\"";
                          case '\\':
                              return "\\\\";
                          default:
                              return nullptr;
                          }
                      }) +
           "\"";
}

// Text inside a Mermaid quoted label: Mermaid's entity codes (`#quot;` becomes `&quot;`).
std::string mermaid(std::string_view s) {
    return escapeWith(s, [](char c) -> const char* {
        switch (c) {
        case '"':
            return "#quot;";
        case '#':
            return "#35;";
        case '&':
            return "#amp;";
        case '<':
            return "#lt;";
        case '>':
            return "#gt;";
        default:
            return nullptr;
        }
    });
}

template <class Escape>
std::string label(const GraphNode& n, Escape escape) {
    std::string out = "<b>" + escape(n.title) + "</b>";
    for (const auto& l : n.lines)
        out += "<br/>" + escape(l);
    return out;
}

const char* fillOf(const GraphNode& n) {
    if (n.isTemplate)
        return "#ffffff";
    switch (n.shape) {
    case GraphNode::Shape::Supervisor:
        return "#dbe9f6";
    case GraphNode::Shape::DynamicSupervisor:
        return "#e6dcf5";
    case GraphNode::Shape::Worker:
        return "#fdf6e3";
    }
    return "#ffffff";
}

std::string nodeId(size_t i) {
    return "n" + std::to_string(i);
}

} // namespace

void writeDot(const GraphModel& model, llvm::raw_ostream& os) {
    os << "// The supervision tree of " << model.name << ", drawn by `supc graph`.\n"
       << "// Boxes: supervisors (3-D: dynamic); ellipses: workers (double: a run of\n"
       << "// identical workers). Borders and edges: solid permanent, dotted transient,\n"
       << "// dashed temporary or template; bold: significant. Children left to right in\n"
       << "// start order.\n"
       << "digraph " << dotString(model.name) << " {\n"
       << "    graph [ordering=out, rankdir=TB, nodesep=0.25, ranksep=0.5];\n"
       << "    node [fontname=\"Helvetica\", fontsize=10, margin=\"0.12,0.05\"];\n"
       << "    edge [arrowsize=0.6, color=\"#555555\", fontname=\"Helvetica\", fontsize=8];\n";
    for (size_t i = 0; i < model.nodes.size(); ++i) {
        const GraphNode& n = model.nodes[i];
        if (n.isElision) {
            os << "    " << nodeId(i) << " [shape=note, style=\"dashed\", color=\"#777777\", "
               << "fontcolor=\"#555555\", label=<" << label(n, html) << ">];\n";
            os << "    " << nodeId(size_t(n.parent)) << " -> " << nodeId(i)
               << " [color=\"#999999\", arrowhead=none];\n";
            continue;
        }
        const char* shape = n.shape == GraphNode::Shape::Supervisor          ? "box"
                            : n.shape == GraphNode::Shape::DynamicSupervisor ? "box3d"
                                                                             : "ellipse";
        std::string style = "filled";
        if (n.border == GraphNode::Border::Dashed)
            style += ",dashed";
        if (n.border == GraphNode::Border::Dotted)
            style += ",dotted";
        if (n.significant)
            style += ",bold";
        os << "    " << nodeId(i) << " [shape=" << shape << ", style=\"" << style
           << "\", fillcolor=\"" << fillOf(n) << "\"";
        if (n.significant)
            os << ", penwidth=2";
        if (n.count > 1)
            os << ", peripheries=2";
        if (n.isTemplate)
            os << ", fontcolor=\"#555555\"";
        os << ", label=<" << label(n, html) << ">];\n";
        if (n.parent < 0)
            continue;
        os << "    " << nodeId(size_t(n.parent)) << " -> " << nodeId(i);
        if (n.isTemplate)
            os << " [style=dashed, label=\"start_child\"]";
        else if (n.border == GraphNode::Border::Dashed)
            os << " [style=dashed]";
        else if (n.border == GraphNode::Border::Dotted)
            os << " [style=dotted]";
        os << ";\n";
    }
    os << "}\n";
    os.flush();
}

void writeMermaid(const GraphModel& model, llvm::raw_ostream& os) {
    os << "%% The supervision tree of " << mermaid(model.name) << ", drawn by `supc graph`.\n"
       << "flowchart TB\n";
    std::vector<std::string> classes[8];
    enum { Supervisor, Dynamic, Worker, Transient, Temporary, Significant, Template, Elided };
    std::vector<size_t> dotted, dashed; // edge indices
    size_t edges = 0;
    for (size_t i = 0; i < model.nodes.size(); ++i) {
        const GraphNode& n = model.nodes[i];
        std::string text = "\"" + label(n, mermaid) + "\"";
        if (n.isElision) {
            os << "    " << nodeId(i) << "[" << text << "]\n";
            os << "    " << nodeId(size_t(n.parent)) << " --- " << nodeId(i) << "\n";
            classes[Elided].push_back(nodeId(i));
            ++edges;
            continue;
        }
        os << "    " << nodeId(i);
        switch (n.shape) {
        case GraphNode::Shape::Supervisor:
            os << "[" << text << "]";
            break;
        case GraphNode::Shape::DynamicSupervisor:
            os << "[[" << text << "]]";
            break;
        case GraphNode::Shape::Worker:
            if (n.count > 1)
                os << "([" << text << "])";
            else
                os << "(" << text << ")";
            break;
        }
        os << "\n";
        classes[n.shape == GraphNode::Shape::Supervisor          ? Supervisor
                : n.shape == GraphNode::Shape::DynamicSupervisor ? Dynamic
                                                                 : Worker]
            .push_back(nodeId(i));
        if (n.isTemplate)
            classes[Template].push_back(nodeId(i));
        else if (n.border == GraphNode::Border::Dotted)
            classes[Transient].push_back(nodeId(i));
        else if (n.border == GraphNode::Border::Dashed)
            classes[Temporary].push_back(nodeId(i));
        if (n.significant)
            classes[Significant].push_back(nodeId(i));
        if (n.parent < 0)
            continue;
        os << "    " << nodeId(size_t(n.parent));
        if (n.isTemplate) {
            os << " -. start_child .-> ";
        } else {
            os << " --> ";
            if (n.border == GraphNode::Border::Dotted)
                dotted.push_back(edges);
            if (n.border == GraphNode::Border::Dashed)
                dashed.push_back(edges);
        }
        os << nodeId(i) << "\n";
        ++edges;
    }
    static const char* const kClassDefs[8] = {
        "supervisor fill:#dbe9f6,stroke:#333333",
        "dynamic fill:#e6dcf5,stroke:#333333",
        "worker fill:#fdf6e3,stroke:#333333",
        "transient stroke-dasharray:2 2",
        "temporary stroke-dasharray:6 3",
        "significant stroke-width:3px",
        "template fill:#ffffff,stroke-dasharray:6 3,color:#555555",
        "elided fill:#ffffff,stroke:#777777,stroke-dasharray:1 3,color:#555555",
    };
    for (int c = 0; c < 8; ++c) {
        if (classes[c].empty())
            continue;
        std::string name(kClassDefs[c], std::string_view(kClassDefs[c]).find(' '));
        os << "    classDef " << kClassDefs[c] << "\n";
        os << "    class ";
        for (size_t k = 0; k < classes[c].size(); ++k)
            os << (k ? "," : "") << classes[c][k];
        os << " " << name << "\n";
    }
    auto linkStyle = [&](const std::vector<size_t>& which, const char* style) {
        if (which.empty())
            return;
        os << "    linkStyle ";
        for (size_t k = 0; k < which.size(); ++k)
            os << (k ? "," : "") << which[k];
        os << " " << style << "\n";
    };
    linkStyle(dotted, "stroke-dasharray:2 2");
    linkStyle(dashed, "stroke-dasharray:6 3");
    os.flush();
}

} // namespace supc
