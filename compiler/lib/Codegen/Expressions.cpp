// Values, expressions, ids, and the arguments of a kind at a use site.
#include "CppNames.h"
#include "Generator.h"
#include "supc/Evaluator.h"
#include "supc/GeneratedNames.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

namespace supc::codegen {

using llvm::cast;
using llvm::dyn_cast;

namespace {

Code::Prec precedenceOf(ir::BinaryOp op) {
    return op == ir::BinaryOp::Add || op == ir::BinaryOp::Sub ? Code::Additive
                                                              : Code::Multiplicative;
}

std::string operand(const Code& c, Code::Prec min) {
    return c.prec < min ? "(" + c.text + ")" : c.text;
}

bool isNonZeroLiteral(const ir::Expr& e) {
    auto* lit = dyn_cast<ir::LiteralExpr>(&e);
    if (!lit || lit->value.isError())
        return false;
    switch (lit->value.type()->kind()) {
    case TypeKind::Int:
    case TypeKind::Duration:
        return lit->value.asInt() != 0;
    case TypeKind::Decimal:
        return lit->value.asDecimal() != 0;
    default:
        return false;
    }
}

// Whether `text` is exactly one C++ string literal, as stringLiteral() writes them.
bool isStringLiteral(const std::string& text) {
    if (text.size() < 2 || text.front() != '"' || text.back() != '"')
        return false;
    for (size_t i = 1; i + 1 < text.size(); ++i) {
        if (text[i] == '\\')
            ++i;
        else if (text[i] == '"')
            return false;
    }
    return true;
}

// A constant's value for an id: what the elaborator interpolates.
std::optional<std::string> constantText(const ir::Expr& e) {
    EvalContext ctx;
    ctx.constant = [](const ir::ConstDecl& c) { return c.value; };
    auto v = evaluate(e, ctx, nullptr);
    if (!v || v->isError())
        return std::nullopt;
    return v->interpolationText();
}

} // namespace

Code Generator::literal(const Value& v, const Type* expected) {
    if (expected && expected->kind() == TypeKind::Optional)
        expected = expected->element();
    if (v.isNone())
        return {"std::nullopt"};
    switch (v.type()->kind()) {
    case TypeKind::Int: {
        int64_t n = v.asInt();
        if (n == INT64_MIN)
            return {"INT64_MIN"};
        return {std::to_string(n), n < 0 ? Code::Unary : Code::Primary};
    }
    case TypeKind::Decimal: {
        double d = v.asDecimal();
        return {decimalLiteral(d), d < 0 || std::signbit(d) ? Code::Unary : Code::Primary};
    }
    case TypeKind::Duration: {
        int64_t ms = v.asMilliseconds();
        if (ms < 0 && ms != INT64_MIN)
            return {"-" + durationLiteral(-ms, literals_), Code::Unary};
        return {durationLiteral(ms, literals_)};
    }
    case TypeKind::String:
        return {stringLiteral(v.asString())};
    case TypeKind::Bool:
        return {v.asBool() ? "true" : "false"};
    case TypeKind::Enum:
        return {stringLiteral(v.enumName())};
    case TypeKind::List: {
        const Type* element = v.type()->element();
        if ((!element || element->isError()) && expected && expected->kind() == TypeKind::List)
            element = expected->element();
        std::string out = "std::vector<" + cppType(element) + ">{";
        bool first = true;
        for (const Value& e : v.asList()) {
            if (!first)
                out += ", ";
            first = false;
            out += literal(e, element).text;
        }
        return {out + "}"};
    }
    case TypeKind::Optional:
    case TypeKind::Kind:
    case TypeKind::Error:
        break;
    }
    return {"{}"};
}

Code Generator::constRef(const ir::ConstDecl& c) {
    // Constants of an imported spec without generated code are written where they are used.
    if (!needsGeneratedCode(*c.module) && c.value)
        return literal(*c.value, c.type);
    std::string name = qualify(*c.module, cpp::constName(c));
    if (c.dependsOnStartup)
        name += "()";
    return {name};
}

std::optional<Code> Generator::expr(const ir::Expr& e, const Scope& s, const Type* expected) {
    using K = ir::Expr::Kind;
    switch (e.kind()) {
    case K::Literal:
        // The value, canonically: never the spec's spelling (`010s` is 10 s, not octal).
        return literal(cast<ir::LiteralExpr>(e).value, expected ? expected : e.type());
    case K::ParamRef: {
        const ir::Param* p = cast<ir::ParamRefExpr>(e).param;
        auto it = s.params.find(p);
        if (it == s.params.end())
            return std::nullopt; // an open parameter
        if (s.used)
            s.used->insert(p);
        return it->second;
    }
    case K::ConstRef:
        return constRef(*cast<ir::ConstRefExpr>(e).decl);
    case K::LoopVarRef: {
        auto it = s.loops.find(cast<ir::LoopVarRefExpr>(e).loop);
        if (it == s.loops.end())
            return std::nullopt;
        return it->second;
    }
    case K::Schedulers:
        return Code{"sup::gen::schedulers()"};
    case K::List: {
        const auto& l = cast<ir::ListExpr>(e);
        const Type* t = l.type();
        if (expected && expected->kind() == TypeKind::Optional)
            expected = expected->element();
        const Type* element = t->element();
        if ((!element || element->isError()) && expected && expected->kind() == TypeKind::List)
            element = expected->element();
        Code out{"std::vector<" + cppType(element) + ">{"};
        bool first = true;
        for (const auto& x : l.elements) {
            auto c = expr(*x, s, element);
            if (!c)
                return std::nullopt;
            out.text += (first ? "" : ", ") + c->text;
            out.uses(*c);
            first = false;
        }
        out.text += "}";
        return out;
    }
    case K::Negate: {
        auto c = expr(*cast<ir::NegateExpr>(e).operand, s);
        if (!c)
            return std::nullopt;
        Code out{"-" + operand(*c, Code::Unary), Code::Unary};
        out.uses(*c);
        return out;
    }
    case K::Binary: {
        const auto& b = cast<ir::BinaryExpr>(e);
        auto l = expr(*b.lhs, s);
        auto r = expr(*b.rhs, s);
        if (!l || !r)
            return std::nullopt;
        Code out;
        out.uses(*l);
        out.uses(*r);
        bool division = b.op == ir::BinaryOp::Div || b.op == ir::BinaryOp::Mod;
        if (division && !isNonZeroLiteral(*b.rhs)) {
            const char* f = b.op == ir::BinaryOp::Div ? "divide" : "remainder";
            out.text = fmt::format("sup::gen::{}({}, {})", f, l->text, r->text);
            return out;
        }
        out.prec = precedenceOf(b.op);
        auto rank = static_cast<Code::Prec>(out.prec + 1);
        out.text = operand(*l, out.prec) + " " + ir::spelling(b.op) + " " + operand(*r, rank);
        return out;
    }
    case K::KindInstance:
        return templateOf(e, s, "kind");
    case K::Error:
        break;
    }
    return std::nullopt;
}

std::optional<Code> Generator::idCode(const ir::IdTemplate& id, const Scope& s,
                                      size_t skipLeadingText) {
    std::vector<Code> pieces;
    std::string text;
    Code refs; // what the interpolated parts refer to
    auto flush = [&] {
        if (text.empty())
            return;
        std::string lit = stringLiteral(text);
        text.clear();
        if (!pieces.empty() && isStringLiteral(pieces.back().text))
            pieces.back().text =
                pieces.back().text.substr(0, pieces.back().text.size() - 1) + lit.substr(1);
        else
            pieces.push_back({lit});
    };
    for (const auto& part : id.parts) {
        if (!part.expr) {
            text += &part == &id.parts.front()
                        ? part.text.substr(std::min(skipLeadingText, part.text.size()))
                        : part.text;
            continue;
        }
        if (part.expr->isConstant()) {
            auto t = constantText(*part.expr);
            if (!t)
                return std::nullopt;
            text += *t;
            continue;
        }
        auto c = expr(*part.expr, s);
        if (!c)
            return std::nullopt;
        if (isStringLiteral(c->text)) {
            // A parameter bound to a literal (an accessor of the tree handle): one literal
            // with its neighbours, never "a" + "b" (two pointers).
            flush();
            if (!pieces.empty() && isStringLiteral(pieces.back().text))
                pieces.back().text =
                    pieces.back().text.substr(0, pieces.back().text.size() - 1) + c->text.substr(1);
            else
                pieces.push_back(*c);
            continue;
        }
        flush();
        refs.uses(*c);
        if (part.expr->type()->kind() == TypeKind::Int)
            pieces.push_back({"std::to_string(" + c->text + ")"});
        else
            pieces.push_back({operand(*c, Code::Primary)});
    }
    flush();
    if (pieces.empty())
        return Code{"\"\""};
    if (pieces.size() == 1) {
        // A lone parameter or call is already a std::string (or a literal).
        pieces[0].uses(refs);
        return pieces[0];
    }
    Code out{"", Code::Additive};
    out.uses(refs);
    for (size_t i = 0; i < pieces.size(); ++i)
        out.text += (i ? " + " : "") + pieces[i].text;
    // Two literals are never adjacent, so one side of the first '+' is a std::string.
    return out;
}

std::optional<BoundKind> Generator::bindKind(const ir::KindInstanceExpr& k, const Scope& outer) {
    BoundKind b;
    b.decl = k.decl;
    for (const auto& p : k.decl->params) {
        std::optional<Code> c;
        ir::ParamBinding binding = ir::bindParam(p, &k);
        switch (binding.source) {
        case ir::ParamBinding::Source::Given:
            c = p.type->kind() == TypeKind::Kind ? templateOf(*binding.expr, outer, p.name)
                                                 : expr(*binding.expr, outer, p.type);
            break;
        case ir::ParamBinding::Source::Default:
            c = expr(*binding.expr, b.scope, p.type); // in the kind's scope
            break;
        case ir::ParamBinding::Source::Omitted:
            c = literal(Value::makeNone(p.type), p.type);
            break;
        case ir::ParamBinding::Source::Open:
            b.open.push_back(&p);
            c = Code{paramName(p, *k.decl)};
            c->usesOpen = true;
            break;
        }
        if (!c)
            return std::nullopt;
        b.scope.params[&p] = *c;
    }
    return b;
}

std::vector<std::string> Generator::argumentNames(const BoundKind& bound, bool fixedOnly) {
    std::vector<std::string> out;
    for (const auto& p : bound.decl->params) {
        auto it = bound.scope.params.find(&p);
        if (it == bound.scope.params.end() || (fixedOnly && it->second.usesOpen))
            continue;
        out.push_back(p.name);
    }
    return out;
}

std::string Generator::workerCall(const ir::WorkerDecl& worker, const BoundKind& bound,
                                  const std::string& id, size_t column, bool withNames) {
    std::vector<std::string> args = arguments(bound);
    std::vector<std::string> names;
    if (withNames) {
        names = argumentNames(bound);
        names.insert(names.begin(), "child id");
    }
    if (worker.isProgram)
        return "sup::process(" + id + ", " + processSpecCode(worker, bound) + ")";
    args.insert(args.begin(), id);
    std::string callee = "sup::worker<" + className(worker, ns_);
    if (!worker.params.empty()) {
        // The parameters' types, so that a literal 4000 or "unique" reaches the class as
        // the std::int64_t or std::string the kind declares.
        callee = "sup::gen::worker<" + className(worker, ns_);
        for (const auto& p : worker.params)
            callee += ", " + cppType(p.type);
    }
    return call(callee + ">", args, column, names);
}

std::string Generator::factoryName(const ir::WorkerDecl& worker) const {
    if (worker.module != &module_ && !needsGeneratedCode(*worker.module)) {
        auto it = localFactoryNames_.find(&worker);
        if (it != localFactoryNames_.end())
            return it->second;
    }
    return qualify(*worker.module, cpp::factoryName(worker));
}

std::vector<std::string> Generator::arguments(const BoundKind& bound, bool fixedOnly) {
    std::vector<std::string> out;
    for (const auto& p : bound.decl->params) {
        auto it = bound.scope.params.find(&p);
        if (it == bound.scope.params.end() || (fixedOnly && it->second.usesOpen))
            continue;
        out.push_back(it->second.text);
    }
    return out;
}

} // namespace supc::codegen
