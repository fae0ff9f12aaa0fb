// From a spec's tokens and comments to a Doc (Format/Doc.h), and the output check.
//
// The formatter works on the scanner's tokens of a file the parser accepted, so it needs
// little of the grammar: a file and a block are sequences of items; an item runs to a
// `;` or to a `{ block }` outside brackets; `(` after a name and `[` open comma-separated
// lists that may be broken over lines. Every token is printed once, in order.
//
// Comments are attached to the gaps between tokens: those on the same line as the token
// before them trail it, the others lead the token after them (with a note of whether a
// blank line or a line break came before and after each). Leading comments of an item
// are printed on their own lines at the item's indent; leading comments of a `}` or of
// the end of the file at the indent of the block's items.
#include "Format/Doc.h"
#include "Parse/Scanner.h"
#include "Sema/Loader.h"
#include "SupParser.h"
#include "supc/Format.h"
#include "supc/Parser.h"

#include <algorithm>
#include <deque>
#include <llvm/Support/MemoryBuffer.h>
#include <unordered_map>

namespace supc {

namespace {

using P = grammar::SupParser;
using namespace format;

constexpr size_t npos = size_t(-1);
constexpr std::string_view kBom = "\xEF\xBB\xBF";

struct Comment {
    std::string_view text;
    bool isLine = false;
    bool newlineBefore = false; // a line break (or the start of the file) before it
    bool newlineAfter = false;  // a line break (or the end of the file) after it
    bool blankBefore = false;   // an empty line before it
};

/// Comments by token index, stored sparsely: most tokens have none.
class CommentTable {
public:
    const std::vector<Comment>& operator[](size_t token) const {
        auto it = map_.find(token);
        return it == map_.end() ? none_ : it->second;
    }
    /// The list of `token`, created if needed (references stay valid: node-based map).
    std::vector<Comment>& edit(size_t token) { return map_[token]; }
    template <class F>
    void forEach(F f) {
        for (auto& [token, comments] : map_)
            for (auto& c : comments)
                f(c);
    }

private:
    std::unordered_map<size_t, std::vector<Comment>> map_;
    std::vector<Comment> none_;
};

struct Token {
    size_t type = 0;
    std::string_view text;
    bool blankBefore = false; // an empty line before it (after the token or comment before)
};

unsigned countNewlines(std::string_view gap) {
    unsigned n = 0;
    for (size_t i = 0; i < gap.size(); ++i)
        if (gap[i] == '\n' || (gap[i] == '\r' && (i + 1 == gap.size() || gap[i + 1] != '\n')))
            ++n;
    return n;
}

bool isComment(size_t type) {
    return type == P::LINE_COMMENT || type == P::BLOCK_COMMENT || type == P::UNTERMINATED_COMMENT;
}

/// Whether the token at `i` of `tokens` is optional punctuation the formatter decides on:
/// a comma before a closing bracket, a `;` after a `}`.
template <class T, class TypeOf>
bool isOptionalPunctuation(const std::vector<T>& tokens, size_t i, TypeOf typeOf) {
    size_t t = typeOf(tokens[i]);
    if (t == P::COMMA)
        return i + 1 < tokens.size() &&
               (typeOf(tokens[i + 1]) == P::RPAREN || typeOf(tokens[i + 1]) == P::RBRACK);
    if (t == P::SEMI)
        return i > 0 && typeOf(tokens[i - 1]) == P::RBRACE;
    return false;
}

// ---------------------------------------------------------------- the formatter

class Formatter {
public:
    Formatter(std::string_view src, size_t start, const parse::ScanResult& scanned,
              const FormatOptions& options)
        : src_(src), indent_(int(options.indentWidth)) {
        collect(start, scanned);
    }

    /// Builds the file's document; false if the tokens are not shaped as expected.
    bool build(Doc& out) {
        if (!matchBrackets())
            return false;
        size_t i = 0;
        std::vector<Item> items;
        if (!parseItems(i, items) || tokens_[i].type != antlr4::Token::EOF)
            return false;
        DocList d;
        renderItems(items, d);
        emitDangling(i, !items.empty(), d);
        out = concat(std::move(d));
        return true;
    }

private:
    // An item: a declaration, setting, child or loop.
    struct Item {
        size_t first = 0; // its first token
        size_t end = 0;   // its header is [first, end): up to the `;` or `{`
        size_t semi = npos;
        size_t open = npos, close = npos; // its block
        std::vector<Item> items;          // the block's items
    };

    // -------------------------------------------------------- tokens and comments

    void collect(size_t start, const parse::ScanResult& scanned) {
        std::vector<const parse::SlimToken*> kept;
        for (size_t i = 0; i < scanned.tokens.size(); ++i)
            if (!isOptionalPunctuation(scanned.tokens, i,
                                       [](const parse::SlimToken& t) { return t.getType(); }))
                kept.push_back(&scanned.tokens[i]);
        tokens_.resize(kept.size());

        size_t prevEnd = start;
        size_t lastToken = npos;
        bool trailingChain = false; // comments on the line of the last token trail it
        std::vector<Comment> pending;
        Comment* lastComment = nullptr;
        auto gap = [&](size_t begin) {
            return countNewlines(src_.substr(prevEnd, begin - prevEnd));
        };
        size_t h = 0;
        for (size_t k = 0; k < kept.size(); ++k) {
            const parse::SlimToken& tok = *kept[k];
            for (; h < scanned.hidden.size() && scanned.hidden[h].begin() < tok.begin(); ++h) {
                const parse::SlimToken& c = scanned.hidden[h];
                if (!isComment(c.getType()))
                    continue;
                unsigned nl = gap(c.begin());
                if (lastComment)
                    lastComment->newlineAfter = nl > 0;
                Comment comment;
                comment.text = c.text();
                comment.isLine = c.getType() == P::LINE_COMMENT;
                comment.newlineBefore = nl > 0 || (lastToken == npos && !lastComment);
                comment.blankBefore = nl > 1;
                if (!comment.newlineBefore && trailingChain) {
                    trailing_.edit(lastToken).push_back(comment);
                    lastComment = &trailing_.edit(lastToken).back();
                } else {
                    trailingChain = false;
                    pending.push_back(comment);
                    lastComment = &pending.back();
                }
                prevEnd = c.end();
            }
            unsigned nl = gap(tok.begin());
            if (lastComment)
                lastComment->newlineAfter = nl > 0 || k + 1 == kept.size();
            tokens_[k].type = tok.getType();
            tokens_[k].text = tok.text();
            tokens_[k].blankBefore = nl > 1;
            if (!pending.empty())
                leading_.edit(k) = std::move(pending);
            pending.clear();
            lastComment = nullptr;
            lastToken = k;
            trailingChain = true;
            prevEnd = tok.end();
        }
        for (CommentTable* table : {&leading_, &trailing_})
            table->forEach([](Comment& c) {
                if (c.isLine)
                    c.newlineAfter = true;
            });

        // A `,` or `;` on the line after a line comment is printed before that comment
        // (`a = 1,  // note`). Attach the comments as they will be when the output is
        // formatted again: the line comment trails the `,` or `;`, and what trailed that
        // starts the next line, leading the next token.
        for (size_t k = 1; k + 1 < tokens_.size(); ++k) {
            bool isGlue = tokens_[k].type == P::COMMA || tokens_[k].type == P::SEMI;
            if (!isGlue || !leading_[k].empty() || trailing_[k - 1].empty() ||
                !trailing_[k - 1].back().isLine)
                continue;
            if (!trailing_[k].empty()) {
                std::vector<Comment> moved = std::move(trailing_.edit(k));
                moved.front().newlineBefore = true;
                moved.front().blankBefore = false;
                moved.insert(moved.end(), leading_[k + 1].begin(), leading_[k + 1].end());
                leading_.edit(k + 1) = std::move(moved);
            }
            trailing_.edit(k) = {trailing_[k - 1].back()};
            trailing_.edit(k - 1).pop_back();
        }
    }

    bool matchBrackets() {
        match_.assign(tokens_.size(), npos);
        std::vector<size_t> open;
        for (size_t i = 0; i < tokens_.size(); ++i) {
            size_t t = tokens_[i].type;
            if (t == P::LPAREN || t == P::LBRACK || t == P::LBRACE) {
                open.push_back(i);
            } else if (t == P::RPAREN || t == P::RBRACK || t == P::RBRACE) {
                if (open.empty())
                    return false;
                size_t o = open.back();
                open.pop_back();
                size_t want = t == P::RPAREN ? P::LPAREN : t == P::RBRACK ? P::LBRACK : P::LBRACE;
                if (tokens_[o].type != want)
                    return false;
                match_[o] = i;
                match_[i] = o;
            }
        }
        return open.empty();
    }

    // -------------------------------------------------------- structure

    bool parseItems(size_t& i, std::vector<Item>& out) {
        while (tokens_[i].type != P::RBRACE && tokens_[i].type != antlr4::Token::EOF) {
            Item item;
            if (!parseItem(i, item))
                return false;
            out.push_back(std::move(item));
        }
        return true;
    }

    bool parseItem(size_t& i, Item& item) {
        item.first = i;
        while (true) {
            size_t t = tokens_[i].type;
            if (t == antlr4::Token::EOF || t == P::RBRACE)
                return false;
            if (t == P::LPAREN || t == P::LBRACK) {
                i = match_[i] + 1;
                continue;
            }
            if (t == P::SEMI) {
                item.end = item.semi = i;
                ++i;
                return true;
            }
            if (t == P::LBRACE) {
                item.end = item.open = i;
                ++i;
                if (!parseItems(i, item.items) || tokens_[i].type != P::RBRACE)
                    return false;
                item.close = i;
                ++i;
                return true;
            }
            ++i;
        }
    }

    // -------------------------------------------------------- comments

    Doc commentDoc(const Comment& c, bool newlineBefore) const {
        return comment(c.text, c.isLine, newlineBefore, c.newlineAfter);
    }

    void emitLeading(size_t i, DocList& d) const {
        for (const auto& c : leading_[i])
            d.push_back(commentDoc(c, c.newlineBefore));
    }

    void emitTrailing(size_t i, DocList& d) const {
        for (const auto& c : trailing_[i])
            d.push_back(commentDoc(c, false));
    }

    void emitToken(size_t i, DocList& d, bool leading = true) const {
        if (leading)
            emitLeading(i, d);
        size_t t = tokens_[i].type;
        d.push_back(t == P::COMMA || t == P::SEMI ? glue(tokens_[i].text) : text(tokens_[i].text));
        emitTrailing(i, d);
    }

    bool hasComments(size_t begin, size_t end) const {
        for (size_t i = begin; i < end; ++i)
            if (!leading_[i].empty() || !trailing_[i].empty())
                return true;
        return false;
    }

    // Comments of an item's first token, each on its own line (blank lines kept, at most
    // one), then the line break before the item.
    void emitItemLeading(size_t first, bool atBlockStart, DocList& d) const {
        bool atStart = atBlockStart;
        const auto& comments = leading_[first];
        for (const auto& c : comments) {
            bool own = c.newlineBefore || atStart;
            if (own)
                d.push_back(c.blankBefore && !atStart ? blankLine() : newline());
            d.push_back(commentDoc(c, own));
            atStart = false;
        }
        if (comments.empty())
            d.push_back(tokens_[first].blankBefore && !atBlockStart ? blankLine() : newline());
        else if (comments.back().newlineAfter)
            d.push_back(tokens_[first].blankBefore ? blankLine() : newline());
    }

    // Comments before a `}` or the end of the file, at the indent of the block's items.
    void emitDangling(size_t close, bool afterItems, DocList& d) const {
        bool atStart = !afterItems;
        for (const auto& c : leading_[close]) {
            bool own = c.newlineBefore || atStart;
            if (own)
                d.push_back(c.blankBefore && !atStart ? blankLine() : newline());
            d.push_back(commentDoc(c, own));
            atStart = false;
        }
    }

    // -------------------------------------------------------- items and alignment

    // Consecutive settings (`name = ...`), children (`child id = ...`) or consts
    // (`const name = ...`) align their `=`; a blank line or another kind of item ends a
    // run. Sets `keyLast` to the key's last token (`name`, `id`), after which the padding
    // goes. An item with a comment inside its key does not align.
    enum class AlignKind { None, Setting, Child, Const };
    AlignKind alignKind(const Item& item, size_t& keyLast) const {
        size_t f = item.first;
        auto is = [&](size_t k, size_t type) {
            return f + k < item.end && tokens_[f + k].type == type;
        };
        AlignKind kind = AlignKind::None;
        if (is(0, P::IDENT) && is(1, P::ASSIGN)) {
            kind = AlignKind::Setting;
            keyLast = f;
        } else if (is(0, P::CHILD) && is(2, P::ASSIGN)) {
            kind = AlignKind::Child;
            keyLast = f + 1;
        } else if (is(0, P::CONST) && is(2, P::ASSIGN)) {
            kind = AlignKind::Const;
            keyLast = f + 1;
        } else {
            return AlignKind::None;
        }
        if (!trailing_[keyLast].empty() || !leading_[keyLast + 1].empty() ||
            (keyLast > f && (!trailing_[f].empty() || !leading_[keyLast].empty())))
            return AlignKind::None;
        return kind;
    }

    int keyWidth(const Item& item, size_t keyLast) const {
        int w = 0;
        for (size_t k = item.first; k <= keyLast; ++k)
            w += displayWidth(tokens_[k].text) + (k > item.first ? 1 : 0);
        return w;
    }

    bool blankBefore(const Item& item) const {
        for (const auto& c : leading_[item.first])
            if (c.blankBefore)
                return true;
        return tokens_[item.first].blankBefore;
    }

    void renderItems(const std::vector<Item>& items, DocList& d) const {
        std::vector<AlignKind> kinds(items.size());
        std::vector<size_t> keyLast(items.size(), npos);
        std::vector<int> pad(items.size(), 0);
        for (size_t k = 0; k < items.size(); ++k)
            kinds[k] = alignKind(items[k], keyLast[k]);
        for (size_t k = 0; k < items.size();) {
            size_t end = k + 1;
            if (kinds[k] != AlignKind::None)
                while (end < items.size() && kinds[end] == kinds[k] && !blankBefore(items[end]))
                    ++end;
            int widest = 0;
            for (size_t j = k; j < end; ++j)
                if (kinds[j] != AlignKind::None)
                    widest = std::max(widest, keyWidth(items[j], keyLast[j]));
            for (size_t j = k; j < end; ++j)
                if (kinds[j] != AlignKind::None)
                    pad[j] = widest - keyWidth(items[j], keyLast[j]);
            k = end;
        }
        for (size_t k = 0; k < items.size(); ++k) {
            emitItemLeading(items[k].first, k == 0, d);
            buildItem(items[k], keyLast[k], pad[k], d);
        }
    }

    void buildItem(const Item& item, size_t keyLast, int pad, DocList& d) const {
        SeqContext ctx;
        ctx.keyLast = keyLast;
        ctx.pad = pad;
        size_t assign = npos;
        if (tokens_[item.first].type == P::WORKER)
            for (size_t i = item.first; i < item.end; ++i) {
                if (tokens_[i].type == P::LPAREN || tokens_[i].type == P::LBRACK)
                    i = match_[i];
                else if (tokens_[i].type == P::ASSIGN) {
                    assign = i;
                    break;
                }
            }
        if (assign == npos) {
            buildSeq(item.first, item.end, d, ctx, /*firstLeading=*/false);
            buildEnd(item, d);
            return;
        }
        // A worker declaration may break before its `= "cpp::Type" from "header"`, which
        // then goes on a continuation line with its `;` or one-line block.
        buildSeq(item.first, assign, d, ctx, /*firstLeading=*/false);
        DocList rest{line()};
        emitToken(assign, rest);
        if (assign + 1 < item.end)
            rest.push_back(space());
        buildSeq(assign + 1, item.end, rest, SeqContext());
        bool multiLineBlock = item.semi == npos && blockLayout(item) == BlockLayout::MultiLine;
        if (!multiLineBlock) {
            // A one-line block that breaks after all is indented from the item, not from
            // the continuation line. A comment after the item is not part of the group
            // (a line comment would break it).
            DocList end;
            buildEnd(item, end, /*trailing=*/false);
            rest.push_back(nest(-indent_, std::move(end)));
        }
        d.push_back(group({nest(indent_, std::move(rest))}));
        if (multiLineBlock)
            buildEnd(item, d);
        else
            emitTrailing(item.semi != npos ? item.semi : item.close, d);
    }

    // An item's `;` or block, with or without the comments that trail it.
    void buildEnd(const Item& item, DocList& d, bool trailing = true) const {
        if (item.semi != npos) {
            emitLeading(item.semi, d);
            d.push_back(glue(tokens_[item.semi].text));
            if (trailing)
                emitTrailing(item.semi, d);
        } else {
            buildBlock(item, d, trailing);
        }
    }

    enum class BlockLayout { Empty, OneLine, MultiLine };

    // `{}`; `{ setting; }` on the item's line when it fits (the settings block of a child
    // or worker declaration with one setting and no comments); else one item per line.
    BlockLayout blockLayout(const Item& item) const {
        size_t head = tokens_[item.first].type;
        bool settingsBlock = head == P::CHILD || head == P::WORKER;
        bool comments = !trailing_[item.open].empty() || !leading_[item.close].empty() ||
                        hasComments(item.open + 1, item.close);
        if (comments)
            return BlockLayout::MultiLine;
        if (item.items.empty())
            return BlockLayout::Empty;
        if (settingsBlock && item.items.size() == 1)
            return BlockLayout::OneLine;
        return BlockLayout::MultiLine;
    }

    void buildBlock(const Item& item, DocList& d, bool trailing = true) const {
        d.push_back(space());
        switch (blockLayout(item)) {
        case BlockLayout::Empty:
            emitToken(item.open, d);
            emitLeading(item.close, d);
            d.push_back(text(tokens_[item.close].text));
            if (trailing)
                emitTrailing(item.close, d);
            return;
        case BlockLayout::OneLine: {
            emitLeading(item.open, d);
            DocList inner{line()};
            buildItem(item.items[0], npos, 0, inner);
            d.push_back(group({text(tokens_[item.open].text), nest(indent_, std::move(inner)),
                               line(), text(tokens_[item.close].text)}));
            if (trailing)
                emitTrailing(item.close, d);
            return;
        }
        case BlockLayout::MultiLine:
            break;
        }
        emitToken(item.open, d);
        DocList body;
        renderItems(item.items, body);
        emitDangling(item.close, !item.items.empty(), body);
        d.push_back(nest(indent_, std::move(body)));
        d.push_back(newline());
        emitToken(item.close, d, /*leading=*/false);
    }

    // -------------------------------------------------------- token sequences

    struct SeqContext {
        size_t keyLast = npos; // pad after this token (alignment)
        int pad = 0;
    };

    static bool nameLike(size_t t) {
        return t == P::IDENT || t == P::OF || t == P::WORKER || t == P::SUPERVISOR;
    }

    bool isUnaryMinus(size_t i) const {
        if (tokens_[i].type != P::MINUS)
            return false;
        if (i == 0)
            return true;
        switch (tokens_[i - 1].type) {
        case P::ASSIGN:
        case P::LPAREN:
        case P::LBRACK:
        case P::COMMA:
        case P::DOTDOT:
        case P::PER:
        case P::IN:
        case P::PLUS:
        case P::MINUS:
        case P::STAR:
        case P::SLASH:
        case P::PERCENT:
        case P::COLON:
            return true;
        default:
            return false;
        }
    }

    // Whether a space separates tokens a and a + 1 on one line.
    bool spaceBetween(size_t a) const {
        size_t ta = tokens_[a].type, tb = tokens_[a + 1].type;
        switch (tb) {
        case P::RPAREN:
        case P::RBRACK:
        case P::COMMA:
        case P::SEMI:
        case P::DOT:
        case P::DOTDOT:
        case P::QUESTION:
        case P::COLON:
        case P::LT:
        case P::GT:
            return false;
        default:
            break;
        }
        switch (ta) {
        case P::LPAREN:
        case P::LBRACK:
        case P::DOT:
        case P::DOTDOT:
        case P::LT:
            return false;
        default:
            break;
        }
        if (isUnaryMinus(a))
            return false;
        if (tb == P::LPAREN)
            return !nameLike(ta);
        return true;
    }

    void buildSeq(size_t from, size_t to, DocList& d, const SeqContext& ctx,
                  bool firstLeading = true) const {
        for (size_t i = from; i < to;) {
            size_t t = tokens_[i].type;
            bool spaced = i > from && spaceBetween(i - 1);
            size_t mark = d.size();
            auto markSpace = [&] {
                if (spaced && d.size() > mark)
                    d[mark].spaceBefore = true;
            };
            bool leading = i > from || firstLeading;
            if (t == P::LPAREN || t == P::LBRACK) {
                size_t close = match_[i];
                if (t == P::LBRACK || (i > 0 && nameLike(tokens_[i - 1].type))) {
                    buildList(i, close, d, leading);
                } else { // a parenthesised expression
                    emitToken(i, d, leading);
                    buildSeq(i + 1, close, d, SeqContext());
                    emitToken(close, d);
                }
                markSpace();
                i = close + 1;
                continue;
            }
            emitToken(i, d, leading);
            markSpace();
            if (i == ctx.keyLast && ctx.pad > 0)
                d.push_back(text(spaces(ctx.pad)));
            ++i;
        }
    }

    // `(a, b)` or `[a, b]`: on one line if it fits, else one element per line with a
    // trailing comma.
    void buildList(size_t open, size_t close, DocList& d, bool leading) const {
        if (leading)
            emitLeading(open, d);
        if (open + 1 == close) {
            emitToken(open, d, false);
            emitToken(close, d);
            return;
        }
        DocList g{text(tokens_[open].text)};
        emitTrailing(open, g);
        DocList in{softLine()};
        size_t begin = open + 1;
        for (size_t i = begin; i <= close; ++i) {
            size_t t = tokens_[i].type;
            if (t == P::LPAREN || t == P::LBRACK) {
                i = match_[i];
                continue;
            }
            if (i == close || t == P::COMMA) {
                buildSeq(begin, i, in, SeqContext());
                if (i == close)
                    break;
                emitToken(i, in);
                in.push_back(line());
                begin = i + 1;
            }
        }
        in.push_back(ifBreak(","));
        emitDangling(close, true, in);
        g.push_back(nest(indent_, std::move(in)));
        g.push_back(softLine());
        g.push_back(text(tokens_[close].text));
        d.push_back(group(std::move(g)));
        emitTrailing(close, d);
    }

    // Alignment padding: documents hold views, the strings live here.
    std::string_view spaces(int n) const { return pads_.emplace_back(size_t(n), ' '); }

    std::string_view src_;
    int indent_;
    mutable std::deque<std::string> pads_;
    std::vector<Token> tokens_;
    CommentTable leading_, trailing_;
    std::vector<size_t> match_;
};

// ---------------------------------------------------------------- the output check

// What is wrong with `output` as a formatting of the input scanned as `input`, or "".
// Compares as it goes: a big spec has millions of tokens.
std::string checkOutput(const parse::ScanResult& input, const std::string& output) {
    llvm::SourceMgr sm;
    CollectingDiagnosticConsumer sink;
    DiagnosticEngine quiet(sm, sink);
    unsigned id = sm.AddNewSourceBuffer(llvm::MemoryBuffer::getMemBufferCopy(output, "<formatted>"),
                                        llvm::SMLoc());
    parse::ScanResult scanned = parse::scan(sm, id, quiet);
    if (quiet.hasErrors() || !scanned.parseable)
        return "the output has lexical errors";

    auto typeOf = [](const parse::SlimToken& t) { return t.getType(); };
    const auto &a = input.tokens, &b = scanned.tokens;
    size_t i = 0, j = 0, n = 0;
    while (true) {
        while (i < a.size() && isOptionalPunctuation(a, i, typeOf))
            ++i;
        while (j < b.size() && isOptionalPunctuation(b, j, typeOf))
            ++j;
        if (i == a.size() || j == b.size())
            break;
        if (a[i].getType() != b[j].getType() || a[i].text() != b[j].text())
            return fmt::format("the output's tokens differ from the input's at token {}", n + 1);
        ++i, ++j, ++n;
    }
    if (i != a.size() || j != b.size())
        return "the output has a different number of tokens";

    auto comments = [](const parse::ScanResult& r) {
        std::vector<std::string_view> out;
        for (const auto& h : r.hidden)
            if (isComment(h.getType()))
                out.push_back(h.text());
        return out;
    };
    if (comments(input) != comments(scanned))
        return "the output's comments differ from the input's";
    return "";
}

} // namespace

FormatResult formatBuffer(unsigned bufferId, DiagnosticEngine& diag, const FormatOptions& options) {
    FormatResult result;
    unsigned errorsBefore = diag.errorCount();
    // The parser's verdict is all the formatter needs: the AST goes at once.
    if (parseBuffer(bufferId, diag).fatal || diag.errorCount() != errorsBefore)
        return result;

    // Scan again for the comments (the parser keeps only the default channel). Lexical
    // errors are checked here too: the engine may be past its error limit and silent.
    const llvm::SourceMgr& sm = diag.sourceMgr();
    CollectingDiagnosticConsumer sink;
    DiagnosticEngine quiet(diag.sourceMgr(), sink);
    parse::ScanResult scanned = parse::scan(sm, bufferId, quiet);
    if (quiet.hasErrors() || !scanned.parseable)
        return result;

    const llvm::MemoryBuffer* buffer = sm.getMemoryBuffer(bufferId);
    std::string_view src(buffer->getBufferStart(), buffer->getBufferSize());
    bool bom = src.substr(0, kBom.size()) == kBom;

    std::string text;
    {
        Doc doc;
        Formatter formatter(src, bom ? kBom.size() : 0, scanned, options);
        if (!formatter.build(doc)) {
            result.status = FormatResult::Status::InternalError;
            result.internalError = "the formatter did not recognise the file's structure";
            return result;
        }
        PrintOptions print;
        print.lineWidth = int(options.lineWidth);
        print.continuationIndent = int(options.indentWidth);
        text = format::print(doc, print);
    }
    if (std::string problem = checkOutput(scanned, text); !problem.empty()) {
        result.status = FormatResult::Status::InternalError;
        result.internalError = problem;
        return result;
    }
    result.status = FormatResult::Status::Formatted;
    result.text = bom ? std::string(kBom) + text : std::move(text);
    return result;
}

std::optional<unsigned> loadSpecBuffer(const std::string& path, DiagnosticEngine& diag) {
    auto buffer = sema::readSpecFile(path, diag, SourceRange());
    if (!buffer)
        return std::nullopt;
    return diag.sourceMgr().AddNewSourceBuffer(std::move(buffer), llvm::SMLoc());
}

} // namespace supc
