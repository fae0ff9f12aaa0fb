#include "supc/Evaluator.h"

#include "supc/Limits.h"

#include <cmath>
#include <fmt/format.h>

namespace supc {

namespace {

std::optional<Value> arithmeticError(DiagnosticEngine* diag, const ir::Expr& e, std::string msg) {
    if (diag)
        diag->error(ErrorCode::E035, e.range(), std::move(msg));
    return std::nullopt;
}

std::optional<Value> evalBinary(const ir::BinaryExpr& b, const Value& l, const Value& r,
                                DiagnosticEngine* diag) {
    TypeKind lk = l.type()->kind(), rk = r.type()->kind();
    auto outOfDurations = [&]() -> std::optional<Value> {
        if (diag)
            diag->error(ErrorCode::E032, b.range(),
                        "'{}' {} '{}' is outside the range of durations: at most {}, either way",
                        l.str(), ir::spelling(b.op), r.str(), limits::kMaxDurationText)
                .note("the runtime counts time in nanoseconds, in 64 bits");
        return std::nullopt;
    };
    auto overflow = [&] {
        if (b.type()->kind() == TypeKind::Duration)
            return outOfDurations();
        return arithmeticError(
            diag, b,
            fmt::format("'{}' {} '{}' overflows 64 bits", l.str(), ir::spelling(b.op), r.str()));
    };
    if (lk == TypeKind::Decimal || rk == TypeKind::Decimal) {
        double x = l.asDecimal(), y = r.asDecimal(), out = 0;
        switch (b.op) {
        case ir::BinaryOp::Add:
            out = x + y;
            break;
        case ir::BinaryOp::Sub:
            out = x - y;
            break;
        case ir::BinaryOp::Mul:
            out = x * y;
            break;
        case ir::BinaryOp::Div:
            if (y == 0)
                return arithmeticError(diag, b, "division by zero");
            out = x / y;
            break;
        case ir::BinaryOp::Mod:
            return std::nullopt;
        }
        if (!std::isfinite(out))
            return arithmeticError(diag, b,
                                   fmt::format("'{}' {} '{}' overflows a decimal", l.str(),
                                               ir::spelling(b.op), r.str()));
        return Value::makeDecimal(out);
    }
    int64_t x = l.asInt(), y = r.asInt(), out = 0;
    // Durations are bounded by the runtime's clock (limits::kMaxDurationMs), not by 64 bits.
    auto make = [&](int64_t v) -> std::optional<Value> {
        if (b.type()->kind() != TypeKind::Duration)
            return Value::makeInt(v);
        if (v > limits::kMaxDurationMs || v < -limits::kMaxDurationMs)
            return outOfDurations();
        return Value::makeDuration(v);
    };
    switch (b.op) {
    case ir::BinaryOp::Add:
        if (__builtin_add_overflow(x, y, &out))
            return overflow();
        return make(out);
    case ir::BinaryOp::Sub:
        if (__builtin_sub_overflow(x, y, &out))
            return overflow();
        return make(out);
    case ir::BinaryOp::Mul:
        if (__builtin_mul_overflow(x, y, &out))
            return overflow();
        return make(out);
    case ir::BinaryOp::Div:
    case ir::BinaryOp::Mod:
        if (y == 0)
            return arithmeticError(diag, b,
                                   fmt::format("division by zero: '{}' {} '{}'", l.str(),
                                               ir::spelling(b.op), r.str()));
        if (x == INT64_MIN && y == -1)
            return overflow();
        return make(b.op == ir::BinaryOp::Div ? x / y : x % y);
    }
    return std::nullopt;
}

} // namespace

std::optional<Value> evaluate(const ir::Expr& expr, const EvalContext& ctx,
                              DiagnosticEngine* diag) {
    switch (expr.kind()) {
    case ir::Expr::Kind::Literal:
        return llvm::cast<ir::LiteralExpr>(expr).value;
    case ir::Expr::Kind::Error:
        return std::nullopt;
    case ir::Expr::Kind::ParamRef: {
        const auto& p = *llvm::cast<ir::ParamRefExpr>(expr).param;
        if (!ctx.params || p.index >= ctx.params->size())
            return std::nullopt;
        return (*ctx.params)[p.index];
    }
    case ir::Expr::Kind::LoopVarRef: {
        const ir::Loop* loop = llvm::cast<ir::LoopVarRefExpr>(expr).loop;
        if (!ctx.loops)
            return std::nullopt;
        for (auto it = ctx.loops->rbegin(); it != ctx.loops->rend(); ++it)
            if (it->first == loop)
                return Value::makeInt(it->second);
        return std::nullopt;
    }
    case ir::Expr::Kind::ConstRef:
        if (!ctx.constant)
            return std::nullopt;
        return ctx.constant(*llvm::cast<ir::ConstRefExpr>(expr).decl);
    case ir::Expr::Kind::Schedulers: {
        if (!ctx.schedulers)
            return std::nullopt;
        auto n = ctx.schedulers();
        if (!n)
            return std::nullopt;
        return Value::makeInt(*n);
    }
    case ir::Expr::Kind::List: {
        const auto& l = llvm::cast<ir::ListExpr>(expr);
        std::vector<Value> out;
        out.reserve(l.elements.size());
        for (const auto& e : l.elements) {
            auto v = evaluate(*e, ctx, diag);
            if (!v)
                return std::nullopt;
            out.push_back(v->withType(l.type()->element()));
        }
        return Value::makeList(l.type(), std::move(out));
    }
    case ir::Expr::Kind::Negate: {
        const auto& n = llvm::cast<ir::NegateExpr>(expr);
        auto v = evaluate(*n.operand, ctx, diag);
        if (!v || v->isError())
            return std::nullopt;
        if (v->type()->kind() == TypeKind::Decimal)
            return Value::makeDecimal(-v->asDecimal());
        if (v->asInt() == INT64_MIN)
            return arithmeticError(diag, expr, "negation overflows 64 bits");
        return v->type()->kind() == TypeKind::Duration ? Value::makeDuration(-v->asInt())
                                                       : Value::makeInt(-v->asInt());
    }
    case ir::Expr::Kind::Binary: {
        const auto& b = llvm::cast<ir::BinaryExpr>(expr);
        auto l = evaluate(*b.lhs, ctx, diag);
        if (!l || l->isError())
            return std::nullopt;
        auto r = evaluate(*b.rhs, ctx, diag);
        if (!r || r->isError())
            return std::nullopt;
        return evalBinary(b, *l, *r, diag);
    }
    case ir::Expr::Kind::KindInstance: {
        const auto& k = llvm::cast<ir::KindInstanceExpr>(expr);
        std::vector<std::optional<Value>> bound(k.decl->params.size());
        std::vector<bool> given(k.decl->params.size(), false);
        for (const auto& p : k.decl->params) {
            ir::ParamBinding b = ir::bindParam(p, &k);
            if (b.source != ir::ParamBinding::Source::Given)
                continue; // bindKindArguments: in the kind's own scope
            auto v = evaluate(*b.expr, ctx, diag);
            if (!v)
                return std::nullopt;
            bound[p.index] = v->withType(p.type);
            given[p.index] = true;
        }
        return Value::makeKind(
            bindKindArguments(*k.decl, std::move(bound), std::move(given), ctx, diag));
    }
    }
    return std::nullopt;
}

KindValue bindKindArguments(const ir::KindDecl& decl, std::vector<std::optional<Value>> bound,
                            std::vector<bool> explicitArgs, const EvalContext& ctx,
                            DiagnosticEngine* diag) {
    KindValue out;
    out.decl = &decl;
    out.args = std::move(bound);
    out.args.resize(decl.params.size());
    out.explicitArgs = std::move(explicitArgs);
    out.explicitArgs.resize(decl.params.size(), false);
    // Defaults are evaluated in the declaration's scope: earlier parameters and consts.
    EvalContext own;
    own.params = &out.args;
    own.constant = ctx.constant;
    own.schedulers = ctx.schedulers;
    for (const auto& p : decl.params) {
        if (out.args[p.index])
            continue;
        ir::ParamBinding b = ir::bindParam(p, nullptr);
        if (b.source == ir::ParamBinding::Source::Default) {
            if (auto v = evaluate(*b.expr, own, diag))
                out.args[p.index] = v->withType(p.type);
        } else if (b.source == ir::ParamBinding::Source::Omitted) {
            out.args[p.index] = Value::makeNone(p.type);
        }
    }
    return out;
}

} // namespace supc
