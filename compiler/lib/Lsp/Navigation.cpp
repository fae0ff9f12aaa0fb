// textDocument/definition and textDocument/documentSymbol.
#include "Protocol.h"

#include <algorithm>

namespace supc::lsp {

namespace json = llvm::json;

json::Value definition(const Analysis& a, Locator& loc, Position pos) {
    const Occurrence* o = a.occurrenceAt(loc.entryOffset(pos));
    if (!o)
        return nullptr;
    const Symbol& s = o->symbol;
    if (s.kind == Symbol::Kind::Module) {
        if (!s.module)
            return nullptr;
        // The start of the imported file.
        const llvm::MemoryBuffer* b = a.sm.getMemoryBuffer(s.module->bufferId);
        const char* start = b->getBufferStart();
        if (auto l = loc.location(SourceRange::fromPointers(start, start)))
            return std::move(*l);
        return nullptr;
    }
    if (auto l = loc.location(s.definition()))
        return std::move(*l);
    return nullptr;
}

namespace {

// LSP's SymbolKind numbers.
enum SymbolKind {
    Module = 2,
    Class = 5,
    Field = 8,
    Constructor = 9,
    Variable = 13,
    Constant = 14,
    Struct = 23,
    TypeParameter = 26,
    Object = 19,
    Key = 20
};

json::Object symbol(Locator& loc, std::string name, std::string detail, int kind, SourceRange range,
                    SourceRange selection) {
    auto r = loc.range(range);
    auto sel = loc.range(selection.isValid() ? selection : range);
    if (!r || !sel)
        return {};
    // selectionRange must be inside range.
    json::Object o{{"name", name.empty() ? std::string("?") : std::move(name)},
                   {"kind", kind},
                   {"range", toJson(*r)},
                   {"selectionRange", toJson(*sel)}};
    if (!detail.empty())
        o["detail"] = std::move(detail);
    return o;
}

void bodySymbols(Locator& loc, const std::vector<ir::BodyItemPtr>& items, json::Array& out) {
    for (const auto& i : items) {
        if (auto* c = llvm::dyn_cast<ir::ChildDecl>(i.get())) {
            json::Object o = symbol(loc, std::string(c->id.range.text()),
                                    std::string(c->kindRange.text()), Field, c->range, c->id.range);
            if (!o.empty())
                out.push_back(std::move(o));
        } else if (auto* l = llvm::dyn_cast<ir::Loop>(i.get())) {
            json::Object o = symbol(loc, "for " + l->var, std::string(l->boundsRange.text()), Key,
                                    l->range, l->varRange);
            if (o.empty())
                continue;
            json::Array kids;
            bodySymbols(loc, l->body, kids);
            o["children"] = std::move(kids);
            out.push_back(std::move(o));
        }
    }
}

} // namespace

json::Value documentSymbols(const Analysis& a, Locator& loc) {
    json::Array out;
    const ir::Module* m = a.entryModule();
    if (!m)
        return out;
    // In source order (the declarations a syntax error dropped come last in the module).
    std::vector<const ir::Decl*> decls;
    for (const auto& d : m->decls)
        decls.push_back(d.get());
    std::stable_sort(decls.begin(), decls.end(), [](const ir::Decl* a, const ir::Decl* b) {
        return a->range.begin.getPointer() < b->range.begin.getPointer();
    });
    for (const ir::Decl* d : decls) {
        int kind = d->kind() == ir::Decl::Kind::Const    ? Constant
                   : d->kind() == ir::Decl::Kind::Worker ? Class
                                                         : Module;
        json::Object o =
            symbol(loc, d->name, std::string(d->kindName()), kind, d->range, d->nameRange);
        if (o.empty())
            continue;
        json::Array kids;
        if (auto* k = llvm::dyn_cast<ir::KindDecl>(d)) {
            for (const auto& p : k->params) {
                json::Object po =
                    symbol(loc, p.name, p.type->str(), TypeParameter, p.range, p.nameRange);
                if (!po.empty())
                    kids.push_back(std::move(po));
            }
        }
        if (auto* sup = llvm::dyn_cast<ir::SupervisorDecl>(d))
            bodySymbols(loc, sup->body, kids);
        if (!kids.empty())
            o["children"] = std::move(kids);
        out.push_back(std::move(o));
    }
    return out;
}

} // namespace supc::lsp
