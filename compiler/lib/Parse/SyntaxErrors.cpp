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

std::string describeExpected(const antlr4::misc::IntervalSet& expectedSet) {
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
    std::vector<std::string> items;
    if (containsAll(kDeclStart)) {
        removeAll(kDeclStart);
        items.push_back("a declaration");
    }
    if (containsAll(kValueStart)) {
        removeAll(kValueStart);
        items.push_back("a value");
    }
    // '.' only continues a qualified name: rarely what was meant when anything else fits.
    if (types.size() + items.size() > 1)
        types.erase(std::remove(types.begin(), types.end(), size_t(P::DOT)), types.end());
    std::stable_sort(types.begin(), types.end(),
                     [](size_t a, size_t b) { return rank(a) < rank(b); });
    std::vector<std::string> described;
    for (size_t t : types) described.push_back(describeTokenType(t));
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
    }

    std::string message =
        fmt::format("expected {}, found {}", describeExpected(shown), describeFound(found));
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
}

void SyntaxErrorStrategy::reportNoViableAlternative(antlr4::Parser* p,
                                                    const antlr4::NoViableAltException& e) {
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
