// Supervisor bodies: flags, children, loops, templates, and every child setting.
#include "CppNames.h"
#include "Generator.h"
#include "supc/EffectiveSettings.h"

#include <algorithm>
#include <fmt/format.h>

namespace supc::codegen {

using llvm::cast;
using llvm::dyn_cast;

namespace {

// Where a flag's value comes from: the spec's line, or the language's default.
template <class T>
std::string comment(const Generator& g, const EffectiveSetting<T>& e) {
    return e.setting ? "  // " + g.where(e.setting->range) : fmt::format("  // {}", name(e.origin));
}

std::string backoffCode(const Backoff& b, bool literals) {
    if (!b.exponential)
        return "sup::Backoff::none()";
    return fmt::format("sup::Backoff::exponential({}, {}, {})", durationLiteral(b.minMs, literals),
                       durationLiteral(b.maxMs, literals), decimalLiteral(b.jitter));
}

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

// An enumerated setting: the enumerator when written literally, else a conversion of the
// std::string the expression is (a parameter of an enum type).
template <class E>
std::optional<std::string> enumSetting(const ir::Expr& e, std::optional<Code> code,
                                       const char* type, const char* convert) {
    if (auto* lit = dyn_cast<ir::LiteralExpr>(&e); lit && !lit->value.isError())
        return fmt::format("sup::{}::{}", type, name(E(lit->value.enumIndex())));
    if (!code)
        return std::nullopt;
    return fmt::format("sup::gen::{}({})", convert, code->text);
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
    const EffectiveSupervisorSettings e = effectiveSupervisorSettings(decl);

    std::string strategy = fmt::format("sup::Strategy::{}", name(e.strategy.value));
    if (const ir::Setting* st = e.strategy.setting)
        strategy = required(
            enumSetting<Strategy>(*st->value, expr(*st->value, s), "Strategy", "to_strategy"), st);
    w.line("spec.flags.strategy = " + strategy + ";" + comment(*this, e.strategy));

    std::string restarts = std::to_string(e.intensity.value.restarts);
    std::string period = durationLiteral(e.intensity.value.periodMs, literals_);
    if (const ir::Setting* st = e.intensity.setting) {
        Code n = required(expr(*st->value, s), st);
        period = required(expr(*st->period, s), st).text;
        restarts = llvm::isa<ir::LiteralExpr>(*st->value)
                       ? n.text
                       : "sup::gen::to_intensity(" + n.text + ")";
    }
    w.line("spec.flags.intensity = " + restarts + ";" + comment(*this, e.intensity));
    w.line("spec.flags.period = " + period + ";" + comment(*this, e.intensity));

    std::string autoShutdown = fmt::format("sup::AutoShutdown::{}", name(e.autoShutdown.value));
    if (const ir::Setting* st = e.autoShutdown.setting)
        autoShutdown = required(enumSetting<AutoShutdown>(*st->value, expr(*st->value, s),
                                                          "AutoShutdown", "to_auto_shutdown"),
                                st);
    w.line("spec.flags.auto_shutdown = " + autoShutdown + ";" + comment(*this, e.autoShutdown));

    std::string backoff = backoffCode(e.backoff.value, literals_);
    if (const ir::Setting* st = e.backoff.setting; st && st->exponential) {
        Code lo = required(expr(*st->value, s), st);
        Code hi = required(expr(*st->period, s), st);
        Code jitter = st->jitter ? required(expr(*st->jitter, s, Type::decimalType()), st)
                                 : literal(Value::makeDecimal(0), Type::decimalType());
        backoff =
            fmt::format("sup::Backoff::exponential({}, {}, {})", lo.text, hi.text, jitter.text);
    } else if (st) {
        backoff = "sup::Backoff::none()";
    }
    w.line("spec.flags.backoff = " + backoff + ";" + comment(*this, e.backoff));

    if (!dynamic)
        return;
    const ir::Setting* st = e.maxChildren.setting;
    if (!st) {
        w.line("spec.max_children = " +
               (e.maxChildren.value ? std::to_string(*e.maxChildren.value) : "std::nullopt") + ";" +
               comment(*this, e.maxChildren));
        return;
    }
    Code max = required(expr(*st->value, s), st);
    auto* lit = dyn_cast<ir::LiteralExpr>(st->value.get());
    if (lit && lit->value.type()->kind() == TypeKind::Int && lit->value.asInt() >= 0)
        w.line("spec.max_children = " + max.text + ";" + comment(*this, e.maxChildren));
    else
        w.line("spec.max_children = sup::gen::to_max_children(" + max.text + ");" +
               comment(*this, e.maxChildren));
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
    const EffectiveChildSettings e = effectiveChildSettings(own, bound.decl);
    // A written setting in the child's scope (its block) or in the kind's (the worker
    // declaration's block, with the kind's arguments); a start argument cannot fix a
    // template's setting (elaboration reports E044).
    auto code = [&](const ir::Expr& x, SettingOrigin origin, const Type* t) {
        const Scope& scope = origin == SettingOrigin::KindDefault ? bound.scope : outer;
        Code c = required(expr(x, scope, t), nullptr);
        if (c.usesOpen)
            fail("a template's setting depends on a start argument", x.range());
        return c;
    };
    // Settings that are neither written nor given a value come with the kind.
    auto known = [](const auto& setting) {
        return setting.written() || setting.origin != SettingOrigin::KindDefault;
    };

    if (known(e.restart)) {
        std::string r = fmt::format("sup::Restart::{}", name(e.restart.value));
        if (const ir::Setting* st = e.restart.setting)
            r = required(enumSetting<RestartType>(*st->value,
                                                  code(*st->value, e.restart.origin, nullptr),
                                                  "Restart", "to_restart"),
                         st);
        out.push_back(".with_restart(" + r + ")");
    }
    if (known(e.shutdown)) {
        std::string sd = shutdownCode(e.shutdown.value.mode,
                                      durationLiteral(e.shutdown.value.milliseconds, literals_));
        if (const ir::Setting* st = e.shutdown.setting)
            sd = st->shutdownMode != Shutdown::Mode::Timeout
                     ? shutdownCode(st->shutdownMode, "")
                     : shutdownCode(Shutdown::Mode::Timeout,
                                    code(*st->value, e.shutdown.origin, Type::durationType()).text);
        out.push_back(".with_shutdown(" + sd + ")");
    }
    if (known(e.significant)) {
        std::string sig = e.significant.value ? "true" : "false";
        if (const ir::Setting* st = e.significant.setting)
            sig = code(*st->value, e.significant.origin, Type::boolType()).text;
        out.push_back(".with_significant(" + sig + ")");
    }
    if (e.type)
        out.push_back(fmt::format(".with_type(sup::ChildType::{})", name(*e.type)));
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
    if (worker && !worker->isProgram && openIsSuffix && !fixedUseOpen) {
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
