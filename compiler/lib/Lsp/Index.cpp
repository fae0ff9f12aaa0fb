// The index of an analysis: every declaration, parameter, loop variable, child id and
// import of the checked program, and every use of each, with the range of its name.
#include "supc/lsp/Analysis.h"

#include <cctype>

namespace supc::lsp {

using namespace supc::ir;

std::string Symbol::key() const {
    std::string m = module ? module->canonicalPath : std::string();
    switch (kind) {
    case Kind::Decl:
        return "D|" + m + "|" + decl->name;
    case Kind::Param:
        return "P|" + m + "|" + decl->name + "|" + param->name;
    case Kind::LoopVar:
        return "L|" + m + "|" + decl->name + "|" + loop->var + "|" +
               std::to_string(loop->varRange.begin.getPointer() - decl->range.begin.getPointer());
    case Kind::Child:
        return "C|" + m + "|" + decl->name + "|" + std::string(child->id.range.text());
    case Kind::Module:
        return "M|" + m;
    }
    return {};
}

SourceRange Symbol::definition() const {
    switch (kind) {
    case Kind::Decl:
        return decl->nameRange;
    case Kind::Param:
        return param->nameRange;
    case Kind::LoopVar:
        return loop->varRange;
    case Kind::Child:
        return child->id.range;
    case Kind::Module:
        return {};
    }
    return {};
}

std::string_view Symbol::name() const {
    switch (kind) {
    case Kind::Decl:
        return decl->name;
    case Kind::Param:
        return param->name;
    case Kind::LoopVar:
        return loop->var;
    case Kind::Child:
        return child->id.range.text();
    case Kind::Module:
        return module ? std::string_view(module->name) : std::string_view();
    }
    return {};
}

namespace {

bool isIdentChar(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// The last part of the (qualified) name a range starts with: `Registry` in
// `std.Registry(keys = unique)`.
SourceRange leadingNameTail(SourceRange r) {
    std::string_view t = r.text();
    size_t i = 0, partBegin = 0;
    for (;;) {
        partBegin = i;
        while (i < t.size() && isIdentChar(t[i]))
            ++i;
        if (i < t.size() && t[i] == '.' && i + 1 < t.size() && isIdentChar(t[i + 1])) {
            ++i;
            continue;
        }
        break;
    }
    if (i == partBegin)
        return {};
    const char* b = r.begin.getPointer();
    return SourceRange::fromPointers(b + partBegin, b + i);
}

class Indexer {
public:
    explicit Indexer(std::vector<Occurrence>& out) : out_(out) {}

    void module(const Module& m) {
        for (const auto& imp : m.imports)
            if (imp.module) {
                // The path string of `import "path";`.
                std::string_view t = imp.range.text();
                size_t q = t.find('"'), q2 = q == t.npos ? q : t.find('"', q + 1);
                SourceRange r = imp.range;
                if (q2 != t.npos)
                    r = SourceRange::fromPointers(imp.range.begin.getPointer() + q,
                                                  imp.range.begin.getPointer() + q2 + 1);
                Symbol s;
                s.kind = Symbol::Kind::Module;
                s.module = imp.module;
                add(r, s, false);
            }
        for (const auto& d : m.decls)
            decl(*d);
    }

private:
    void add(SourceRange r, const Symbol& s, bool def) {
        if (r.isValid())
            out_.push_back({r, s, def});
    }
    Symbol declSym(const Decl& d) {
        Symbol s;
        s.kind = Symbol::Kind::Decl;
        s.module = d.module;
        s.decl = &d;
        return s;
    }

    void decl(const Decl& d) {
        cur_ = &d;
        add(d.nameRange, declSym(d), true);
        if (auto* c = llvm::dyn_cast<ConstDecl>(&d)) {
            expr(c->init.get());
            expr(c->envDefault.get());
            return;
        }
        const auto& k = llvm::cast<KindDecl>(d);
        for (const auto& p : k.params) {
            Symbol s;
            s.kind = Symbol::Kind::Param;
            s.module = d.module;
            s.decl = &d;
            s.param = &p;
            add(p.nameRange, s, true);
            expr(p.defaultValue.get());
        }
        settings(k.settings, nullptr);
        if (auto* sup = llvm::dyn_cast<SupervisorDecl>(&d))
            body(sup->body, sup->body);
        if (auto* dyn = llvm::dyn_cast<DynamicSupervisorDecl>(&d))
            expr(dyn->templ.get());
    }

    void settings(const SettingList& list, const std::vector<BodyItemPtr>* siblings) {
        for (const auto& s : list.settings) {
            expr(s.value.get());
            expr(s.period.get());
            expr(s.jitter.get());
            for (const auto& n : s.needs) {
                idTemplate(n);
                if (siblings && n.isPlain())
                    if (const ChildDecl* target = findChild(*siblings, n.plainText())) {
                        Symbol sym;
                        sym.kind = Symbol::Kind::Child;
                        sym.module = cur_->module;
                        sym.decl = cur_;
                        sym.child = target;
                        add(n.range, sym, false);
                    }
            }
        }
    }

    static const ChildDecl* findChild(const std::vector<BodyItemPtr>& items,
                                      const std::string& id) {
        for (const auto& i : items) {
            if (auto* c = llvm::dyn_cast<ChildDecl>(i.get())) {
                if (c->id.isPlain() && c->id.plainText() == id)
                    return c;
            } else if (auto* l = llvm::dyn_cast<Loop>(i.get())) {
                if (const ChildDecl* f = findChild(l->body, id))
                    return f;
            }
        }
        return nullptr;
    }

    void body(const std::vector<BodyItemPtr>& items, const std::vector<BodyItemPtr>& top) {
        for (const auto& i : items) {
            if (auto* c = llvm::dyn_cast<ChildDecl>(i.get())) {
                if (c->id.isPlain()) {
                    Symbol sym;
                    sym.kind = Symbol::Kind::Child;
                    sym.module = cur_->module;
                    sym.decl = cur_;
                    sym.child = c;
                    add(c->id.range, sym, true);
                }
                idTemplate(c->id);
                expr(c->kind.get());
                settings(c->settings, &top);
            } else if (auto* l = llvm::dyn_cast<Loop>(i.get())) {
                Symbol sym;
                sym.kind = Symbol::Kind::LoopVar;
                sym.module = cur_->module;
                sym.decl = cur_;
                sym.loop = l;
                add(l->varRange, sym, true);
                expr(l->from.get());
                expr(l->to.get());
                body(l->body, top);
            }
        }
    }

    void idTemplate(const IdTemplate& id) {
        for (const auto& p : id.parts)
            expr(p.expr.get());
    }

    void expr(const Expr* e) {
        if (!e)
            return;
        switch (e->kind()) {
        case Expr::Kind::ParamRef: {
            auto* p = llvm::cast<ParamRefExpr>(e);
            Symbol s;
            s.kind = Symbol::Kind::Param;
            s.module = cur_->module;
            s.decl = cur_;
            s.param = p->param;
            add(e->range(), s, false);
            break;
        }
        case Expr::Kind::ConstRef: {
            auto* c = llvm::cast<ConstRefExpr>(e);
            if (c->decl)
                add(leadingNameTail(e->range()), declSym(*c->decl), false);
            break;
        }
        case Expr::Kind::LoopVarRef: {
            auto* l = llvm::cast<LoopVarRefExpr>(e);
            Symbol s;
            s.kind = Symbol::Kind::LoopVar;
            s.module = cur_->module;
            s.decl = cur_;
            s.loop = l->loop;
            add(e->range(), s, false);
            break;
        }
        case Expr::Kind::List:
            for (const auto& el : llvm::cast<ListExpr>(e)->elements)
                expr(el.get());
            break;
        case Expr::Kind::Negate:
            expr(llvm::cast<NegateExpr>(e)->operand.get());
            break;
        case Expr::Kind::Binary:
            expr(llvm::cast<BinaryExpr>(e)->lhs.get());
            expr(llvm::cast<BinaryExpr>(e)->rhs.get());
            break;
        case Expr::Kind::KindInstance: {
            auto* k = llvm::cast<KindInstanceExpr>(e);
            if (!k->decl)
                break;
            add(leadingNameTail(e->range()), declSym(*k->decl), false);
            for (const auto& a : k->args) {
                if (a.param) {
                    Symbol s;
                    s.kind = Symbol::Kind::Param;
                    s.module = k->decl->module;
                    s.decl = k->decl;
                    s.param = a.param;
                    add(a.nameRange, s, false);
                }
                expr(a.value.get());
            }
            break;
        }
        default:
            break;
        }
    }

    std::vector<Occurrence>& out_;
    const Decl* cur_ = nullptr;
};

} // namespace

void buildIndex(Analysis& analysis) {
    analysis.occurrences.clear();
    if (!analysis.program)
        return;
    Indexer indexer(analysis.occurrences);
    for (const auto& m : analysis.program->modules)
        indexer.module(*m);
}

} // namespace supc::lsp
