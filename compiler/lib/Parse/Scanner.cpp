#include "Parse/Scanner.h"

#include "SupParser.h"
#include "supc/Limits.h"

#include <cmath>
#include <cstring>
#include <fmt/format.h>
#include <limits>

namespace supc::parse {

using P = grammar::SupParser;

// ---------------------------------------------------------------- SlimToken

std::string SlimToken::getText() const {
    if (type_ == kEofType)
        return "<EOF>";
    return std::string(text());
}

size_t SlimToken::getLine() const {
    auto loc = llvm::SMLoc::getFromPointer(ctx_->bufferStart + begin_);
    return ctx_->sourceMgr->getLineAndColumn(loc, ctx_->bufferId).first;
}

size_t SlimToken::getCharPositionInLine() const {
    auto loc = llvm::SMLoc::getFromPointer(ctx_->bufferStart + begin_);
    return ctx_->sourceMgr->getLineAndColumn(loc, ctx_->bufferId).second - 1;
}

std::string SlimToken::toString() const {
    return fmt::format("[@{},{}:{}='{}',<{}>]", index_, begin_, end_ - 1, getText(),
                       type_ == kEofType ? -1 : int(type_));
}

// ---------------------------------------------------------------- literals

namespace {

bool isDigit(char c) {
    return c >= '0' && c <= '9';
}
bool isIdentStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool isIdentChar(char c) {
    return isIdentStart(c) || isDigit(c);
}

struct Unit {
    std::string_view name;
    int64_t ms;
};
constexpr Unit kUnits[] = {{"ms", 1}, {"s", 1000}, {"m", 60'000}, {"h", 3'600'000}};

std::optional<int64_t> unitMilliseconds(std::string_view unit) {
    for (const auto& u : kUnits)
        if (u.name == unit)
            return u.ms;
    return std::nullopt;
}

// Spellings people try, and the unit they mean.
std::optional<std::string_view> unitFor(std::string_view typo) {
    static constexpr std::pair<std::string_view, std::string_view> kTypos[] = {
        {"sec", "s"},     {"secs", "s"},   {"second", "s"},
        {"seconds", "s"}, {"S", "s"},      {"min", "m"},
        {"mins", "m"},    {"minute", "m"}, {"minutes", "m"},
        {"M", "m"},       {"hr", "h"},     {"hrs", "h"},
        {"hour", "h"},    {"hours", "h"},  {"H", "h"},
        {"msec", "ms"},   {"msecs", "ms"}, {"millis", "ms"},
        {"MS", "ms"},     {"Ms", "ms"},    {"milliseconds", "ms"},
    };
    for (const auto& [t, u] : kTypos)
        if (t == typo)
            return u;
    return std::nullopt;
}

// Parses [0-9][0-9_]* into an int64; false on overflow.
bool parseDigits(std::string_view digits, int64_t& out) {
    uint64_t v = 0;
    for (char c : digits) {
        if (c == '_')
            continue;
        uint64_t d = uint64_t(c - '0');
        if (v > (uint64_t(std::numeric_limits<int64_t>::max()) - d) / 10)
            return false;
        v = v * 10 + d;
    }
    out = int64_t(v);
    return true;
}

} // namespace

NumberLiteral classifyNumber(std::string_view text) {
    NumberLiteral out;
    size_t i = 0;
    while (i < text.size() && (isDigit(text[i]) || text[i] == '_'))
        ++i;
    std::string_view whole = text.substr(0, i);
    std::string_view fraction;
    if (i < text.size() && text[i] == '.') {
        size_t j = i + 1;
        while (j < text.size() && (isDigit(text[j]) || text[j] == '_'))
            ++j;
        fraction = text.substr(i + 1, j - i - 1);
        i = j;
    }
    std::string_view suffix = text.substr(i);
    size_t suffixBegin = i;

    auto fail = [&](std::string error, size_t b, size_t e) {
        out.kind = NumberLiteral::Kind::Invalid;
        out.error = std::move(error);
        out.errorBegin = b;
        out.errorEnd = e;
        return out;
    };

    if (whole.back() == '_')
        return fail(fmt::format("number '{}' ends with '_'; underscores go between digits", text),
                    0, whole.size());
    if (!fraction.empty() && fraction.back() == '_')
        return fail(fmt::format("number '{}' ends with '_'; underscores go between digits", text),
                    0, whole.size() + 1 + fraction.size());

    if (!suffix.empty()) {
        auto unitMs = unitMilliseconds(suffix);
        if (!unitMs) {
            auto guess = unitFor(suffix);
            fail(fmt::format("unknown duration unit '{}' in '{}'", suffix, text), suffixBegin,
                 text.size());
            out.note = "durations are a whole number with a unit: ms, s, m or h (500ms, 5s, 2m)";
            if (guess)
                out.replacement = std::string(*guess);
            return out;
        }
        if (!fraction.empty()) {
            fail(fmt::format("duration '{}' is not a whole number of '{}'", text, suffix), 0,
                 text.size());
            // 1.5s -> 1500ms when that is exact.
            std::string num;
            for (char c : text.substr(0, suffixBegin))
                if (c != '_')
                    num += c;
            double ms = std::strtod(num.c_str(), nullptr) * double(*unitMs);
            if (ms >= 0 && ms < 9e15 && std::floor(ms) == ms)
                out.replacement = fmt::format("{}ms", int64_t(ms));
            out.note = "write durations in a smaller unit instead of with a fraction";
            return out;
        }
        int64_t v = 0;
        if (!parseDigits(whole, v) || v > limits::kMaxDurationMs / *unitMs) {
            fail(fmt::format("duration '{}' is longer than the longest duration, {}", text,
                             limits::kMaxDurationText),
                 0, text.size());
            out.code = ErrorCode::E032;
            out.note = "the runtime counts time in nanoseconds, in 64 bits";
            return out;
        }
        out.kind = NumberLiteral::Kind::Duration;
        out.milliseconds = v * *unitMs;
        return out;
    }

    if (!fraction.empty()) {
        std::string num;
        for (char c : text)
            if (c != '_')
                num += c;
        out.kind = NumberLiteral::Kind::Decimal;
        out.decimalValue = std::strtod(num.c_str(), nullptr);
        if (!std::isfinite(out.decimalValue))
            return fail(fmt::format("number '{}' is too large", text), 0, text.size());
        return out;
    }

    int64_t v = 0;
    if (!parseDigits(whole, v))
        return fail(fmt::format("integer '{}' does not fit in 64 bits", text), 0, text.size());
    out.kind = NumberLiteral::Kind::Int;
    out.intValue = v;
    return out;
}

StringLiteral decodeString(std::string_view token) {
    StringLiteral out;
    size_t end = token.size();
    if (end >= 2 && token.back() == '"') {
        // Terminated unless the closing quote is escaped (then it is UNTERMINATED_STRING,
        // whose text never ends in an unescaped quote).
        size_t backslashes = 0;
        for (size_t k = end - 1; k > 1 && token[k - 1] == '\\'; --k)
            ++backslashes;
        if (backslashes % 2 == 0)
            --end;
    }
    for (size_t i = 1; i < end; ++i) {
        char c = token[i];
        if (c != '\\') {
            out.value += c;
            continue;
        }
        if (i + 1 >= end)
            break; // a lone backslash at the end of an unterminated string
        char e = token[++i];
        switch (e) {
        case '"':
            out.value += '"';
            break;
        case '\\':
            out.value += '\\';
            break;
        case 'n':
            out.value += '\n';
            break;
        case 't':
            out.value += '\t';
            break;
        default:
            if (out.ok) {
                out.ok = false;
                // The escaped character may be the start of a multi-byte UTF-8 sequence.
                size_t len = 1;
                unsigned char u = static_cast<unsigned char>(e);
                if (u >= 0xF0)
                    len = 4;
                else if (u >= 0xE0)
                    len = 3;
                else if (u >= 0xC0)
                    len = 2;
                len = std::min(len, end - i);
                out.error =
                    fmt::format("unknown escape sequence '\\{}' in a string", token.substr(i, len));
                out.note = "strings know the escapes \\\", \\\\, \\n and \\t";
                out.errorBegin = i - 1;
                out.errorEnd = i + len;
            }
            out.value += e;
        }
    }
    return out;
}

std::string describeTokenType(size_t type) {
    switch (type) {
    case antlr4::Token::EOF:
        return "end of file";
    case P::IDENT:
        return "a name";
    case P::NUMBER:
        return "a number";
    case P::STRING:
    case P::UNTERMINATED_STRING:
        return "a string";
    default:
        break;
    }
    static const std::pair<size_t, std::string_view> kLiterals[] = {
        {P::PACKAGE, "package"},
        {P::IMPORT, "import"},
        {P::CONST, "const"},
        {P::WORKER, "worker"},
        {P::SUPERVISOR, "supervisor"},
        {P::DYNAMIC_SUPERVISOR, "dynamic_supervisor"},
        {P::APPLICATION, "application"},
        {P::CHILD, "child"},
        {P::FOR, "for"},
        {P::IN, "in"},
        {P::OF, "of"},
        {P::FROM, "from"},
        {P::PER, "per"},
        {P::TRUE, "true"},
        {P::FALSE, "false"},
        {P::LPAREN, "("},
        {P::RPAREN, ")"},
        {P::LBRACE, "{"},
        {P::RBRACE, "}"},
        {P::LBRACK, "["},
        {P::RBRACK, "]"},
        {P::LT, "<"},
        {P::GT, ">"},
        {P::SEMI, ";"},
        {P::COLON, ":"},
        {P::QUESTION, "?"},
        {P::COMMA, ","},
        {P::DOTDOT, ".."},
        {P::DOT, "."},
        {P::ASSIGN, "="},
        {P::PLUS, "+"},
        {P::MINUS, "-"},
        {P::STAR, "*"},
        {P::SLASH, "/"},
        {P::PERCENT, "%"},
    };
    for (const auto& [t, text] : kLiterals)
        if (t == type)
            return fmt::format("'{}'", text);
    return "a token";
}

// ---------------------------------------------------------------- the scanner

namespace {

struct Keyword {
    std::string_view text;
    size_t type;
};
constexpr Keyword kKeywords[] = {
    {"package", P::PACKAGE},
    {"import", P::IMPORT},
    {"const", P::CONST},
    {"worker", P::WORKER},
    {"supervisor", P::SUPERVISOR},
    {"dynamic_supervisor", P::DYNAMIC_SUPERVISOR},
    {"application", P::APPLICATION},
    {"child", P::CHILD},
    {"for", P::FOR},
    {"in", P::IN},
    {"of", P::OF},
    {"from", P::FROM},
    {"per", P::PER},
    {"true", P::TRUE},
    {"false", P::FALSE},
};

size_t keywordOrIdent(std::string_view word) {
    for (const auto& k : kKeywords)
        if (k.text == word)
            return k.type;
    return P::IDENT;
}

// Length of the UTF-8 sequence starting with lead byte c (input is valid UTF-8).
size_t utf8Length(unsigned char c) {
    if (c < 0x80)
        return 1;
    if (c >= 0xF0)
        return 4;
    if (c >= 0xE0)
        return 3;
    return 2;
}

uint32_t decodeCodePoint(const char* p, size_t len) {
    auto u = [&](size_t i) { return uint32_t(static_cast<unsigned char>(p[i])); };
    switch (len) {
    case 1:
        return u(0);
    case 2:
        return ((u(0) & 0x1F) << 6) | (u(1) & 0x3F);
    case 3:
        return ((u(0) & 0x0F) << 12) | ((u(1) & 0x3F) << 6) | (u(2) & 0x3F);
    default:
        return ((u(0) & 0x07) << 18) | ((u(1) & 0x3F) << 12) | ((u(2) & 0x3F) << 6) | (u(3) & 0x3F);
    }
}

class Scanner {
public:
    Scanner(const llvm::SourceMgr& sm, unsigned bufferId, DiagnosticEngine& diag) : diag_(diag) {
        const llvm::MemoryBuffer* buf = sm.getMemoryBuffer(bufferId);
        src_ = buf->getBufferStart();
        n_ = buf->getBufferSize();
        result_.context = std::make_unique<TokenContext>();
        ctx_ = result_.context.get();
        ctx_->bufferStart = src_;
        ctx_->bufferSize = n_;
        ctx_->sourceMgr = &sm;
        ctx_->bufferId = bufferId;
    }

    ScanResult run() {
        // Roughly one token per 4 bytes of a typical spec.
        result_.tokens.reserve(n_ / 4 + 16);
        size_t i = 0;
        if (n_ >= 3 && std::memcmp(src_, "\xEF\xBB\xBF", 3) == 0)
            i = 3; // UTF-8 BOM
        while (i < n_)
            i = next(i);
        flushBadRun();
        result_.tokens.emplace_back(ctx_, antlr4::Token::EOF, antlr4::Token::DEFAULT_CHANNEL,
                                    uint32_t(n_), uint32_t(n_));
        for (size_t k = 0; k < result_.tokens.size(); ++k)
            result_.tokens[k].setTokenIndex(k);
        checkNesting();
        return std::move(result_);
    }

private:
    SourceRange rangeOf(size_t b, size_t e) const {
        return SourceRange::fromPointers(src_ + b, src_ + e);
    }

    void emit(size_t type, size_t b, size_t e) {
        flushBadRun();
        result_.tokens.emplace_back(ctx_, type, antlr4::Token::DEFAULT_CHANNEL, uint32_t(b),
                                    uint32_t(e));
    }
    void emitHidden(size_t type, size_t b, size_t e) {
        if (type != P::BAD_CHAR)
            flushBadRun();
        result_.hidden.emplace_back(ctx_, type, antlr4::Token::HIDDEN_CHANNEL, uint32_t(b),
                                    uint32_t(e));
    }

    size_t next(size_t i) {
        char c = src_[i];
        switch (c) {
        case ' ':
        case '\t':
        case '\r':
        case '\n':
        case '\f': {
            size_t j = i + 1;
            while (j < n_ && (src_[j] == ' ' || src_[j] == '\t' || src_[j] == '\r' ||
                              src_[j] == '\n' || src_[j] == '\f'))
                ++j;
            // Spaces and tabs between unknown characters keep them in one run.
            bool lineBreak = false;
            for (size_t k = i; k < j; ++k)
                lineBreak |= src_[k] == '\n' || src_[k] == '\r';
            if (lineBreak)
                flushBadRun();
            return j;
        }
        case '/':
            if (i + 1 < n_ && src_[i + 1] == '/')
                return lineComment(i);
            if (i + 1 < n_ && src_[i + 1] == '*')
                return blockComment(i);
            emit(P::SLASH, i, i + 1);
            return i + 1;
        case '"':
            return string(i);
        case '(':
            emit(P::LPAREN, i, i + 1);
            return i + 1;
        case ')':
            emit(P::RPAREN, i, i + 1);
            return i + 1;
        case '{':
            emit(P::LBRACE, i, i + 1);
            return i + 1;
        case '}':
            emit(P::RBRACE, i, i + 1);
            return i + 1;
        case '[':
            emit(P::LBRACK, i, i + 1);
            return i + 1;
        case ']':
            emit(P::RBRACK, i, i + 1);
            return i + 1;
        case '<':
            emit(P::LT, i, i + 1);
            return i + 1;
        case '>':
            emit(P::GT, i, i + 1);
            return i + 1;
        case ';':
            emit(P::SEMI, i, i + 1);
            return i + 1;
        case ':':
            emit(P::COLON, i, i + 1);
            return i + 1;
        case '?':
            emit(P::QUESTION, i, i + 1);
            return i + 1;
        case ',':
            emit(P::COMMA, i, i + 1);
            return i + 1;
        case '=':
            emit(P::ASSIGN, i, i + 1);
            return i + 1;
        case '+':
            emit(P::PLUS, i, i + 1);
            return i + 1;
        case '-':
            emit(P::MINUS, i, i + 1);
            return i + 1;
        case '*':
            emit(P::STAR, i, i + 1);
            return i + 1;
        case '%':
            emit(P::PERCENT, i, i + 1);
            return i + 1;
        case '.':
            if (i + 1 < n_ && src_[i + 1] == '.') {
                emit(P::DOTDOT, i, i + 2);
                return i + 2;
            }
            emit(P::DOT, i, i + 1);
            return i + 1;
        default:
            break;
        }
        if (isIdentStart(c)) {
            size_t j = i + 1;
            while (j < n_ && isIdentChar(src_[j]))
                ++j;
            emit(keywordOrIdent(std::string_view(src_ + i, j - i)), i, j);
            return j;
        }
        if (isDigit(c))
            return number(i);
        return badChar(i);
    }

    size_t lineComment(size_t i) {
        size_t j = i + 2;
        while (j < n_ && src_[j] != '\n' && src_[j] != '\r')
            ++j;
        emitHidden(P::LINE_COMMENT, i, j);
        return j;
    }

    size_t blockComment(size_t i) {
        const char* close = nullptr;
        for (size_t j = i + 2; j + 1 < n_; ++j)
            if (src_[j] == '*' && src_[j + 1] == '/') {
                close = src_ + j;
                break;
            }
        if (close) {
            size_t e = size_t(close - src_) + 2;
            emitHidden(P::BLOCK_COMMENT, i, e);
            return e;
        }
        emitHidden(P::UNTERMINATED_COMMENT, i, n_);
        diag_.error(ErrorCode::E006, rangeOf(i, i + 2), "unterminated block comment")
            .note("a block comment that starts with '/*' must end with '*/'");
        return n_;
    }

    size_t number(size_t i) {
        size_t j = i + 1;
        while (j < n_ && (isDigit(src_[j]) || src_[j] == '_'))
            ++j;
        if (j + 1 < n_ && src_[j] == '.' && isDigit(src_[j + 1])) {
            j += 2;
            while (j < n_ && (isDigit(src_[j]) || src_[j] == '_'))
                ++j;
        }
        if (j < n_ && isIdentStart(src_[j])) {
            ++j;
            while (j < n_ && isIdentChar(src_[j]))
                ++j;
        }
        emit(P::NUMBER, i, j);
        std::string_view text(src_ + i, j - i);
        NumberLiteral lit = classifyNumber(text);
        if (lit.kind == NumberLiteral::Kind::Invalid) {
            auto b = diag_.error(lit.code, rangeOf(i, j), lit.error);
            if (!lit.note.empty())
                b.note(lit.note);
            if (!lit.replacement.empty())
                b.fixIt(rangeOf(i + lit.errorBegin, i + lit.errorEnd), lit.replacement);
        }
        return j;
    }

    size_t string(size_t i) {
        size_t j = i + 1;
        bool terminated = false;
        while (j < n_) {
            char c = src_[j];
            if (c == '"') {
                ++j;
                terminated = true;
                break;
            }
            if (c == '\n' || c == '\r')
                break;
            if (c == '\\') {
                if (j + 1 < n_ && src_[j + 1] != '\n' && src_[j + 1] != '\r') {
                    j += 1 + utf8Length(static_cast<unsigned char>(src_[j + 1]));
                    continue;
                }
                ++j; // the optional trailing backslash of UNTERMINATED_STRING
                break;
            }
            j += utf8Length(static_cast<unsigned char>(c));
        }
        j = std::min(j, n_);
        emit(terminated ? P::STRING : P::UNTERMINATED_STRING, i, j);
        if (!terminated) {
            diag_.error(ErrorCode::E006, rangeOf(i, i + 1), "unterminated string")
                .note("a string must end with '\"' on the line where it starts");
        }
        StringLiteral lit = decodeString(std::string_view(src_ + i, j - i));
        if (!lit.ok) {
            diag_.error(ErrorCode::E007, rangeOf(i + lit.errorBegin, i + lit.errorEnd), lit.error)
                .note(lit.note);
        }
        return j;
    }

    size_t badChar(size_t i) {
        size_t len = std::min(utf8Length(static_cast<unsigned char>(src_[i])), n_ - i);
        emitHidden(P::BAD_CHAR, i, i + len);
        if (badBegin_ == SIZE_MAX)
            badBegin_ = i;
        badEnd_ = i + len;
        return i + len;
    }

    // Reports the pending run of unknown characters as one error.
    void flushBadRun() {
        if (badBegin_ == SIZE_MAX)
            return;
        size_t b = badBegin_, e = badEnd_;
        badBegin_ = SIZE_MAX;

        std::string shown;
        unsigned count = 0;
        uint32_t first = 0;
        for (size_t k = b; k < e;) {
            size_t len = std::min(utf8Length(static_cast<unsigned char>(src_[k])), e - k);
            uint32_t cp = decodeCodePoint(src_ + k, len);
            if (count == 0)
                first = cp;
            if (cp != ' ' && cp != '\t')
                ++count;
            if (cp < 0x20 || cp == 0x7F)
                shown += fmt::format("\\x{:02X}", cp);
            else
                shown.append(src_ + k, len);
            k += len;
        }
        std::string msg;
        if (count <= 1) {
            msg = first >= 0x80 ? fmt::format("unexpected character '{}' (U+{:04X})", shown, first)
                                : fmt::format("unexpected character '{}'", shown);
        } else {
            msg = fmt::format("unexpected characters '{}'", shown);
        }
        auto builder = diag_.error(ErrorCode::E005, rangeOf(b, e), msg);
        if (first == '#')
            builder.note("comments start with '//' (or are enclosed in '/* */')");
        else if (first == 0x201C || first == 0x201D)
            builder.note("strings are enclosed in straight double quotes '\"'");
        else if (first >= 0x80)
            builder.note("outside strings and comments, specs are ASCII: names are made of "
                         "letters, digits and '_'");
    }

    // Brackets and prefix minus signs nest the parser's recursion: bound them first.
    void checkNesting() {
        unsigned depth = 0, minusRun = 0;
        for (const auto& t : result_.tokens) {
            switch (t.getType()) {
            case P::LPAREN:
            case P::LBRACK:
            case P::LBRACE:
            case P::LT:
                ++depth;
                break;
            case P::RPAREN:
            case P::RBRACK:
            case P::RBRACE:
            case P::GT:
                if (depth)
                    --depth;
                break;
            default:
                break;
            }
            minusRun = t.getType() == P::MINUS ? minusRun + 1 : 0;
            if (depth + minusRun > limits::kMaxNestingDepth) {
                diag_
                    .error(ErrorCode::E004, t.range(), "nesting is deeper than {} levels",
                           limits::kMaxNestingDepth)
                    .note("brackets and prefix '-' signs nest; supc does not parse input "
                          "nested this deep");
                result_.parseable = false;
                return;
            }
        }
    }

    DiagnosticEngine& diag_;
    const char* src_ = nullptr;
    size_t n_ = 0;
    ScanResult result_;
    TokenContext* ctx_ = nullptr;
    size_t badBegin_ = SIZE_MAX, badEnd_ = 0;
};

} // namespace

ScanResult scan(const llvm::SourceMgr& sm, unsigned bufferId, DiagnosticEngine& diag) {
    return Scanner(sm, bufferId, diag).run();
}

} // namespace supc::parse
