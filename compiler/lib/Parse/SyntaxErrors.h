// Syntax errors in supc's words: "expected ';', found 'child'", pointing just after the
// previous token when a terminator is missing. Recovery itself is ANTLR's (single-token
// insertion and deletion, then resynchronisation on the follow set).
#pragma once

#include "supc/DiagnosticEngine.h"

#include <antlr4-runtime.h>

namespace supc::parse {

/// Thrown when the error limit is reached: the parser stops at once.
struct StopParsing {};

class SyntaxErrorStrategy final : public antlr4::DefaultErrorStrategy {
public:
    explicit SyntaxErrorStrategy(DiagnosticEngine& diag) : diag_(diag) {}
    unsigned errorCount() const { return errors_; }

protected:
    void reportNoViableAlternative(antlr4::Parser* p, const antlr4::NoViableAltException& e) override;
    void reportInputMismatch(antlr4::Parser* p, const antlr4::InputMismatchException& e) override;
    void reportFailedPredicate(antlr4::Parser* p, const antlr4::FailedPredicateException& e) override;
    void reportUnwantedToken(antlr4::Parser* p) override;
    void reportMissingToken(antlr4::Parser* p) override;

private:
    void report(antlr4::Parser* p, antlr4::Token* found, const antlr4::misc::IntervalSet& expected,
                bool missing);
    DiagnosticEngine& diag_;
    unsigned errors_ = 0;
};

/// "';'", "a name or ';'", "a value, ']' or ','" (public for tests).
/// `rule` is where the parser stands: it names what an identifier would be there.
std::string describeExpected(const antlr4::misc::IntervalSet& expected, size_t rule);

} // namespace supc::parse
