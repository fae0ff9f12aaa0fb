// Supervisor bodies: flags, children, loops, templates, and every child setting.
#include "CppNames.h"
#include "Generator.h"
#include "supc/EffectiveSettings.h"

#include <algorithm>
#include <fmt/format.h>
#include <functional>

namespace supc::codegen {

using llvm::cast;
using llvm::dyn_cast;

namespace {

// Where a flag's value comes from: the spec's line, or the language's default.
template <class T>
std::string comment(const Generator& g, const EffectiveSetting<T>& e) {
    return e.setting ? "  // " + g.where(e.setting->range) : fmt::format("  // {}", name(e.origin));
}

// The C++ of a setting's value, one function per value type of the settings table
// (SettingTable.h), from the names its row gives. `cppValue`: a value the middle end gives,
// canonically; `cppWritten`: a setting as written, from the code of its expressions
// (`code(expression, expected type)`). A value of two parts (intensity) is two members.
using Codes = std::vector<std::string>;
using ExprCode = std::function<Code(const ir::Expr&, const Type*)>;

std::string shutdownCode(Shutdown::Mode mode, const std::string& timeout) {
    switch (mode) {
    case Shutdown::Mode::BrutalKill:
        return "sup::Shutdown::brutal_kill()";
    case Shutdown::Mode::Infinity:
        return "sup::Shutdown::infinity()";
    case Shutdown::Mode::Timeout:
        return "sup::Shutdown::timeout(" + timeout + ")";
    }
    return "";
}
std::string backoffCode(const std::string& min, const std::string& max, const std::string& jitter) {
    return fmt::format("sup::Backoff::exponential({}, {}, {})", min, max, jitter);
}

template <class Row, class E>
requires std::is_enum_v<E> Codes cppValue(const Row& row, E v, bool) {
    return {fmt::format("{}::{}", row.cppType, name(v))};
}
template <class Row>
Codes cppValue(const Row&, bool v, bool) {
    return {v ? "true" : "false"};
}
template <class Row>
Codes cppValue(const Row&, const Shutdown& v, bool literals) {
    return {shutdownCode(v.mode, durationLiteral(v.milliseconds, literals))};
}
template <class Row>
Codes cppValue(const Row&, const Intensity& v, bool literals) {
    return {std::to_string(v.restarts), durationLiteral(v.periodMs, literals)};
}
template <class Row>
Codes cppValue(const Row&, const Backoff& v, bool literals) {
    if (!v.exponential)
        return {"sup::Backoff::none()"};
    return {backoffCode(durationLiteral(v.minMs, literals), durationLiteral(v.maxMs, literals),
                        decimalLiteral(v.jitter))};
}
template <class Row>
Codes cppValue(const Row&, const ChildName& v, bool) {
    switch (v.mode) {
    case ChildName::Mode::Local:
        return {"sup::ChildName::local(" + stringLiteral(v.name) + ")"};
    case ChildName::Mode::Via:
        return {"sup::std_lib::via_name(" + stringLiteral(v.registry) + ", " +
                stringLiteral(v.name) + ")"};
    case ChildName::Mode::None:
        break;
    }
    return {"sup::ChildName()"};
}
template <class Row>
Codes cppValue(const Row&, const std::optional<int64_t>& v, bool) {
    return {v ? std::to_string(*v) : "std::nullopt"};
}

const ir::LiteralExpr* literalOf(const ir::Expr& e) {
    auto* lit = dyn_cast<ir::LiteralExpr>(&e);
    return lit && !lit->value.isError() ? lit : nullptr;
}

// An enumeration: the enumerator when written literally, else the conversion of the
// std::string the expression is (a parameter of an enum type).
template <class Row, class E>
requires std::is_enum_v<E> Codes cppWritten(const Row& row, const ir::Setting& st,
                                            const ExprCode& code, E*) {
    if (auto* lit = literalOf(*st.value))
        return {fmt::format("{}::{}", row.cppType, name(E(lit->value.enumIndex())))};
    return {fmt::format("{}({})", row.cppConvert, code(*st.value, nullptr).text)};
}
template <class Row>
Codes cppWritten(const Row&, const ir::Setting& st, const ExprCode& code, bool*) {
    return {code(*st.value, Type::boolType()).text};
}
template <class Row>
Codes cppWritten(const Row&, const ir::Setting& st, const ExprCode& code, Shutdown*) {
    if (st.shutdownMode != Shutdown::Mode::Timeout)
        return {shutdownCode(st.shutdownMode, "")};
    return {shutdownCode(Shutdown::Mode::Timeout, code(*st.value, Type::durationType()).text)};
}
template <class Row>
Codes cppWritten(const Row& row, const ir::Setting& st, const ExprCode& code, Intensity*) {
    std::string n = code(*st.value, nullptr).text;
    std::string period = code(*st.period, nullptr).text;
    return {literalOf(*st.value) ? n : fmt::format("{}({})", row.cppConvert, n), period};
}
template <class Row>
Codes cppWritten(const Row&, const ir::Setting& st, const ExprCode& code, Backoff*) {
    if (!st.exponential)
        return {"sup::Backoff::none()"};
    std::string min = code(*st.value, nullptr).text;
    std::string max = code(*st.period, nullptr).text;
    return {backoffCode(
        min, max, st.jitter ? code(*st.jitter, Type::decimalType()).text : decimalLiteral(0.0))};
}
template <class Row>
Codes cppWritten(const Row& row, const ir::Setting& st, const ExprCode& code,
                 std::optional<int64_t>*) {
    std::string n = code(*st.value, nullptr).text;
    auto* lit = literalOf(*st.value);
    if (lit && lit->value.type()->kind() == TypeKind::Int && lit->value.asInt() >= 0)
        return {n};
    return {fmt::format("{}({})", row.cppConvert, n)};
}

// A setting's C++: as written, else the value EffectiveSettings gives it.
template <class Row>
Codes cppSetting(const Row& row, const EffectiveSetting<typename Row::ValueType>& e,
                 const ExprCode& code, bool literals) {
    if (e.setting)
        return cppWritten(row, *e.setting, code, static_cast<typename Row::ValueType*>(nullptr));
    return cppValue(row, e.value, literals);
}

// Writes `head` + `expression` + `tail` as one statement: the comment after the first line.
void statement(CodeWriter& w, std::string_view head, std::string_view expression,
               std::string_view tail, std::string_view trailingComment) {
    size_t nl = expression.find('\n');
    std::string first = std::string(head) + std::string(expression.substr(0, nl));
    if (nl == std::string_view::npos) {
        w.line(first + std::string(tail) + std::string(trailingComment));
        return;
    }
    w.line(first + std::string(trailingComment));
    // The tail goes before the comment naming the last argument, if the last line has one.
    std::string rest(expression.substr(nl + 1));
    size_t lastLine = rest.rfind('\n');
    size_t comment = rest.rfind("  // ");
    if (comment != std::string::npos && (lastLine == std::string::npos || comment > lastLine))
        rest.insert(comment, tail);
    else
        rest += tail;
    w.line(rest);
}

} // namespace

void Generator::flags(CodeWriter& w, const ir::KindDecl& decl, const Scope& s, bool dynamic) {
    // Every flag is written out, from the spec or from the value the middle end gives it
    // (the runtime's own defaults are OTP's, not the language's).
    forEachSupervisorSetting([&](const auto& row) {
        if (!appliesTo(row.info(), dynamic))
            return;
        const auto e = effectiveSupervisorSetting(row, decl);
        auto code = [&](const ir::Expr& x, const Type* t) {
            return required(expr(x, s, t), e.setting);
        };
        Codes values = cppSetting(row, e, code, literals_);
        std::string where = comment(*this, e);
        w.line(fmt::format("spec.{} = {};{}", row.cpp, values[0], where));
        if (values.size() > 1)
            w.line(fmt::format("spec.{} = {};{}", row.cpp2, values[1], where));
    });
}

std::string Generator::givenIntensity(const std::string& child, const ir::Setting& given,
                                      const Scope& s) {
    std::string out;
    forEachSupervisorSetting([&](const auto& row) {
        using Row = std::decay_t<decltype(row)>;
        if constexpr (std::is_same_v<typename Row::ValueType, Intensity>) {
            auto code = [&](const ir::Expr& x, const Type* t) {
                return required(expr(x, s, t), &given);
            };
            Codes v = cppWritten(row, given, code, static_cast<Intensity*>(nullptr));
            out = fmt::format("sup::gen::with_intensity({}, {}, {})", child, v[0], v[1]);
        }
    });
    return out;
}

void Generator::supervisorBody(CodeWriter& w, const ir::SupervisorDecl& decl, Scope& s) {
    w.line("sup::SupervisorSpec spec;");
    flags(w, decl, s, false);
    items(w, decl.body, s);
    w.line("return spec;");
}

void Generator::dynamicSupervisorBody(CodeWriter& w, const ir::DynamicSupervisorDecl& decl,
                                      Scope& s) {
    w.line("sup::DynamicSupervisorSpec spec;");
    flags(w, decl, s, true);
    std::string where = fmt::format("  // {}: of {}", this->where(decl.templRange),
                                    commentText(decl.templRange.text()));
    if (auto* k = dyn_cast<ir::KindInstanceExpr>(decl.templ.get())) {
        auto t = templateExpression(*k, s);
        flushPrelude(w);
        if (t)
            statement(w, "spec.child = ", *t, ";", where);
    } else if (auto t = expr(*decl.templ, s)) {
        w.line("spec.child = " + t->text + ";" + where);
    }
    w.line("return spec;");
}

void Generator::items(CodeWriter& w, const std::vector<ir::BodyItemPtr>& body, Scope& s) {
    for (const auto& item : body) {
        if (auto* c = dyn_cast<ir::ChildDecl>(item.get())) {
            child(w, *c, s);
            continue;
        }
        const auto& loop = cast<ir::Loop>(*item);
        auto from = expr(*loop.from, s);
        auto to = expr(*loop.to, s);
        if (!from || !to)
            continue;
        std::string v = local(loop.var);
        w.line(fmt::format("for (std::int64_t {0} = {1}; {0} <= {2}; ++{0}) {{  // {3}", v,
                           from->text, to->text, whereWithText(loop.range)));
        Scope inner = s;
        Code var{v};
        var.usesLocals = true;
        inner.loops[&loop] = var;
        w.indent();
        items(w, loop.body, inner);
        w.dedent();
        w.line("}");
    }
}

void Generator::child(CodeWriter& w, const ir::ChildDecl& c, const Scope& s) {
    auto id = idCode(c.id, s);
    if (!id)
        return;
    size_t column = w.column() + 4; // inside push_back(
    std::string head;
    std::vector<std::string> chain;
    if (auto* k = dyn_cast<ir::KindInstanceExpr>(c.kind.get())) {
        auto bound = bindKind(*k, s);
        if (!bound)
            return;
        std::vector<std::string> args = arguments(*bound);
        std::vector<std::string> names = argumentNames(*bound);
        if (auto* worker = dyn_cast<ir::WorkerDecl>(k->decl)) {
            // The kind's factory adds the child with the kind's settings: only the child's
            // own settings follow. One call per child, no template instantiated here.
            args.insert(args.begin(), {"spec", id->text});
            names.insert(names.begin(), {"", "child id"});
            std::string expression = call(factoryName(*worker), args, w.column(), names);
            for (const std::string& line : childSettings(&c.settings, BoundKind(), s))
                expression += "\n    " + line;
            // `intensity` in the block of a std.TaskSupervisor child: given to the class's
            // supervisor through the start context.
            if (const ir::Setting* given = c.settings.find(SettingKey::Intensity))
                expression = givenIntensity(expression, *given, s);
            flushPrelude(w);
            statement(w, "", expression, ";", "  // " + whereWithText(c.range));
            return;
        } else {
            bool captures = false;
            for (const auto& [p, code] : bound->scope.params)
                captures |= code.usesLocals;
            std::string build = fmt::format("[{}] {{ return {}; }}", captures ? "=" : "",
                                            call(specName(*k->decl), args, column + 20, names));
            head = call(llvm::isa<ir::DynamicSupervisorDecl>(k->decl) ? "sup::dynamic_supervisor"
                                                                      : "sup::supervisor",
                        {id->text, build}, column);
        }
        chain = childSettings(&c.settings, *bound, s);
    } else {
        // A parameter of type kind: the template carries the kind's settings; the child's
        // own settings override them.
        auto t = expr(*c.kind, s);
        if (!t)
            return;
        head = call("sup::gen::child_of", {id->text, t->text}, column);
        chain = childSettings(&c.settings, BoundKind(), s);
    }
    flushPrelude(w);
    std::string expression = head;
    for (const std::string& line : chain)
        expression += "\n    " + line;
    w.line("spec.children.push_back(");
    w.indent();
    statement(w, "", expression, ");", "  // " + whereWithText(c.range));
    w.dedent();
}

std::vector<std::string> Generator::childSettings(const ir::SettingList* own,
                                                  const BoundKind& bound, const Scope& outer) {
    std::vector<std::string> out;
    // `bound.decl` null: a kind that brings its own settings (a factory's, a kind value's):
    // only the child's own settings are written.
    forEachChildSetting([&](const auto& row) {
        const auto e = effectiveChildSetting(row, own, bound.decl);
        // Neither written nor given a value: it comes with the kind.
        if (!e.written() && e.origin == SettingOrigin::KindDefault)
            return;
        if constexpr (std::is_same_v<typename std::decay_t<decltype(row)>::ValueType, ChildName>) {
            // Strings with interpolations; one that depends on a template's start argument is
            // given by its start function (templateExpression).
            const Scope& scope = e.origin == SettingOrigin::KindDefault ? bound.scope : outer;
            if (auto c = nameCode(e, scope); c && !c->usesOpen)
                out.push_back(fmt::format(".{}({})", row.cpp, c->text));
        } else {
            // A written setting in the child's scope (its block) or in the kind's (the worker
            // declaration's block, with the kind's arguments); a start argument cannot fix a
            // template's setting (elaboration reports E042).
            auto code = [&](const ir::Expr& x, const Type* t) {
                const Scope& scope = e.origin == SettingOrigin::KindDefault ? bound.scope : outer;
                Code c = required(expr(x, scope, t), nullptr);
                if (c.usesOpen)
                    fail("a template's setting depends on a start argument", x.range());
                return c;
            };
            out.push_back(fmt::format(".{}({})", row.cpp, cppSetting(row, e, code, literals_)[0]));
        }
    });
    if (bound.decl)
        out.push_back(
            fmt::format(".with_type(sup::ChildType::{})", name(ir::childTypeOf(*bound.decl))));
    return out;
}

std::optional<Code> Generator::nameCode(const EffectiveSetting<ChildName>& e, const Scope& s) {
    if (!e.setting)
        return Code{cppValue(rows::name, e.value, literals_)[0]};
    std::vector<Code> parts;
    for (const ir::IdTemplate& t : e.setting->strings) {
        auto c = idCode(t, s);
        if (!c)
            return std::nullopt;
        parts.push_back(*c);
    }
    if (parts.empty())
        return std::nullopt;
    Code out;
    for (const Code& p : parts)
        out.uses(p);
    out.text = e.setting->via
                   ? "sup::std_lib::via_name(" + parts.front().text + ", " + parts.back().text + ")"
                   : "sup::ChildName::local(" + parts.back().text + ")";
    return out;
}

std::optional<Code> Generator::templateOf(const ir::Expr& e, const Scope& s,
                                          std::string_view hint) {
    auto* k = dyn_cast<ir::KindInstanceExpr>(&e);
    if (!k)
        return expr(e, s); // a parameter of type kind: already a template
    auto text = templateExpression(*k, s);
    if (!text)
        return std::nullopt;
    std::string name = local(std::string(hint) + "_kind");
    CodeWriter w;
    statement(w, "sup::ChildTemplate " + name + " = ", *text, ";", "");
    std::string lines = w.take();
    if (!lines.empty() && lines.back() == '\n')
        lines.pop_back();
    prelude_.push_back(lines);
    Code out{name};
    out.usesLocals = true;
    return out;
}

std::optional<std::string> Generator::templateExpression(const ir::KindInstanceExpr& k,
                                                         const Scope& s) {
    auto bound = bindKind(k, s);
    if (!bound)
        return std::nullopt;
    bool captures = false, fixedUseOpen = false, openIsSuffix = true;
    bool seenOpen = false;
    for (const auto& p : k.decl->params) {
        const Code& c = bound->scope.params.at(&p);
        bool isOpen = std::find(bound->open.begin(), bound->open.end(), &p) != bound->open.end();
        if (isOpen) {
            seenOpen = true;
            continue;
        }
        captures |= c.usesLocals;
        fixedUseOpen |= c.usesOpen;
        if (seenOpen)
            openIsSuffix = false;
    }
    std::string head;
    auto* worker = dyn_cast<ir::WorkerDecl>(k.decl);
    std::string extra = typeList(bound->open);
    // A name from a start argument (a via-key): the start function gives it to the child.
    std::optional<Code> name;
    if (worker) {
        auto e = effectiveChildSetting(rows::name, nullptr, k.decl);
        if (e.written())
            if (auto c = nameCode(e, bound->scope); c && c->usesOpen)
                name = c;
    }
    if (worker && !worker->isProgram && openIsSuffix && !fixedUseOpen && !name) {
        // Fixed arguments are stored as they are passed: constants get their parameter's
        // C++ type (a literal 4000 would otherwise be stored as an int).
        std::vector<std::string> fixed;
        for (const auto& p : k.decl->params) {
            const Code& c = bound->scope.params.at(&p);
            if (c.usesOpen)
                continue;
            std::string type = cppType(p.type);
            bool typed = c.usesLocals || c.text.rfind(type, 0) == 0 || c.text == "std::nullopt";
            fixed.push_back(typed ? c.text : type + "(" + c.text + ")");
        }
        head = call(fmt::format("sup::dynamic_worker<{}{}{}>", className(*worker, ns_),
                                extra.empty() ? "" : ", ", extra),
                    fixed, 20, argumentNames(*bound, true));
    } else {
        // The start function receives the open parameters and passes every argument in order.
        std::string params = "sup::StartContext& ctx";
        for (const ir::Param* p : bound->open)
            params += ", const " + cppType(p->type) + "& " + paramName(*p, *k.decl);
        std::vector<std::string> args = arguments(*bound);
        std::vector<std::string> names = argumentNames(*bound);
        std::string body;
        if (worker) {
            // Without argument-name comments: `.start(ctx);` follows the last argument.
            body = "return " + workerCall(*worker, *bound, "ctx.child_id()", 8, false) +
                   ".start(ctx);";
            if (name)
                body = "ctx.set_name(" + name->text + ");\n" + body;
        } else {
            body = "return sup::gen::start_spec(ctx, " + call(specName(*k.decl), args, 40, names) +
                   ");";
        }
        // The body's continuation lines sit one level deeper than the lambda.
        for (size_t at = body.find('\n'); at != std::string::npos; at = body.find('\n', at + 5))
            body.insert(at + 1, "    ");
        head = fmt::format("sup::gen::template_of<{}>([{}]({}) {{\n    {}\n}})", extra,
                           captures ? "=" : "", params, body);
    }
    std::string out = head;
    for (const std::string& line : childSettings(nullptr, *bound, s))
        out += "\n    " + line;
    return out;
}

} // namespace supc::codegen
