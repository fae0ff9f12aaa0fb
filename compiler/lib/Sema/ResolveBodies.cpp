// Bodies: the children and loops of supervisors and applications, and the ids they
// create (plain, or interpolating loop variables, parameters and consts).
#include "Sema/Resolver.h"
#include "supc/SettingsCheck.h"

namespace supc::sema {

using llvm::cast;
using llvm::dyn_cast;

void Resolver::resolveBody(const std::vector<ast::BodyItemPtr>& items,
                           std::vector<ir::BodyItemPtr>& out, Scope& s, ir::SupervisorDecl& owner,
                           bool inLoop) {
    Place place{InSupervisor, &owner, nullptr, nullptr};
    out.reserve(items.size());
    for (const auto& item : items) {
        switch (item->kind()) {
        case ast::BodyItem::Kind::Setting: {
            const auto& st = cast<ast::SettingItem>(*item).setting;
            if (inLoop) {
                diag_
                    .error(ErrorCode::E014, st.nameRange,
                           "settings cannot appear inside a 'for' loop")
                    .note(fmt::format("'{}' is a setting of '{}': move it to its body, outside "
                                      "the loop",
                                      st.name, owner.name));
                continue;
            }
            resolveSetting(st, place, s, owner.settings);
            break;
        }
        case ast::BodyItem::Kind::Child:
            out.push_back(resolveChild(cast<ast::ChildDecl>(*item), s));
            break;
        case ast::BodyItem::Kind::Loop:
            out.push_back(resolveLoop(cast<ast::ForLoop>(*item), s, owner));
            break;
        }
    }
}

std::unique_ptr<ir::ChildDecl> Resolver::resolveChild(const ast::ChildDecl& a, Scope& s) {
    auto c = std::make_unique<ir::ChildDecl>();
    unsigned before = failures();
    c->range = a.range();
    c->keywordRange = a.keywordRange;
    c->kindRange = a.kind.range;
    c->id = resolveIdTemplate(a.id, s, "child id");
    c->kind = resolveKindUse(a.kind, s, /*allowOpen=*/false, "a child");
    const ir::KindDecl* kindDecl = nullptr;
    if (auto* k = dyn_cast<ir::KindInstanceExpr>(c->kind.get()))
        kindDecl = k->decl;
    Place place{InChild, s.owner, kindDecl, nullptr};
    for (const auto& st : a.settings)
        resolveSetting(st, place, s, c->settings);
    reportElixirFlags(c->settings);
    c->failed = failures() != before;
    return c;
}

std::unique_ptr<ir::Loop> Resolver::resolveLoop(const ast::ForLoop& a, Scope& s,
                                                ir::SupervisorDecl& owner) {
    auto l = std::make_unique<ir::Loop>();
    l->var = a.var;
    l->range = a.range();
    l->keywordRange = a.keywordRange;
    l->varRange = a.varRange;
    l->boundsRange = SourceRange::join(a.from->range(), a.to->range());
    if (s.params)
        for (const auto& p : *s.params)
            if (p.name == a.var)
                diag_
                    .error(ErrorCode::E010, a.varRange,
                           "loop variable '{}' has the name of a parameter of '{}'", a.var,
                           owner.name)
                    .note("the parameter is declared here", p.nameRange);
    for (const auto* outer : s.loops)
        if (outer->var == a.var)
            diag_
                .error(ErrorCode::E010, a.varRange,
                       "loop variable '{}' has the name of an enclosing loop's variable", a.var)
                .note("the enclosing loop's variable is here", outer->varRange);
    l->from = resolveExpr(*a.from, Expect{Type::intType(), "the start of a loop", ""}, s);
    l->to = resolveExpr(*a.to, Expect{Type::intType(), "the end of a loop", ""}, s);
    s.loops.push_back(l.get());
    resolveBody(a.body, l->body, s, owner, /*inLoop=*/true);
    s.loops.pop_back();
    return l;
}

ir::IdTemplate Resolver::resolveIdTemplate(const ast::IdTemplate& a, Scope& s,
                                           std::string_view role, bool childId) {
    ir::IdTemplate out;
    out.range = a.range;
    for (const auto& part : a.parts) {
        ir::IdTemplate::Part p;
        p.range = part.range;
        if (!part.isName) {
            p.text = part.text;
            out.parts.push_back(std::move(p));
            continue;
        }
        ast::QualifiedName name;
        name.parts = {part.text};
        name.partRanges = {part.range};
        name.range = part.range;
        Symbol sym = lookup(name, s);
        if (quietUse(sym.decl) || (sym.kind == Symbol::Kind::None && s.module->namesIncomplete)) {
            p.expr = quietError(part.range);
        } else if (sym.kind == Symbol::Kind::LoopVar) {
            p.expr = std::make_unique<ir::LoopVarRefExpr>(sym.loop, part.range);
        } else if (sym.kind == Symbol::Kind::Param && !sym.laterParam) {
            p.expr = std::make_unique<ir::ParamRefExpr>(sym.param, sym.param->type, part.range);
        } else if (sym.kind == Symbol::Kind::Const) {
            auto* c = const_cast<ir::ConstDecl*>(cast<ir::ConstDecl>(sym.decl));
            ensureConst(*c, part.range);
            p.expr =
                std::make_unique<ir::ConstRefExpr>(c, c->type, part.range, c->dependsOnStartup);
        } else {
            auto b = diag_.error(ErrorCode::E011, part.range, "unknown name '{}' in a {}",
                                 part.text, role);
            if (auto guess = diag_.allowSuggestion() ? suggestValue(part.text, s) : std::nullopt) {
                b.note(fmt::format("did you mean '{}'?", *guess));
                b.fixIt(part.range, *guess);
            } else {
                b.note("'{name}' interpolates a loop variable, a parameter or a const");
            }
            p.expr = std::make_unique<ir::ErrorExpr>(part.range);
        }
        TypeKind k = p.expr->type()->kind();
        if (!p.expr->type()->isError() && k != TypeKind::Int && k != TypeKind::String &&
            k != TypeKind::Enum) {
            diag_
                .error(ErrorCode::E038, part.range, "cannot interpolate '{}' in a {}: it is {}",
                       part.text, role, p.expr->type()->describe())
                .note("only ints, strings and enum values can be interpolated");
            p.expr = std::make_unique<ir::ErrorExpr>(part.range);
        }
        out.parts.push_back(std::move(p));
    }
    if (childId && out.isPlain())
        settings::checkChildId(out.plainText(), a.range, role, diag_);
    return out;
}

} // namespace supc::sema
