#include "Generator.h"

#include "CppNames.h"
#include "supc/CppSyntax.h"
#include "supc/GeneratedNames.h"

#include <cctype>
#include <llvm/Support/Path.h>

namespace supc::codegen {

void CodeWriter::line(std::string_view text) {
    while (true) {
        size_t nl = text.find('\n');
        std::string_view piece = text.substr(0, nl);
        if (!piece.empty())
            out_.append(size_t(depth_) * 4, ' ');
        out_ += piece;
        out_ += '\n';
        if (nl == std::string_view::npos)
            return;
        text.remove_prefix(nl + 1);
    }
}

Generator::Generator(const ir::Program& program, const llvm::SourceMgr& sm)
    : program_(program), module_(*program.entry), sm_(sm), ns_(namespaceOf(module_)),
      specFile_(commentText(llvm::sys::path::filename(module_.path))) {}

GeneratedFiles Generator::run() {
    collectScopeNames();
    GeneratedFiles out;
    std::string stem = outputStem(module_);
    out.headerName = stem + ".sup.hpp";
    out.sourceName = stem + ".sup.cpp";
    out.header = headerFile();
    out.source = sourceFile();
    out.internalErrors = std::move(failures_);
    return out;
}

void Generator::fail(std::string what, SourceRange where) {
    failures_.push_back(where.isValid() ? whereWithText(where) + ": " + what : what);
}

std::string Generator::qualify(const ir::Module& owner, const std::string& name) const {
    std::string ns = namespaceOf(owner);
    if (ns == ns_ && !qualifyAll_)
        return name;
    return ns.empty() ? "::" + name : "::" + ns + "::" + name;
}

std::string Generator::specName(const ir::KindDecl& decl) const {
    return qualify(*decl.module, cpp::specFunctionName(decl));
}

std::string Generator::startChildName(const ir::DynamicSupervisorDecl& decl) const {
    return qualify(*decl.module, cpp::startChildName(decl));
}

std::string Generator::where(SourceRange r) const {
    if (!r.isValid())
        return specFile_;
    unsigned line = sm_.getLineAndColumn(r.begin, module_.bufferId).first;
    return specFile_ + ":" + std::to_string(line);
}

std::string Generator::whereWithText(SourceRange r) const {
    std::string out = where(r);
    std::string_view text = r.text();
    text = text.substr(0, text.find_first_of("\r\n"));
    constexpr size_t kMax = 80;
    std::string shown = commentLine(text.substr(0, kMax));
    if (text.size() > kMax)
        shown += "...";
    if (shown.empty())
        return out;
    return out + ": " + shown;
}

std::string Generator::typeList(const std::vector<const ir::Param*>& params) {
    std::string out;
    for (const ir::Param* p : params) {
        if (!out.empty())
            out += ", ";
        out += cppType(p->type);
    }
    return out;
}

std::string Generator::call(const std::string& callee, const std::vector<std::string>& args,
                            size_t column, const std::vector<std::string>& names) {
    constexpr size_t kWidth = 100;
    std::string oneLine = callee + "(";
    for (size_t i = 0; i < args.size(); ++i)
        oneLine += (i ? ", " : "") + args[i];
    oneLine += ")";
    bool multiLine = oneLine.find('\n') != std::string::npos;
    if (column + oneLine.size() <= kWidth && !multiLine)
        return oneLine;
    if (args.empty())
        return oneLine;
    std::string out = callee + "(";
    for (size_t i = 0; i < args.size(); ++i) {
        std::string arg = args[i];
        // Continuation lines of an argument move with it.
        for (size_t at = arg.find('\n'); at != std::string::npos; at = arg.find('\n', at + 5))
            arg.insert(at + 1, "    ");
        out += "\n    " + arg + (i + 1 < args.size() ? "," : ")");
        if (i < names.size() && !names[i].empty() && arg.find('\n') == std::string::npos)
            out += "  // " + names[i];
    }
    return out;
}

void Generator::collectScopeNames() {
    scopeNames_.clear();
    for (const auto& m : program_.modules) {
        if (!cpp::hasGeneratedCode(*m) && m.get() != &module_)
            continue;
        if (cpp::namespaceOf(*m) != ns_)
            continue;
        for (const auto& d : m->decls)
            for (const auto& g : cpp::generatedNames(*d))
                scopeNames_.insert(g.name);
    }
    // Worker classes are named relative to this namespace: their first part must stay visible.
    for (const auto& m : program_.modules)
        for (const ir::WorkerDecl* w : m->declsOf<ir::WorkerDecl>()) {
            std::string cls = className(*w, ns_);
            scopeNames_.insert(cls.substr(0, cls.find("::")));
            classHeads_.insert(cls.substr(0, cls.find("::")));
        }
    // The file-local factories of imported kinds: names no spec declaration takes.
    for (const ir::WorkerDecl* w : localFactories()) {
        std::string base = w->qualifiedName.empty() ? w->name : w->qualifiedName;
        for (char& c : base)
            if (!std::isalnum(static_cast<unsigned char>(c)))
                c = '_';
        std::string name = identifier(base + "_child");
        while (scopeNames_.count(name))
            name += "_";
        scopeNames_.insert(name);
        localFactoryNames_[w] = name;
    }
}

bool Generator::hides(const std::string& name) const {
    return scopeNames_.count(name) != 0;
}

std::string Generator::paramName(const ir::Param& p, const ir::KindDecl& owner) const {
    std::string base = identifier(p.name);
    if (!hides(base))
        return base;
    auto taken = [&](const std::string& name) {
        if (hides(name))
            return true;
        for (const auto& other : owner.params)
            if (&other != &p && identifier(other.name) == name)
                return true;
        return false;
    };
    std::string stem = base + (base.back() == '_' ? "p" : "_p");
    std::string name = stem;
    for (int n = 2; taken(name); ++n)
        name = stem + std::to_string(n);
    return name;
}

std::string Generator::local(std::string_view hint) {
    std::string base = identifier(hint);
    std::string name = base;
    for (int n = 2; locals_.count(name) || hides(name); ++n)
        name = base + std::to_string(n);
    locals_.insert(name);
    return name;
}

void Generator::flushPrelude(CodeWriter& w) {
    for (const auto& s : prelude_)
        w.line(s);
    prelude_.clear();
}

GeneratedFiles generate(const ir::Program& program, const llvm::SourceMgr& sm) {
    return Generator(program, sm).run();
}

std::string outputStem(const ir::Module& module) {
    std::string name = llvm::sys::path::filename(module.path).str();
    if (llvm::StringRef(name).endswith(".sup"))
        name.resize(name.size() - 4);
    return name;
}

std::vector<IncludeNameProblem> includeNameProblems(const ir::Program& program) {
    std::vector<IncludeNameProblem> out;
    auto check = [&](const ir::Module& module, SourceRange range) {
        std::string header = outputStem(module) + ".sup.hpp";
        if (auto problem = cpp::includePathProblem(header))
            out.push_back({header, *problem, range});
    };
    check(*program.entry, SourceRange());
    for (const auto& imp : program.entry->imports)
        if (imp.module && needsGeneratedCode(*imp.module))
            check(*imp.module, imp.range);
    return out;
}

bool needsGeneratedCode(const ir::Module& module) {
    return cpp::hasGeneratedCode(module);
}

} // namespace supc::codegen
