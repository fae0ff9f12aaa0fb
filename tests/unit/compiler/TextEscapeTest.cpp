// Text supc echoes: strict UTF-8 decoding, the terminal escapes and the JSON replacement.
#include "supc/TextEscape.h"

#include <catch2/catch.hpp>

using namespace supc;

TEST_CASE("decodeUtf8 accepts exactly Unicode's well-formed sequences") {
    CHECK(decodeUtf8("A").codePoint == 'A');
    CHECK(decodeUtf8("\xc3\xa9").codePoint == 0xE9);
    CHECK(decodeUtf8("\xe2\x82\xac").codePoint == 0x20AC);
    CHECK(decodeUtf8("\xf0\x9f\x98\x80").codePoint == 0x1F600);
    CHECK(decodeUtf8("\xf4\x8f\xbf\xbf").codePoint == 0x10FFFF);
    // Ill-formed: the maximal subpart is one unit.
    auto bad = [](std::string_view s) {
        Utf8Unit u = decodeUtf8(s);
        return u.codePoint == -1 ? int(u.size) : 0;
    };
    CHECK(bad("\xff") == 1);
    CHECK(bad("\x80") == 1);
    CHECK(bad("\xc0\xaf") == 1);         // overlong '/'
    CHECK(bad("\xe0\x80\xaf") == 1);     // overlong
    CHECK(bad("\xed\xa0\x80") == 1);     // a surrogate
    CHECK(bad("\xf4\x90\x80\x80") == 1); // above U+10FFFF
    CHECK(bad("\xe2\x82") == 2);         // truncated at the end
    CHECK(bad("\xe2\x82"
              "A") == 2); // truncated before 'A'
    CHECK(bad("\xf0\x9f\x98") == 3);
    CHECK(isValidUtf8("plain \xc3\xa9\xe2\x82\xac"));
    CHECK(!isValidUtf8("a\xff"));
}

TEST_CASE("escapeForTerminal shows control characters and bad bytes, keeps the rest") {
    CHECK(escapeForTerminal("plain text: caf\xc3\xa9 \xe2\x82\xac") ==
          "plain text: caf\xc3\xa9 \xe2\x82\xac");
    CHECK(escapeForTerminal("a\x1b[31mred") == "a<U+001B>[31mred");
    CHECK(escapeForTerminal("line\nbreak\ttab\r") == "line<U+000A>break<U+0009>tab<U+000D>");
    CHECK(escapeForTerminal(std::string("nul\0", 4)) == "nul<U+0000>");
    CHECK(escapeForTerminal("del\x7f") == "del<U+007F>");
    CHECK(escapeForTerminal("csi\xc2\x9b"
                            "2J") == "csi<U+009B>2J"); // C1 control
    CHECK(escapeForTerminal("bidi\xe2\x80\xae"
                            "txt") == "bidi<U+202E>txt");
    CHECK(escapeForTerminal("iso\xe2\x81\xa6") == "iso<U+2066>");
    CHECK(escapeForTerminal("bad\xff\xfe") == "bad<FF><FE>");
    CHECK(escapeForTerminal("cut\xe2\x82") == "cut<E2><82>");
}

TEST_CASE("toValidUtf8 replaces each ill-formed unit with U+FFFD") {
    CHECK(toValidUtf8("fine \xc3\xa9") == "fine \xc3\xa9");
    CHECK(toValidUtf8("a\xff"
                      "b") == "a\xef\xbf\xbd"
                              "b");
    CHECK(toValidUtf8("\xe2\x82"
                      "A") == "\xef\xbf\xbd"
                              "A");
    CHECK(toValidUtf8("\xed\xa0\x80") == "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
    CHECK(toValidUtf8("esc\x1b") == "esc\x1b"); // valid: JSON writers escape it
}

TEST_CASE("appendShownLine expands tabs, escapes, and counts display columns") {
    auto shown = [](std::string_view s, size_t start = 0) {
        std::string out;
        size_t col = start;
        appendShownLine(s, out, col);
        return std::pair(out, col);
    };
    CHECK(shown("a\tb") == std::pair(std::string("a       b"), size_t(9)));
    CHECK(shown("\tx", 3) == std::pair(std::string("     x"), size_t(9)));
    CHECK(shown("\xe4\xb8\xad!") == std::pair(std::string("\xe4\xb8\xad!"), size_t(3))); // wide
    CHECK(shown("e\xcc\x81") == std::pair(std::string("e\xcc\x81"), size_t(1))); // combining
    CHECK(shown("\x1b[1m") == std::pair(std::string("<U+001B>[1m"), size_t(11)));
    CHECK(shown("\xff") == std::pair(std::string("<FF>"), size_t(4)));
}
