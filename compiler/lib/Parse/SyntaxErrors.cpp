#include "Parse/SyntaxErrors.h"

#include "Parse/Scanner.h"
#include "SupParser.h"
#include "supc/EditDistance.h"

#include <algorithm>
#include <fmt/format.h>

namespace supc::parse {

using P = grammar::SupParser;

namespace {

constexpr size_t kValueStart[] = {P::NUMBER, P::STRING, P::TRUE,   P::FALSE,
                                  P::IDENT,  P::LBRACK, P::LPAREN, P::MINUS};
constexpr size_t kDeclStart[] = {P::PACKAGE,    P::IMPORT,     P::CONST,
                                 P::WORKER,     P::SUPERVISOR, P::DYNAMIC_SUPERVISOR,
                                 P::APPLICATION};

bool isDeclKeyword(size_t t) {
    return std::find(std::begin(kDeclStart), std::end(kDeclStart), t) != std::end(kDeclStart);
}
// A declaration keyword in the first column: the next declaration starts here, whatever
// state the broken one was left in (an unclosed '{' or '(').
bool startsDeclaration(antlr4::Token* t) {
    return t && isDeclKeyword(t->getType()) && t->getCharPositionInLine() == 0;
}

bool isKeyword(size_t type) {
    return type >= P::PACKAGE && type <= P::FALSE;
}

// Terminators and closers: when one is missing, the caret goes after the previous token.
bool isCloser(size_t type) {
    return type == P::SEMI || type == P::RPAREN || type == P::RBRACK || type == P::RBRACE ||
           type == P::GT;
}

// Order of mention: what people forget most first.
int rank(size_t type) {
    switch (type) {
    case P::SEMI:
        return 0;
    case P::RBRACE:
        return 1;
    case P::RPAREN:
        return 2;
    case P::RBRACK:
        return 3;
    case P::COMMA:
        return 4;
    case P::ASSIGN:
        return 5;
    default:
        return 10;
    }
}

std::string joinAlternatives(const std::vector<std::string>& items) {
    if (items.empty())
        return "something else";
    if (items.size() == 1)
        return items[0];
    std::string out;
    for (size_t i = 0; i < items.size(); ++i) {
        if (i)
            out += i + 1 == items.size() ? " or " : ", ";
        out += items[i];
    }
    return out;
}

std::string describeFound(antlr4::Token* t) {
    if (!t || t->getType() == antlr4::Token::EOF)
        return "end of file";
    std::string text = t->getText();
    if (text.size() > 24)
        text = text.substr(0, 21) + "...";
    return "'" + text + "'";
}

SourceRange rangeOf(antlr4::Token* t) {
    // Only the scanner's tokens reach the parser's input (conjured tokens never do).
    return static_cast<SlimToken*>(t)->range();
}

} // namespace

std::string describeExpected(const antlr4::misc::IntervalSet& expectedSet, size_t rule) {
    std::vector<size_t> types;
    for (ssize_t t : expectedSet.toList())
        if (t != ssize_t(P::UNTERMINATED_STRING))
            types.push_back(size_t(t));
    auto containsAll = [&](auto& group) {
        return std::all_of(std::begin(group), std::end(group), [&](size_t g) {
            return std::find(types.begin(), types.end(), g) != types.end();
        });
    };
    auto removeAll = [&](auto& group) {
        types.erase(std::remove_if(types.begin(), types.end(),
                                   [&](size_t t) {
                                       return std::find(std::begin(group), std::end(group), t) !=
                                              std::end(group);
                                   }),
                    types.end());
    };
    // Where any keyword is a name (a child id), the keywords are just names.
    auto has = [&](size_t t) { return std::find(types.begin(), types.end(), t) != types.end(); };
    bool idPosition = has(P::IDENT) && has(P::PER) && has(P::FROM);
    if (idPosition) {
        types.erase(
            std::remove_if(types.begin(), types.end(), [](size_t t) { return isKeyword(t); }),
            types.end());
        // A child id is a name or a string.
        if (rule == P::RuleChildDecl)
            types.erase(std::remove(types.begin(), types.end(), size_t(P::STRING)), types.end());
    }
    std::vector<std::string> items;
    if (containsAll(kDeclStart)) {
        removeAll(kDeclStart);
        items.push_back("a declaration");
    }
    if (containsAll(kValueStart)) {
        removeAll(kValueStart);
        // `worker` and `supervisor` are values too (type = supervisor): not worth a mention.
        constexpr size_t kKeywordValues[] = {P::WORKER, P::SUPERVISOR, P::OF};
        removeAll(kKeywordValues);
        items.push_back("a value");
    }
    // Keywords that are also accepted as names (`of`) go without saying.
    if (has(P::IDENT))
        types.erase(std::remove_if(types.begin(), types.end(),
                                   [&](size_t t) {
                                       return isKeyword(t) && t != P::CHILD && t != P::FOR &&
                                              t != P::WORKER && t != P::SUPERVISOR;
                                   }),
                    types.end());
    // '.' only continues a qualified name, 'per' only follows an intensity's count: rarely
    // what was meant when anything else fits.
    for (size_t rare : {size_t(P::DOT), size_t(P::PER)})
        if (types.size() + items.size() > 1)
            types.erase(std::remove(types.begin(), types.end(), rare), types.end());
    std::stable_sort(types.begin(), types.end(),
                     [](size_t a, size_t b) { return rank(a) < rank(b); });
    std::vector<std::string> described;
    for (size_t t : types) {
        if (t != P::IDENT) {
            described.push_back(describeTokenType(t));
            continue;
        }
        // What a name is, where the parser stands.
        switch (rule) {
        case P::RuleKindRef:
            described.push_back("a kind");
            break;
        case P::RuleChildDecl:
            described.push_back("a child id");
            break;
        case P::RuleParam:
        case P::RuleParamList:
            described.push_back("a parameter name");
            break;
        case P::RuleBaseType:
        case P::RuleTypeRef:
            described.push_back("a type");
            break;
        case P::RuleForLoop:
            described.push_back("a loop variable");
            break;
        case P::RuleBody:
        case P::RuleBodyItem:
        case P::RuleSettingsBlock:
        case P::RuleSetting:
            described.push_back("a setting");
            break;
        case P::RuleTopDecl:
            described.push_back("a name");
            break;
        default:
            described.push_back(describeTokenType(t));
            break;
        }
    }
    // Group descriptions ("a value") after the specific tokens, unless nothing else.
    for (auto& i : items)
        described.push_back(i);
    return joinAlternatives(described);
}

void SyntaxErrorStrategy::report(antlr4::Parser* p, antlr4::Token* found,
                                 const antlr4::misc::IntervalSet& expected, bool missing) {
    ++errors_;
    // An error within two tokens of the previous one, on the same line, is almost always
    // its echo (recovery guessed a token, and the guess does not fit either): count it,
    // do not show it.
    size_t index = found ? found->getTokenIndex() : 0;
    size_t line = found ? found->getLine() : 0;
    if (lastReported_ != SIZE_MAX && index >= lastReported_ && index <= lastReported_ + 2 &&
        line == lastReportedLine_)
        return;
    lastReported_ = index;
    lastReportedLine_ = line;
    auto* stream = p->getTokenStream();
    antlr4::Token* previous = stream->LT(-1);

    // A missing ';' (or closer) is the usual single-token fix: say just that.
    antlr4::misc::IntervalSet shown = expected;
    size_t wanted = antlr4::Token::INVALID_TYPE;
    if (missing) {
        if (expected.contains(size_t(P::SEMI)))
            wanted = P::SEMI;
        else if (expected.size() == 1)
            wanted = size_t(expected.getMinElement());
        if (wanted != antlr4::Token::INVALID_TYPE)
            shown = antlr4::misc::IntervalSet::of(ssize_t(wanted));
    } else if (expected.size() == 1) {
        wanted = size_t(expected.getMinElement());
    } else if (expected.contains(size_t(P::RBRACE)) && startsDeclaration(found)) {
        // The next declaration starts: the block was not closed.
        wanted = P::RBRACE;
        shown = antlr4::misc::IntervalSet::of(ssize_t(P::RBRACE));
    } else if (expected.contains(size_t(P::SEMI)) && previous && found &&
               previous->getType() != antlr4::Token::EOF &&
               (found->getType() == antlr4::Token::EOF || found->getType() == P::RBRACE ||
                found->getLine() > previous->getLine())) {
        // The statement ended at the line break: by far the likeliest fix is a ';'.
        wanted = P::SEMI;
        shown = antlr4::misc::IntervalSet::of(ssize_t(P::SEMI));
    }

    size_t rule = p->getContext() ? p->getContext()->getRuleIndex() : size_t(P::RuleFile);
    if (rule == P::RuleWorkerDecl && shown.contains(size_t(P::STRING))) {
        // After `worker W =` a name is only the word `program` (`program "command"`): the
        // usual mistake is an unquoted C++ type, which is what is reported.
        shown.remove(size_t(P::IDENT));
        antlr4::Token* before = stream->LT(-2);
        if (found && found->getType() != P::STRING && previous && previous->getType() == P::IDENT &&
            previous->getText() != "program" && before && before->getType() == P::ASSIGN)
            found = previous; // `worker Db = app::Db ...`: 'app' is the mistake, not '::'
    }
    std::string message =
        fmt::format("expected {}, found {}", describeExpected(shown, rule), describeFound(found));
    SourceRange at = rangeOf(found);
    bool afterPrevious = wanted != antlr4::Token::INVALID_TYPE && isCloser(wanted) && previous &&
                         previous->getType() != antlr4::Token::EOF;
    if (afterPrevious) {
        SourceRange prev = rangeOf(previous);
        at = SourceRange(prev.end, prev.end);
    }
    auto b = diag_.error(ErrorCode::E008, at, message);
    if (afterPrevious)
        b.fixIt(at, describeTokenType(wanted).substr(1, 1));
    // Confident it is just the ';': recovery will carry on as if it were there.
    assumeSemicolon_ = afterPrevious && wanted == P::SEMI;
    // The next statement starts at `found`: its own errors are not echoes of this one.
    if (assumeSemicolon_)
        lastReported_ = SIZE_MAX;
    if (found && isKeyword(found->getType()) && expected.contains(size_t(P::IDENT)) && previous &&
        previous->getType() != P::MINUS && wanted != P::RBRACE)
        b.note(fmt::format("'{}' is a keyword and cannot be used as a name", found->getText()));
    // Hints for the mistakes people make most.
    size_t foundType = found ? found->getType() : antlr4::Token::INVALID_TYPE;
    size_t prevType = previous ? previous->getType() : antlr4::Token::INVALID_TYPE;
    if (expected.contains(size_t(P::PER)) && found &&
        (foundType == P::IN || foundType == P::SLASH || found->getText() == "every" ||
         found->getText() == "within"))
        b.note("a restart limit is written 'N per DURATION', such as: intensity = 3 per 5s");
    if (foundType == P::FOR && prevType == P::MINUS)
        b.note("enumerated values are written with underscores: one_for_one, rest_for_one");
    // Elixir's spellings: an atom `:transient` where a value goes, and a keyword list's
    // `restart: :transient` where a setting goes. Said once, with the mechanical fix.
    antlr4::Token* next = found ? stream->LT(2) : nullptr;
    auto adjacent = [](antlr4::Token* a, antlr4::Token* b) {
        return a && b && b->getStartIndex() == a->getStopIndex() + 1;
    };
    bool atom =
        foundType == P::COLON && next && next->getType() == P::IDENT && adjacent(found, next);
    antlr4::Token* afterNext = next ? stream->LT(3) : nullptr;
    bool keywordList = foundType == P::COLON && rule == P::RuleSetting && next &&
                       next->getType() == P::COLON && afterNext &&
                       afterNext->getType() == P::IDENT && adjacent(next, afterNext);
    if (keywordList) {
        std::string name = previous ? previous->getText() : "name";
        b.note(fmt::format("Elixir's '{0}: :{1}' is written '{0} = {1};' here", name,
                           afterNext->getText()));
        b.fixIt(SourceRange(rangeOf(found).begin, rangeOf(next).end), " = ");
    } else if (atom) {
        b.note(fmt::format("Elixir's atom ':{0}' is written '{0}' here", next->getText()));
        b.fixIt(rangeOf(found), "");
    } else if (foundType == P::COLON && (rule == P::RuleArg || rule == P::RuleArgList))
        b.note("arguments are written name = value, such as: Cache(ttl = 60s)");
    else if (foundType == P::COLON && rule == P::RuleSetting) {
        b.note("settings are written name = value;");
        b.fixIt(rangeOf(found), " =");
    } else if (foundType == P::COLON && rule == P::RuleChildDecl)
        b.note("a child is written: child ID = Kind(args);");
    if (foundType == P::ASSIGN && rule == P::RuleParam)
        b.note("parameters are declared name: type = default, such as: ttl: duration = 5s");
    auto* context = p->getContext();
    auto* parentContext =
        context ? dynamic_cast<antlr4::ParserRuleContext*>(context->parent) : nullptr;
    if (foundType == P::LPAREN && (rule == P::RuleApplicationDecl ||
                                   (rule == P::RuleBody && parentContext &&
                                    parentContext->getRuleIndex() == P::RuleApplicationDecl)))
        b.note("an application takes no parameters: declare a supervisor with parameters and "
               "make it a child of the application");
    if (foundType == P::IDENT && rule == P::RuleImportDecl) {
        b.note("the file to import is a string");
        b.fixIt(rangeOf(found), fmt::format("\"{}\"", found->getText()));
    }
    if (foundType == P::IDENT && rule == P::RuleWorkerDecl && expected.contains(size_t(P::STRING)))
        b.note("a worker's C++ type and header are strings: \"app::Repo\" from \"app/repo.hpp\"");
    bool atTopLevel =
        expected.contains(size_t(P::SUPERVISOR)) && expected.contains(size_t(P::CONST));
    if (found && atTopLevel && foundType == P::IDENT) {
        static const std::vector<std::string> kDeclWords = {
            "package",    "import", "const", "worker", "supervisor", "dynamic_supervisor",
            "application"};
        if (auto guess = closestMatch(found->getText(), kDeclWords)) {
            b.note(fmt::format("did you mean '{}'?", *guess));
            b.fixIt(rangeOf(found), *guess);
            return;
        }
    }
    if (found && atTopLevel && (found->getType() == P::CHILD || found->getType() == P::FOR))
        b.note("children and loops belong in the body of a supervisor or application");
    else if (found && atTopLevel && found->getType() == P::IDENT)
        b.note("a file holds declarations: package, import, const, worker, supervisor, "
               "dynamic_supervisor, application");
}

namespace {

bool isStatementRule(size_t rule) {
    return rule == P::RuleSetting || rule == P::RuleChildDecl || rule == P::RuleConstDecl ||
           rule == P::RuleImportDecl || rule == P::RulePackageDecl;
}
// Constructs that end with a '{' ... '}' block (or, for some, a ';').
bool isBlockRule(size_t rule) {
    return rule == P::RuleForLoop || rule == P::RuleWorkerDecl || rule == P::RuleSupervisorDecl ||
           rule == P::RuleApplicationDecl || rule == P::RuleDynamicSupervisorDecl;
}
// The top-level declaration `ctx` is in (the child of its topDecl), if any.
antlr4::ParserRuleContext* enclosingDecl(antlr4::ParserRuleContext* ctx) {
    for (antlr4::ParserRuleContext* c = ctx; c;
         c = dynamic_cast<antlr4::ParserRuleContext*>(c->parent)) {
        auto* parent = dynamic_cast<antlr4::ParserRuleContext*>(c->parent);
        if (parent && parent->getRuleIndex() == P::RuleTopDecl)
            return c;
    }
    return nullptr;
}

} // namespace

namespace {
// Thrown by recover() to leave the rules between the error and the construct that was
// skipped; each of them catches it, reports nothing (error recovery mode) and calls
// recover() again, until the construct's own rule returns.
class Unwind final : public antlr4::RecognitionException {
public:
    Unwind(antlr4::Parser* p, antlr4::ParserRuleContext* ctx)
        : RecognitionException("unwinding to the end of a construct", p, p->getInputStream(), ctx,
                               p->getCurrentToken()) {}
};
} // namespace

void SyntaxErrorStrategy::recover(antlr4::Parser* p, std::exception_ptr e) {
    antlr4::ParserRuleContext* ctx = p->getContext();
    if (unwindingTo_) {
        if (ctx == unwindingTo_) {
            unwindingTo_ = nullptr;
            return;
        }
        throw Unwind(p, ctx);
    }
    auto* input = p->getTokenStream();
    // Past the start of the declaration being parsed, a declaration keyword in the first
    // column ends it: the parse goes on there, the broken declaration is dropped.
    antlr4::ParserRuleContext* decl = enclosingDecl(ctx);
    auto atNextDecl = [&] {
        antlr4::Token* t = input->LT(1);
        return decl && decl->getStart() && startsDeclaration(t) &&
               t->getTokenIndex() > decl->getStart()->getTokenIndex();
    };
    auto unwindTo = [&](antlr4::ParserRuleContext* target) {
        assumeSemicolon_ = false;
        if (target == ctx)
            return;
        unwindingTo_ = target;
        throw Unwind(p, ctx);
    };
    if (atNextDecl()) {
        unwindTo(decl);
        return;
    }
    if (ctx && ctx->getRuleIndex() == P::RuleTopDecl) {
        // Not a declaration at all (a misspelt keyword, a stray statement): skip to the
        // next declaration keyword outside brackets, or in the first column.
        int depth = 0;
        bool consumed = false;
        while (true) {
            antlr4::Token* t = input->LT(1);
            size_t type = t->getType();
            if (type == antlr4::Token::EOF)
                break;
            if (consumed && (startsDeclaration(t) || (depth == 0 && isDeclKeyword(type))))
                break;
            if (type == P::LPAREN || type == P::LBRACK || type == P::LBRACE)
                ++depth;
            if ((type == P::RPAREN || type == P::RBRACK || type == P::RBRACE) && depth > 0)
                --depth;
            p->consume();
            consumed = true;
        }
        assumeSemicolon_ = false;
        return;
    }
    antlr4::ParserRuleContext* construct = nullptr;
    for (antlr4::ParserRuleContext* c = ctx; c;
         c = dynamic_cast<antlr4::ParserRuleContext*>(c->parent)) {
        size_t rule = c->getRuleIndex();
        if (isStatementRule(rule) || isBlockRule(rule)) {
            construct = c;
            break;
        }
        // Inside a '{' ... '}' block: the statement being parsed there (if any) was the
        // place to resynchronise; otherwise ANTLR's own recovery. (A block that has not
        // even started — its '{' is what is missing — belongs to its construct's header.)
        if ((rule == P::RuleBody || rule == P::RuleSettingsBlock) &&
            c->getStart() != p->getTokenStream()->LT(1))
            break;
    }
    if (!construct) {
        DefaultErrorStrategy::recover(p, e);
        return;
    }
    if (assumeSemicolon_) {
        // A ';' forgotten at the end of a line: the statement (or declaration) is complete,
        // carry on after it.
        assumeSemicolon_ = false;
        if (construct != ctx) {
            unwindingTo_ = construct;
            throw Unwind(p, ctx);
        }
        return;
    }
    assumeSemicolon_ = false;
    // Two errors at the same place: make progress (as DefaultErrorStrategy does).
    if (lastErrorIndex == static_cast<int>(input->index()) &&
        lastErrorStates.contains(p->getState()))
        p->consume();
    lastErrorIndex = static_cast<int>(input->index());
    lastErrorStates.add(p->getState());

    auto unwind = [&] {
        if (construct == ctx)
            return;
        unwindingTo_ = construct;
        throw Unwind(p, ctx);
    };
    if (isStatementRule(construct->getRuleIndex())) {
        // Skip to the statement's ';' (or the enclosing block's '}', left to the block).
        int depth = 0;
        while (true) {
            size_t t = input->LA(1);
            if (t == antlr4::Token::EOF)
                break;
            if (atNextDecl()) {
                unwindTo(decl);
                return;
            }
            if (depth == 0 && t == P::SEMI) {
                p->consume();
                break;
            }
            if (depth == 0 && t == P::RBRACE)
                break;
            if (t == P::LPAREN || t == P::LBRACK || t == P::LBRACE)
                ++depth;
            if ((t == P::RPAREN || t == P::RBRACK || t == P::RBRACE) && depth > 0)
                --depth;
            p->consume();
        }
        unwind();
        return;
    }
    // An error in the header of a declaration or loop: skip the whole construct, up to
    // its ';' or through its '{' ... '}' block (never past the next declaration's keyword).
    bool topLevel = construct->getRuleIndex() != P::RuleForLoop;
    bool consumed = false;
    int depth = 0;
    while (true) {
        size_t t = input->LA(1);
        if (t == antlr4::Token::EOF)
            break;
        if (atNextDecl()) {
            unwindTo(decl);
            return;
        }
        if (depth == 0) {
            if (t == P::SEMI) {
                p->consume();
                break;
            }
            if (t == P::RBRACE)
                break; // the enclosing block's
            if (topLevel && consumed && isDeclKeyword(t))
                break;
        }
        if (t == P::LPAREN || t == P::LBRACK || t == P::LBRACE)
            ++depth;
        bool done = false;
        // A closer at depth 0 closes a bracket opened before the error (the parameter
        // list the error is in): part of the construct, skip it.
        if ((t == P::RPAREN || t == P::RBRACK || t == P::RBRACE) && depth > 0) {
            --depth;
            done = t == P::RBRACE && depth == 0;
        }
        p->consume();
        consumed = true;
        if (done) {
            if (input->LA(1) == P::SEMI)
                p->consume();
            break;
        }
    }
    unwind();
}

antlr4::Token* SyntaxErrorStrategy::singleTokenDeletion(antlr4::Parser* p) {
    auto* input = p->getTokenStream();
    size_t t = input->LA(1);
    if (t == P::SEMI || t == P::RBRACE || startsDeclaration(input->LT(2)))
        return nullptr;
    return DefaultErrorStrategy::singleTokenDeletion(p);
}

void SyntaxErrorStrategy::reportNoViableAlternative(antlr4::Parser* p,
                                                    const antlr4::NoViableAltException& e) {
    // Prediction may fail a token or two after the parser's position (`child = x;` fails at
    // '=' while deciding what `child` starts): the parser's expected set then describes the
    // wrong place. After a keyword, what comes next is known.
    antlr4::Token* start = e.getStartToken();
    antlr4::Token* found = e.getOffendingToken();
    if (start && found && found->getTokenIndex() == start->getTokenIndex() + 1) {
        size_t next = antlr4::Token::INVALID_TYPE;
        switch (start->getType()) {
        case P::CHILD:
            next = P::IDENT;
            break; // a child id
        case P::FOR:
            next = P::IDENT;
            break;
        case P::WORKER:
        case P::SUPERVISOR:
        case P::DYNAMIC_SUPERVISOR:
        case P::APPLICATION:
        case P::CONST:
            next = P::IDENT;
            break;
        default:
            break;
        }
        if (next != antlr4::Token::INVALID_TYPE) {
            ++errors_;
            size_t rule = start->getType() == P::CHILD ? size_t(P::RuleChildDecl)
                          : start->getType() == P::FOR ? size_t(P::RuleForLoop)
                                                       : size_t(P::RuleTopDecl);
            diag_.error(ErrorCode::E008, rangeOf(found), "expected {} after '{}', found {}",
                        describeExpected(antlr4::misc::IntervalSet::of(ssize_t(next)), rule),
                        start->getText(), describeFound(found));
            if (diag_.limitReached())
                throw StopParsing{};
            return;
        }
    }
    report(p, e.getOffendingToken(), p->getExpectedTokens(), false);
    if (diag_.limitReached())
        throw StopParsing{};
}

void SyntaxErrorStrategy::reportInputMismatch(antlr4::Parser* p,
                                              const antlr4::InputMismatchException& e) {
    report(p, e.getOffendingToken(), e.getExpectedTokens(), false);
    if (diag_.limitReached())
        throw StopParsing{};
}

void SyntaxErrorStrategy::reportFailedPredicate(antlr4::Parser* p,
                                                const antlr4::FailedPredicateException& e) {
    report(p, e.getOffendingToken(), p->getExpectedTokens(), false);
    if (diag_.limitReached())
        throw StopParsing{};
}

void SyntaxErrorStrategy::reportUnwantedToken(antlr4::Parser* p) {
    if (inErrorRecoveryMode(p))
        return;
    beginErrorCondition(p);
    report(p, p->getCurrentToken(), getExpectedTokens(p), false);
    if (diag_.limitReached())
        throw StopParsing{};
}

void SyntaxErrorStrategy::reportMissingToken(antlr4::Parser* p) {
    if (inErrorRecoveryMode(p))
        return;
    beginErrorCondition(p);
    report(p, p->getCurrentToken(), getExpectedTokens(p), true);
    if (diag_.limitReached())
        throw StopParsing{};
}

} // namespace supc::parse
