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

    /// Statement-level resynchronisation. Inside a statement that ends with ';' (a
    /// setting, a child, a const, an import, a package), skip to that ';' (or to the
    /// enclosing '}'); in the header of a declaration or loop, skip the whole construct.
    /// Brackets stay balanced; then unwind to the construct's rule, which returns as if
    /// it had parsed. (ANTLR's follow-set recovery stops on any token that could follow
    /// somewhere up the stack, and cascades.)
    void recover(antlr4::Parser* p, std::exception_ptr e) override;
    void reset(antlr4::Parser* p) override {
        unwindingTo_ = nullptr;
        DefaultErrorStrategy::reset(p);
    }

protected:
    /// ANTLR's single-token deletion, except of a terminator (`const x = ;` followed by
    /// `worker ...` would otherwise take `worker` as the value, as `type = worker` does) or
    /// before the start of the next declaration.
    antlr4::Token* singleTokenDeletion(antlr4::Parser* p) override;
    void reportNoViableAlternative(antlr4::Parser* p,
                                   const antlr4::NoViableAltException& e) override;
    void reportInputMismatch(antlr4::Parser* p, const antlr4::InputMismatchException& e) override;
    void reportFailedPredicate(antlr4::Parser* p,
                               const antlr4::FailedPredicateException& e) override;
    void reportUnwantedToken(antlr4::Parser* p) override;
    void reportMissingToken(antlr4::Parser* p) override;

private:
    void report(antlr4::Parser* p, antlr4::Token* found, const antlr4::misc::IntervalSet& expected,
                bool missing);
    DiagnosticEngine& diag_;
    unsigned errors_ = 0;
    size_t lastReported_ = SIZE_MAX; // token index of the last error shown
    size_t lastReportedLine_ = 0;
    antlr4::ParserRuleContext* unwindingTo_ = nullptr; // the construct being unwound to
    bool assumeSemicolon_ = false; // the last error was a ';' missing at a line break
};

/// "';'", "a name or ';'", "a value, ']' or ','" (public for tests).
/// `rule` is where the parser stands: it names what an identifier would be there.
std::string describeExpected(const antlr4::misc::IntervalSet& expected, size_t rule);

} // namespace supc::parse
