// supc compile's output writing (all or none, a failure midway put back), the depfile's
// escapes and the paths it refuses, and samePath. The command's own cases (a directory in
// the way, --depfile naming an input or an output) are lit tests: tests/lit/compile.
#include "supc/OutputFiles.h"

#include <catch2/catch.hpp>
#include <fstream>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>
#include <sstream>
#include <sys/stat.h>

using namespace supc::codegen;
namespace fs = llvm::sys::fs;

namespace {

// A fresh directory, removed with everything in it at the end of the test.
struct TempDir {
    std::string path;
    TempDir() {
        llvm::SmallString<128> p;
        REQUIRE(!fs::createUniqueDirectory("supc-output-files", p));
        path = p.str().str();
    }
    ~TempDir() { fs::remove_directories(path); }
    std::string operator/(const std::string& name) const { return path + "/" + name; }
};

std::string read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

void write(const std::string& path, const std::string& contents) {
    std::ofstream(path, std::ios::binary) << contents;
}

// Modification time in nanoseconds.
long long mtime(const std::string& path) {
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    return (long long)st.st_mtim.tv_sec * 1'000'000'000 + st.st_mtim.tv_nsec;
}

void setOld(const std::string& path) {
    fs::file_t fd = 0;
    REQUIRE(!fs::openFileForWrite(path, fd, fs::CD_OpenExisting, fs::OF_Append));
    REQUIRE(!fs::setLastAccessAndModificationTime(
        fd, llvm::sys::TimePoint<>(std::chrono::seconds(946684800))));
    fs::closeFile(fd);
}

std::vector<std::string> entries(const std::string& dir) {
    std::vector<std::string> out;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
        out.push_back(llvm::sys::path::filename(it->path()).str());
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace

TEST_CASE("writeFiles writes every file, creating the directories on the way") {
    TempDir t;
    std::string a = t / "gen/deep/a.hpp", b = t / "deps/b.d";
    REQUIRE(writeFiles({{a, "A"}, {b, "B"}}) == "");
    CHECK(read(a) == "A");
    CHECK(read(b) == "B");
    CHECK(entries(t / "gen/deep") == std::vector<std::string>{"a.hpp"});
}

TEST_CASE("writeFiles leaves a file whose contents would not change alone, time stamp too") {
    TempDir t;
    std::string a = t / "a", b = t / "b";
    write(a, "same");
    write(b, "old");
    setOld(a);
    long long before = mtime(a);
    REQUIRE(writeFiles({{a, "same"}, {b, "new"}}) == "");
    CHECK(mtime(a) == before);
    CHECK(read(b) == "new");
}

TEST_CASE("a rename that fails midway puts back the files already renamed") {
    TempDir t;
    std::string existing = t / "existing", fresh = t / "fresh", third = t / "third";
    write(existing, "old contents");
    setOld(existing);
    long long before = mtime(existing);
    int renames = 0;
    RenameFunction failThird = [&](const std::string& from, const std::string& to) {
        if (++renames == 3)
            return std::make_error_code(std::errc::io_error);
        return fs::rename(from, to);
    };
    std::string error = writeFiles({{existing, "new"}, {fresh, "new"}, {third, "new"}}, failThird);
    CHECK(renames == 3);
    CHECK(error.find("cannot write '" + third + "': input/output error") == 0);
    CHECK(error.find("could not be put back") == std::string::npos);
    // The replaced file is back (contents and time stamp: the same inode), the new one is
    // gone, and no temporary or backup is left.
    CHECK(read(existing) == "old contents");
    CHECK(mtime(existing) == before);
    CHECK(!fs::exists(fresh));
    CHECK(entries(t.path) == std::vector<std::string>{"existing"});
}

TEST_CASE("a failure removes the directories writeFiles created, and only those") {
    TempDir t;
    REQUIRE(!fs::create_directory(t / "kept"));
    RenameFunction failLast = [&](const std::string& from, const std::string& to) {
        if (to.find("last") != std::string::npos)
            return std::make_error_code(std::errc::no_space_on_device);
        return fs::rename(from, to);
    };
    std::string error = writeFiles(
        {{t / "kept/a", "A"}, {t / "made/sub/b", "B"}, {t / "made/last", "C"}}, failLast);
    CHECK(error.find("no space left on device") != std::string::npos);
    CHECK(entries(t.path) == std::vector<std::string>{"kept"});
    CHECK(entries(t / "kept").empty());
}

TEST_CASE("a directory where a file goes fails before anything is written") {
    TempDir t;
    REQUIRE(!fs::create_directory(t / "a.cpp"));
    write(t / "a.hpp", "old");
    std::string error =
        writeFiles({{t / "new/x", "X"}, {t / "a.hpp", "new"}, {t / "a.cpp", "new"}});
    CHECK(error == "cannot write '" + (t / "a.cpp") + "': it is a directory");
    CHECK(read(t / "a.hpp") == "old");
    CHECK(entries(t.path) == std::vector<std::string>{"a.cpp", "a.hpp"});
}

TEST_CASE("depfile paths are escaped as Make and Ninja read them, or refused") {
    CHECK(escapeMakePath("/a b/c#d/e$f/g:h") == "/a\\ b/c\\#d/e$$f/g\\:h");
    CHECK(escapeMakePath("/plain/x-1.2_(y)~{z}%=@[w]!+,/\xc3\xa9") ==
          "/plain/x-1.2_(y)~{z}%=@[w]!+,/\xc3\xa9");
    CHECK(makeDepfile({"o/a b.hpp", "o/a.cpp"}, {"/s/a.sup", "/s/b$.sup"}) ==
          "o/a\\ b.hpp o/a.cpp: \\\n  /s/a.sup \\\n  /s/b$$.sup\n");

    CHECK(depfileProblem("/a b/c#d/e$f:g\\h/(x)y/\xff") == "");
    CHECK(depfileProblem("/a\nb") == "Ninja ends a path at a control character (U+000A)");
    CHECK(depfileProblem("/a\tb") == "Ninja ends a path at a control character (U+0009)");
    CHECK(depfileProblem(std::string("/a\0b", 4)) ==
          "Ninja ends a path at a control character (U+0000)");
    for (char c : std::string("&'\";<>?*|`^"))
        CHECK(depfileProblem(std::string("/a") + c + "b") ==
              std::string("Ninja ends a path at '") + c + "'");
    CHECK(depfileProblem("/a\\") == "a backslash at the end of a path cannot be escaped");
    CHECK(depfileProblem("/a\\ b") == "a backslash before ' ' cannot be escaped");
    CHECK(depfileProblem("/lib(member)") ==
          "GNU Make reads NAME(MEMBER) as a member of the archive NAME");
}

TEST_CASE("samePath: the same file by inode, or the same path once normalised") {
    TempDir t;
    write(t / "spec.sup", "x");
    REQUIRE(!fs::create_directory(t / "dir"));
    REQUIRE(!fs::create_hard_link(t / "spec.sup", t / "link.sup"));
    REQUIRE(!fs::create_link(t / "dir", t / "symdir"));
    CHECK(samePath(t / "spec.sup", t / "./dir/../spec.sup"));
    CHECK(samePath(t / "spec.sup", t / "link.sup"));
    CHECK(samePath(t / "spec.sup", t / "missing/../spec.sup"));
    CHECK(samePath(t / "dir/new.d", t / "symdir/new.d"));
    CHECK(samePath(t / "a/b/../c.d", t / "a/c.d"));
    CHECK(!samePath(t / "spec.sup", t / "dir/spec.sup"));
    CHECK(!samePath(t / "a/c.d", t / "a/d.d"));
}
