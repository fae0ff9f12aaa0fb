#include "Parse/SyntaxErrors.h"

#include "Parse/Scanner.h"

#include "SupParser.h"

#include <fmt/format.h>

#include <algorithm>

namespace supc::parse {

using P = grammar::SupParser;

namespace {

constexpr size_t kValueStart[] = {P::NUMBER, P::STRING, P::TRUE, P::FALSE,
                                  P::IDENT,  P::LBRACK, P::LPAREN, P::MINUS};
constexpr size_t kDeclStart[] = {P::PACKAGE,    P::IMPORT,
                                 P::CONST,      P::WORKER,
                                 P::SUPERVISOR, P::DYNAMIC_SUPERVISOR,
                                 P::APPLICATION};

bool isKeyword(size_t type) { return type >= P::PACKAGE && type <= P::FALSE; }

// Terminators and closers: when one is missing, the caret goes after the previous token.
bool isCloser(size_t type) {
    return type == P::SEMI || type == P::RPAREN || type == P::RBRACK || type == P::RBRACE ||
           type == P::GT;
}

// Order of mention: what people forget most first.
int rank(size_t type) {
    switch (type) {
    case P::SEMI: return 0;
    case P::RBRACE: return 1;
    case P::RPAREN: return 2;
    case P::RBRACK: return 3;
    case P::COMMA: return 4;
    case P::ASSIGN: return 5;
    default: return 10;
    }
}

std::string joinAlternatives(const std::vector<std::string>& items) {
    if (items.empty()) return "something else";
    if (items.size() == 1) return items[0];
    std::string out;
    for (size_t i = 0; i < items.size(); ++i) {
        if (i) out += i + 1 == items.size() ? " or " : ", ";
        out += items[i];
    }
    return out;
}

std::string describeFound(antlr4::Token* t) {
    if (!t || t->getType() == antlr4::Token::EOF) return "end of file";
    std::string text = t->getText();
    if (text.size() > 24) text = text.substr(0, 21) + "...";
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
        if (t != ssize_t(P::UNTERMINATED_STRING)) types.push_back(size_t(t));
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
        types.erase(std::remove_if(types.begin(), types.end(), [](size_t t) { return isKeyword(t); }),
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
        case P::RuleKindRef: described.push_back("a kind"); break;
        case P::RuleChildDecl: described.push_back("a child id"); break;
        case P::RuleParam:
        case P::RuleParamList: described.push_back("a parameter name"); break;
        case P::RuleBaseType:
        case P::RuleTypeRef: described.push_back("a type"); break;
        case P::RuleForLoop: described.push_back("a loop variable"); break;
        case P::RuleBody:
        case P::RuleBodyItem:
        case P::RuleSettingsBlock:
        case P::RuleSetting: described.push_back("a setting"); break;
        case P::RuleTopDecl: described.push_back("a name"); break;
        default: described.push_back(describeTokenType(t)); break;
        }
    }
    // Group descriptions ("a value") after the specific tokens, unless nothing else.
    for (auto& i : items) described.push_back(i);
    return joinAlternatives(described);
}

void SyntaxErrorStrategy::report(antlr4::Parser* p, antlr4::Token* found,
                                 const antlr4::misc::IntervalSet& expected, bool missing) {
    ++errors_;
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
        if (wanted != antlr4::Token::INVALID_TYPE) shown = antlr4::misc::IntervalSet::of(ssize_t(wanted));
    } else if (expected.size() == 1) {
        wanted = size_t(expected.getMinElement());
    } else if (expected.contains(size_t(P::SEMI)) && previous && found &&
               previous->getType() != antlr4::Token::EOF &&
               (found->getType() == antlr4::Token::EOF || found->getType() == P::RBRACE ||
                found->getLine() > previous->getLine())) {
        // The statement ended at the line break: by far the likeliest fix is a ';'.
        wanted = P::SEMI;
        shown = antlr4::misc::IntervalSet::of(ssize_t(P::SEMI));
    }

    size_t rule = p->getContext() ? p->getContext()->getRuleIndex() : size_t(P::RuleFile);
    std::string message = fmt::format("expected {}, found {}", describeExpected(shown, rule),
                                      describeFound(found));
    SourceRange at = rangeOf(found);
    bool afterPrevious = wanted != antlr4::Token::INVALID_TYPE && isCloser(wanted) && previous &&
                         previous->getType() != antlr4::Token::EOF;
    if (afterPrevious) {
        SourceRange prev = rangeOf(previous);
        at = SourceRange(prev.end, prev.end);
    }
    auto b = diag_.error(ErrorCode::E008, at, message);
    if (afterPrevious) b.fixIt(at, describeTokenType(wanted).substr(1, 1));
    if (found && isKeyword(found->getType()) && expected.contains(size_t(P::IDENT)))
        b.note(fmt::format("'{}' is a keyword and cannot be used as a name", found->getText()));
    bool atTopLevel = expected.contains(size_t(P::SUPERVISOR)) && expected.contains(size_t(P::CONST));
    if (found && atTopLevel && (found->getType() == P::CHILD || found->getType() == P::FOR))
        b.note("children and loops belong in the body of a supervisor or application");
    else if (found && atTopLevel && found->getType() == P::IDENT)
        b.note("a file holds declarations: package, import, const, worker, supervisor, "
               "dynamic_supervisor, application");
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
        case P::CHILD: next = P::IDENT; break; // a child id
        case P::FOR: next = P::IDENT; break;
        case P::WORKER:
        case P::SUPERVISOR:
        case P::DYNAMIC_SUPERVISOR:
        case P::APPLICATION:
        case P::CONST: next = P::IDENT; break;
        default: break;
        }
        if (next != antlr4::Token::INVALID_TYPE) {
            ++errors_;
            size_t rule = start->getType() == P::CHILD ? size_t(P::RuleChildDecl)
                          : start->getType() == P::FOR ? size_t(P::RuleForLoop)
                                                       : size_t(P::RuleTopDecl);
            diag_.error(ErrorCode::E008, rangeOf(found), "expected {} after '{}', found {}",
                        describeExpected(antlr4::misc::IntervalSet::of(ssize_t(next)), rule),
                        start->getText(), describeFound(found));
            if (diag_.limitReached()) throw StopParsing{};
            return;
        }
    }
    report(p, e.getOffendingToken(), p->getExpectedTokens(), false);
    if (diag_.limitReached()) throw StopParsing{};
}

void SyntaxErrorStrategy::reportInputMismatch(antlr4::Parser* p,
                                              const antlr4::InputMismatchException& e) {
    report(p, e.getOffendingToken(), e.getExpectedTokens(), false);
    if (diag_.limitReached()) throw StopParsing{};
}

void SyntaxErrorStrategy::reportFailedPredicate(antlr4::Parser* p,
                                                const antlr4::FailedPredicateException& e) {
    report(p, e.getOffendingToken(), p->getExpectedTokens(), false);
    if (diag_.limitReached()) throw StopParsing{};
}

void SyntaxErrorStrategy::reportUnwantedToken(antlr4::Parser* p) {
    if (inErrorRecoveryMode(p)) return;
    beginErrorCondition(p);
    report(p, p->getCurrentToken(), getExpectedTokens(p), false);
    if (diag_.limitReached()) throw StopParsing{};
}

void SyntaxErrorStrategy::reportMissingToken(antlr4::Parser* p) {
    if (inErrorRecoveryMode(p)) return;
    beginErrorCondition(p);
    report(p, p->getCurrentToken(), getExpectedTokens(p), true);
    if (diag_.limitReached()) throw StopParsing{};
}

} // namespace supc::parse
