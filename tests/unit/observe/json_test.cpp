#include "json.hpp"

#include <catch2/catch.hpp>

using sup::obs::JsonWriter;

namespace {
std::string quoted(std::string_view s) {
    std::string out;
    sup::obs::append_json_string(out, s);
    return out;
}
} // namespace

TEST_CASE("json: quotes, backslashes and control characters are escaped") {
    REQUIRE(quoted("a\"b\\c") == R"("a\"b\\c")");
    REQUIRE(quoted("line\nnext\ttab\r") == R"("line\nnext\ttab\r")");
    REQUIRE(quoted(std::string("nul\0x", 5)) == R"("nul\u0000x")");
    REQUIRE(quoted("\x1f\x7f") == R"("\u001f\u007f")");
}

TEST_CASE("json: markup characters are escaped, so a document pasted in a page stays data") {
    REQUIRE(quoted("</script><img src=x onerror=alert(1)>&amp;") ==
            R"("\u003c/script\u003e\u003cimg src=x onerror=alert(1)\u003e\u0026amp;")");
    REQUIRE(quoted("\xE2\x80\xA8\xE2\x80\xA9") == R"("\u2028\u2029")");
}

TEST_CASE("json: valid UTF-8 passes, each invalid byte becomes U+FFFD") {
    REQUIRE(quoted("caf\xC3\xA9 \xF0\x9F\x9A\x80") == "\"caf\xC3\xA9 \xF0\x9F\x9A\x80\"");
    REQUIRE(quoted("a\xFF"
                   "b") == R"("a\ufffdb")");
    REQUIRE(quoted("\xC0\xAF") == R"("\ufffd\ufffd")");           // overlong '/'
    REQUIRE(quoted("\xED\xA0\x80") == R"("\ufffd\ufffd\ufffd")"); // a surrogate
    REQUIRE(quoted("\xE2\x82") == R"("\ufffd\ufffd")");           // cut short
    REQUIRE(sup::obs::valid_utf8("ok\xF5") == "ok\xEF\xBF\xBD");
}

TEST_CASE("json: the writer separates members and elements") {
    JsonWriter w;
    w.begin_object();
    w.key("a").value(1);
    w.key("b").begin_array().value("x").null().value(true).value(2.5).end_array();
    w.key("c").begin_object().end_object();
    w.key("d").raw("[1,2]");
    w.key("e").value(std::uint64_t(18446744073709551615ull));
    w.end_object();
    REQUIRE(w.str() ==
            R"({"a":1,"b":["x",null,true,2.5],"c":{},"d":[1,2],"e":18446744073709551615})");
}

TEST_CASE("json: numbers that JSON cannot hold are written as null") {
    JsonWriter w;
    w.begin_array().value(1.0 / 0.0).value(0.0 / 0.0).end_array();
    REQUIRE(w.str() == "[null,null]");
}
