// supc lsp's library pieces: message framing, positions in UTF-16 and UTF-8, incremental
// edits, and an analysis with imports read from an open buffer.
#include "supc/lsp/Analysis.h"
#include "supc/lsp/Documents.h"
#include "supc/lsp/Transport.h"

#include <catch2/catch.hpp>
#include <string>
#include <unistd.h>

using namespace supc;
using namespace supc::lsp;

namespace {

// A pipe holding `bytes`, its write end closed.
int pipeWith(const std::string& bytes) {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    REQUIRE(::write(fds[1], bytes.data(), bytes.size()) == ssize_t(bytes.size()));
    ::close(fds[1]);
    return fds[0];
}

} // namespace

TEST_CASE("lsp: messages are read by their Content-Length, headers in any case") {
    int fd = pipeWith("Content-Length: 2\r\n\r\n{}content-length:3\r\nContent-Type: x\r\n\r\n[1]");
    MessageReader r(fd);
    CHECK(r.read() == std::optional<std::string>("{}"));
    CHECK(r.read() == std::optional<std::string>("[1]"));
    std::string error = "unset";
    CHECK_FALSE(r.read(&error));
    CHECK(error.empty()); // a clean end of input
    ::close(fd);
}

TEST_CASE("lsp: a broken frame ends the session with a reason") {
    for (auto [bytes, reason] : {std::pair{"Content-Length: x\r\n\r\n", "malformed"},
                                 std::pair{"Content-Length: 10\r\n\r\n{}", "ended inside"},
                                 std::pair{"Content-Length: 999999999999\r\n\r\n", "larger"}}) {
        int fd = pipeWith(bytes);
        MessageReader r(fd);
        std::string error;
        CHECK_FALSE(r.read(&error));
        CHECK(error.find(reason) != std::string::npos);
        ::close(fd);
    }
}

TEST_CASE("lsp: positions count UTF-16 units, or bytes when UTF-8 was agreed") {
    std::string text = "ab\n\xc3\xa9x\xf0\x9f\x98\x80y\r\nlast";
    LineTable t(text);
    REQUIRE(t.lineCount() == 3);
    // 'x' after 'é': 1 UTF-16 unit, 2 bytes; 'y' after the emoji: a surrogate pair, 4 bytes.
    CHECK(t.offset({1, 1}, PositionEncoding::Utf16) == 5);
    CHECK(t.offset({1, 4}, PositionEncoding::Utf16) == 10);
    CHECK(t.offset({1, 2}, PositionEncoding::Utf8) == 5);
    // Inside a character (UTF-8): its start, never half of it.
    CHECK(t.offset({1, 1}, PositionEncoding::Utf8) == 3);
    CHECK(t.position(10, PositionEncoding::Utf16) == Position{1, 4});
    CHECK(t.position(10, PositionEncoding::Utf8) == Position{1, 7});
    // Past the end of a line: its end, before "\r\n"; past the last line: the end.
    CHECK(t.offset({1, 99}, PositionEncoding::Utf16) == 11);
    CHECK(t.offset({7, 0}, PositionEncoding::Utf16) == text.size());
}

TEST_CASE("lsp: incremental edits apply in order; a reversed range changes nothing") {
    DocumentStore docs;
    docs.open("file:///tmp/a.sup", "worker A = \"a\" from \"a.h\";\n", 1);
    std::vector<TextChange> changes = {
        {Range{{0, 7}, {0, 8}}, "Db"},
        {Range{{0, 0}, {0, 0}}, "// x\n"},
    };
    REQUIRE(docs.change("file:///tmp/a.sup", 2, changes, PositionEncoding::Utf16));
    CHECK(docs.find("file:///tmp/a.sup")->text == "// x\nworker Db = \"a\" from \"a.h\";\n");
    CHECK_FALSE(docs.change("file:///tmp/a.sup", 3, {{Range{{1, 5}, {1, 2}}, "z"}},
                            PositionEncoding::Utf16));
    CHECK(docs.find("file:///tmp/a.sup")->text == "// x\nworker Db = \"a\" from \"a.h\";\n");
    CHECK_FALSE(docs.change("file:///tmp/none.sup", 2, changes, PositionEncoding::Utf16));
}

TEST_CASE("lsp: file URIs and paths") {
    CHECK(uriToPath("file:///a/b%20c.sup") == "/a/b c.sup");
    CHECK(uriToPath("file://localhost/a.sup") == "/a.sup");
    CHECK(uriToPath("untitled:Untitled-1").empty());
    CHECK(uriToPath("file:///a%2").empty());
    CHECK(uriToPath("file:///a%00b").empty());
    CHECK(pathToUri("/a/b c#.sup") == "file:///a/b%20c%23.sup");
}

TEST_CASE("lsp: an import is read from an open buffer before the disk") {
    Analysis::Options options;
    options.check.stdlibDir = SUPC_TEST_STDLIB_DIR;
    // lib.sup exists only as a buffer.
    std::string dir = std::string(std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp");
    options.check.openBuffer = [&](const std::string& path) -> std::optional<std::string> {
        if (path == dir + "/supc-lsp-test-lib.sup")
            return std::string("worker Db = \"Db\" from \"db.hpp\";\n");
        return std::nullopt;
    };
    auto a = Analysis::run(dir + "/supc-lsp-test-app.sup",
                           "import \"supc-lsp-test-lib\";\napplication App { child db = Db; }\n",
                           options);
    REQUIRE(a->program);
    INFO((a->diagnostics.empty() ? std::string() : a->diagnostics[0].message));
    CHECK(a->diagnostics.empty());
    // The use of Db is indexed, pointing at the buffer's declaration.
    size_t use = a->text().find("= Db") + 3;
    const Occurrence* o = a->occurrenceAt(use);
    REQUIRE(o);
    CHECK(o->symbol.kind == Symbol::Kind::Decl);
    CHECK(o->symbol.name() == "Db");
    CHECK(o->symbol.definition().text() == "Db");
}
