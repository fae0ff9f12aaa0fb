// Supervisor bodies: flags, children, loops, templates, and every child setting.
#include "CppNames.h"
#include "Generator.h"

#include <algorithm>
#include <fmt/format.h>

namespace supc::codegen {

using llvm::cast;
using llvm::dyn_cast;

namespace {

std::string comment(const Generator& g, const ir::Setting* s) {
    return s ? "  // " + g.where(s->range) : "  // default";
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
    const ir::SettingList& list = decl.settings;

    std::string strategy = fmt::format("sup::Strategy::{}", name(defaults::strategy));
    const ir::Setting* st = list.find(SettingKey::Strategy);
    if (st)
        if (auto v =
                enumSetting<Strategy>(*st->value, expr(*st->value, s), "Strategy", "to_strategy"))
            strategy = *v;
    w.line("spec.flags.strategy = " + strategy + ";" + comment(*this, st));

    std::string restarts = std::to_string(defaults::intensity.restarts);
    std::string period = durationLiteral(defaults::intensity.periodMs, literals_);
    st = list.find(SettingKey::Intensity);
    if (st) {
        auto n = expr(*st->value, s);
        auto p = expr(*st->period, s);
        if (n && p) {
            restarts = llvm::isa<ir::LiteralExpr>(*st->value)
                           ? n->text
                           : "sup::gen::to_intensity(" + n->text + ")";
            period = p->text;
        }
    }
    w.line("spec.flags.intensity = " + restarts + ";" + comment(*this, st));
    w.line("spec.flags.period = " + period + ";" + comment(*this, st));

    std::string autoShutdown = fmt::format("sup::AutoShutdown::{}", name(defaults::autoShutdown));
    st = list.find(SettingKey::AutoShutdown);
    if (st)
        if (auto v = enumSetting<AutoShutdown>(*st->value, expr(*st->value, s), "AutoShutdown",
                                               "to_auto_shutdown"))
            autoShutdown = *v;
    w.line("spec.flags.auto_shutdown = " + autoShutdown + ";" + comment(*this, st));

    std::string backoff = "sup::Backoff::none()";
    st = list.find(SettingKey::Backoff);
    if (st && st->exponential) {
        auto lo = expr(*st->value, s);
        auto hi = expr(*st->period, s);
        auto jitter = st->jitter ? expr(*st->jitter, s, Type::decimalType())
                                 : std::optional<Code>(Code{"0.0"});
        if (lo && hi && jitter)
            backoff = fmt::format("sup::Backoff::exponential({}, {}, {})", lo->text, hi->text,
                                  jitter->text);
    }
    w.line("spec.flags.backoff = " + backoff + ";" + comment(*this, st));

    if (!dynamic)
        return;
    st = list.find(SettingKey::MaxChildren);
    std::optional<Code> max = st ? expr(*st->value, s) : std::nullopt;
    if (!max) {
        w.line("spec.max_children = std::nullopt;  // default: unlimited");
        return;
    }
    auto* lit = dyn_cast<ir::LiteralExpr>(st->value.get());
    if (lit && lit->value.type()->kind() == TypeKind::Int && lit->value.asInt() >= 0)
        w.line("spec.max_children = " + max->text + ";" + comment(*this, st));
    else
        w.line("spec.max_children = sup::gen::to_max_children(" + max->text + ");" +
               comment(*this, st));
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
    std::string where =
        fmt::format("  // {}: of {}", this->where(decl.templRange), decl.templRange.text());
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
    // `bound.decl` is null for a kind parameter: only the child's own settings, if any.
    auto find = [&](SettingKey key) -> std::pair<const ir::Setting*, const Scope*> {
        if (!bound.decl) {
            const ir::Setting* st = own ? own->find(key) : nullptr;
            return {st, &outer};
        }
        ir::ChildSettingSource src = ir::findChildSetting(key, own, *bound.decl);
        return {src.setting, src.fromKind ? &bound.scope : &outer};
    };
    // A value that needs a start argument cannot be fixed in a template: the default.
    auto value = [&](const ir::Expr& e, const Scope& s, const Type* t) -> std::optional<Code> {
        auto c = expr(e, s, t);
        if (c && c->usesOpen)
            return std::nullopt;
        return c;
    };

    auto [restart, restartScope] = find(SettingKey::Restart);
    std::optional<std::string> r;
    if (restart)
        r = enumSetting<RestartType>(*restart->value,
                                     value(*restart->value, *restartScope, nullptr), "Restart",
                                     "to_restart");
    if (r || bound.decl)
        out.push_back(".with_restart(" +
                      r.value_or(fmt::format("sup::Restart::{}", name(defaults::restart))) + ")");

    auto [shutdown, shutdownScope] = find(SettingKey::Shutdown);
    std::optional<std::string> sd;
    if (shutdown) {
        if (shutdown->shutdownMode != Shutdown::Mode::Timeout)
            sd = shutdownCode(shutdown->shutdownMode, "");
        else if (auto t = value(*shutdown->value, *shutdownScope, Type::durationType()))
            sd = shutdownCode(Shutdown::Mode::Timeout, t->text);
    }
    if (!sd && bound.decl) {
        Shutdown d = defaults::shutdown(ir::childTypeOf(*bound.decl));
        sd = shutdownCode(d.mode, durationLiteral(d.milliseconds, literals_));
    }
    if (sd)
        out.push_back(".with_shutdown(" + *sd + ")");

    auto [significant, significantScope] = find(SettingKey::Significant);
    std::optional<Code> sig;
    if (significant)
        sig = value(*significant->value, *significantScope, Type::boolType());
    if (sig || bound.decl)
        out.push_back(".with_significant(" +
                      (sig ? sig->text : std::string(defaults::significant ? "true" : "false")) +
                      ")");

    if (bound.decl)
        out.push_back(
            fmt::format(".with_type(sup::ChildType::{})", name(ir::childTypeOf(*bound.decl))));
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
    if (worker && openIsSuffix && !fixedUseOpen) {
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
            params += ", const " + cppType(p->type) + "& " + identifier(p->name);
        std::vector<std::string> args = arguments(*bound);
        std::vector<std::string> names = argumentNames(*bound);
        std::string body;
        if (worker) {
            body = "return " + workerCall(*worker, *bound, "ctx.child_id()", 8) + ".start(ctx);";
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
