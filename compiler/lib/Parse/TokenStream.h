// Feeds the scanner's tokens to the ANTLR parser: a TokenStream over a contiguous vector
// of default-channel tokens (hidden tokens are kept aside by the scanner).
#pragma once

#include "Parse/Scanner.h"

namespace supc::parse {

/// Only what the parser needs of a token source: a name and a token factory (for the
/// tokens error recovery conjures up).
class SlimTokenSource final : public antlr4::TokenSource {
public:
    explicit SlimTokenSource(std::string name) : name_(std::move(name)) {}
    std::unique_ptr<antlr4::Token> nextToken() override;
    size_t getLine() const override { return 0; }
    size_t getCharPositionInLine() override { return 0; }
    antlr4::CharStream* getInputStream() override { return nullptr; }
    std::string getSourceName() override { return name_; }
    antlr4::TokenFactory<antlr4::CommonToken>* getTokenFactory() override;

private:
    std::string name_;
};

class SlimTokenStream final : public antlr4::TokenStream {
public:
    SlimTokenStream(std::vector<SlimToken>& tokens, SlimTokenSource& source)
        : tokens_(tokens), source_(source) {}

    // antlr4::IntStream
    void consume() override;
    size_t LA(ssize_t i) override;
    ssize_t mark() override { return -1; }
    void release(ssize_t) override {}
    size_t index() override { return p_; }
    void seek(size_t index) override { p_ = std::min(index, tokens_.size() - 1); }
    size_t size() override { return tokens_.size(); }
    std::string getSourceName() const override { return source_.getSourceName(); }

    // antlr4::TokenStream
    antlr4::Token* LT(ssize_t k) override;
    antlr4::Token* get(size_t index) const override;
    antlr4::TokenSource* getTokenSource() const override { return &source_; }
    std::string getText(const antlr4::misc::Interval& interval) override;
    std::string getText() override;
    std::string getText(antlr4::RuleContext* ctx) override;
    std::string getText(antlr4::Token* start, antlr4::Token* stop) override;

private:
    std::vector<SlimToken>& tokens_;
    SlimTokenSource& source_;
    size_t p_ = 0;
};

} // namespace supc::parse
