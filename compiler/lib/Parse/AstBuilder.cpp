#include "Parse/AstBuilder.h"

#include "Parse/Scanner.h"
#include "supc/Limits.h"

namespace supc::parse {

using SP = grammar::SupParser;

namespace {

SourceRange tokenRange(antlr4::Token* t) {
    if (!t) return {};
    return static_cast<SlimToken*>(t)->range();
}
SourceRange tokenRange(antlr4::tree::TerminalNode* n) {
    return n ? tokenRange(n->getSymbol()) : SourceRange();
}
std::string tokenText(antlr4::Token* t) {
    return t ? std::string(static_cast<SlimToken*>(t)->text()) : std::string();
}

SourceRange rangeOf(antlr4::ParserRuleContext* c) {
    if (!c || !c->getStart()) return {};
    SourceRange b = tokenRange(c->getStart());
    antlr4::Token* stop = c->getStop();
    if (!stop || stop->getTokenIndex() < c->getStart()->getTokenIndex()) return {b.begin, b.begin};
    return {b.begin, tokenRange(stop).end};
}

// Qualified name from IDENT (DOT IDENT)*.
ast::QualifiedName qualifiedName(const std::vector<antlr4::tree::TerminalNode*>& idents) {
    ast::QualifiedName q;
    for (auto* id : idents) {
        q.parts.push_back(tokenText(id->getSymbol()));
        q.partRanges.push_back(tokenRange(id));
    }
    if (!q.partRanges.empty()) q.range = {q.partRanges.front().begin, q.partRanges.back().end};
    return q;
}

// Qualified name from head=(IDENT | keyword) (DOT IDENT)*: `head` may be one of the IDENTs.
ast::QualifiedName qualifiedName(antlr4::Token* head,
                                 const std::vector<antlr4::tree::TerminalNode*>& idents) {
    ast::QualifiedName q;
    if (head) {
        q.parts.push_back(tokenText(head));
        q.partRanges.push_back(tokenRange(head));
    }
    for (auto* id : idents) {
        if (id->getSymbol() == head) continue;
        q.parts.push_back(tokenText(id->getSymbol()));
        q.partRanges.push_back(tokenRange(id));
    }
    if (!q.partRanges.empty()) q.range = {q.partRanges.front().begin, q.partRanges.back().end};
    return q;
}

std::string stringValue(antlr4::Token* t) {
    return decodeString(static_cast<SlimToken*>(t)->text()).value;
}

} // namespace

ast::IdTemplate parseIdTemplate(std::string_view text, SourceRange range, DiagnosticEngine& diag) {
    ast::IdTemplate out;
    out.quoted = true;
    out.range = range;
    const char* base = range.begin.getPointer();
    size_t end = text.size();
    if (end >= 2 && text.back() == '"') --end;
    auto sub = [&](size_t b, size_t e) { return SourceRange::fromPointers(base + b, base + e); };
    std::string literal;
    auto flushLiteral = [&] {
        if (!literal.empty()) out.parts.push_back({std::move(literal), false, {}});
        literal.clear();
    };
    for (size_t i = 1; i < end; ++i) {
        char c = text[i];
        if (c == '\\' && i + 1 < end) {
            char e = text[++i];
            literal += e == 'n' ? '\n' : e == 't' ? '\t' : e;
            continue;
        }
        if (c == '}') {
            diag.error(ErrorCode::E007, sub(i, i + 1), "unmatched '}' in an interpolated id")
                .note("'{name}' interpolates a loop variable or parameter");
            continue;
        }
        if (c != '{') {
            literal += c;
            continue;
        }
        size_t close = text.find('}', i + 1);
        if (close == std::string_view::npos || close >= end) {
            diag.error(ErrorCode::E007, sub(i, end), "unclosed '{' in an interpolated id")
                .note("'{name}' interpolates a loop variable or parameter");
            return out;
        }
        std::string_view name = text.substr(i + 1, close - i - 1);
        bool valid = !name.empty() && !(name[0] >= '0' && name[0] <= '9');
        for (char n : name)
            valid &= (n >= 'a' && n <= 'z') || (n >= 'A' && n <= 'Z') || (n >= '0' && n <= '9') ||
                     n == '_';
        if (!valid) {
            diag.error(ErrorCode::E007, sub(i, close + 1),
                       name.empty() ? std::string("empty '{}' in an interpolated id")
                                    : fmt::format("'{{{}}}' is not a name", name))
                .note("'{name}' interpolates a loop variable or parameter by name");
        } else {
            flushLiteral();
            out.parts.push_back({std::string(name), true, sub(i + 1, close)});
        }
        i = close;
    }
    flushLiteral();
    if (out.parts.empty()) out.parts.push_back({"", false, {}});
    return out;
}

ast::DeclPtr AstBuilder::build(SP::TopDeclContext* c) {
    if (!c) return nullptr;
    if (auto* d = c->packageDecl()) return buildPackage(d);
    if (auto* d = c->importDecl()) return buildImport(d);
    if (auto* d = c->constDecl()) return buildConst(d);
    if (auto* d = c->workerDecl()) return buildWorker(d);
    if (auto* d = c->supervisorDecl()) return buildSupervisor(d);
    if (auto* d = c->dynamicSupervisorDecl()) return buildDynamicSupervisor(d);
    if (auto* d = c->applicationDecl()) return buildApplication(d);
    return nullptr;
}

ast::DeclPtr AstBuilder::buildPackage(SP::PackageDeclContext* c) {
    auto d = std::make_unique<ast::PackageDecl>(rangeOf(c));
    d->keywordRange = tokenRange(c->kw);
    d->package = qualifiedName(c->IDENT());
    if (d->package.parts.empty()) return nullptr;
    d->nameRange = d->package.range;
    return d;
}

ast::DeclPtr AstBuilder::buildImport(SP::ImportDeclContext* c) {
    if (!c->path) return nullptr;
    auto d = std::make_unique<ast::ImportDecl>(rangeOf(c));
    d->keywordRange = tokenRange(c->kw);
    d->path = stringValue(c->path);
    d->pathRange = tokenRange(c->path);
    return d;
}

ast::DeclPtr AstBuilder::buildConst(SP::ConstDeclContext* c) {
    if (!c->name || !c->expr()) return nullptr;
    auto d = std::make_unique<ast::ConstDecl>(rangeOf(c));
    d->keywordRange = tokenRange(c->kw);
    d->name = tokenText(c->name);
    d->nameRange = tokenRange(c->name);
    d->value = buildExpr(c->expr());
    return d;
}

ast::DeclPtr AstBuilder::buildWorker(SP::WorkerDeclContext* c) {
    if (!c->name || !c->cppType || !c->header) return nullptr;
    auto d = std::make_unique<ast::WorkerDecl>(rangeOf(c));
    d->keywordRange = tokenRange(c->kw);
    d->name = tokenText(c->name);
    d->nameRange = tokenRange(c->name);
    if (c->paramList()) d->params = buildParams(c->paramList());
    d->cppType = stringValue(c->cppType);
    d->cppTypeRange = tokenRange(c->cppType);
    d->header = stringValue(c->header);
    d->headerRange = tokenRange(c->header);
    if (c->settingsBlock() && !buildSettings(c->settingsBlock(), d->settings)) return nullptr;
    return d;
}

ast::DeclPtr AstBuilder::buildSupervisor(SP::SupervisorDeclContext* c) {
    if (!c->name || !c->body()) return nullptr;
    auto d = std::make_unique<ast::SupervisorDecl>(ast::Decl::Kind::Supervisor, rangeOf(c));
    d->keywordRange = tokenRange(c->kw);
    d->name = tokenText(c->name);
    d->nameRange = tokenRange(c->name);
    if (c->paramList()) d->params = buildParams(c->paramList());
    if (!buildBody(c->body()->bodyItem(), d->body)) return nullptr;
    return d;
}

ast::DeclPtr AstBuilder::buildApplication(SP::ApplicationDeclContext* c) {
    if (!c->name || !c->body()) return nullptr;
    auto d = std::make_unique<ast::SupervisorDecl>(ast::Decl::Kind::Application, rangeOf(c));
    d->keywordRange = tokenRange(c->kw);
    d->name = tokenText(c->name);
    d->nameRange = tokenRange(c->name);
    if (!buildBody(c->body()->bodyItem(), d->body)) return nullptr;
    return d;
}

ast::DeclPtr AstBuilder::buildDynamicSupervisor(SP::DynamicSupervisorDeclContext* c) {
    if (!c->name || !c->kindRef()) return nullptr;
    auto d = std::make_unique<ast::DynamicSupervisorDecl>(rangeOf(c));
    d->keywordRange = tokenRange(c->kw);
    d->name = tokenText(c->name);
    d->nameRange = tokenRange(c->name);
    if (c->paramList()) d->params = buildParams(c->paramList());
    if (!buildKindRef(c->kindRef(), d->templ)) return nullptr;
    if (c->body() && !buildBody(c->body()->bodyItem(), d->body)) return nullptr;
    return d;
}

std::vector<ast::Param> AstBuilder::buildParams(SP::ParamListContext* c) {
    std::vector<ast::Param> out;
    for (auto* p : c->param()) {
        if (!p->name || !p->typeRef()) continue;
        ast::Param param;
        param.name = tokenText(p->name);
        param.nameRange = tokenRange(p->name);
        param.range = rangeOf(p);
        if (!buildType(p->typeRef(), param.type)) continue;
        if (p->expr()) param.defaultValue = buildExpr(p->expr());
        out.push_back(std::move(param));
    }
    return out;
}

bool AstBuilder::buildType(SP::TypeRefContext* c, ast::TypeRef& out) {
    out.range = rangeOf(c);
    out.optional = c->optional != nullptr;
    auto* base = c->baseType();
    if (!base) return false;
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
        if (!g->typeRef()) return false;
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
        if (auto* s = item->setting()) {
            ast::Setting setting;
            if (!buildSetting(s, setting)) return false;
            out.push_back(std::make_unique<ast::SettingItem>(setting.range, std::move(setting)));
        } else if (auto* ch = item->childDecl()) {
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
            if (!ch->kindRef() || !buildKindRef(ch->kindRef(), child->kind)) return false;
            if (ch->settingsBlock() && !buildSettings(ch->settingsBlock(), child->settings))
                return false;
            out.push_back(std::move(child));
        } else if (auto* f = item->forLoop()) {
            auto loop = std::make_unique<ast::ForLoop>(rangeOf(f));
            loop->keywordRange = tokenRange(f->kw);
            if (!f->var || f->expr().size() != 2) return false;
            loop->var = tokenText(f->var);
            loop->varRange = tokenRange(f->var);
            loop->from = buildExpr(f->expr(0));
            loop->to = buildExpr(f->expr(1));
            if (!buildBody(f->bodyItem(), loop->body)) return false;
            out.push_back(std::move(loop));
        } else {
            return false;
        }
    }
    return true;
}

bool AstBuilder::buildSetting(SP::SettingContext* c, ast::Setting& out) {
    if (!c->name || !c->value) return false;
    out.name = tokenText(c->name);
    out.nameRange = tokenRange(c->name);
    out.range = rangeOf(c);
    out.value = buildExpr(c->value);
    if (c->period) {
        out.period = buildExpr(c->period);
        out.perRange = tokenRange(c->PER());
    }
    return true;
}

bool AstBuilder::buildSettings(SP::SettingsBlockContext* c, std::vector<ast::Setting>& out) {
    for (auto* s : c->setting()) {
        ast::Setting setting;
        if (!buildSetting(s, setting)) return false;
        out.push_back(std::move(setting));
    }
    return true;
}

bool AstBuilder::buildKindRef(SP::KindRefContext* c, ast::KindRef& out) {
    out.name = qualifiedName(c->head, c->IDENT());
    out.range = rangeOf(c);
    if (out.name.parts.empty()) return false;
    if (auto* args = c->argList()) {
        out.hasArgList = true;
        return buildArgs(args, out.args);
    }
    return true;
}

bool AstBuilder::buildArgs(SP::ArgListContext* c, std::vector<ast::Arg>& out) {
    unsigned argsDepth = 0;
    for (auto* a : c->arg()) {
        if (!a->expr()) return false;
        ast::Arg arg;
        if (a->argName) {
            arg.name = tokenText(a->argName);
            arg.nameRange = tokenRange(a->argName);
        }
        unsigned d = 0;
        arg.value = buildExpr(a->expr(), d);
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
    if (!c) return std::make_unique<ast::ErrorExpr>(SourceRange());
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
        if (auto* add = dynamic_cast<SP::AddExprContext*>(left)) {
            if (add->expr().size() != 2 || !add->op) return std::make_unique<ast::ErrorExpr>(rangeOf(c));
            spine.push_back({add->op->getType() == SP::PLUS ? ast::BinaryOp::Add : ast::BinaryOp::Sub,
                             add->op, add->expr(1), add});
            left = add->expr(0);
        } else if (auto* mul = dynamic_cast<SP::MulExprContext*>(left)) {
            if (mul->expr().size() != 2 || !mul->op) return std::make_unique<ast::ErrorExpr>(rangeOf(c));
            auto t = mul->op->getType();
            spine.push_back({t == SP::STAR ? ast::BinaryOp::Mul
                             : t == SP::SLASH ? ast::BinaryOp::Div
                                              : ast::BinaryOp::Mod,
                             mul->op, mul->expr(1), mul});
            left = mul->expr(0);
        } else {
            break;
        }
        if (spine.size() > limits::kMaxExpressionDepth) {
            diag_.error(ErrorCode::E004, rangeOf(c),
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
        diag_.error(ErrorCode::E004, rangeOf(c), "expression nests deeper than {} levels",
                    limits::kMaxExpressionDepth)
            .note("split it with consts");
        return std::make_unique<ast::ErrorExpr>(rangeOf(c));
    }
    return result;
}

ast::ExprPtr AstBuilder::buildPrimary(SP::ExprContext* c, unsigned& depth) {
    SourceRange range = rangeOf(c);
    depth = 1;
    if (auto* n = dynamic_cast<SP::NumberExprContext*>(c)) {
        auto lit = classifyNumber(static_cast<SlimToken*>(n->NUMBER()->getSymbol())->text());
        switch (lit.kind) {
        case NumberLiteral::Kind::Int: return std::make_unique<ast::IntLit>(range, lit.intValue);
        case NumberLiteral::Kind::Decimal:
            return std::make_unique<ast::DecimalLit>(range, lit.decimalValue);
        case NumberLiteral::Kind::Duration:
            return std::make_unique<ast::DurationLit>(range, lit.milliseconds);
        case NumberLiteral::Kind::Invalid: // reported by the scanner
            return std::make_unique<ast::ErrorExpr>(range);
        }
    }
    if (auto* s = dynamic_cast<SP::StringExprContext*>(c)) {
        antlr4::Token* t = s->STRING() ? s->STRING()->getSymbol()
                                       : s->UNTERMINATED_STRING()->getSymbol();
        return std::make_unique<ast::StringLit>(range, stringValue(t));
    }
    if (auto* b = dynamic_cast<SP::BoolExprContext*>(c))
        return std::make_unique<ast::BoolLit>(range, b->TRUE() != nullptr);
    if (auto* n = dynamic_cast<SP::NameExprContext*>(c)) {
        // The first part is `head` (which may be the keyword `of`, `worker` or `supervisor`).
        ast::QualifiedName name = qualifiedName(n->head, n->IDENT());
        if (auto* args = n->argList()) {
            auto call = std::make_unique<ast::CallExpr>(range, std::move(name));
            if (!buildArgs(args, call->args)) return std::make_unique<ast::ErrorExpr>(range);
            depth = argsDepth_ + 1;
            return call;
        }
        return std::make_unique<ast::NameExpr>(range, std::move(name));
    }
    if (auto* l = dynamic_cast<SP::ListExprContext*>(c)) {
        auto list = std::make_unique<ast::ListExpr>(range);
        for (auto* e : l->expr()) {
            unsigned d = 0;
            list->elements.push_back(buildExpr(e, d));
            depth = std::max(depth, d + 1);
        }
        return list;
    }
    if (auto* p = dynamic_cast<SP::ParenExprContext*>(c)) return buildExpr(p->expr(), depth);
    if (auto* neg = dynamic_cast<SP::NegExprContext*>(c)) {
        unsigned d = 0;
        auto operand = buildExpr(neg->expr(), d);
        depth = d + 1;
        return std::make_unique<ast::NegateExpr>(range, std::move(operand));
    }
    return std::make_unique<ast::ErrorExpr>(range);
}

} // namespace supc::parse
