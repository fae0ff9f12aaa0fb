// The diagnostics engine and its printers.
#include "supc/DiagnosticEngine.h"

#include <catch2/catch.hpp>
#include <llvm/Support/JSON.h>
#include <llvm/Support/raw_ostream.h>

using namespace supc;

namespace {

struct Fixture {
    llvm::SourceMgr sm;
    const char* text;
    unsigned id;
    explicit Fixture(const char* t) : text(t) {
        id = sm.AddNewSourceBuffer(llvm::MemoryBuffer::getMemBufferCopy(t, "f.sup"), {});
    }
    // The range of the n-th occurrence of `what` in the buffer.
    SourceRange find(std::string_view what, int nth = 0) {
        const char* base = sm.getMemoryBuffer(id)->getBufferStart();
        std::string_view all(base);
        size_t pos = all.find(what);
        while (nth-- > 0)
            pos = all.find(what, pos + 1);
        REQUIRE(pos != std::string_view::npos);
        return SourceRange::fromPointers(base + pos, base + pos + what.size());
    }
};

} // namespace

TEST_CASE("text diagnostics look like clang's, with the code in the label") {
    Fixture f("application App {\n    child mailer = EmailSender { restart = permanant; }\n}\n");
    std::string out;
    llvm::raw_string_ostream os(out);
    TextDiagnosticPrinter printer(os, /*colors=*/false);
    DiagnosticEngine diag(f.sm, printer);
    SourceRange r = f.find("permanant");
    diag.error(ErrorCode::E012, r, "unknown restart type '{}'", "permanant")
        .note("expected one of: permanent, transient, temporary")
        .note("the supervisor is here", f.find("App"))
        .fixIt(r, "permanent");
    os.flush();
    CHECK(out == "f.sup:2:44: error[E012]: unknown restart type 'permanant'\n"
                 "    child mailer = EmailSender { restart = permanant; }\n"
                 "                                           ^~~~~~~~~\n"
                 "                                           permanent\n"
                 "note: expected one of: permanent, transient, temporary\n"
                 "f.sup:1:13: note: the supervisor is here\n"
                 "application App {\n"
                 "            ^~~\n");
}

TEST_CASE("diagnostics without a location name their file") {
    llvm::SourceMgr sm;
    std::string out;
    llvm::raw_string_ostream os(out);
    TextDiagnosticPrinter printer(os, false);
    DiagnosticEngine diag(sm, printer);
    diag.error(ErrorCode::E001, {}, "cannot read 'x.sup': no such file or directory").file("x.sup");
    os.flush();
    CHECK(out == "x.sup: error[E001]: cannot read 'x.sup': no such file or directory\n");
}

TEST_CASE("long lines are shown around the caret; tabs and UTF-8 keep carets aligned") {
    std::string line = "const x = " + std::string(500, '1') + " + @;";
    Fixture f(line.c_str());
    std::string out;
    llvm::raw_string_ostream os(out);
    TextDiagnosticPrinter printer(os, false);
    DiagnosticEngine diag(f.sm, printer);
    diag.error(ErrorCode::E005, f.find("@"), "unexpected character '@'");
    os.flush();
    std::vector<std::string> lines;
    for (size_t b = 0, e; (e = out.find('\n', b)) != std::string::npos; b = e + 1)
        lines.push_back(out.substr(b, e - b));
    REQUIRE(lines.size() == 3);
    CHECK(lines[1].size() < 200);
    CHECK(lines[1].rfind("...", 0) == 0);
    CHECK(lines[1][lines[2].find('^')] == '@');

    Fixture g("\tcaf\xC3\xA9 \xC3\xA9 = @;");
    std::string out2;
    llvm::raw_string_ostream os2(out2);
    TextDiagnosticPrinter printer2(os2, false);
    DiagnosticEngine diag2(g.sm, printer2);
    diag2.error(ErrorCode::E005, g.find("@"), "x");
    os2.flush();
    // Tab expanded to 8 columns; each of "café é = " is one column per character.
    CHECK(out2.find("\n        caf\xC3\xA9 \xC3\xA9 = @;\n                 ^\n") !=
          std::string::npos);
}

TEST_CASE("the engine counts, de-duplicates and stops at the error limit") {
    Fixture f("a b c d e f g h");
    CollectingDiagnosticConsumer sink;
    DiagnosticEngine diag(f.sm, sink);
    diag.setErrorLimit(3);
    diag.error(ErrorCode::E011, f.find("a"), "first");
    diag.error(ErrorCode::E011, f.find("a"), "same code, same place: dropped");
    diag.error(ErrorCode::E016, f.find("a"), "another code at the same place: kept");
    CHECK(diag.errorCount() == 2);
    CHECK(diag.alreadyReported(ErrorCode::E011, f.find("a")));
    CHECK_FALSE(diag.alreadyReported(ErrorCode::E011, f.find("b")));
    diag.report(Severity::Warning, "L002", f.find("b"), "warnings do not count as errors");
    CHECK(diag.warningCount() == 1);
    CHECK_FALSE(diag.limitReached());
    diag.error(ErrorCode::E011, f.find("c"), "third error");
    CHECK(diag.limitReached());
    diag.error(ErrorCode::E011, f.find("d"), "beyond the limit: dropped");
    CHECK(diag.errorCount() == 3);
    REQUIRE(sink.diags.size() == 5);
    CHECK(sink.diags[2].message == "warnings do not count as errors");
    CHECK(sink.diags[3].message == "third error");
    CHECK(sink.diags[4].severity == Severity::Note);
    CHECK(sink.diags[4].message.find("too many errors (3)") == 0);
}

TEST_CASE("suggestions are looked for in the first errors only, and not past the limit") {
    Fixture f("a b c");
    CollectingDiagnosticConsumer sink;
    DiagnosticEngine diag(f.sm, sink);
    diag.setErrorLimit(0);
    for (unsigned i = 0; i < limits::kMaxSuggestions; ++i)
        CHECK(diag.allowSuggestion());
    CHECK_FALSE(diag.allowSuggestion()); // the budget is spent

    DiagnosticEngine limited(f.sm, sink);
    limited.setErrorLimit(1);
    CHECK(limited.allowSuggestion());
    limited.error(ErrorCode::E011, f.find("a"), "the only error shown");
    CHECK_FALSE(limited.allowSuggestion()); // nothing more is shown
}

TEST_CASE("the sorting consumer passes diagnostics on in source order") {
    Fixture f("one two three");
    auto collected = std::make_unique<CollectingDiagnosticConsumer>();
    CollectingDiagnosticConsumer* sink = collected.get();
    SortingDiagnosticConsumer sorting(std::move(collected));
    DiagnosticEngine diag(f.sm, sorting);
    diag.error(ErrorCode::E011, f.find("three"), "3");
    diag.error(ErrorCode::E011, f.find("one"), "1");
    diag.error(ErrorCode::E001, {}, "no location").file("other.sup");
    diag.error(ErrorCode::E011, f.find("two"), "2");
    CHECK(sink->diags.empty());
    diag.finish();
    REQUIRE(sink->diags.size() == 4);
    CHECK(sink->diags[0].message == "no location");
    CHECK(sink->diags[1].message == "1");
    CHECK(sink->diags[2].message == "2");
    CHECK(sink->diags[3].message == "3");
}

TEST_CASE("JSON diagnostics keep every structured field") {
    Fixture f("const a = 1;\nconst b = x;\n");
    std::string out;
    llvm::raw_string_ostream os(out);
    JsonDiagnosticPrinter printer(os);
    DiagnosticEngine diag(f.sm, printer);
    diag.error(ErrorCode::E011, f.find("x"), "unknown name 'x'")
        .note("did you mean 'a'?", f.find("a", 0))
        .fixIt(f.find("x"), "a");
    diag.report(Severity::Warning, "L012", f.find("b"), "unused");
    diag.finish();
    os.flush();
    auto json = llvm::json::parse(out);
    REQUIRE(bool(json));
    auto* arr = json->getAsArray();
    REQUIRE(arr);
    REQUIRE(arr->size() == 2);
    auto* first = (*arr)[0].getAsObject();
    CHECK(*first->getString("severity") == "error");
    CHECK(*first->getString("code") == "E011");
    CHECK(*first->getInteger("line") == 2);
    CHECK(*first->getInteger("column") == 11);
    CHECK(*first->getInteger("end_column") == 12);
    CHECK(*first->getArray("notes")->front().getAsObject()->getInteger("line") == 1);
    CHECK(*first->getArray("fixits")->front().getAsObject()->getString("replacement") == "a");
    CHECK(*(*arr)[1].getAsObject()->getString("severity") == "warning");
}
