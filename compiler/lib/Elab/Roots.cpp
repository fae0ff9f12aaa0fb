// Roots: which trees a checked program has. The one a one-tree command works on
// (selectRoot), the ones `check`, `compile` and `lint` elaborate (defaultRoots), and
// elaborating all of those at once (elaborateAll).
#include "supc/EditDistance.h"
#include "supc/Elaborator.h"

#include <llvm/Support/Casting.h>
#include <unordered_set>

namespace supc {

using llvm::dyn_cast;
using llvm::dyn_cast_or_null;
using llvm::isa;

namespace {

bool isSupervisorDecl(const ir::KindDecl* d) {
    return isa<ir::SupervisorDecl>(d) || isa<ir::DynamicSupervisorDecl>(d);
}

// Every declaration some supervisor or template uses.
void collectUsed(const ir::Expr* e, std::unordered_set<const ir::Decl*>& used) {
    auto* k = dyn_cast_or_null<ir::KindInstanceExpr>(e);
    if (!k)
        return;
    used.insert(k->decl);
    for (const auto& a : k->args)
        collectUsed(a.value.get(), used);
}
void collectUsed(const std::vector<ir::BodyItemPtr>& body,
                 std::unordered_set<const ir::Decl*>& used) {
    for (const auto& item : body) {
        if (auto* c = dyn_cast<ir::ChildDecl>(item.get()))
            collectUsed(c->kind.get(), used);
        if (auto* l = dyn_cast<ir::Loop>(item.get()))
            collectUsed(l->body, used);
    }
}

bool hasRequiredParams(const ir::KindDecl& d) {
    for (const auto& p : d.params)
        if (p.isRequired())
            return true;
    return false;
}

} // namespace

const ir::KindDecl* selectRoot(const ir::Program& program, const std::string& requested,
                               DiagnosticEngine& diag) {
    const ir::Module& entry = *program.entry;
    std::vector<std::string> candidates;
    for (const auto& d : entry.decls)
        if (auto* k = dyn_cast<ir::KindDecl>(d.get());
            k && isSupervisorDecl(k) && !hasRequiredParams(*k))
            candidates.push_back(k->name);
    auto listCandidates = [&] {
        std::string out;
        for (size_t i = 0; i < candidates.size(); ++i)
            out += (i ? ", " : "") + candidates[i];
        return out;
    };
    if (!requested.empty()) {
        const ir::Decl* d = entry.find(requested);
        if (!d) {
            auto b = diag.error(ErrorCode::E033, {}, "'{}' declares no supervisor named '{}'",
                                entry.path, requested);
            b.file(entry.path);
            if (auto guess = closestMatch(requested, candidates))
                b.note(fmt::format("did you mean '{}'?", *guess));
            else if (!candidates.empty())
                b.note("--root takes one of: " + listCandidates());
            return nullptr;
        }
        const auto* k = dyn_cast<ir::KindDecl>(d);
        if (!k || !isSupervisorDecl(k)) {
            diag.error(ErrorCode::E033, d->nameRange,
                       "'{}' is a {}; --root takes a supervisor, dynamic supervisor or application",
                       d->name, d->kindName());
            return nullptr;
        }
        if (hasRequiredParams(*k)) {
            std::string names;
            for (const auto& p : k->params)
                if (p.isRequired())
                    names += (names.empty() ? "'" : ", '") + p.name + "'";
            diag.error(ErrorCode::E033, k->nameRange,
                       "'{}' cannot be a root: its parameters {} have no defaults", k->name, names);
            return nullptr;
        }
        return k;
    }
    std::vector<const ir::SupervisorDecl*> apps;
    for (const auto* s : entry.declsOf<ir::SupervisorDecl>())
        if (s->isApplication())
            apps.push_back(s);
    if (apps.size() == 1)
        return apps[0];
    if (apps.empty()) {
        auto b = diag.error(ErrorCode::E033, {}, "'{}' has no application to use as the root",
                            entry.path);
        b.file(entry.path);
        if (!candidates.empty())
            b.note("pass --root NAME with one of: " + listCandidates());
        return nullptr;
    }
    std::string names;
    for (const auto* a : apps)
        names += (names.empty() ? "" : ", ") + a->name;
    diag.error(ErrorCode::E033, {}, "'{}' has several applications: {}", entry.path, names)
        .file(entry.path)
        .note("choose one with --root NAME");
    return nullptr;
}

std::vector<const ir::KindDecl*> defaultRoots(const ir::Program& program) {
    std::vector<const ir::KindDecl*> roots;
    for (const auto* s : program.entry->declsOf<ir::SupervisorDecl>())
        if (s->isApplication())
            roots.push_back(s);
    if (!roots.empty())
        return roots;
    std::unordered_set<const ir::Decl*> used;
    for (const auto& m : program.modules)
        for (const auto& d : m->decls) {
            if (auto* s = dyn_cast<ir::SupervisorDecl>(d.get()))
                collectUsed(s->body, used);
            if (auto* dyn = dyn_cast<ir::DynamicSupervisorDecl>(d.get()))
                collectUsed(dyn->templ.get(), used);
        }
    // A supervisor dropped after a syntax error may have used any of the others, with any
    // arguments: only those without parameters elaborate the same as a root as anywhere.
    bool usesUnknown = program.entry->namesIncomplete;
    for (const auto& d : program.entry->decls)
        if (auto* k = dyn_cast<ir::KindDecl>(d.get()); k && d->dropped)
            usesUnknown |= isSupervisorDecl(k);
    for (const auto& d : program.entry->decls)
        if (auto* k = dyn_cast<ir::KindDecl>(d.get()))
            if (isSupervisorDecl(k) && !used.count(k) && !hasRequiredParams(*k) &&
                (!usesUnknown || k->params.empty()))
                roots.push_back(k);
    return roots;
}

ProgramTrees elaborateAll(const ir::Program& program, DiagnosticEngine& diag,
                          const Environment& env) {
    ProgramTrees out;
    std::vector<const ir::KindDecl*> tainted;
    for (const ir::KindDecl* root : defaultRoots(program)) {
        if (diag.limitReached()) {
            out.complete = false;
            break;
        }
        if (root->tainted) {
            // Its errors are reported; what it would add could be their echo.
            out.complete = false;
            tainted.push_back(root);
            continue;
        }
        if (auto tree = elaborate(program, *root, diag, env))
            out.trees.push_back(std::move(tree));
        else
            out.complete = false;
    }
    if (!tainted.empty() && !diag.limitReached())
        elaborateTrusted(program, tainted, diag, env);
    return out;
}

} // namespace supc
