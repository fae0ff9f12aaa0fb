// Programs: `worker NAME(params) = program "command" { settings }`. The command and the
// string settings keep their `{name}` interpolations (elaboration computes them for each
// child); what is constant is checked here with the checks elaboration applies to every
// instance (SettingsCheck.h).
#include "Sema/Resolver.h"
#include "supc/SettingsCheck.h"

namespace supc::sema {

using llvm::dyn_cast;
using llvm::isa;

void Resolver::resolveProgram(ir::WorkerDecl& decl, const ast::WorkerDecl& a) {
    if (a.programWord != "program")
        diag_
            .error(ErrorCode::E046, a.programRange,
                   "expected 'program' or a C++ type string after '=', found '{}'", a.programWord)
            .note("a C++ worker is declared as: worker NAME = \"cpp::Type\" from \"header.hpp\"; "
                  "a program as: worker NAME = program \"command\"")
            .fixIt(a.programRange, "program");
    decl.isProgram = true;
    Scope s = declScope(decl);
    decl.command = resolveIdTemplate(a.command, s, "program's command", /*childId=*/false);
    if (decl.command.isPlain())
        settings::checkCommand(decl.command.plainText(), decl.command.range, diag_);
    Place place{InProgramDecl, &decl, nullptr, nullptr};
    for (const auto& st : a.settings)
        resolveSetting(st, place, s, decl.settings);
}

// `args = ["--port", "{port}"]`, `working_dir = "/srv/{name}"`: string literals, read with
// their interpolations by the AST builder (ast::Setting::strings).
bool Resolver::resolveProgramStrings(const ast::Setting& a, Scope& s, ir::Setting& out, bool list) {
    auto* l = dyn_cast<ast::ListExpr>(a.value.get());
    if (list && !l) {
        auto b = diag_.error(ErrorCode::E016, a.value->range(),
                             "'{}' expects a list of strings, found '{}'", a.name,
                             a.value->range().text());
        if (isa<ast::StringLit>(a.value.get()))
            b.fixIt(a.value->range(), "[" + std::string(a.value->range().text()) + "]");
        return false;
    }
    if (!list && !isa<ast::StringLit>(a.value.get())) {
        diag_
            .error(ErrorCode::E016, a.value->range(), "'{}' expects a string, found '{}'", a.name,
                   a.value->range().text())
            .note("it may interpolate parameters and consts: \"/srv/{name}\"");
        return false;
    }
    std::string role = fmt::format("'{}' string", a.name);
    for (size_t i = 0; i < a.strings.size(); ++i) {
        if (!a.strings[i]) {
            SourceRange where =
                l && i < l->elements.size() ? l->elements[i]->range() : a.value->range();
            diag_
                .error(ErrorCode::E016, where, "'{}' expects strings, found '{}'", a.name,
                       where.text())
                .note("write each as a string, which may interpolate parameters and consts: "
                      "\"{port}\"");
            return false;
        }
        out.strings.push_back(resolveIdTemplate(*a.strings[i], s, role, /*childId=*/false));
        const ir::IdTemplate& t = out.strings.back();
        if (t.isPlain())
            settings::checkProgramString(out.key, t.plainText(), t.range, diag_);
    }
    return true;
}

} // namespace supc::sema
