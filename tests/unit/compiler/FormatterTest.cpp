// supc fmt's libraries: the document printer, the formatter's layout and its guarantees
// (idempotent, every token and comment kept) at any line width, and the atomic rewrite.
#include "Format/Doc.h"
#include "Parse/Scanner.h"
#include "supc/Format.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <llvm/Support/MemoryBuffer.h>
#include <random>
#include <sstream>
#include <sys/stat.h>

using namespace supc;
namespace fs = std::filesystem;

namespace {

struct Formatted {
    FormatResult result;
    std::vector<std::string> codes; // diagnostics reported
};

Formatted formatText(const std::string& text, unsigned width = 100) {
    llvm::SourceMgr sm;
    CollectingDiagnosticConsumer diags;
    DiagnosticEngine engine(sm, diags);
    unsigned id = sm.AddNewSourceBuffer(llvm::MemoryBuffer::getMemBufferCopy(text, "test.sup"),
                                        llvm::SMLoc());
    FormatOptions options;
    options.lineWidth = width;
    Formatted out;
    out.result = formatBuffer(id, engine, options);
    for (const auto& d : diags.diags)
        out.codes.push_back(d.code);
    return out;
}

// The formatted text (the test fails if formatting does not succeed).
std::string fmtOk(const std::string& text, unsigned width = 100) {
    Formatted f = formatText(text, width);
    INFO(text << "\n" << f.result.internalError);
    REQUIRE(f.result.status == FormatResult::Status::Formatted);
    return f.result.text;
}

std::string readFile(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::vector<fs::path> repositorySpecs() {
    std::vector<fs::path> out;
    for (const char* dir : {"examples", "stdlib", "tests"})
        for (const auto& e : fs::recursive_directory_iterator(fs::path(SUPC_TEST_SOURCE_DIR) / dir))
            if (e.path().extension() == ".sup")
                out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace

// ---------------------------------------------------------------- the document printer

TEST_CASE("a group is flat when it fits and broken when it does not") {
    using namespace format;
    auto list = [] {
        return group(
            {text("f("),
             nest(4, {softLine(), text("aaaa"), glue(","), line(), text("bbbb"), ifBreak(",")}),
             softLine(), text(")")});
    };
    Doc flat = concat({list()});
    CHECK(print(flat, {20, 4}) == "f(aaaa, bbbb)\n");
    Doc broken = concat({list()});
    CHECK(print(broken, {10, 4}) == "f(\n    aaaa,\n    bbbb,\n)\n");
}

TEST_CASE("a line comment breaks its group and the comments of consecutive lines align") {
    using namespace format;
    Doc d = concat(
        {group({text("["),
                nest(4, {softLine(), text("1"), glue(","), comment("// one", true, false, true),
                         line(), text("22"), ifBreak(","), comment("// two", true, false, true)}),
                softLine(), text("]")})});
    CHECK(print(d, {100, 4}) == "[\n    1,   // one\n    22,  // two\n]\n");
}

TEST_CASE("blank lines: at most one, never first or last") {
    using namespace format;
    Doc d = concat(
        {blankLine(), text("a"), blankLine(), blankLine(), newline(), text("b"), blankLine()});
    CHECK(print(d, {100, 4}) == "a\n\nb\n");
}

// ---------------------------------------------------------------- the formatter

TEST_CASE("formatting is idempotent and keeps everything at any line width") {
    // Narrow widths break every list the repository's specs have; the formatter checks
    // its output's tokens and comments itself (a mismatch is an InternalError).
    size_t formatted = 0;
    for (const auto& path : repositorySpecs()) {
        std::string text = readFile(path);
        if (formatText(text).result.status != FormatResult::Status::Formatted)
            continue;
        ++formatted;
        for (unsigned width : {10u, 30u, 60u, 100u}) {
            INFO(path.string() << " at width " << width);
            std::string once = fmtOk(text, width);
            CHECK(fmtOk(once, width) == once);
        }
    }
    CHECK(formatted > 20);
}

// The file with comments, line breaks and blank lines inserted at random between its
// tokens (and its own whitespace dropped).
std::string perturb(const std::string& text, std::mt19937& rng) {
    llvm::SourceMgr sm;
    CollectingDiagnosticConsumer diags;
    DiagnosticEngine engine(sm, diags);
    unsigned id =
        sm.AddNewSourceBuffer(llvm::MemoryBuffer::getMemBufferCopy(text, "t.sup"), llvm::SMLoc());
    parse::ScanResult scanned = parse::scan(sm, id, engine);
    std::vector<const parse::SlimToken*> all;
    for (const auto& t : scanned.tokens)
        all.push_back(&t);
    for (const auto& t : scanned.hidden)
        all.push_back(&t);
    std::sort(all.begin(), all.end(), [](auto* a, auto* b) { return a->begin() < b->begin(); });
    static const char* const kInserts[] = {
        " /* b */ ", " // l\n", "\n", "\n\n\n", "\n/* own */\n", "\n// own\n", "/* two\nlines */",
    };
    std::uniform_int_distribution<int> pick(0, 24);
    std::string out;
    for (const auto* t : all) {
        if (t->getType() == antlr4::Token::EOF)
            break;
        int r = pick(rng);
        const char* insert = r < 7 ? kInserts[r] : " ";
        // A comment glued to a '/' token would start a different comment ("//*").
        if (!out.empty() && out.back() == '/' && insert[0] == '/')
            out += ' ';
        out += insert;
        out += t->text();
        if (t->text().substr(0, 2) == "//")
            out += "\n";
    }
    return out + (pick(rng) < 3 ? "\n// at the end\n" : "\n");
}

TEST_CASE("comments anywhere: formatting stays idempotent and loses nothing") {
    std::mt19937 rng(20240611);
    size_t tried = 0;
    for (const auto& path : repositorySpecs()) {
        std::string text = readFile(path);
        if (formatText(text).result.status != FormatResult::Status::Formatted)
            continue;
        for (int variant = 0; variant < 4; ++variant) {
            std::string messy = perturb(text, rng);
            INFO(path.string() << " variant " << variant << ":\n" << messy);
            for (unsigned width : {40u, 100u}) {
                std::string once = fmtOk(messy, width);
                CHECK(fmtOk(once, width) == once);
                ++tried;
            }
        }
    }
    CHECK(tried > 100);
}

TEST_CASE("a comment after an item does not break the item") {
    CHECK(fmtOk("worker Db = \"a\" from \"b\"; // c\nworker E = \"a\" from \"b\" // d\n;\n"
                "worker F = \"a\" from \"b\" { restart = temporary; } // e\n") ==
          "worker Db = \"a\" from \"b\";                         // c\n"
          "worker E = \"a\" from \"b\";                          // d\n"
          "worker F = \"a\" from \"b\" { restart = temporary; }  // e\n");
}

TEST_CASE("a file with lexical or syntax errors is not formatted") {
    auto syntax = formatText("worker W = \"W\" from \"w.hpp\"\napplication A { child w = W; }\n");
    CHECK(syntax.result.status == FormatResult::Status::SpecErrors);
    CHECK(syntax.result.text.empty());
    CHECK(syntax.codes == std::vector<std::string>{"E008"});
    // A bad literal does not stop the parser, but it stops the formatter.
    auto literal = formatText("const t = 10sec;\n");
    CHECK(literal.result.status == FormatResult::Status::SpecErrors);
    CHECK(literal.codes == std::vector<std::string>{"E007"});
    CHECK(formatText("").result.status == FormatResult::Status::SpecErrors);
    CHECK(formatText(std::string("const a = 1;\0", 13)).result.status ==
          FormatResult::Status::SpecErrors);
}

TEST_CASE("line endings become LF, tabs indentation; a byte order mark stays") {
    CHECK(fmtOk("const a = 1;\r\n\r\n\r\nconst b = 2; // x\r\n") ==
          "const a = 1;\n\nconst b = 2;  // x\n");
    CHECK(fmtOk("application A {\n\tchild\tw = W;\n}\n") ==
          "application A {\n    child w = W;\n}\n");
    CHECK(fmtOk("\xEF\xBB\xBF"
                "const a=1;") == "\xEF\xBB\xBF"
                                 "const a = 1;\n");
}

TEST_CASE("optional punctuation: a ';' after '}' goes, a trailing comma follows the layout") {
    CHECK(fmtOk("application A { child w = W { restart = temporary; }; };") ==
          "application A {\n    child w = W { restart = temporary; }\n}\n");
    CHECK(fmtOk("const l = [1, 2,];") == "const l = [1, 2];\n");
    CHECK(fmtOk("const l = [1, 2];", 12) == "const l = [\n    1,\n    2,\n];\n");
}

TEST_CASE("a comment between a token and the ',' after it stays with that element") {
    // The ',' joins the code before the comment; what trailed the ',' leads the next line.
    std::string in = "const l = [1 // one\n, /* two */ 2];\n";
    std::string out = fmtOk(in);
    CHECK(out == "const l = [\n    1,  // one\n    /* two */ 2,\n];\n");
    CHECK(fmtOk(out) == out);
}

TEST_CASE("alignment runs: same kind of item, no blank line between") {
    CHECK(fmtOk("supervisor S { strategy = one_for_one; intensity = 1 per 1s;\n"
                "child a = W; child bbb = W;\n\nchild cc = W; }") ==
          "supervisor S {\n"
          "    strategy  = one_for_one;\n"
          "    intensity = 1 per 1s;\n"
          "    child a   = W;\n"
          "    child bbb = W;\n"
          "\n"
          "    child cc = W;\n"
          "}\n");
}

TEST_CASE("widths count code points, not bytes") {
    // Four two-byte characters are four columns: the ids align on code points.
    CHECK(fmtOk("application A { child \"é_é_\" = W; child \"abcdef\" = W; }") ==
          "application A {\n"
          "    child \"é_é_\"   = W;\n"
          "    child \"abcdef\" = W;\n"
          "}\n");
}

// ---------------------------------------------------------------- the atomic rewrite

TEST_CASE("replaceFileContents replaces atomically and keeps permissions") {
    fs::path dir = fs::temp_directory_path() / fmt::format("supc-fmt-test-{}", ::getpid());
    fs::remove_all(dir);
    fs::create_directories(dir);
    fs::path file = dir / "spec.sup";
    std::ofstream(file) << "old";
    fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);

    CHECK(replaceFileContents(file.string(), "new contents\n") == "");
    CHECK(readFile(file) == "new contents\n");
    CHECK(fs::status(file).permissions() ==
          (fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read));

    SECTION("through a symbolic link, which stays a link") {
        fs::create_symlink("spec.sup", dir / "link.sup");
        CHECK(replaceFileContents((dir / "link.sup").string(), "via link\n") == "");
        CHECK(fs::is_symlink(dir / "link.sup"));
        CHECK(readFile(file) == "via link\n");
    }
    SECTION("a read-only file is refused and untouched") {
        fs::permissions(file, fs::perms::owner_read);
        CHECK(replaceFileContents(file.string(), "nope") == "the file is read-only");
        CHECK(readFile(file) == "new contents\n");
    }
    SECTION("a missing file or a directory is an error") {
        CHECK(replaceFileContents((dir / "missing.sup").string(), "x") != "");
        CHECK_FALSE(fs::exists(dir / "missing.sup"));
        CHECK(replaceFileContents(dir.string(), "x") == "not a regular file");
    }
    // No temporary file is left behind.
    for (const auto& e : fs::directory_iterator(dir))
        CHECK(e.path().filename().string().find("supc-fmt") == std::string::npos);
    fs::remove_all(dir);
}
