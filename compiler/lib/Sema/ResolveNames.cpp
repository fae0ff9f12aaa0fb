// Names: what a name means in a scope (loop variables, then parameters, then the file's
// declarations, then its imports'), and "unknown name" with the closest known one.
#include "Sema/Resolver.h"

#include <algorithm>

namespace supc::sema {

using llvm::isa;

Symbol Resolver::lookup(const ast::QualifiedName& name, const Scope& s) {
    Symbol sym = findSymbol(name, s);
    noteUse(sym.decl);
    return sym;
}

Symbol Resolver::findSymbol(const ast::QualifiedName& name, const Scope& s) const {
    Symbol sym;
    if (name.parts.empty())
        return sym;
    if (name.parts.size() == 1) {
        const std::string& n = name.parts[0];
        for (auto it = s.loops.rbegin(); it != s.loops.rend(); ++it)
            if ((*it)->var == n) {
                sym.kind = Symbol::Kind::LoopVar;
                sym.loop = *it;
                return sym;
            }
        if (s.params)
            for (const auto& p : *s.params)
                if (p.name == n) {
                    sym.kind = Symbol::Kind::Param;
                    sym.param = &p;
                    sym.laterParam = p.index >= s.visibleParams;
                    return sym;
                }
        if (const ir::Decl* d = s.module->find(n)) {
            sym.kind =
                d->kind() == ir::Decl::Kind::Const ? Symbol::Kind::Const : Symbol::Kind::Decl;
            sym.decl = d;
            return sym;
        }
        for (const auto& imp : s.module->imports)
            if (const ir::Decl* d = imp.module->find(n))
                if (std::find(sym.candidates.begin(), sym.candidates.end(), d) ==
                    sym.candidates.end())
                    sym.candidates.push_back(d);
        if (sym.candidates.size() == 1) {
            sym.decl = sym.candidates[0];
            sym.kind = sym.decl->kind() == ir::Decl::Kind::Const ? Symbol::Kind::Const
                                                                 : Symbol::Kind::Decl;
            return sym;
        }
        if (sym.candidates.size() > 1) {
            sym.kind = Symbol::Kind::Ambiguous;
            return sym;
        }
        for (const auto& imp : s.module->imports)
            if (imp.name == n) {
                sym.kind = Symbol::Kind::Module;
                sym.module = imp.module;
                return sym;
            }
        return sym;
    }
    // a.B: an import's declaration.
    const ir::Module* module = nullptr;
    for (const auto& imp : s.module->imports)
        if (imp.name == name.parts[0])
            module = imp.module;
    if (!module) {
        sym.unknownModule = true;
        return sym;
    }
    if (name.parts.size() != 2)
        return sym;
    if (const ir::Decl* d = module->find(name.parts[1])) {
        sym.kind = d->kind() == ir::Decl::Kind::Const ? Symbol::Kind::Const : Symbol::Kind::Decl;
        sym.decl = d;
    }
    return sym;
}

const Resolver::ModuleNames& Resolver::namesOf(const ir::Module& m) {
    auto [it, inserted] = names_.try_emplace(&m);
    ModuleNames& n = it->second;
    if (!inserted)
        return n;
    // In the order the suggestions prefer: the file's own names, then its imports'.
    for (const auto& d : m.decls) {
        if (isa<ir::ConstDecl>(d.get()))
            n.values.add(d->name);
        if (isa<ir::KindDecl>(d.get()))
            n.kinds.add(d->name);
    }
    for (const auto& imp : m.imports)
        for (const auto& d : imp.module->decls) {
            if (isa<ir::ConstDecl>(d.get())) {
                n.values.add(d->name);
                n.values.add(imp.name + "." + d->name);
            }
            if (isa<ir::KindDecl>(d.get())) {
                n.kinds.add(imp.name + "." + d->name);
                n.kinds.add(d->name);
            }
        }
    return n;
}

std::optional<std::string> Resolver::suggestValue(std::string_view typo, const Scope& s) {
    NameIndex local; // the scope's own names come first
    for (const auto* l : s.loops)
        local.add(l->var);
    if (s.params)
        for (size_t i = 0; i < s.visibleParams && i < s.params->size(); ++i)
            local.add((*s.params)[i].name);
    return NameIndex::closest(typo, {&local, &namesOf(*s.module).values});
}

std::optional<std::string> Resolver::suggestKind(std::string_view typo, const Scope& s,
                                                 bool withFunctions) {
    NameIndex params; // `kind` parameters come after the declarations
    if (s.params)
        for (const auto& p : *s.params)
            if (p.type->kind() == TypeKind::Kind)
                params.add(p.name);
    static const NameIndex functions = [] {
        NameIndex f;
        for (const char* name : {"env", "schedulers", "exponential"})
            f.add(name);
        return f;
    }();
    static const NameIndex none;
    return NameIndex::closest(
        typo, {&namesOf(*s.module).kinds, &params, withFunctions ? &functions : &none});
}

void Resolver::reportUnknownValue(const ast::QualifiedName& name, const Symbol& sym, const Scope& s,
                                  std::string_view what) {
    if (diag_.limitReached())
        return; // nothing more is shown: spare the suggestions
    // A name some dropped declaration or failed import may have declared: its error is
    // already reported (Failure.cpp: the user is tainted, as if it used a failed name).
    if (sym.kind != Symbol::Kind::Ambiguous && s.module->namesIncomplete) {
        noteUnknownUse();
        return;
    }
    if (sym.unknownModule) {
        std::vector<std::string> modules;
        for (const auto& imp : s.module->imports)
            modules.push_back(imp.name);
        auto b = diag_.error(ErrorCode::E011, name.partRanges[0], "unknown module '{}' in '{}'",
                             name.parts[0], name.str());
        if (auto guess = closestMatch(name.parts[0], modules)) {
            b.note(fmt::format("did you mean '{}'?", *guess));
            b.fixIt(name.partRanges[0], *guess);
        } else if (name.parts[0] == "std") {
            b.note("the standard library needs 'import \"std\";' at the top of the file");
        } else {
            b.note(fmt::format("'{}.' names an imported file; add 'import \"{}.sup\";'",
                               name.parts[0], name.parts[0]));
        }
        return;
    }
    if (sym.kind == Symbol::Kind::Ambiguous) {
        auto b = diag_.error(ErrorCode::E041, name.range,
                             "'{}' is ambiguous: more than one import declares it", name.str());
        for (const auto* d : sym.candidates)
            b.note(fmt::format("'{}' declares it; write '{}' to use this one", d->module->path,
                               d->qualifiedName),
                   d->nameRange);
        return;
    }
    auto b = diag_.error(ErrorCode::E011, name.range, "unknown {} '{}'", what, name.str());
    std::optional<std::string> guess;
    if (diag_.allowSuggestion())
        guess = what == "kind" ? suggestKind(name.str(), s) : suggestValue(name.str(), s);
    if (guess) {
        b.note(fmt::format("did you mean '{}'?", *guess));
        b.fixIt(name.range, *guess);
        return;
    }
    // A stdlib kind used without its import or its prefix.
    static const char* const kStdKinds[] = {"Registry", "TaskSupervisor", "PartitionSupervisor",
                                            "Pool"};
    for (const char* k : kStdKinds)
        if (name.isSimple() && name.parts[0] == k) {
            bool imported = false;
            for (const auto& imp : s.module->imports)
                imported |= imp.name == "std";
            b.note(imported ? fmt::format("did you mean 'std.{}'?", k)
                            : fmt::format("'{}' is in the standard library: add 'import \"std\";' "
                                          "and write 'std.{}'",
                                          k, k));
        }
}

} // namespace supc::sema
