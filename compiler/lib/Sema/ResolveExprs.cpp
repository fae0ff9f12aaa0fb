// Expressions: literals, names, calls, operators and lists, typed against what is
// expected where they appear; kinds used as values or as children, with their arguments
// bound to parameters by name.
#include "Sema/Resolver.h"

#include <algorithm>

namespace supc::sema {

using llvm::cast;
using llvm::dyn_cast;
using llvm::isa;

void Resolver::reportMismatch(const ast::Expr& e, const Expect& expect, const Type* found) {
    const Type* want = expect.type;
    auto b = diag_.error(ErrorCode::E016, e.range(), "{} expects {}, found {}", expect.what,
                         want->describe(), found->describe());
    const Type* base = stripOptional(want);
    if (base->kind() == TypeKind::Duration && found->kind() == TypeKind::Int) {
        if (auto* lit = dyn_cast<ast::IntLit>(&e))
            b.note(fmt::format("a duration needs a unit: {}ms, {}s, {}m or {}h", lit->value,
                               lit->value, lit->value, lit->value));
        else
            b.note("a duration needs a unit: ms, s, m or h");
    } else if (base->kind() == TypeKind::Int && found->kind() == TypeKind::Duration) {
        b.note("an int is a plain number, without a unit");
    } else if (base->kind() == TypeKind::Kind) {
        b.note("name a worker kind, a supervisor or a dynamic supervisor");
    } else if (base->kind() == TypeKind::String && found->kind() != TypeKind::String) {
        b.note("strings are written in double quotes");
    } else if (base->kind() == TypeKind::Enum && found->kind() == TypeKind::String) {
        if (auto* lit = dyn_cast<ast::StringLit>(&e); lit && base->enumeratorIndex(lit->value)) {
            b.note(
                fmt::format("'{}' is a word, not a string: write it without quotes", lit->value));
            b.fixIt(e.range(), lit->value);
        }
    } else if (base->kind() == TypeKind::Duration && found->kind() == TypeKind::String) {
        if (auto* lit = dyn_cast<ast::StringLit>(&e))
            b.note(fmt::format("durations are written without quotes: {}", lit->value));
    }
}

ir::ExprPtr Resolver::resolveExpr(const ast::Expr& e, const Expect& expect, Scope& s) {
    // `one-for-all` where an enumerated value is expected: say so, not "unknown name 'one'".
    if (const Type* want = stripOptional(expect.type);
        want && want->kind() == TypeKind::Enum && isa<ast::BinaryExpr>(&e)) {
        if (auto words = dashedWords(e)) {
            std::string written(e.range().text());
            std::string noun = expect.enumNoun.empty() ? "value" : expect.enumNoun;
            auto b = diag_.error(ErrorCode::E012, e.range(), "unknown {} '{}'", noun, written);
            std::string note = "expected one of: " + joinPlain(want->enumerators());
            if (want->enumeratorIndex(*words)) {
                note += fmt::format(" (did you mean '{}'? words are joined with '_')", *words);
                b.fixIt(e.range(), *words);
            }
            b.note(note);
            return std::make_unique<ir::ErrorExpr>(e.range());
        }
    }
    ir::ExprPtr r = resolveInner(e, expect, s);
    if (!r)
        return std::make_unique<ir::ErrorExpr>(e.range());
    if (expect.type && !isAssignable(expect.type, r->type())) {
        reportMismatch(e, expect, r->type());
        return std::make_unique<ir::ErrorExpr>(e.range());
    }
    // An int literal where a decimal is expected (jitter = 0) becomes a decimal.
    if (expect.type && stripOptional(expect.type)->kind() == TypeKind::Decimal &&
        r->type()->kind() == TypeKind::Int)
        if (auto* lit = dyn_cast<ir::LiteralExpr>(r.get()))
            return std::make_unique<ir::LiteralExpr>(lit->value.withType(Type::decimalType()),
                                                     lit->range());
    return r;
}

ir::ExprPtr Resolver::resolveInner(const ast::Expr& e, const Expect& expect, Scope& s) {
    SourceRange r = e.range();
    switch (e.kind()) {
    case ast::Expr::Kind::Int:
        return std::make_unique<ir::LiteralExpr>(Value::makeInt(cast<ast::IntLit>(e).value), r);
    case ast::Expr::Kind::Decimal:
        return std::make_unique<ir::LiteralExpr>(Value::makeDecimal(cast<ast::DecimalLit>(e).value),
                                                 r);
    case ast::Expr::Kind::Duration:
        return std::make_unique<ir::LiteralExpr>(
            Value::makeDuration(cast<ast::DurationLit>(e).milliseconds), r);
    case ast::Expr::Kind::String:
        return std::make_unique<ir::LiteralExpr>(Value::makeString(cast<ast::StringLit>(e).value),
                                                 r);
    case ast::Expr::Kind::Bool:
        return std::make_unique<ir::LiteralExpr>(Value::makeBool(cast<ast::BoolLit>(e).value), r);
    case ast::Expr::Kind::Error:
        return std::make_unique<ir::ErrorExpr>(r);
    case ast::Expr::Kind::Name:
        return resolveName(cast<ast::NameExpr>(e), expect, s);
    case ast::Expr::Kind::Call:
        return resolveCall(cast<ast::CallExpr>(e), expect, s);
    case ast::Expr::Kind::Binary:
        return resolveBinary(cast<ast::BinaryExpr>(e), s);
    case ast::Expr::Kind::Negate:
        return resolveNegate(cast<ast::NegateExpr>(e), s);
    case ast::Expr::Kind::List:
        return resolveList(cast<ast::ListExpr>(e), expect, s);
    }
    return std::make_unique<ir::ErrorExpr>(r);
}

ir::ExprPtr Resolver::resolveNegate(const ast::NegateExpr& n, Scope& s) {
    SourceRange r = n.range();
    auto operand = resolveExpr(*n.operand, Expect{}, s);
    const Type* t = operand->type();
    if (t->isError())
        return std::make_unique<ir::ErrorExpr>(r);
    if (t->kind() != TypeKind::Int && t->kind() != TypeKind::Duration &&
        t->kind() != TypeKind::Decimal) {
        diag_.error(ErrorCode::E016, r, "'-' applies to numbers and durations, found {}",
                    t->describe());
        return std::make_unique<ir::ErrorExpr>(r);
    }
    return std::make_unique<ir::NegateExpr>(t, r, std::move(operand));
}

ir::ExprPtr Resolver::resolveList(const ast::ListExpr& l, const Expect& expect, Scope& s) {
    SourceRange r = l.range();
    const Type* want = stripOptional(expect.type);
    const Type* elem = want && want->kind() == TypeKind::List ? want->element() : nullptr;
    if (expect.type && !elem) {
        // A list where something else is expected: type it to report the mismatch.
        elem = nullptr;
    }
    std::vector<ir::ExprPtr> elements;
    unsigned deps = 0;
    bool error = false;
    for (const auto& item : l.elements) {
        Expect ee{elem, elem ? "a list element" : "", ""};
        if (elem && elem->kind() == TypeKind::Enum)
            ee.enumNoun = "value";
        auto x = resolveExpr(*item, ee, s);
        error |= x->type()->isError();
        if (!elem && !x->type()->isError()) {
            elem = x->type();
        } else if (elem && !x->type()->isError() && !isAssignable(elem, x->type())) {
            diag_.error(ErrorCode::E016, item->range(),
                        "list elements must all have one type: {} then {}", elem->describe(),
                        x->type()->describe());
            error = true;
        }
        deps |= x->dependence();
        elements.push_back(std::move(x));
    }
    if (error)
        return std::make_unique<ir::ErrorExpr>(r);
    if (!elem) {
        diag_.error(ErrorCode::E016, r, "cannot tell the type of an empty list here");
        return std::make_unique<ir::ErrorExpr>(r);
    }
    return std::make_unique<ir::ListExpr>(Type::listOf(elem), r, std::move(elements), deps);
}

ir::ExprPtr Resolver::resolveName(const ast::NameExpr& e, const Expect& expect, Scope& s) {
    SourceRange r = e.range();
    const Type* want = stripOptional(expect.type);
    if (want && want->kind() == TypeKind::Enum && e.name.isSimple())
        if (auto idx = want->enumeratorIndex(e.name.parts[0]))
            return std::make_unique<ir::LiteralExpr>(Value::makeEnum(want, *idx), r);

    Symbol sym = lookup(e.name, s);
    if (quietUse(sym.decl))
        return quietError(r);
    switch (sym.kind) {
    case Symbol::Kind::LoopVar:
        return std::make_unique<ir::LoopVarRefExpr>(sym.loop, r);
    case Symbol::Kind::Param:
        if (sym.laterParam) {
            diag_.error(ErrorCode::E011, r,
                        "parameter '{}' is declared after this one; a default can only use "
                        "earlier parameters",
                        sym.param->name);
            return std::make_unique<ir::ErrorExpr>(r);
        }
        return std::make_unique<ir::ParamRefExpr>(sym.param, sym.param->type, r);
    case Symbol::Kind::Const: {
        auto* c = const_cast<ir::ConstDecl*>(cast<ir::ConstDecl>(sym.decl));
        ensureConst(*c, r);
        if (constState_[c] != ConstState::Done || c->type->isError())
            return std::make_unique<ir::ErrorExpr>(r);
        return std::make_unique<ir::ConstRefExpr>(c, c->type, r, c->dependsOnStartup);
    }
    case Symbol::Kind::Decl: {
        const auto* k = cast<ir::KindDecl>(sym.decl);
        if (want && want->kind() == TypeKind::Kind)
            return kindInstance(*k, {}, r, s, /*allowOpen=*/true);
        diag_.error(ErrorCode::E037, r, "'{}' is a {}, not a value", e.name.str(), k->kindName());
        return std::make_unique<ir::ErrorExpr>(r);
    }
    case Symbol::Kind::Module:
        diag_.error(ErrorCode::E037, r, "'{}' is an imported file, not a value", e.name.str())
            .note(fmt::format("name one of its declarations, such as '{}.Name'", e.name.str()));
        return std::make_unique<ir::ErrorExpr>(r);
    case Symbol::Kind::Ambiguous:
    case Symbol::Kind::None:
        break;
    }
    if (want && want->kind() == TypeKind::Enum && e.name.isSimple() && !sym.unknownModule &&
        sym.kind == Symbol::Kind::None) {
        const std::string& n = e.name.parts[0];
        std::string noun = expect.enumNoun.empty() ? "value" : expect.enumNoun;
        auto b =
            expect.enumFor.empty()
                ? diag_.error(ErrorCode::E012, r, "unknown {} '{}'", noun, n)
                : diag_.error(ErrorCode::E012, r, "unknown value '{}' for {}", n, expect.enumFor);
        auto guess = closestMatch(n, want->enumerators());
        std::string note = "expected one of: " + joinPlain(want->enumerators());
        if (guess)
            note += fmt::format(" (did you mean '{}'?)", *guess);
        b.note(note);
        if (auto otp = otpValueNote(n, *want))
            b.note(*otp);
        if (guess)
            b.fixIt(r, *guess);
        return std::make_unique<ir::ErrorExpr>(r);
    }
    reportUnknownValue(e.name, sym, s, want && want->kind() == TypeKind::Kind ? "kind" : "name");
    return std::make_unique<ir::ErrorExpr>(r);
}

ir::ExprPtr Resolver::resolveCall(const ast::CallExpr& e, const Expect& expect, Scope& s) {
    SourceRange r = e.range();
    const Type* want = stripOptional(expect.type);
    if (e.callee.isSimple()) {
        const std::string& f = e.callee.parts[0];
        if (f == "env") {
            diag_.error(ErrorCode::E034, r, "env() can only be the whole value of a const")
                .note("declare it first: const name = env(\"VAR\", default); then use the const");
            return std::make_unique<ir::ErrorExpr>(r);
        }
        if (f == "schedulers" && !s.module->find("schedulers")) {
            if (!e.args.empty()) {
                diag_.error(ErrorCode::E016, r, "schedulers() takes no arguments");
                return std::make_unique<ir::ErrorExpr>(r);
            }
            return std::make_unique<ir::SchedulersExpr>(r);
        }
        if (f == "exponential" && !s.module->find("exponential")) {
            diag_
                .error(ErrorCode::E016, r, "{} expects {}, found exponential(...)", expect.what,
                       want ? want->describe() : std::string("a value"))
                .note("exponential(MIN, MAX) is a value of the 'backoff' setting only");
            return std::make_unique<ir::ErrorExpr>(r);
        }
    }
    Symbol sym = lookup(e.callee, s);
    if (quietUse(sym.decl))
        return quietError(r);
    if (sym.kind == Symbol::Kind::Decl) {
        const auto* k = cast<ir::KindDecl>(sym.decl);
        if (want && want->kind() == TypeKind::Kind)
            return kindInstance(*k, e.args, r, s, /*allowOpen=*/true);
        diag_.error(ErrorCode::E037, r, "'{}(...)' is a {} with arguments, not a value",
                    e.callee.str(), k->kindName());
        return std::make_unique<ir::ErrorExpr>(r);
    }
    if (sym.kind == Symbol::Kind::None && !sym.unknownModule) {
        if (s.module->namesIncomplete)
            return quietError(r);
        auto b = diag_.error(ErrorCode::E011, e.callee.range, "unknown function or kind '{}'",
                             e.callee.str());
        if (auto guess =
                diag_.allowSuggestion() ? suggestKind(e.callee.str(), s, true) : std::nullopt) {
            b.note(fmt::format("did you mean '{}'?", *guess));
            b.fixIt(e.callee.range, *guess);
        }
        return std::make_unique<ir::ErrorExpr>(r);
    }
    if (sym.kind == Symbol::Kind::None || sym.kind == Symbol::Kind::Ambiguous) {
        reportUnknownValue(e.callee, sym, s, "name");
        return std::make_unique<ir::ErrorExpr>(r);
    }
    diag_.error(ErrorCode::E037, e.callee.range, "'{}' cannot be called", e.callee.str());
    return std::make_unique<ir::ErrorExpr>(r);
}

ir::ExprPtr Resolver::resolveBinary(const ast::BinaryExpr& e, Scope& s) {
    SourceRange r = e.range();
    auto l = resolveExpr(*e.lhs, Expect{}, s);
    auto rr = resolveExpr(*e.rhs, Expect{}, s);
    const Type *lt = l->type(), *rt = rr->type();
    if (lt->isError() || rt->isError())
        return std::make_unique<ir::ErrorExpr>(r);
    TypeKind a = lt->kind(), b = rt->kind();
    auto numeric = [](TypeKind k) { return k == TypeKind::Int || k == TypeKind::Decimal; };
    const Type* result = nullptr;
    ir::BinaryOp op = static_cast<ir::BinaryOp>(e.op);
    switch (op) {
    case ir::BinaryOp::Add:
    case ir::BinaryOp::Sub:
        if (a == TypeKind::Int && b == TypeKind::Int)
            result = Type::intType();
        else if (a == TypeKind::Duration && b == TypeKind::Duration)
            result = Type::durationType();
        else if (numeric(a) && numeric(b))
            result = Type::decimalType();
        break;
    case ir::BinaryOp::Mul:
        if (a == TypeKind::Int && b == TypeKind::Int)
            result = Type::intType();
        else if ((a == TypeKind::Duration && b == TypeKind::Int) ||
                 (a == TypeKind::Int && b == TypeKind::Duration))
            result = Type::durationType();
        else if (numeric(a) && numeric(b))
            result = Type::decimalType();
        break;
    case ir::BinaryOp::Div:
        if (a == TypeKind::Int && b == TypeKind::Int)
            result = Type::intType();
        else if (a == TypeKind::Duration && b == TypeKind::Int)
            result = Type::durationType();
        else if (a == TypeKind::Duration && b == TypeKind::Duration)
            result = Type::intType();
        else if (numeric(a) && numeric(b))
            result = Type::decimalType();
        break;
    case ir::BinaryOp::Mod:
        if (a == TypeKind::Int && b == TypeKind::Int)
            result = Type::intType();
        else if (a == TypeKind::Duration && b == TypeKind::Duration)
            result = Type::durationType();
        break;
    }
    if (!result) {
        auto d = diag_.error(ErrorCode::E016, r, "cannot apply '{}' to {} and {}", ir::spelling(op),
                             lt->describe(), rt->describe());
        if (a == TypeKind::Optional || b == TypeKind::Optional)
            d.note("an optional value may be absent: it cannot take part in arithmetic");
        return std::make_unique<ir::ErrorExpr>(r);
    }
    return std::make_unique<ir::BinaryExpr>(result, r, op, std::move(l), std::move(rr));
}

ir::ExprPtr Resolver::kindInstance(const ir::KindDecl& decl, const std::vector<ast::Arg>& args,
                                   SourceRange useRange, Scope& s, bool allowOpen) {
    std::vector<ir::ArgBinding> bound;
    unsigned deps = 0;
    for (size_t i = 0; i < args.size(); ++i) {
        const ast::Arg& a = args[i];
        if (a.name.empty()) {
            auto b = diag_.error(ErrorCode::E039, a.range, "arguments of '{}' are passed by name",
                                 decl.qualifiedName);
            if (i < decl.params.size())
                b.fixIt(SourceRange(a.range.begin, a.range.begin), decl.params[i].name + " = ");
            if (decl.params.empty())
                b.note(fmt::format("'{}' takes no parameters", decl.qualifiedName));
            else {
                std::vector<std::string> names;
                for (const auto& p : decl.params)
                    names.push_back(p.name);
                b.note(fmt::format("parameters of '{}': {}", decl.qualifiedName, joinPlain(names)));
            }
            continue;
        }
        const ir::Param* p = decl.findParam(a.name);
        if (!p) {
            auto b = diag_.error(ErrorCode::E017, a.nameRange, "'{}' has no parameter '{}'",
                                 decl.qualifiedName, a.name);
            std::vector<std::string> names;
            for (const auto& q : decl.params)
                names.push_back(q.name);
            if (auto guess = closestMatch(a.name, names)) {
                b.note(fmt::format("did you mean '{}'?", *guess));
                b.fixIt(a.nameRange, *guess);
            } else if (names.empty()) {
                b.note(fmt::format("'{}' takes no parameters", decl.qualifiedName));
            } else {
                b.note(fmt::format("parameters of '{}': {}", decl.qualifiedName, joinPlain(names)));
            }
            continue;
        }
        if (auto previous = std::find_if(bound.begin(), bound.end(),
                                         [&](const ir::ArgBinding& x) { return x.param == p; });
            previous != bound.end()) {
            diag_.error(ErrorCode::E019, a.range, "argument '{}' is passed twice", a.name)
                .note("the first one is here", previous->range);
            continue;
        }
        Expect e{p->type, fmt::format("argument '{}' of '{}'", p->name, decl.qualifiedName), ""};
        e.enumFor = fmt::format("parameter '{}' of '{}'", p->name, decl.qualifiedName);
        ir::ArgBinding binding;
        binding.param = p;
        binding.value = resolveExpr(*a.value, e, s);
        binding.range = a.range;
        binding.nameRange = a.nameRange;
        deps |= binding.value->dependence();
        bound.push_back(std::move(binding));
    }
    if (!allowOpen) {
        for (const auto& p : decl.params) {
            if (!p.isRequired())
                continue;
            if (std::any_of(bound.begin(), bound.end(),
                            [&](const ir::ArgBinding& x) { return x.param == &p; }))
                continue;
            diag_
                .error(ErrorCode::E018, useRange, "missing argument '{}' for '{}'", p.name,
                       decl.qualifiedName)
                .note(fmt::format("'{}' is declared here, without a default", p.name), p.range);
        }
    }
    return std::make_unique<ir::KindInstanceExpr>(&decl, useRange, std::move(bound), deps);
}

ir::ExprPtr Resolver::resolveKindUse(const ast::KindRef& ref, Scope& s, bool allowOpen,
                                     std::string_view role) {
    SourceRange r = ref.range;
    Symbol sym = lookup(ref.name, s);
    if (quietUse(sym.decl))
        return quietError(r);
    switch (sym.kind) {
    case Symbol::Kind::Decl: {
        const auto* k = cast<ir::KindDecl>(sym.decl);
        if (auto* sup = dyn_cast<ir::SupervisorDecl>(k); sup && sup->isApplication()) {
            diag_
                .error(ErrorCode::E037, ref.name.range,
                       "application '{}' is a root and cannot be {}", k->name, role)
                .note(fmt::format("declare it as 'supervisor {}' to use it inside another tree",
                                  k->name),
                      k->keywordRange);
            return std::make_unique<ir::ErrorExpr>(r);
        }
        return kindInstance(*k, ref.args, r, s, allowOpen);
    }
    case Symbol::Kind::Param:
        if (sym.param->type->kind() == TypeKind::Kind) {
            if (ref.hasArgList) {
                diag_
                    .error(ErrorCode::E016, r,
                           "'{}' is a kind parameter: arguments cannot be added to it",
                           sym.param->name)
                    .note("pass the arguments with the kind where the declaration is used");
                return std::make_unique<ir::ErrorExpr>(r);
            }
            return std::make_unique<ir::ParamRefExpr>(sym.param, sym.param->type, ref.name.range);
        }
        diag_.error(ErrorCode::E037, ref.name.range, "'{}' is a parameter of type {}, not a kind",
                    sym.param->name, sym.param->type->str());
        return std::make_unique<ir::ErrorExpr>(r);
    case Symbol::Kind::Const:
        diag_.error(ErrorCode::E037, ref.name.range, "'{}' is a const, not a kind", ref.name.str())
            .note("a child's kind is a worker kind, a supervisor or a dynamic supervisor");
        return std::make_unique<ir::ErrorExpr>(r);
    case Symbol::Kind::LoopVar:
        diag_.error(ErrorCode::E037, ref.name.range, "'{}' is a loop variable, not a kind",
                    ref.name.str());
        return std::make_unique<ir::ErrorExpr>(r);
    case Symbol::Kind::Module:
        diag_
            .error(ErrorCode::E037, ref.name.range, "'{}' is an imported file, not a kind",
                   ref.name.str())
            .note(fmt::format("name one of its kinds, such as '{}.Name'", ref.name.str()));
        return std::make_unique<ir::ErrorExpr>(r);
    case Symbol::Kind::Ambiguous:
    case Symbol::Kind::None:
        break;
    }
    reportUnknownValue(ref.name, sym, s, "kind");
    return std::make_unique<ir::ErrorExpr>(r);
}

} // namespace supc::sema
