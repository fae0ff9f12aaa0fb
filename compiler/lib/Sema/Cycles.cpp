// Cycles: a supervisor that contains itself, directly or through others (through a
// child's kind, a dynamic supervisor's template, or a kind passed as an argument), would
// be an infinite tree. Reported once per cycle, with the chain of children.
#include "Sema/Resolver.h"

#include <unordered_map>

namespace supc::sema {

using llvm::dyn_cast;
using llvm::dyn_cast_or_null;

namespace {

struct EdgeInfo {
    const ir::KindDecl* to;
    SourceRange range;
    std::string childId;
};

void collectKinds(const ir::Expr* e,
                  std::vector<std::pair<const ir::KindDecl*, SourceRange>>& out) {
    auto* k = dyn_cast_or_null<ir::KindInstanceExpr>(e);
    if (!k)
        return;
    out.emplace_back(k->decl, k->range());
    for (const auto& a : k->args)
        collectKinds(a.value.get(), out);
}

void collectEdges(const std::vector<ir::BodyItemPtr>& body, std::vector<EdgeInfo>& out) {
    for (const auto& item : body) {
        if (auto* c = dyn_cast<ir::ChildDecl>(item.get())) {
            std::vector<std::pair<const ir::KindDecl*, SourceRange>> kinds;
            collectKinds(c->kind.get(), kinds);
            std::string id = c->id.isPlain() ? c->id.plainText() : std::string(c->id.range.text());
            for (auto& [k, r] : kinds)
                out.push_back({k, r, id});
        } else if (auto* l = dyn_cast<ir::Loop>(item.get())) {
            collectEdges(l->body, out);
        }
    }
}

} // namespace

void findSupervisionCycles(ir::Program& program, DiagnosticEngine& diag) {
    std::unordered_map<const ir::KindDecl*, std::vector<EdgeInfo>> edges;
    std::vector<const ir::KindDecl*> nodes;
    for (const auto& m : program.modules)
        for (const auto& d : m->decls) {
            if (auto* s = dyn_cast<ir::SupervisorDecl>(d.get())) {
                nodes.push_back(s);
                collectEdges(s->body, edges[s]);
            } else if (auto* dyn = dyn_cast<ir::DynamicSupervisorDecl>(d.get())) {
                nodes.push_back(dyn);
                std::vector<std::pair<const ir::KindDecl*, SourceRange>> kinds;
                collectKinds(dyn->templ.get(), kinds);
                for (auto& [k, r] : kinds)
                    edges[dyn].push_back({k, r, "template"});
            }
        }
    // Iterative depth-first search: white (absent), grey (on the stack), black (done).
    enum Color { Grey = 1, Black = 2 };
    std::unordered_map<const ir::KindDecl*, int> color;
    struct Frame {
        const ir::KindDecl* decl;
        size_t next;
        const EdgeInfo* via;
    };
    for (const ir::KindDecl* root : nodes) {
        if (color[root])
            continue;
        std::vector<Frame> stack{{root, 0, nullptr}};
        color[root] = Grey;
        while (!stack.empty()) {
            Frame& top = stack.back();
            const auto& out = edges[top.decl];
            if (top.next == out.size()) {
                color[top.decl] = Black;
                stack.pop_back();
                continue;
            }
            const EdgeInfo& e = out[top.next++];
            if (!isSupervisorLike(e.to))
                continue;
            int c = color[e.to];
            if (c == 0) {
                color[e.to] = Grey;
                stack.push_back({e.to, 0, &e});
            } else if (c == Grey) {
                size_t pos = 0;
                while (stack[pos].decl != e.to)
                    ++pos;
                std::string chain;
                for (size_t k = pos; k < stack.size(); ++k) {
                    chain += "'" + stack[k].decl->name + "' -> ";
                    // An infinite tree: never to be elaborated.
                    const_cast<ir::KindDecl*>(stack[k].decl)->failed = true;
                }
                chain += "'" + e.to->name + "'";
                auto b = diag.error(ErrorCode::E021, e.range, "{} '{}' contains itself: {}",
                                    e.to->kindName(), e.to->name, chain);
                for (size_t k = pos + 1; k < stack.size(); ++k)
                    b.note(fmt::format("'{}' has child '{}' of kind '{}'", stack[k - 1].decl->name,
                                       stack[k].via->childId, stack[k].decl->name),
                           stack[k].via->range);
            }
        }
    }
}

} // namespace supc::sema
