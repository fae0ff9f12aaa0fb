// The hand-written scanner must produce exactly the tokens of the grammar's generated
// lexer (grammar/Sup.g4 is the reference): same types, boundaries and channels.
#include "Parse/Scanner.h"

#include "SupLexer.h"
#include "SupParser.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <sstream>

using namespace supc;
using P = supc::grammar::SupParser;

namespace {

struct Tok {
    size_t type, channel, start, stop; // start/stop: code point indices, stop inclusive
    bool operator==(const Tok&) const = default;
};

std::string show(const std::vector<Tok>& toks, const std::string& text) {
    std::string out;
    for (const auto& t : toks)
        out += fmt::format("[{} ch{} {}..{}] ", t.type, t.channel, t.start, t.stop);
    return out + " in: " + text.substr(0, 200);
}

std::vector<Tok> reference(const std::string& text) {
    antlr4::ANTLRInputStream input(text);
    grammar::SupLexer lexer(&input);
    lexer.removeErrorListeners();
    std::vector<Tok> out;
    for (auto& t : lexer.getAllTokens())
        out.push_back({t->getType(), t->getChannel(), t->getStartIndex(), t->getStopIndex()});
    return out;
}

std::vector<Tok> ours(const std::string& text) {
    llvm::SourceMgr sm;
    CollectingDiagnosticConsumer sink;
    DiagnosticEngine diag(sm, sink);
    diag.setErrorLimit(0);
    unsigned id = sm.AddNewSourceBuffer(llvm::MemoryBuffer::getMemBufferCopy(text, "t.sup"), {});
    parse::ScanResult r = parse::scan(sm, id, diag);
    // Byte offsets to code point indices.
    std::vector<size_t> cp(text.size() + 1);
    size_t n = 0;
    for (size_t i = 0; i < text.size(); ++i) {
        cp[i] = n;
        if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80)
            ++n;
    }
    cp[text.size()] = n;
    std::vector<Tok> out;
    for (const auto* list : {&r.tokens, &r.hidden})
        for (const auto& t : *list)
            if (t.getType() != antlr4::Token::EOF)
                // ANTLR's stop is inclusive: the index of the token's last code point.
                out.push_back({t.getType(), t.getChannel(), cp[t.begin()], cp[t.end()] - 1});
    std::sort(out.begin(), out.end(), [](const Tok& a, const Tok& b) { return a.start < b.start; });
    return out;
}

void expectSameTokens(const std::string& text) {
    auto want = reference(text);
    auto got = ours(text);
    INFO("reference: " << show(want, text));
    INFO("scanner:   " << show(got, text));
    CHECK(got == want);
}

} // namespace

TEST_CASE("scanner matches the generated lexer on tricky snippets") {
    const char* cases[] = {
        "",
        "package a.b; import \"std\";",
        "packages imports constant worker_kind dynamic_supervisors",
        "for i in 1..5 { } 1...2 1.5 1. 1.x 1.5.3 1..",
        "42 1_000 0.2 500ms 5s 2m 1h 10sec 1.5s 1e5 5s5 1_ 1__0 007",
        "\"plain\" \"esc \\\" \\\\ \\n \\t\" \"bad \\q\" \"\"",
        "\"unterminated\nnext line",
        "\"trailing backslash\\\nx",
        "\"ends at eof",
        "\"ends with backslash at eof\\",
        "// line comment\nx // another",
        "/* block */ /**/ /***/ /* a * b */ /*/ x */",
        "/* unterminated block",
        "/* unterminated ending in star *",
        "x /*/ unterminated",
        "@ # $ ` ~ ! & | ^ \\ '",
        "a@@b ## c",
        "( ) { } [ ] < > ; : ? , .. . = + - * / %",
        "list<list<int>> int? enum(a, b,)",
        "intensity = 3 per 5s; backoff = exponential(1s, 10s, jitter = 0.2);",
        "caf\xC3\xA9 = \"\xC3\xA9t\xC3\xA9\" // \xE2\x82\xAC\n\xE2\x80\x9Cq\xE2\x80\x9D "
        "\xF0\x9F\x98\x80",
        "\t\r\n\f x \x01 \x7f y",
        "child \"w_{i}\" = W(id = i);",
    };
    for (const char* c : cases)
        expectSameTokens(c);
}

TEST_CASE("scanner matches the generated lexer on every spec in the repository") {
    namespace fs = std::filesystem;
    size_t files = 0;
    for (const char* dir : {"examples", "stdlib", "tests/lit"}) {
        for (const auto& e :
             fs::recursive_directory_iterator(fs::path(SUPC_TEST_SOURCE_DIR) / dir)) {
            if (e.path().extension() != ".sup")
                continue;
            std::ifstream in(e.path(), std::ios::binary);
            std::stringstream ss;
            ss << in.rdbuf();
            std::string text = ss.str();
            if (text.rfind("\xEF\xBB\xBF", 0) == 0)
                continue; // the scanner skips a BOM
            INFO(e.path().string());
            expectSameTokens(text);
            ++files;
        }
    }
    CHECK(files > 40);
}

TEST_CASE("numbers: integers, decimals and durations, and what is wrong with bad ones") {
    using K = parse::NumberLiteral::Kind;
    auto n = parse::classifyNumber("1_000");
    CHECK(n.kind == K::Int);
    CHECK(n.intValue == 1000);
    CHECK(parse::classifyNumber("0.25").decimalValue == 0.25);
    CHECK(parse::classifyNumber("500ms").milliseconds == 500);
    CHECK(parse::classifyNumber("5s").milliseconds == 5000);
    CHECK(parse::classifyNumber("2m").milliseconds == 120000);
    CHECK(parse::classifyNumber("1h").milliseconds == 3600000);
    CHECK(parse::classifyNumber("9223372036854775807").intValue == INT64_MAX);

    auto sec = parse::classifyNumber("10sec");
    CHECK(sec.kind == K::Invalid);
    CHECK(sec.error == "unknown duration unit 'sec' in '10sec'");
    CHECK(sec.replacement == "s");
    CHECK(sec.errorBegin == 2);
    CHECK(sec.errorEnd == 5);
    auto frac = parse::classifyNumber("1.5s");
    CHECK(frac.kind == K::Invalid);
    CHECK(frac.replacement == "1500ms");
    CHECK(parse::classifyNumber("9223372036854775808").kind == K::Invalid);
    CHECK(parse::classifyNumber("9999999999999h").kind == K::Invalid);
    CHECK(parse::classifyNumber("1_").kind == K::Invalid);
    CHECK(parse::classifyNumber("5xyz").replacement.empty());
}

TEST_CASE("strings: escapes decoded, unknown escapes located") {
    auto s = parse::decodeString("\"a\\\"b\\\\c\\nd\\te\"");
    CHECK(s.ok);
    CHECK(s.value == "a\"b\\c\nd\te");
    auto bad = parse::decodeString("\"x\\qy\"");
    CHECK_FALSE(bad.ok);
    CHECK(bad.error == "unknown escape sequence '\\q' in a string");
    CHECK(bad.errorBegin == 2);
    CHECK(bad.errorEnd == 4);
    // Unterminated strings decode up to the end of the token.
    CHECK(parse::decodeString("\"open").value == "open");
    CHECK(parse::decodeString("\"open\\").value == "open");
    CHECK(parse::decodeString("\"esc\\\"").value == "esc\"");
}

TEST_CASE("comments stay in the token stream, on the hidden channel") {
    llvm::SourceMgr sm;
    CollectingDiagnosticConsumer sink;
    DiagnosticEngine diag(sm, sink);
    std::string text = "// head\nconst a = 1; /* mid */ const b = 2;\n";
    unsigned id = sm.AddNewSourceBuffer(llvm::MemoryBuffer::getMemBufferCopy(text, "t.sup"), {});
    auto r = parse::scan(sm, id, diag);
    REQUIRE(r.hidden.size() == 2);
    CHECK(r.hidden[0].getType() == P::LINE_COMMENT);
    CHECK(r.hidden[0].text() == "// head");
    CHECK(r.hidden[0].getChannel() == antlr4::Token::HIDDEN_CHANNEL);
    CHECK(r.hidden[1].text() == "/* mid */");
    // The parser's stream has no comments, and ends with EOF.
    CHECK(r.tokens.size() == 11);
    CHECK(r.tokens.back().getType() == antlr4::Token::EOF);
    CHECK(sink.diags.empty());
}

TEST_CASE("a run of unknown characters is one error") {
    llvm::SourceMgr sm;
    CollectingDiagnosticConsumer sink;
    DiagnosticEngine diag(sm, sink);
    std::string text = "const a = 1; @@@ $ %%\nconst b = 2; ##\n";
    unsigned id = sm.AddNewSourceBuffer(llvm::MemoryBuffer::getMemBufferCopy(text, "t.sup"), {});
    parse::scan(sm, id, diag);
    REQUIRE(sink.diags.size() == 2); // one per line: a line break ends a run
    CHECK(sink.diags[0].code == "E005");
    CHECK(sink.diags[0].message == "unexpected characters '@@@ $'");
    CHECK(sink.diags[1].message == "unexpected characters '##'");
}

TEST_CASE("nesting beyond the limit is refused before parsing") {
    llvm::SourceMgr sm;
    CollectingDiagnosticConsumer sink;
    DiagnosticEngine diag(sm, sink);
    std::string text = "const x = " + std::string(200000, '[') + ";";
    unsigned id = sm.AddNewSourceBuffer(llvm::MemoryBuffer::getMemBufferCopy(text, "t.sup"), {});
    auto r = parse::scan(sm, id, diag);
    CHECK_FALSE(r.parseable);
    REQUIRE(sink.diags.size() == 1);
    CHECK(sink.diags[0].code == "E004");
}
