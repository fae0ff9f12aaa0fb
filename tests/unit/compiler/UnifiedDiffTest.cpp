// supc fmt --diff's unified diffs: GNU diff's hunk format, and hunks that patch `before`
// into `after` for any pair of texts.
#include "supc/UnifiedDiff.h"

#include <catch2/catch.hpp>
#include <random>
#include <sstream>
#include <vector>

using supc::unifiedDiff;
using supc::unifiedDiffHunks;

namespace {

// Applies the hunks of a unified diff to `before`, checking each context and removed line
// and each header's counts; fails the test on any mismatch.
std::string applyHunks(const std::string& before, const std::string& hunks) {
    std::vector<std::string> a;
    for (size_t s = 0; s < before.size();) {
        size_t e = before.find('\n', s);
        e = e == std::string::npos ? before.size() : e + 1;
        a.push_back(before.substr(s, e - s));
        s = e;
    }
    std::vector<std::string> lines;
    for (size_t s = 0; s < hunks.size();) {
        size_t e = hunks.find('\n', s);
        REQUIRE(e != std::string::npos); // every line of a diff ends with a line feed
        lines.push_back(hunks.substr(s, e - s + 1));
        s = e + 1;
    }
    std::string out;
    size_t next = 0; // next line of `a` to copy
    for (size_t i = 0; i < lines.size();) {
        long aStart = 0, aLen = 1, bStart = 0, bLen = 1;
        const std::string& h = lines[i];
        REQUIRE(h.rfind("@@ -", 0) == 0);
        std::istringstream in(h.substr(4));
        char c;
        in >> aStart;
        if (in.peek() == ',')
            in >> c >> aLen;
        in >> c; // '+'
        REQUIRE(c == '+');
        in >> bStart;
        if (in.peek() == ',')
            in >> c >> bLen;
        size_t from = size_t(aLen == 0 ? aStart : aStart - 1);
        REQUIRE(from >= next);
        for (; next < from; ++next)
            out += a[next];
        long seenA = 0, seenB = 0;
        for (++i; i < lines.size() && lines[i].rfind("@@", 0) != 0; ++i) {
            char mark = lines[i][0];
            REQUIRE((mark == ' ' || mark == '-' || mark == '+'));
            std::string text = lines[i].substr(1);
            if (i + 1 < lines.size() && lines[i + 1] == "\\ No newline at end of file\n") {
                text.pop_back();
                ++i;
            }
            if (mark == ' ' || mark == '-') {
                REQUIRE(next < a.size());
                REQUIRE(a[next] == text);
                ++next;
                ++seenA;
            }
            if (mark == ' ' || mark == '+') {
                out += text;
                ++seenB;
            }
        }
        REQUIRE(seenA == aLen);
        REQUIRE(seenB == bLen);
    }
    for (; next < a.size(); ++next)
        out += a[next];
    return out;
}

} // namespace

TEST_CASE("equal texts have no diff", "[diff]") {
    CHECK(unifiedDiffHunks("a\nb\n", "a\nb\n").empty());
    CHECK(unifiedDiff("", "", "x.orig", "x").empty());
}

TEST_CASE("one changed line, with three lines of context and the file names", "[diff]") {
    std::string before = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
    std::string after = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n";
    CHECK(unifiedDiff(before, after, "a.sup.orig", "a.sup") ==
          "--- a.sup.orig\n"
          "+++ a.sup\n"
          "@@ -2,7 +2,7 @@\n"
          " 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n");
}

TEST_CASE("empty sides are numbered as GNU diff numbers them", "[diff]") {
    CHECK(unifiedDiffHunks("", "a\nb\n") == "@@ -0,0 +1,2 @@\n+a\n+b\n");
    CHECK(unifiedDiffHunks("a\nb\n", "") == "@@ -1,2 +0,0 @@\n-a\n-b\n");
    // An insertion after line 1, with no context: "-1,0" (the line before it).
    CHECK(unifiedDiffHunks("a\nb\n", "a\nx\nb\n", 0) == "@@ -1,0 +2 @@\n+x\n");
}

TEST_CASE("a last line without a line feed is marked", "[diff]") {
    CHECK(unifiedDiffHunks("a\nb", "a\nb\n") ==
          "@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n");
    CHECK(unifiedDiffHunks("a\n", "a") == "@@ -1 +1 @@\n-a\n+a\n\\ No newline at end of file\n");
}

TEST_CASE("changes six unchanged lines apart share a hunk; seven apart do not", "[diff]") {
    auto numbered = [](int n, int changed1, int changed2) {
        std::string s;
        for (int i = 1; i <= n; ++i)
            s += (i == changed1 || i == changed2 ? "x" : std::to_string(i)) + "\n";
        return s;
    };
    std::string base = numbered(20, 0, 0);
    auto headers = [](const std::string& d) {
        std::vector<std::string> out;
        for (size_t at = d.find("@@ -"); at != std::string::npos; at = d.find("@@ -", at + 1))
            out.push_back(d.substr(at, d.find('\n', at) - at));
        return out;
    };
    CHECK(headers(unifiedDiffHunks(base, numbered(20, 5, 12))) ==
          std::vector<std::string>{"@@ -2,14 +2,14 @@"});
    CHECK(headers(unifiedDiffHunks(base, numbered(20, 5, 13))) ==
          std::vector<std::string>{"@@ -2,7 +2,7 @@", "@@ -10,7 +10,7 @@"});
}

TEST_CASE("the hunks turn any text into any other", "[diff]") {
    std::mt19937 rng(17);
    const char* pool[] = {"a\n", "b\n", "c\n", "\n", "d", "a"};
    auto randomText = [&] {
        std::string s;
        int n = int(rng() % 14);
        for (int i = 0; i < n; ++i)
            s += pool[rng() % 4]; // whole lines
        if (rng() % 3 == 0)
            s += pool[4 + rng() % 2]; // a last line without a line feed
        return s;
    };
    for (int round = 0; round < 2000; ++round) {
        std::string before = randomText(), after = randomText();
        unsigned context = rng() % 4;
        std::string hunks = unifiedDiffHunks(before, after, context);
        INFO("before: " << before << "\nafter: " << after << "\ncontext " << context << "\n"
                        << hunks);
        CHECK(hunks.empty() == (before == after));
        CHECK(applyHunks(before, hunks) == after);
    }
}

TEST_CASE("a changed line is its removal, then its replacement, as GNU diff orders them",
          "[diff]") {
    CHECK(unifiedDiffHunks("a\nb\nc\n", "a\nx\ny\nc\n") == "@@ -1,3 +1,4 @@\n a\n-b\n+x\n+y\n c\n");
    CHECK(unifiedDiffHunks("p\nq\n", "r\n") == "@@ -1,2 +1 @@\n-p\n-q\n+r\n");
}
