#include "json_writer.hpp"

#include <charconv>
#include <cmath>

namespace sup::detail {

namespace {

/// The length of the valid UTF-8 sequence at the start of `s` (1 to 4), or 0 if it is not one:
/// no overlong forms, no surrogates, nothing above U+10FFFF (RFC 3629).
std::size_t utf8_sequence(std::string_view s) {
    auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
    auto cont = [&](std::size_t i) { return i < s.size() && (byte(i) & 0xC0) == 0x80; };
    unsigned char b = byte(0);
    if (b < 0x80)
        return 1;
    if (b >= 0xC2 && b <= 0xDF)
        return cont(1) ? 2 : 0;
    if (b >= 0xE0 && b <= 0xEF) {
        if (!cont(1) || !cont(2))
            return 0;
        unsigned char b1 = byte(1);
        if ((b == 0xE0 && b1 < 0xA0) || (b == 0xED && b1 >= 0xA0))
            return 0; // overlong, or a surrogate
        return 3;
    }
    if (b >= 0xF0 && b <= 0xF4) {
        if (!cont(1) || !cont(2) || !cont(3))
            return 0;
        unsigned char b1 = byte(1);
        if ((b == 0xF0 && b1 < 0x90) || (b == 0xF4 && b1 >= 0x90))
            return 0; // overlong, or above U+10FFFF
        return 4;
    }
    return 0;
}

} // namespace

void JsonWriter::quote(std::string& out, std::string_view s) {
    static constexpr char hex[] = "0123456789abcdef";
    out += '"';
    for (std::size_t i = 0; i < s.size();) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (c >= 0x80) {
            std::size_t n = utf8_sequence(s.substr(i));
            if (n == 0) {
                out += "\xEF\xBF\xBD"; // U+FFFD REPLACEMENT CHARACTER
                ++i;
            } else {
                out.append(s.substr(i, n));
                i += n;
            }
            continue;
        }
        ++i;
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\f':
            out += "\\f";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (c < 0x20 || c == 0x7F) {
                out += "\\u00";
                out += hex[c >> 4];
                out += hex[c & 0xF];
            } else {
                out += static_cast<char>(c);
            }
        }
    }
    out += '"';
}

void JsonWriter::newline() {
    if (indent_ == 0)
        return;
    out_ += '\n';
    out_.append(levels_.size() * static_cast<std::size_t>(indent_), ' ');
}

void JsonWriter::before_value() {
    if (after_key_) {
        after_key_ = false;
        return;
    }
    if (levels_.empty())
        return;
    Level& l = levels_.back();
    if (!l.empty)
        out_ += ',';
    l.empty = false;
    newline();
}

void JsonWriter::key(std::string_view k) {
    before_value();
    quote(out_, k);
    out_ += indent_ ? ": " : ":";
    after_key_ = true;
}

void JsonWriter::open(char c) {
    before_value();
    out_ += c;
    levels_.push_back(Level{});
}

void JsonWriter::close(char c) {
    bool empty = levels_.back().empty;
    levels_.pop_back();
    if (!empty)
        newline();
    out_ += c;
}

void JsonWriter::string(std::string_view s) {
    before_value();
    quote(out_, s);
}

void JsonWriter::null() {
    before_value();
    out_ += "null";
}

void JsonWriter::boolean(bool b) {
    before_value();
    out_ += b ? "true" : "false";
}

void JsonWriter::integer(std::int64_t v) {
    before_value();
    out_ += std::to_string(v);
}

void JsonWriter::unsigned_integer(std::uint64_t v) {
    before_value();
    out_ += std::to_string(v);
}

void JsonWriter::number(double v) {
    if (!std::isfinite(v)) {
        null();
        return;
    }
    before_value();
    char buf[64];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    out_.append(buf, r.ptr);
}

void JsonWriter::milliseconds(std::chrono::nanoseconds d) {
    before_value();
    std::int64_t ns = d.count();
    // Magnitude in unsigned arithmetic: the most negative count has no positive counterpart.
    std::uint64_t mag = ns < 0 ? std::uint64_t(0) - std::uint64_t(ns) : std::uint64_t(ns);
    if (ns < 0)
        out_ += '-';
    out_ += std::to_string(mag / 1'000'000);
    std::uint64_t frac = mag % 1'000'000;
    if (frac == 0)
        return;
    std::string digits = std::to_string(frac);
    digits.insert(0, 6 - digits.size(), '0');
    while (digits.back() == '0')
        digits.pop_back();
    out_ += '.';
    out_ += digits;
}

} // namespace sup::detail
