#include "Sema/Resolver.h"

#include "supc/GeneratedNames.h"

namespace supc::sema {

using llvm::cast;
using llvm::dyn_cast;
using llvm::isa;

std::string inQuotes(std::string_view s) {
    return "'" + std::string(s) + "'";
}

std::string joinPlain(const std::vector<std::string>& names) {
    std::string out;
    for (size_t i = 0; i < names.size(); ++i)
        out += (i ? ", " : "") + names[i];
    return out;
}

std::optional<std::string> dashedWords(const ast::Expr& e) {
    if (auto* n = dyn_cast<ast::NameExpr>(&e))
        return n->name.isSimple() ? std::optional<std::string>(n->name.parts[0]) : std::nullopt;
    auto* b = dyn_cast<ast::BinaryExpr>(&e);
    if (!b || b->op != ast::BinaryOp::Sub)
        return std::nullopt;
    auto l = dashedWords(*b->lhs);
    auto r = dashedWords(*b->rhs);
    if (!l || !r)
        return std::nullopt;
    return *l + "_" + *r;
}

const Type* stripOptional(const Type* t) {
    return t && t->kind() == TypeKind::Optional ? t->element() : t;
}

bool isSupervisorLike(const ir::Decl* d) {
    return d && (isa<ir::SupervisorDecl>(d) || isa<ir::DynamicSupervisorDecl>(d));
}

Resolver::Resolver(DiagnosticEngine& diag, ir::Program& program) : diag_(diag), program_(program) {
    evalCtx_.constant = [](const ir::ConstDecl& c) { return c.value; };
}

// The phases, in an order that lets each rely on the one before: every name is declared
// before anything is looked up; parameter types are known before consts and defaults use
// them; consts are evaluated (on demand, in dependency order) before the declarations
// that use them.
void Resolver::run(std::vector<LoadedFile>& files, const ir::Module* entry) {
    program_.entry = entry;
    for (auto& f : files)
        declare(f);
    for (auto& f : files)
        program_.modules.push_back(std::move(f.module));

    std::vector<std::pair<ir::KindDecl*, const ast::Decl*>> kinds;
    std::vector<ir::ConstDecl*> consts;
    for (auto& m : program_.modules)
        for (auto& d : m->decls) {
            if (d->dropped)
                continue; // nothing to resolve
            if (auto* k = dyn_cast<ir::KindDecl>(d.get()))
                kinds.push_back({k, astOf_[k]});
            if (auto* c = dyn_cast<ir::ConstDecl>(d.get()))
                consts.push_back(c);
        }

    auto paramsOf = [](const ast::Decl* a) -> const std::vector<ast::Param>& {
        static const std::vector<ast::Param> none;
        if (auto* w = dyn_cast<ast::WorkerDecl>(a))
            return w->params;
        if (auto* s = dyn_cast<ast::SupervisorDecl>(a))
            return s->params;
        if (auto* d = dyn_cast<ast::DynamicSupervisorDecl>(a))
            return d->params;
        return none;
    };
    // Once the error limit is reached nothing more is shown: stop (the program is then
    // incomplete, and nothing uses it).
    auto stopped = [&] { return diag_.limitReached(); };
    // Each step of a declaration is resolved as that declaration (Failure.cpp): an error
    // marks it failed, and the declarations it looks up are its uses.
    for (auto& [k, a] : kinds)
        resolving(*k, [&, k = k, a = a] { resolveParamTypes(*k, paramsOf(a)); });
    for (auto* c : consts) {
        if (stopped())
            break;
        ensureConst(*c, {});
    }
    for (auto& [k, a] : kinds) {
        if (stopped())
            break;
        resolving(*k, [&, k = k, a = a] { resolveParamDefaults(*k, paramsOf(a)); });
    }
    for (auto& [k, a] : kinds) {
        if (stopped())
            break;
        if (auto* w = dyn_cast<ir::WorkerDecl>(k))
            resolving(*w, [&, a = a] { resolveWorker(*w, *cast<ast::WorkerDecl>(a)); });
    }
    for (auto& [k, a] : kinds) {
        if (stopped())
            break;
        if (auto* s = dyn_cast<ir::SupervisorDecl>(k))
            resolving(*s, [&, a = a] { resolveSupervisor(*s, *cast<ast::SupervisorDecl>(a)); });
        else if (auto* d = dyn_cast<ir::DynamicSupervisorDecl>(k))
            resolving(*d, [&, a = a] { resolveDynamic(*d, *cast<ast::DynamicSupervisorDecl>(a)); });
    }
    if (!stopped()) {
        findSupervisionCycles(program_, diag_);
        cpp::checkGeneratedNames(program_, diag_);
    }
    // (Once the limit is reached nothing is elaborated; the marks are still consistent.)
    propagateFailures();
}

void resolveProgram(std::vector<LoadedFile>& files, const ir::Module* entry, ir::Program& program,
                    DiagnosticEngine& diag) {
    Resolver(diag, program).run(files, entry);
}

} // namespace supc::sema
