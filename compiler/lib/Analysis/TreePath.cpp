#include "supc/analysis/TreePath.h"

#include "supc/EditDistance.h"

#include <fmt/format.h>
#include <vector>

namespace supc::analysis {

namespace {

void collectPaths(const Node& n, std::vector<std::string>& out) {
    if (!n.isRoot())
        out.push_back(n.path());
    for (const auto& c : n.children)
        collectPaths(*c, out);
}

// "(did you mean 'services/mailer'?)", or the ids `owner` has.
std::string suggestion(const Tree& tree, std::string_view path, const std::string& here,
                       const Node& owner) {
    std::vector<std::string> all;
    collectPaths(*tree.root, all);
    // A path near the one given, not one the given path already went through.
    std::erase_if(all, [&](const std::string& p) {
        return path.size() > p.size() && path.compare(0, p.size(), p) == 0 && path[p.size()] == '/';
    });
    if (auto m = closestMatch(path, all))
        return fmt::format(" (did you mean '{}'?)", *m);
    if (auto m = closestMatch(here, all))
        return fmt::format(" (did you mean '{}'?)", *m);
    constexpr size_t kShown = 8;
    std::string ids;
    for (size_t i = 0; i < owner.children.size() && i < kShown; ++i)
        ids += (i ? ", " : "") + owner.children[i]->id;
    if (owner.children.size() > kShown)
        ids += fmt::format(", ... ({} in all)", owner.children.size());
    return ids.empty() ? std::string() : " (its children: " + ids + ")";
}

} // namespace

bool isDynamicChildId(std::string_view id) {
    if (id.empty() || id.size() > 18 || id[0] == '0')
        return false;
    for (char c : id)
        if (c < '0' || c > '9')
            return false;
    return true;
}

std::optional<std::string> pathSyntaxProblem(std::string_view path) {
    if (path.empty() ||
        (path.front() != '/' && path.back() != '/' && path.find("//") == std::string_view::npos))
        return std::nullopt;
    return fmt::format("invalid path '{}': a path is child ids joined by '/', without a leading, "
                       "trailing or doubled '/'",
                       path);
}

PathLookup lookupPath(const Tree& tree, std::string_view path) {
    PathLookup out;
    const Node* n = tree.root.get();
    if (path.empty()) {
        out.node = n;
        return out;
    }
    if (auto problem = pathSyntaxProblem(path)) {
        out.problem = std::move(*problem);
        return out;
    }
    std::string sofar;
    size_t start = 0;
    while (true) {
        size_t slash = path.find('/', start);
        std::string_view seg = path.substr(start, slash - start);
        std::string here = sofar.empty() ? std::string(seg) : sofar + "/" + std::string(seg);
        std::string owner = sofar.empty() ? fmt::format("the root '{}'", tree.root->id)
                                          : fmt::format("'{}'", sofar);
        const Node* next = nullptr;
        if (n->kind == NodeKind::DynamicSupervisor) {
            if (!isDynamicChildId(seg) || !n->templ) {
                std::string prefix = sofar.empty() ? "" : sofar + "/";
                out.problem = fmt::format("{} is a dynamic supervisor: its children are numbered "
                                          "in start order ('{}1', '{}2', ...), not '{}'",
                                          owner, prefix, prefix, seg);
                return out;
            }
            next = n->templ.get();
            out.dynamicChild = true;
        } else {
            for (const auto& c : n->children)
                if (c->id == seg) {
                    next = c.get();
                    break;
                }
            out.dynamicChild = false;
        }
        if (!next) {
            if (n->kind == NodeKind::Worker)
                out.problem =
                    fmt::format("no node '{}': {} is a worker, it has no children", path, owner);
            else if (!n->supervisor && n->isTemplate)
                out.problem = fmt::format("no node '{}': {} is started at run time from '{}', "
                                          "whose children depend on its start arguments: supc "
                                          "does not expand them",
                                          path, owner, n->declName());
            else if (!n->supervisor)
                out.problem = fmt::format("no node '{}': {} is a C++ supervisor ('{}'): its "
                                          "children are its own business, supc does not know them",
                                          path, owner, n->declName());
            else
                out.problem = fmt::format("no node '{}': {} has no child '{}'{}", path, owner, seg,
                                          suggestion(tree, path, here, *n));
            return out;
        }
        n = next;
        sofar = std::move(here);
        if (slash == std::string_view::npos)
            break;
        start = slash + 1;
    }
    out.node = n;
    return out;
}

} // namespace supc::analysis
