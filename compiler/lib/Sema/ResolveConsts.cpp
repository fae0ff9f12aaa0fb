// Consts: resolved on first use (or in declaration order), in dependency order, each
// once; a const defined in terms of itself is reported with the whole chain. env() consts
// take their type from their default and are evaluated with it; the environment is read
// by elaboration and by the generated code.
#include "Sema/Resolver.h"
#include "supc/CppSyntax.h"
#include "supc/Limits.h"

#include <algorithm>

namespace supc::sema {

using llvm::cast;
using llvm::dyn_cast;

std::optional<Value> Resolver::constant(const ir::Expr& e) {
    if (!e.isConstant() || e.type()->isError())
        return std::nullopt;
    return evaluate(e, evalCtx_, &diag_);
}

void Resolver::ensureConst(ir::ConstDecl& c, SourceRange usedAt) {
    ConstState& state = constState_[&c];
    if (state == ConstState::Done)
        return;
    if (state == ConstState::InProgress) {
        std::string chain;
        auto it = std::find(constStack_.begin(), constStack_.end(), &c);
        for (auto k = it; k != constStack_.end(); ++k)
            chain += "'" + (*k)->name + "' -> ";
        chain += "'" + c.name + "'";
        auto b = diag_.error(ErrorCode::E036, usedAt.isValid() ? usedAt : c.nameRange,
                             "const '{}' is defined in terms of itself: {}", c.name, chain);
        for (auto k = it; k != constStack_.end(); ++k) {
            b.note(fmt::format("'{}' is defined here", (*k)->name), (*k)->nameRange);
            const_cast<ir::ConstDecl*>(*k)->failed = true;
        }
        return;
    }
    if (constStack_.size() >= limits::kMaxConstDepth) {
        diag_.error(ErrorCode::E004, usedAt, "consts refer to each other more than {} deep",
                    limits::kMaxConstDepth);
        c.failed = true;
        return;
    }
    state = ConstState::InProgress;
    constStack_.push_back(&c);
    resolving(c, [&] { resolveConst(c); });
    constStack_.pop_back();
    constState_[&c] = ConstState::Done;
}

void Resolver::resolveConst(ir::ConstDecl& c) {
    const auto& a = *cast<ast::ConstDecl>(astOf_[&c]);
    Scope s;
    s.module = c.module;
    if (auto* call = dyn_cast<ast::CallExpr>(a.value.get());
        call && call->callee.isSimple() && call->callee.parts[0] == "env") {
        resolveEnvConst(c, *call);
        return;
    }
    c.init = resolveExpr(*a.value, Expect{nullptr, fmt::format("const '{}'", c.name), ""}, s);
    c.type = c.init->type();
    c.dependsOnStartup = (c.init->dependence() & ir::DependsOnStartup) != 0;
    if (c.type->kind() == TypeKind::Kind) {
        diag_
            .error(ErrorCode::E037, a.value->range(),
                   "const '{}' would hold a kind; consts hold values", c.name)
            .note("use the kind's name directly where a kind is expected");
        c.type = Type::errorType();
        c.init = std::make_unique<ir::ErrorExpr>(a.value->range());
        return;
    }
    if (c.type->isError())
        return;
    if (c.dependsOnStartup) {
        // With every env() at its default: what `dump` shows without the variables set.
        EvalContext ctx = evalCtx_;
        ctx.schedulers = [] { return std::optional<int64_t>(); };
        c.value = evaluate(*c.init, ctx, nullptr);
    } else {
        c.value = evaluate(*c.init, evalCtx_, &diag_);
    }
}

// `const NAME = env("VAR", default);`
void Resolver::resolveEnvConst(ir::ConstDecl& c, const ast::CallExpr& call) {
    Scope s;
    s.module = c.module;
    c.isEnv = true;
    c.dependsOnStartup = true;
    bool ok = call.args.size() == 2;
    for (const auto& arg : call.args)
        ok &= arg.name.empty();
    if (!ok) {
        diag_
            .error(ErrorCode::E034, call.range(),
                   "env() takes two arguments: the variable's name and its default")
            .note("for example: const pool_size = env(\"POOL_SIZE\", 10);");
        c.type = Type::errorType();
        return;
    }
    auto* name = dyn_cast<ast::StringLit>(call.args[0].value.get());
    if (!name || name->value.empty()) {
        auto b = diag_.error(ErrorCode::E034, call.args[0].value->range(),
                             "the first argument of env() must be the variable's name, a string");
        if (auto* n = dyn_cast<ast::NameExpr>(call.args[0].value.get()))
            b.fixIt(n->range(), "\"" + n->name.str() + "\"");
        c.type = Type::errorType();
        return;
    }
    if (!cpp::isIdentifier(name->value)) {
        diag_
            .error(ErrorCode::E034, call.args[0].value->range(),
                   "'{}' is not the name of an environment variable: expected letters, digits "
                   "and '_', not starting with a digit",
                   name->value)
            .note("the generated code reads it with getenv() and names it in its comments");
        c.type = Type::errorType();
        return;
    }
    c.envVar = name->value;
    c.envDefault = resolveExpr(*call.args[1].value, Expect{nullptr, "the default of env()", ""}, s);
    c.type = c.envDefault->type();
    if (c.type->isError())
        return;
    TypeKind k = c.type->kind();
    if (k != TypeKind::Int && k != TypeKind::Duration && k != TypeKind::String &&
        k != TypeKind::Bool) {
        diag_.error(ErrorCode::E034, call.args[1].value->range(),
                    "env() reads an int, a duration, a string or a bool, found {}",
                    c.type->describe());
        c.type = Type::errorType();
        return;
    }
    if (!c.envDefault->isConstant()) {
        diag_.error(ErrorCode::E034, call.args[1].value->range(),
                    "the default of env() must be a constant");
        c.type = Type::errorType();
        return;
    }
    c.value = constant(*c.envDefault);
}

} // namespace supc::sema
