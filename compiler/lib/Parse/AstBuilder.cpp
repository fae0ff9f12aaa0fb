#include "Parse/AstBuilder.h"

#include "Parse/Scanner.h"
#include "supc/Limits.h"
#include "supc/Settings.h"

namespace supc::parse {

using SP = grammar::SupParser;

namespace {

// ANTLR's generated accessors (ctx->kindRef(), ctx->IDENT()) dynamic_cast every child on
// every call, which costs a quarter of the parse on big specs. These scan the children
// once, telling terminals from rule contexts by their exact type.
bool isTerminal(antlr4::tree::ParseTree* t) {
    return typeid(*t) == typeid(antlr4::tree::TerminalNodeImpl);
}

// The first child context of rule `rule` (labelled alternatives report their rule's
// index), or null.
template <class T>
T* ruleChild(antlr4::ParserRuleContext* c, size_t rule) {
    for (auto* child : c->children)
        if (!isTerminal(child) &&
            static_cast<antlr4::ParserRuleContext*>(child)->getRuleIndex() == rule)
            return static_cast<T*>(child);
    return nullptr;
}

template <class T>
std::vector<T*> ruleChildren(antlr4::ParserRuleContext* c, size_t rule) {
    std::vector<T*> out;
    for (auto* child : c->children)
        if (!isTerminal(child) &&
            static_cast<antlr4::ParserRuleContext*>(child)->getRuleIndex() == rule)
            out.push_back(static_cast<T*>(child));
    return out;
}

// Child tokens of one type.
std::vector<antlr4::Token*> tokenChildren(antlr4::ParserRuleContext* c, size_t type) {
    std::vector<antlr4::Token*> out;
    for (auto* child : c->children)
        if (isTerminal(child)) {
            // TerminalNodeImpl inherits ParseTree virtually: only dynamic_cast can get there.
            antlr4::Token* t = dynamic_cast<antlr4::tree::TerminalNodeImpl*>(child)->getSymbol();
            if (t->getType() == type)
                out.push_back(t);
        }
    return out;
}

template <class T>
bool is(antlr4::ParserRuleContext* c) {
    return typeid(*c) == typeid(T);
}

SourceRange tokenRange(antlr4::Token* t) {
    if (!t)
        return {};
    return static_cast<SlimToken*>(t)->range();
}
SourceRange tokenRange(antlr4::tree::TerminalNode* n) {
    return n ? tokenRange(n->getSymbol()) : SourceRange();
}
std::string tokenText(antlr4::Token* t) {
    return t ? std::string(static_cast<SlimToken*>(t)->text()) : std::string();
}

SourceRange rangeOf(antlr4::ParserRuleContext* c) {
    if (!c || !c->getStart())
        return {};
    SourceRange b = tokenRange(c->getStart());
    antlr4::Token* stop = c->getStop();
    if (!stop || stop->getTokenIndex() < c->getStart()->getTokenIndex())
        return {b.begin, b.begin};
    return {b.begin, tokenRange(stop).end};
}

// Qualified name from IDENT (DOT IDENT)*, or head=(IDENT | keyword) (DOT IDENT)* where
// `head` may be one of the IDENTs.
ast::QualifiedName qualifiedName(antlr4::Token* head, const std::vector<antlr4::Token*>& idents) {
    ast::QualifiedName q;
    if (head) {
        q.parts.push_back(tokenText(head));
        q.partRanges.push_back(tokenRange(head));
    }
    for (auto* id : idents) {
        if (id == head)
            continue;
        q.parts.push_back(tokenText(id));
        q.partRanges.push_back(tokenRange(id));
    }
    if (!q.partRanges.empty())
        q.range = {q.partRanges.front().begin, q.partRanges.back().end};
    return q;
}

std::string stringValue(antlr4::Token* t) {
    return decodeString(static_cast<SlimToken*>(t)->text()).value;
}

} // namespace

namespace {

// Child ids (what == "id") have no braces to write; program strings may write `{{` and `}}`.
ast::IdTemplate parseTemplate(std::string_view text, SourceRange range, DiagnosticEngine& diag,
                              std::string_view what, bool braceEscapes) {
    ast::IdTemplate out;
    out.quoted = true;
    out.range = range;
    const char* base = range.begin.getPointer();
    size_t end = text.size();
    if (end >= 2 && text.back() == '"')
        --end;
    auto sub = [&](size_t b, size_t e) { return SourceRange::fromPointers(base + b, base + e); };
    std::string literal;
    auto flushLiteral = [&] {
        if (!literal.empty())
            out.parts.push_back({std::move(literal), false, {}});
        literal.clear();
    };
    for (size_t i = 1; i < end; ++i) {
        char c = text[i];
        if (c == '\\' && i + 1 < end) {
            char e = text[++i];
            literal += e == 'n' ? '\n' : e == 't' ? '\t' : e;
            continue;
        }
        if (braceEscapes && (c == '{' || c == '}') && i + 1 < end && text[i + 1] == c) {
            literal += c;
            ++i;
            continue;
        }
        if (c == '}') {
            auto b = diag.error(ErrorCode::E007, sub(i, i + 1),
                                "unmatched '}}' in an interpolated {}", what);
            b.note("'{name}' interpolates a loop variable or parameter");
            if (braceEscapes)
                b.note("write '}}' for a '}' of the text");
            continue;
        }
        if (c != '{') {
            literal += c;
            continue;
        }
        size_t close = text.find('}', i + 1);
        if (close == std::string_view::npos || close >= end) {
            auto b = diag.error(ErrorCode::E007, sub(i, end), "unclosed '{{' in an interpolated {}",
                                what);
            b.note("'{name}' interpolates a loop variable or parameter");
            if (braceEscapes)
                b.note("write '{{' for a '{' of the text");
            return out;
        }
        std::string_view name = text.substr(i + 1, close - i - 1);
        bool valid = !name.empty() && !(name[0] >= '0' && name[0] <= '9');
        for (char n : name)
            valid &= (n >= 'a' && n <= 'z') || (n >= 'A' && n <= 'Z') || (n >= '0' && n <= '9') ||
                     n == '_';
        if (!valid) {
            diag.error(ErrorCode::E007, sub(i, close + 1),
                       name.empty() ? fmt::format("empty '{{}}' in an interpolated {}", what)
                                    : fmt::format("'{{{}}}' is not a name", name))
                .note("'{name}' interpolates a loop variable or parameter by name");
        } else {
            flushLiteral();
            out.parts.push_back({std::string(name), true, sub(i + 1, close)});
        }
        i = close;
    }
    flushLiteral();
    if (out.parts.empty())
        out.parts.push_back({"", false, {}});
    return out;
}

} // namespace

ast::IdTemplate parseIdTemplate(std::string_view text, SourceRange range, DiagnosticEngine& diag) {
    return parseTemplate(text, range, diag, "id", /*braceEscapes=*/false);
}

ast::IdTemplate parseStringTemplate(std::string_view text, SourceRange range,
                                    DiagnosticEngine& diag) {
    return parseTemplate(text, range, diag, "string", /*braceEscapes=*/true);
}

ast::DeclPtr AstBuilder::build(SP::TopDeclContext* c) {
    if (!c)
        return nullptr;
    if (auto* d = c->packageDecl())
        return buildPackage(d);
    if (auto* d = c->importDecl())
        return buildImport(d);
    if (auto* d = c->constDecl())
        return buildConst(d);
    if (auto* d = c->workerDecl())
        return buildWorker(d);
    if (auto* d = c->supervisorDecl())
        return buildSupervisor(d);
    if (auto* d = c->dynamicSupervisorDecl())
        return buildDynamicSupervisor(d);
    if (auto* d = c->applicationDecl())
        return buildApplication(d);
    return nullptr;
}

ast::DeclPtr AstBuilder::buildPackage(SP::PackageDeclContext* c) {
    auto d = std::make_unique<ast::PackageDecl>(rangeOf(c));
    d->keywordRange = tokenRange(c->kw);
    d->package = qualifiedName(nullptr, tokenChildren(c, SP::IDENT));
    if (d->package.parts.empty())
        return nullptr;
    d->nameRange = d->package.range;
    return d;
}

ast::DeclPtr AstBuilder::buildImport(SP::ImportDeclContext* c) {
    if (!c->path)
        return nullptr;
    auto d = std::make_unique<ast::ImportDecl>(rangeOf(c));
    d->keywordRange = tokenRange(c->kw);
    d->path = stringValue(c->path);
    d->pathRange = tokenRange(c->path);
    return d;
}

ast::DeclPtr AstBuilder::buildConst(SP::ConstDeclContext* c) {
    if (!c->name || !c->expr())
        return nullptr;
    auto d = std::make_unique<ast::ConstDecl>(rangeOf(c));
    d->keywordRange = tokenRange(c->kw);
    d->name = tokenText(c->name);
    d->nameRange = tokenRange(c->name);
    d->value = buildExpr(c->expr());
    return d;
}

ast::DeclPtr AstBuilder::buildWorker(SP::WorkerDeclContext* c) {
    if (!c->name || ((!c->cppType || !c->header) && (!c->program || !c->command)))
        return nullptr;
    auto d = std::make_unique<ast::WorkerDecl>(rangeOf(c));
    d->keywordRange = tokenRange(c->kw);
    d->name = tokenText(c->name);
    d->nameRange = tokenRange(c->name);
    if (auto* params = ruleChild<SP::ParamListContext>(c, SP::RuleParamList))
        d->params = buildParams(params);
    if (c->program) {
        d->isProgram = true;
        d->programWord = tokenText(c->program);
        d->programRange = tokenRange(c->program);
        d->command = parseStringTemplate(static_cast<SlimToken*>(c->command)->text(),
                                         tokenRange(c->command), diag_);
        d->cppTypeRange = d->headerRange = tokenRange(c->command);
    } else {
        d->cppType = stringValue(c->cppType);
        d->cppTypeRange = tokenRange(c->cppType);
        d->header = stringValue(c->header);
        d->headerRange = tokenRange(c->header);
    }
    if (auto* block = ruleChild<SP::SettingsBlockContext>(c, SP::RuleSettingsBlock))
        if (!buildSettings(block, d->settings))
            return nullptr;
    return d;
}

ast::DeclPtr AstBuilder::buildSupervisor(SP::SupervisorDeclContext* c) {
    auto* body = ruleChild<SP::BodyContext>(c, SP::RuleBody);
    if (!c->name || !body)
        return nullptr;
    auto d = std::make_unique<ast::SupervisorDecl>(ast::Decl::Kind::Supervisor, rangeOf(c));
    d->keywordRange = tokenRange(c->kw);
    d->name = tokenText(c->name);
    d->nameRange = tokenRange(c->name);
    if (auto* params = ruleChild<SP::ParamListContext>(c, SP::RuleParamList))
        d->params = buildParams(params);
    if (!buildBody(ruleChildren<SP::BodyItemContext>(body, SP::RuleBodyItem), d->body))
        return nullptr;
    return d;
}

ast::DeclPtr AstBuilder::buildApplication(SP::ApplicationDeclContext* c) {
    auto* body = ruleChild<SP::BodyContext>(c, SP::RuleBody);
    if (!c->name || !body)
        return nullptr;
    auto d = std::make_unique<ast::SupervisorDecl>(ast::Decl::Kind::Application, rangeOf(c));
    d->keywordRange = tokenRange(c->kw);
    d->name = tokenText(c->name);
    d->nameRange = tokenRange(c->name);
    if (!buildBody(ruleChildren<SP::BodyItemContext>(body, SP::RuleBodyItem), d->body))
        return nullptr;
    return d;
}

ast::DeclPtr AstBuilder::buildDynamicSupervisor(SP::DynamicSupervisorDeclContext* c) {
    if (!c->name || !c->kindRef())
        return nullptr;
    auto d = std::make_unique<ast::DynamicSupervisorDecl>(rangeOf(c));
    d->keywordRange = tokenRange(c->kw);
    d->name = tokenText(c->name);
    d->nameRange = tokenRange(c->name);
    if (c->paramList())
        d->params = buildParams(c->paramList());
    if (!buildKindRef(c->kindRef(), d->templ))
        return nullptr;
    if (c->body() && !buildBody(c->body()->bodyItem(), d->body))
        return nullptr;
    return d;
}

std::vector<ast::Param> AstBuilder::buildParams(SP::ParamListContext* c) {
    std::vector<ast::Param> out;
    for (auto* p : c->param()) {
        if (!p->name || !p->typeRef())
            continue;
        ast::Param param;
        param.name = tokenText(p->name);
        param.nameRange = tokenRange(p->name);
        param.range = rangeOf(p);
        if (!buildType(p->typeRef(), param.type))
            continue;
        if (p->expr())
            param.defaultValue = buildExpr(p->expr());
        out.push_back(std::move(param));
    }
    return out;
}

bool AstBuilder::buildType(SP::TypeRefContext* c, ast::TypeRef& out) {
    out.range = rangeOf(c);
    out.optional = c->optional != nullptr;
    auto* base = c->baseType();
    if (!base)
        return false;
    if (auto* s = dynamic_cast<SP::SimpleTypeContext*>(base)) {
        out.form = ast::TypeRef::Form::Simple;
        out.name = tokenText(s->name);
        out.nameRange = tokenRange(s->name);
        return s->name != nullptr;
    }
    if (auto* g = dynamic_cast<SP::GenericTypeContext*>(base)) {
        out.form = ast::TypeRef::Form::Generic;
        out.name = tokenText(g->name);
        out.nameRange = tokenRange(g->name);
        if (!g->typeRef())
            return false;
        out.argument = std::make_unique<ast::TypeRef>();
        return buildType(g->typeRef(), *out.argument);
    }
    if (auto* e = dynamic_cast<SP::EnumTypeContext*>(base)) {
        out.form = ast::TypeRef::Form::Enum;
        out.name = tokenText(e->name);
        out.nameRange = tokenRange(e->name);
        auto idents = e->IDENT();
        // The first IDENT is the type's name (`enum`), the rest its enumerators.
        for (size_t i = 1; i < idents.size(); ++i)
            out.enumerators.emplace_back(tokenText(idents[i]->getSymbol()), tokenRange(idents[i]));
        return true;
    }
    return false;
}

bool AstBuilder::buildBody(const std::vector<SP::BodyItemContext*>& items,
                           std::vector<ast::BodyItemPtr>& out) {
    out.reserve(items.size());
    for (auto* item : items) {
        if (item->children.empty())
            return false;
        auto* inner = static_cast<antlr4::ParserRuleContext*>(item->children[0]);
        if (isTerminal(item->children[0]))
            return false;
        if (auto* s =
                is<SP::SettingContext>(inner) ? static_cast<SP::SettingContext*>(inner) : nullptr) {
            ast::Setting setting;
            if (!buildSetting(s, setting))
                return false;
            out.push_back(std::make_unique<ast::SettingItem>(setting.range, std::move(setting)));
        } else if (auto* ch = is<SP::ChildDeclContext>(inner)
                                  ? static_cast<SP::ChildDeclContext*>(inner)
                                  : nullptr) {
            auto child = std::make_unique<ast::ChildDecl>(rangeOf(ch));
            child->keywordRange = tokenRange(ch->kw);
            if (ch->idName) {
                child->id.parts.push_back({tokenText(ch->idName), false, tokenRange(ch->idName)});
                child->id.range = tokenRange(ch->idName);
            } else if (ch->idString) {
                child->id = parseIdTemplate(static_cast<SlimToken*>(ch->idString)->text(),
                                            tokenRange(ch->idString), diag_);
            } else {
                return false;
            }
            auto* kind = ruleChild<SP::KindRefContext>(ch, SP::RuleKindRef);
            if (!kind || !buildKindRef(kind, child->kind))
                return false;
            if (auto* block = ruleChild<SP::SettingsBlockContext>(ch, SP::RuleSettingsBlock))
                if (!buildSettings(block, child->settings))
                    return false;
            out.push_back(std::move(child));
        } else if (auto* f = is<SP::ForLoopContext>(inner) ? static_cast<SP::ForLoopContext*>(inner)
                                                           : nullptr) {
            auto loop = std::make_unique<ast::ForLoop>(rangeOf(f));
            loop->keywordRange = tokenRange(f->kw);
            auto bounds = ruleChildren<SP::ExprContext>(f, SP::RuleExpr);
            if (!f->var || bounds.size() != 2)
                return false;
            loop->var = tokenText(f->var);
            loop->varRange = tokenRange(f->var);
            loop->from = buildExpr(bounds[0]);
            loop->to = buildExpr(bounds[1]);
            if (!buildBody(ruleChildren<SP::BodyItemContext>(f, SP::RuleBodyItem), loop->body))
                return false;
            out.push_back(std::move(loop));
        } else {
            return false;
        }
    }
    return true;
}

bool AstBuilder::buildSetting(SP::SettingContext* c, ast::Setting& out) {
    if (!c->name || !c->value)
        return false;
    out.name = tokenText(c->name);
    out.nameRange = tokenRange(c->name);
    out.range = rangeOf(c);
    out.value = buildExpr(c->value);
    if (isProgramStringSetting(out.name)) {
        auto read = [&](const ast::Expr& e) -> std::optional<ast::IdTemplate> {
            if (llvm::isa<ast::StringLit>(&e))
                return parseStringTemplate(e.range().text(), e.range(), diag_);
            return std::nullopt;
        };
        if (auto* list = llvm::dyn_cast<ast::ListExpr>(out.value.get()))
            for (const auto& element : list->elements)
                out.strings.push_back(read(*element));
        else if (auto* call = llvm::dyn_cast<ast::CallExpr>(out.value.get()))
            for (const auto& arg : call->args) // name = via("registry", "key")
                out.strings.push_back(read(*arg.value));
        else
            out.strings.push_back(read(*out.value));
    }
    if (out.name == "needs")
        if (auto* list = llvm::dyn_cast<ast::ListExpr>(out.value.get()))
            for (const auto& element : list->elements)
                out.needs.push_back(siblingId(*element));
    if (c->period) {
        out.period = buildExpr(c->period);
        auto per = tokenChildren(c, SP::PER);
        if (!per.empty())
            out.perRange = tokenRange(per[0]);
    }
    return true;
}

std::optional<ast::IdTemplate> AstBuilder::siblingId(const ast::Expr& e) {
    if (auto* n = llvm::dyn_cast<ast::NameExpr>(&e); n && n->name.isSimple()) {
        ast::IdTemplate id;
        id.range = n->range();
        id.parts.push_back({n->name.parts[0], false, n->range()});
        return id;
    }
    if (llvm::isa<ast::StringLit>(&e))
        return parseIdTemplate(e.range().text(), e.range(), diag_);
    return std::nullopt;
}

bool AstBuilder::buildSettings(SP::SettingsBlockContext* c, std::vector<ast::Setting>& out) {
    for (auto* s : ruleChildren<SP::SettingContext>(c, SP::RuleSetting)) {
        ast::Setting setting;
        if (!buildSetting(s, setting))
            return false;
        out.push_back(std::move(setting));
    }
    return true;
}

bool AstBuilder::buildKindRef(SP::KindRefContext* c, ast::KindRef& out) {
    out.name = qualifiedName(c->head, tokenChildren(c, SP::IDENT));
    out.range = rangeOf(c);
    if (out.name.parts.empty())
        return false;
    if (auto* args = ruleChild<SP::ArgListContext>(c, SP::RuleArgList)) {
        out.hasArgList = true;
        return buildArgs(args, out.args);
    }
    return true;
}

bool AstBuilder::buildArgs(SP::ArgListContext* c, std::vector<ast::Arg>& out) {
    unsigned argsDepth = 0;
    for (auto* a : ruleChildren<SP::ArgContext>(c, SP::RuleArg)) {
        auto* value = ruleChild<SP::ExprContext>(a, SP::RuleExpr);
        if (!value)
            return false;
        ast::Arg arg;
        if (a->argName) {
            arg.name = tokenText(a->argName);
            arg.nameRange = tokenRange(a->argName);
        }
        unsigned d = 0;
        arg.value = buildExpr(value, d);
        argsDepth = std::max(argsDepth, d);
        arg.range = rangeOf(a);
        out.push_back(std::move(arg));
    }
    argsDepth_ = argsDepth;
    return true;
}

ast::ExprPtr AstBuilder::buildExpr(SP::ExprContext* c) {
    unsigned depth = 0;
    return buildExpr(c, depth);
}

ast::ExprPtr AstBuilder::buildExpr(SP::ExprContext* c, unsigned& depth) {
    if (!c)
        return std::make_unique<ast::ErrorExpr>(SourceRange());
    // Binary operators are left-associative: `a + b + c` parses as ((a + b) + c), a parse
    // tree as deep as the chain is long. Walk its left spine without recursing.
    struct Step {
        ast::BinaryOp op;
        antlr4::Token* opToken;
        SP::ExprContext* rhs;
        SP::ExprContext* whole; // `lhs op rhs` as written (parentheses included)
    };
    std::vector<Step> spine;
    SP::ExprContext* left = c;
    while (true) {
        bool add = is<SP::AddExprContext>(left);
        if (!add && !is<SP::MulExprContext>(left))
            break;
        antlr4::Token* op = add ? static_cast<SP::AddExprContext*>(left)->op
                                : static_cast<SP::MulExprContext*>(left)->op;
        auto operands = ruleChildren<SP::ExprContext>(left, SP::RuleExpr);
        if (operands.size() != 2 || !op)
            return std::make_unique<ast::ErrorExpr>(rangeOf(c));
        size_t t = op->getType();
        ast::BinaryOp kind = t == SP::PLUS    ? ast::BinaryOp::Add
                             : t == SP::MINUS ? ast::BinaryOp::Sub
                             : t == SP::STAR  ? ast::BinaryOp::Mul
                             : t == SP::SLASH ? ast::BinaryOp::Div
                                              : ast::BinaryOp::Mod;
        spine.push_back({kind, op, operands[1], left});
        left = operands[0];
        if (spine.size() > limits::kMaxExpressionDepth) {
            diag_
                .error(ErrorCode::E004, rangeOf(c),
                       "expression has more than {} operators in a chain",
                       limits::kMaxExpressionDepth)
                .note("split it with consts");
            return std::make_unique<ast::ErrorExpr>(rangeOf(c));
        }
    }
    ast::ExprPtr result = buildPrimary(left, depth);
    for (auto it = spine.rbegin(); it != spine.rend(); ++it) {
        unsigned rhsDepth = 0;
        ast::ExprPtr rhs = buildExpr(it->rhs, rhsDepth);
        depth = std::max(depth, rhsDepth) + 1;
        SourceRange r = rangeOf(it->whole);
        result = std::make_unique<ast::BinaryExpr>(r, it->op, tokenRange(it->opToken),
                                                   std::move(result), std::move(rhs));
    }
    if (depth > limits::kMaxExpressionDepth) {
        diag_
            .error(ErrorCode::E004, rangeOf(c), "expression nests deeper than {} levels",
                   limits::kMaxExpressionDepth)
            .note("split it with consts");
        return std::make_unique<ast::ErrorExpr>(rangeOf(c));
    }
    return result;
}

ast::ExprPtr AstBuilder::buildPrimary(SP::ExprContext* c, unsigned& depth) {
    SourceRange range = rangeOf(c);
    depth = 1;
    if (is<SP::NumberExprContext>(c)) {
        auto lit = classifyNumber(static_cast<SlimToken*>(c->getStart())->text());
        switch (lit.kind) {
        case NumberLiteral::Kind::Int:
            return std::make_unique<ast::IntLit>(range, lit.intValue);
        case NumberLiteral::Kind::Decimal:
            return std::make_unique<ast::DecimalLit>(range, lit.decimalValue);
        case NumberLiteral::Kind::Duration:
            return std::make_unique<ast::DurationLit>(range, lit.milliseconds);
        case NumberLiteral::Kind::Invalid: // reported by the scanner
            return std::make_unique<ast::ErrorExpr>(range);
        }
    }
    if (is<SP::StringExprContext>(c))
        return std::make_unique<ast::StringLit>(range, stringValue(c->getStart()));
    if (is<SP::BoolExprContext>(c))
        return std::make_unique<ast::BoolLit>(range, c->getStart()->getType() == SP::TRUE);
    if (is<SP::NameExprContext>(c)) {
        auto* n = static_cast<SP::NameExprContext*>(c);
        // The first part is `head` (which may be the keyword `of`, `worker` or `supervisor`).
        ast::QualifiedName name = qualifiedName(n->head, tokenChildren(n, SP::IDENT));
        if (auto* args = ruleChild<SP::ArgListContext>(n, SP::RuleArgList)) {
            auto call = std::make_unique<ast::CallExpr>(range, std::move(name));
            if (!buildArgs(args, call->args))
                return std::make_unique<ast::ErrorExpr>(range);
            depth = argsDepth_ + 1;
            return call;
        }
        return std::make_unique<ast::NameExpr>(range, std::move(name));
    }
    if (is<SP::ListExprContext>(c)) {
        auto list = std::make_unique<ast::ListExpr>(range);
        for (auto* e : ruleChildren<SP::ExprContext>(c, SP::RuleExpr)) {
            unsigned d = 0;
            list->elements.push_back(buildExpr(e, d));
            depth = std::max(depth, d + 1);
        }
        return list;
    }
    if (is<SP::ParenExprContext>(c))
        return buildExpr(ruleChild<SP::ExprContext>(c, SP::RuleExpr), depth);
    if (is<SP::NegExprContext>(c)) {
        unsigned d = 0;
        auto operand = buildExpr(ruleChild<SP::ExprContext>(c, SP::RuleExpr), d);
        depth = d + 1;
        return std::make_unique<ast::NegateExpr>(range, std::move(operand));
    }
    return std::make_unique<ast::ErrorExpr>(range);
}

} // namespace supc::parse
