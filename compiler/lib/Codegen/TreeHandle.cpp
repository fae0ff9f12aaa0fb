// The handle of a started application: the tree, and one accessor per child the spec names,
// found by path. Children made by loops take the loop variables; children of supervisors
// with parameters have their ids computed from the arguments, as the spec functions do.
#include "CppNames.h"
#include "Generator.h"
#include "supc/EffectiveSettings.h"
#include "supc/GeneratedNames.h"

#include <algorithm>
#include <cctype>
#include <fmt/format.h>
#include <functional>
#include <set>

namespace supc::codegen {

using llvm::cast;
using llvm::dyn_cast;

namespace {

// An accessor's name for a child id: its literal text, as an identifier.
std::string idWord(const ir::IdTemplate& id) {
    std::string out;
    for (const auto& part : id.parts) {
        if (part.expr) {
            out += '_';
            continue;
        }
        for (char c : part.text)
            out += (std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
    }
    std::string squeezed;
    for (char c : out)
        if (c != '_' || (!squeezed.empty() && squeezed.back() != '_'))
            squeezed += c;
    while (!squeezed.empty() && squeezed.back() == '_')
        squeezed.pop_back();
    if (squeezed.empty())
        return "child";
    if (std::isdigit(static_cast<unsigned char>(squeezed[0])))
        return "child_" + squeezed;
    return squeezed;
}

bool containsWord(const std::string& text, const std::string& word) {
    for (size_t at = text.find(word); at != std::string::npos; at = text.find(word, at + 1)) {
        auto isIdent = [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
        };
        bool before = at == 0 || !isIdent(text[at - 1]);
        bool after = at + word.size() >= text.size() || !isIdent(text[at + word.size()]);
        if (before && after)
            return true;
    }
    return false;
}

constexpr size_t kMaxAccessors = 1000;

} // namespace

std::optional<Generator::NamedLookup>
Generator::namedLookup(const ir::ChildDecl& c, const ir::KindInstanceExpr& k, const Scope& s,
                       const std::vector<std::string>& loopVars) {
    auto e = effectiveChildSetting(rows::name, &c.settings, k.decl);
    if (!e.written())
        return std::nullopt;
    std::optional<Code> code;
    if (e.origin == SettingOrigin::KindDefault) {
        auto savedPrelude = prelude_;
        auto bound = bindKind(k, s);
        prelude_ = savedPrelude;
        if (!bound)
            return std::nullopt;
        code = nameCode(e, bound->scope);
    } else {
        code = nameCode(e, s);
    }
    if (!code || code->usesOpen)
        return std::nullopt;
    NamedLookup out;
    for (const std::string& v : loopVars)
        if (containsWord(code->text, v))
            out.params += (out.params.empty() ? "" : ", ") + ("std::int64_t " + v);
    auto* worker = dyn_cast<ir::WorkerDecl>(k.decl);
    if (worker && worker->childType == ChildType::Worker && !worker->isProgram) {
        std::string cls = className(*worker, ns_);
        handleClasses_.push_back(worker);
        out.type = "sup::NameResult<" + cls + ">";
        out.body = "return this->whereis_as<" + cls + ">(" + code->text + ");";
    } else {
        out.type = "sup::Pid";
        out.body = "return this->whereis(" + code->text + ");";
    }
    return out;
}

void Generator::treeHandle(CodeWriter& w, const ir::SupervisorDecl& app) {
    std::string handle = cpp::treeHandleName(app);
    std::vector<std::string> members;
    // Members of the class and its base: accessors that would be spelt the same get '_'.
    std::set<std::string> names{"tree", "root", "lookup", "stop", "TreeHandle", handle};
    // Nor may they hide the class names the members use (`sup::Ref<Job>` after a member `Job`);
    // everything else the members use is fully qualified (qualifyAll_).
    auto member = [&](std::string name) {
        while (names.count(name) || classHeads_.count(name))
            name += "_";
        names.insert(name);
        return name;
    };
    size_t count = 0;
    bool truncated = false;

    // A path expression: "services/cache", or "pool/worker_" + std::to_string(i).
    auto join = [](const Code& prefix, const Code& id) -> Code {
        if (prefix.text.empty())
            return id;
        Code out;
        out.prec = Code::Additive;
        out.uses(prefix);
        out.uses(id);
        // Literal pieces next to each other are merged: "pool/worker_" + std::to_string(i).
        bool prefixIsLiteral = prefix.text.front() == '"' && prefix.prec == Code::Primary;
        bool idStartsLiteral = id.text.front() == '"';
        if (prefixIsLiteral && idStartsLiteral)
            out.text = prefix.text.substr(0, prefix.text.size() - 1) + "/" + id.text.substr(1);
        else if (prefixIsLiteral)
            out.text = prefix.text.substr(0, prefix.text.size() - 1) + "/\" + " + id.text;
        else if (idStartsLiteral)
            out.text = prefix.text + " + \"/" + id.text.substr(1);
        else
            out.text = prefix.text + " + \"/\" + " + id.text;
        if (prefixIsLiteral && idStartsLiteral && id.prec == Code::Primary)
            out.prec = Code::Primary;
        return out;
    };

    std::function<void(const std::vector<ir::BodyItemPtr>&, const Scope&, const Code&,
                       const std::string&, std::vector<std::string>&)>
        walk = [&](const std::vector<ir::BodyItemPtr>& body, const Scope& s, const Code& prefix,
                   const std::string& namePrefix, std::vector<std::string>& loopVars) {
            for (const auto& item : body) {
                if (count >= kMaxAccessors) {
                    truncated = true;
                    return;
                }
                if (auto* loop = dyn_cast<ir::Loop>(item.get())) {
                    // A parameter of accessors: it must hide no class name the bodies use.
                    std::string v = identifier(loop->var);
                    for (int n = 2; hides(v) || std::find(loopVars.begin(), loopVars.end(), v) !=
                                                    loopVars.end();
                         ++n)
                        v = identifier(loop->var) + std::to_string(n);
                    Scope inner = s;
                    inner.loops[loop] = Code{v};
                    loopVars.push_back(v);
                    walk(loop->body, inner, prefix, namePrefix, loopVars);
                    loopVars.pop_back();
                    continue;
                }
                const auto& c = cast<ir::ChildDecl>(*item);
                auto id = idCode(c.id, s);
                if (!id)
                    continue;
                Code path = join(prefix, *id);
                // Children's names start with the parent's as the spec spells it, not as
                // member() may have changed it.
                std::string raw = (namePrefix.empty() ? "" : namePrefix + "_") + idWord(c.id);
                std::string name = member(identifier(raw));
                ++count;
                std::string params;
                for (const std::string& v : loopVars)
                    if (containsWord(path.text, v))
                        params += (params.empty() ? "" : ", ") + ("std::int64_t " + v);
                std::string pathText = path.text;
                auto* k = dyn_cast<ir::KindInstanceExpr>(c.kind.get());
                auto* worker = k ? dyn_cast<ir::WorkerDecl>(k->decl) : nullptr;
                std::string comment = fmt::format("/// {}", whereWithText(c.range));
                std::string signature, body;
                if (worker && worker->childType == ChildType::Worker && !worker->isProgram) {
                    std::string cls = className(*worker, ns_);
                    handleClasses_.push_back(worker);
                    signature = fmt::format("sup::Ref<{}> {}({}) const", cls, name, params);
                    body = fmt::format("return this->lookup({}).as<{}>();", pathText, cls);
                } else {
                    signature = fmt::format("sup::Pid {}({}) const", name, params);
                    body = fmt::format("return this->lookup({});", pathText);
                }
                auto add = [&](const std::string& comment, const std::string& signature,
                               const std::string& body) {
                    members.push_back(comment);
                    if (4 + signature.size() + body.size() + 6 <= 100) {
                        members.push_back(signature + " { " + body + " }");
                    } else {
                        members.push_back(signature + " {");
                        members.push_back("    " + body);
                        members.push_back("}");
                    }
                };
                add(comment, signature, body);
                if (!k)
                    continue;
                // A child with a registered name (its own `name`, or its kind's): a typed
                // lookup by that name, `NAME_by_name()`, which says what it found instead.
                if (auto named = namedLookup(c, *k, s, loopVars))
                    add(comment + " (by its registered name)",
                        fmt::format("{} {}({}) const", named->type, member(name + "_by_name"),
                                    named->params),
                        named->body);
                if (auto* dyn = dyn_cast<ir::DynamicSupervisorDecl>(k->decl)) {
                    auto* templ = dyn_cast<ir::KindInstanceExpr>(dyn->templ.get());
                    if (!templ)
                        continue;
                    std::string helper = member(identifier(name + "_start_child"));
                    std::string hp = params, args;
                    std::vector<std::string> call;
                    for (const auto& p : templ->decl->params) {
                        if (ir::bindParam(p, templ).source != ir::ParamBinding::Source::Open)
                            continue;
                        std::string n = paramName(p, *templ->decl);
                        hp += (hp.empty() ? "" : ", ") + cppType(p.type) + " " + n;
                        bool move = p.type->kind() != TypeKind::Int &&
                                    p.type->kind() != TypeKind::Bool &&
                                    p.type->kind() != TypeKind::Duration;
                        args += ", " + (move ? "std::move(" + n + ")" : n);
                    }
                    std::string callParams;
                    for (const std::string& v : loopVars)
                        if (containsWord(path.text, v))
                            callParams += (callParams.empty() ? "" : ", ") + v;
                    members.push_back(fmt::format("/// Starts a child of {}.", name));
                    members.push_back(
                        fmt::format("sup::SupResult<sup::Pid> {}({}) const {{", helper, hp));
                    // Qualified: a member may be spelt like the namespace's helper.
                    std::string ns = namespaceOf(*dyn->module);
                    members.push_back(fmt::format(
                        "    return {}::{}(this->{}({}){});", ns.empty() ? "" : "::" + ns,
                        cpp::startChildName(*dyn), name, callParams, args));
                    members.push_back("}");
                    continue;
                }
                auto* sup = dyn_cast<ir::SupervisorDecl>(k->decl);
                if (!sup)
                    continue;
                // Saved and restored: binding may hoist templates into the prelude of a function.
                auto savedPrelude = prelude_;
                auto bound = bindKind(*k, s);
                prelude_ = savedPrelude;
                if (!bound)
                    continue;
                walk(sup->body, bound->scope, path, raw, loopVars);
            }
        };

    std::vector<std::string> loopVars;
    Scope root;
    qualifyAll_ = true;
    walk(app.body, root, Code{""}, "", loopVars);
    qualifyAll_ = false;

    w.line(fmt::format("/// A running {}: its tree, and its children by path.", app.name));
    w.line(fmt::format("class {} : public sup::gen::TreeHandle {{", handle));
    w.line("public:");
    w.indent();
    w.line("using TreeHandle::TreeHandle;");
    for (const std::string& m : members)
        w.line(m);
    if (truncated)
        w.line(fmt::format("// (only the first {} children have accessors; use lookup(path))",
                           kMaxAccessors));
    w.dedent();
    w.line("};");
    w.line();
}

} // namespace supc::codegen
