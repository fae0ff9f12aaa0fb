// The scanner: turns a spec's bytes into the tokens of grammar/Sup.g4.
//
// Why not ANTLR's generated lexer: it costs ~1 µs and ~130 heap bytes per token, which
// alone would spend most of the 250 ms budget for a 10,000-child spec and most of the
// 300 MB budget at 100,000 children (docs/language.md, "Implementation notes"). This
// scanner implements the same lexical rules, produces the same token types, boundaries
// and channels (tests/unit/compiler/ScannerTest.cpp runs both on the same inputs), and
// stores 32-byte tokens contiguously. The generated SupLexer remains the reference.
//
// The scanner also reports lexical errors precisely: runs of unknown characters as one
// error (E005), unterminated strings and comments (E006), malformed numbers, durations
// and escapes (E007); and refuses nesting deeper than the parser's stack allows (E004).
#pragma once

#include "supc/DiagnosticEngine.h"

#include <antlr4-runtime.h>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace supc::parse {

/// What every token of one buffer shares.
struct TokenContext {
    const char* bufferStart = nullptr;
    size_t bufferSize = 0;
    const llvm::SourceMgr* sourceMgr = nullptr;
    unsigned bufferId = 0;
    antlr4::TokenSource* source = nullptr; // set by the parser
};

/// A token the ANTLR parser can consume, stored by value in a vector.
class SlimToken final : public antlr4::WritableToken {
public:
    static constexpr uint16_t kEofType = 0xFFFF;

    SlimToken(const TokenContext* ctx, size_t type, size_t channel, uint32_t begin, uint32_t end)
        : ctx_(ctx), begin_(begin), end_(end),
          type_(type == antlr4::Token::EOF ? kEofType : uint16_t(type)),
          channel_(uint8_t(channel)) {}

    // antlr4::Token
    std::string getText() const override;
    size_t getType() const override { return type_ == kEofType ? antlr4::Token::EOF : type_; }
    size_t getLine() const override;
    size_t getCharPositionInLine() const override;
    size_t getChannel() const override { return channel_; }
    size_t getTokenIndex() const override { return index_; }
    size_t getStartIndex() const override { return begin_; }
    size_t getStopIndex() const override { return size_t(end_) - 1; }
    antlr4::TokenSource* getTokenSource() const override { return ctx_->source; }
    antlr4::CharStream* getInputStream() const override { return nullptr; }
    std::string toString() const override;

    // antlr4::WritableToken (the parser only ever sets the index)
    void setText(const std::string&) override {}
    void setType(size_t t) override { type_ = t == antlr4::Token::EOF ? kEofType : uint16_t(t); }
    void setLine(size_t) override {}
    void setCharPositionInLine(size_t) override {}
    void setChannel(size_t c) override { channel_ = uint8_t(c); }
    void setTokenIndex(size_t i) override { index_ = uint32_t(i); }

    uint32_t begin() const { return begin_; }
    uint32_t end() const { return end_; }
    std::string_view text() const { return {ctx_->bufferStart + begin_, size_t(end_ - begin_)}; }
    SourceRange range() const {
        return SourceRange::fromPointers(ctx_->bufferStart + begin_, ctx_->bufferStart + end_);
    }

private:
    const TokenContext* ctx_;
    uint32_t begin_, end_; // byte offsets, end exclusive
    uint32_t index_ = 0;
    uint16_t type_;
    uint8_t channel_;
};

struct ScanResult {
    std::unique_ptr<TokenContext> context;
    std::vector<SlimToken> tokens; // the default channel, ending with EOF: what the parser reads
    std::vector<SlimToken> hidden; // comments and unknown characters, in source order
    bool parseable = true;         // false: a limit was exceeded, do not run the parser
};

/// Scans buffer `bufferId` (already checked to be UTF-8 without NUL bytes).
ScanResult scan(const llvm::SourceMgr& sm, unsigned bufferId, DiagnosticEngine& diag);

// ---------------------------------------------------------------- literal decoding
// Shared by the scanner (which reports problems) and the AST builder (which reads values).

struct NumberLiteral {
    enum class Kind { Int, Decimal, Duration, Invalid };
    Kind kind = Kind::Invalid;
    int64_t intValue = 0;     // Int
    double decimalValue = 0;  // Decimal
    int64_t milliseconds = 0; // Duration
    // Invalid: what is wrong (E007, or E032 for a duration longer than the runtime's clock
    // holds), where (offsets into the token), and a suggested replacement for that part,
    // if any.
    ErrorCode code = ErrorCode::E007;
    std::string error;
    std::string note;
    size_t errorBegin = 0, errorEnd = 0;
    std::string replacement;
};
NumberLiteral classifyNumber(std::string_view text);

struct StringLiteral {
    std::string value;
    bool ok = true;
    std::string error;
    std::string note;
    size_t errorBegin = 0, errorEnd = 0; // offsets into the token
};
/// Decodes a STRING or UNTERMINATED_STRING token's text (quotes included).
StringLiteral decodeString(std::string_view token);

/// A human description of a token type, for syntax errors: "';'", "a name", "end of file".
std::string describeTokenType(size_t type);

} // namespace supc::parse
