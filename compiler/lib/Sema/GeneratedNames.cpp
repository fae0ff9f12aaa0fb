#include "supc/GeneratedNames.h"

#include "supc/CppSyntax.h"

#include <fmt/format.h>
#include <map>

namespace supc::cpp {

using llvm::dyn_cast;

std::string namespaceOf(const ir::Module& module) {
    std::string out;
    for (const auto& part : module.package) {
        if (!out.empty())
            out += "::";
        out += spell(part);
    }
    return out;
}

bool hasGeneratedCode(const ir::Module& module) {
    for (const auto& d : module.decls) {
        if (llvm::isa<ir::WorkerDecl>(d.get()))
            continue;
        if (auto* c = dyn_cast<ir::ConstDecl>(d.get()); c && !c->dependsOnStartup)
            continue;
        return true;
    }
    return false;
}

std::string constName(const ir::ConstDecl& c) {
    return spell(c.name);
}
std::string specFunctionName(const ir::KindDecl& k) {
    return spell(k.name + "_spec");
}
std::string factoryName(const ir::WorkerDecl& w) {
    return spell(w.name + "_child");
}
std::string startChildName(const ir::DynamicSupervisorDecl& d) {
    return spell(d.name + "_start_child");
}
std::string startFunctionName(const ir::SupervisorDecl& app) {
    return spell("start_" + app.name);
}
std::string treeHandleName(const ir::SupervisorDecl& app) {
    return spell(app.name + "Tree");
}

std::vector<GeneratedName> generatedNames(const ir::Decl& d) {
    std::string quoted = fmt::format("{} '{}'", d.kindName(), d.name);
    if (auto* c = dyn_cast<ir::ConstDecl>(&d))
        return {{constName(*c), quoted}};
    if (auto* w = dyn_cast<ir::WorkerDecl>(&d))
        return {{factoryName(*w), "the child factory of " + quoted}};
    if (auto* dyn = dyn_cast<ir::DynamicSupervisorDecl>(&d))
        return {{specFunctionName(*dyn), "the spec function of " + quoted},
                {startChildName(*dyn), "the start_child helper of " + quoted}};
    if (auto* s = dyn_cast<ir::SupervisorDecl>(&d)) {
        std::vector<GeneratedName> out{{specFunctionName(*s), "the spec function of " + quoted}};
        if (s->isApplication()) {
            out.push_back({startFunctionName(*s), "the start function of " + quoted});
            out.push_back({treeHandleName(*s), "the tree handle class of " + quoted});
        }
        return out;
    }
    return {};
}

void checkGeneratedNames(const ir::Program& program, DiagnosticEngine& diag) {
    struct Owner {
        const ir::Decl* decl;
        std::string what;
    };
    // C++ namespace -> name -> the first declaration that generates it.
    std::map<std::string, std::map<std::string, Owner>> taken;
    for (const auto& m : program.modules) {
        // A module without generated code of its own declares its consts in its own header
        // only (importers write their values): they clash only among themselves.
        bool shared = hasGeneratedCode(*m);
        std::string ns = shared ? namespaceOf(*m) : "\n" + m->canonicalPath;
        for (const auto& d : m->decls) {
            if (!shared && !llvm::isa<ir::ConstDecl>(d.get()))
                continue;
            bool reported = false; // one error per declaration; every name still taken
            for (auto& g : generatedNames(*d)) {
                auto [it, fresh] = taken[ns].emplace(g.name, Owner{d.get(), g.what});
                if (fresh || reported)
                    continue;
                reported = true;
                const Owner& first = it->second;
                diag.error(ErrorCode::E045, d->nameRange, "the C++ name '{}' of {} is already {}{}",
                           g.name, g.what, first.what,
                           ns.empty() || ns[0] == '\n' ? "" : " in namespace " + ns)
                    .note(fmt::format("{} '{}' is declared here", first.decl->kindName(),
                                      first.decl->name),
                          first.decl->nameRange)
                    .note("the generated code must name both; rename one of them (names that "
                          "are C++ keywords or common macros get '_' appended: docs/codegen.md)");
            }
        }
    }
}

} // namespace supc::cpp
