// L012 unused-declaration: worker kinds, supervisors, consts and imports nothing refers to.
#include "supc/lint/Rule.h"

#include <fmt/format.h>
#include <unordered_set>

namespace supc::lint {

namespace {

constexpr RuleInfo kInfo = {
    "L012",
    "unused-declaration",
    Severity::Warning,
    "a worker kind, supervisor, const or import nothing refers to",
    R"(A declaration that nothing refers to is dead configuration: it is checked, it is read
by everyone who opens the file, and it suggests a part of the system that does not run.
Remove it, or use it. An import none of whose declarations is used is reported too (with a
fix-it that removes it).

Only files that declare an application are examined: a file without one is a library
whose declarations are meant for the files that import it. A declaration counts as used
when any other declaration refers to it, even one that is itself unused; so removing an
unused supervisor may reveal the worker kinds only it used, on the next run.)",
    R"(worker Repo = "app::Repo" from "app/repo.hpp";
worker Legacy = "app::Legacy" from "app/legacy.hpp";
const retries = 3;
application App {
    child repo = Repo;
}
)",
    R"(worker Repo = "app::Repo" from "app/repo.hpp";
application App {
    child repo = Repo;
}
)",
    "removes an unused import",
    {},
};

using Refs = std::unordered_set<const ir::Decl*>;

void collect(const ir::Expr* e, Refs& refs);

void collect(const Value& v, Refs& refs) {
    if (v.isError() || v.isNone())
        return;
    if (v.type()->kind() == TypeKind::Kind) {
        const KindValue& k = v.asKind();
        refs.insert(k.decl);
        for (const auto& a : k.args)
            if (a)
                collect(*a, refs);
    } else if (v.type()->kind() == TypeKind::List) {
        for (const auto& element : v.asList())
            collect(element, refs);
    }
}

void collect(const ir::Expr* e, Refs& refs) {
    if (!e)
        return;
    using K = ir::Expr::Kind;
    switch (e->kind()) {
    case K::Literal:
        collect(llvm::cast<ir::LiteralExpr>(e)->value, refs);
        break;
    case K::ConstRef:
        refs.insert(llvm::cast<ir::ConstRefExpr>(e)->decl);
        break;
    case K::List:
        for (const auto& x : llvm::cast<ir::ListExpr>(e)->elements)
            collect(x.get(), refs);
        break;
    case K::Negate:
        collect(llvm::cast<ir::NegateExpr>(e)->operand.get(), refs);
        break;
    case K::Binary:
        collect(llvm::cast<ir::BinaryExpr>(e)->lhs.get(), refs);
        collect(llvm::cast<ir::BinaryExpr>(e)->rhs.get(), refs);
        break;
    case K::KindInstance: {
        auto* k = llvm::cast<ir::KindInstanceExpr>(e);
        refs.insert(k->decl);
        for (const auto& a : k->args)
            collect(a.value.get(), refs);
        break;
    }
    default:
        break;
    }
}

void collect(const ir::IdTemplate& t, Refs& refs) {
    for (const auto& part : t.parts)
        collect(part.expr.get(), refs);
}

void collect(const ir::SettingList& list, Refs& refs) {
    for (const auto& s : list.settings) {
        collect(s.value.get(), refs);
        collect(s.period.get(), refs);
        collect(s.jitter.get(), refs);
        for (const auto& n : s.needs)
            collect(n, refs);
    }
}

void collect(const std::vector<ir::BodyItemPtr>& body, Refs& refs) {
    for (const auto& item : body) {
        if (auto* c = llvm::dyn_cast<ir::ChildDecl>(item.get())) {
            collect(c->id, refs);
            collect(c->kind.get(), refs);
            collect(c->settings, refs);
        } else if (auto* l = llvm::dyn_cast<ir::Loop>(item.get())) {
            collect(l->from.get(), refs);
            collect(l->to.get(), refs);
            collect(l->body, refs);
        }
    }
}

void collect(const ir::Decl& d, Refs& refs) {
    if (auto* c = llvm::dyn_cast<ir::ConstDecl>(&d)) {
        collect(c->init.get(), refs);
        collect(c->envDefault.get(), refs);
        return;
    }
    auto* k = llvm::cast<ir::KindDecl>(&d);
    for (const auto& p : k->params)
        collect(p.defaultValue.get(), refs);
    collect(k->settings, refs);
    if (auto* s = llvm::dyn_cast<ir::SupervisorDecl>(k))
        collect(s->body, refs);
    if (auto* dyn = llvm::dyn_cast<ir::DynamicSupervisorDecl>(k))
        collect(dyn->templ.get(), refs);
}

class UnusedDeclaration final : public Rule {
public:
    const RuleInfo& info() const override { return kInfo; }
    void checkProgram(const ir::Program& program, LintContext& ctx) const override {
        Refs all;
        for (const auto& m : program.modules) {
            bool hasApplication = false;
            for (const auto* s : m->declsOf<ir::SupervisorDecl>())
                hasApplication |= s->isApplication();
            Refs here;
            for (const auto& d : m->decls)
                collect(*d, here);
            all.insert(here.begin(), here.end());
            if (!hasApplication)
                continue;
            for (const ir::Import& imp : m->imports) {
                bool used = false;
                for (const ir::Decl* d : here)
                    used |= d->module == imp.module;
                if (!used)
                    ctx.report(imp.range, fmt::format("import of '{}' is never used: none of its "
                                                      "declarations is referred to",
                                                      imp.path))
                        .fixIt(imp.range, "");
            }
        }
        for (const auto& m : program.modules) {
            bool hasApplication = false;
            for (const auto* s : m->declsOf<ir::SupervisorDecl>())
                hasApplication |= s->isApplication();
            if (!hasApplication)
                continue;
            for (const auto& d : m->decls) {
                if (auto* s = llvm::dyn_cast<ir::SupervisorDecl>(d.get()); s && s->isApplication())
                    continue;
                if (all.count(d.get()))
                    continue;
                ctx.report(d->nameRange,
                           fmt::format("{} '{}' is never used", d->kindName(), d->name))
                    .note("nothing in the spec refers to it: remove it, or use it");
            }
        }
    }
};

} // namespace

std::unique_ptr<Rule> makeUnusedDeclarationRule() {
    return std::make_unique<UnusedDeclaration>();
}

} // namespace supc::lint
