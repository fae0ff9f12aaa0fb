#include "supc/TextEscape.h"

#include <fmt/format.h>
#include <llvm/ADT/StringRef.h>
#include <llvm/Support/Unicode.h>

namespace supc {

namespace {

bool inRange(unsigned char c, unsigned char lo, unsigned char hi) {
    return c >= lo && c <= hi;
}

} // namespace

Utf8Unit decodeUtf8(std::string_view text) {
    auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
    unsigned char b0 = byte(0);
    if (b0 < 0x80)
        return {b0, 1};
    // Unicode's table 3-7 of well-formed byte sequences: the lead byte fixes the length
    // and the range the second byte must be in (which excludes overlong forms, surrogates
    // and code points above U+10FFFF); later bytes are 80..BF.
    size_t length = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    int32_t cp = 0;
    if (inRange(b0, 0xC2, 0xDF)) {
        length = 2;
        cp = b0 & 0x1F;
    } else if (inRange(b0, 0xE0, 0xEF)) {
        length = 3;
        cp = b0 & 0x0F;
        if (b0 == 0xE0)
            lo = 0xA0;
        else if (b0 == 0xED)
            hi = 0x9F;
    } else if (inRange(b0, 0xF0, 0xF4)) {
        length = 4;
        cp = b0 & 0x07;
        if (b0 == 0xF0)
            lo = 0x90;
        else if (b0 == 0xF4)
            hi = 0x8F;
    } else {
        return {-1, 1};
    }
    for (size_t i = 1; i < length; ++i) {
        if (i >= text.size())
            return {-1, i};
        unsigned char b = byte(i);
        if (i == 1 ? !inRange(b, lo, hi) : !inRange(b, 0x80, 0xBF))
            return {-1, i};
        cp = (cp << 6) | (b & 0x3F);
    }
    return {cp, length};
}

bool isValidUtf8(std::string_view text) {
    for (size_t i = 0; i < text.size();) {
        Utf8Unit u = decodeUtf8(text.substr(i));
        if (u.codePoint < 0)
            return false;
        i += u.size;
    }
    return true;
}

bool isUnsafeToShow(int32_t cp) {
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x061C || cp == 0x200E ||
           cp == 0x200F || (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

std::string escapeUnit(std::string_view bytes, Utf8Unit unit) {
    if (unit.codePoint >= 0) {
        if (isUnsafeToShow(unit.codePoint))
            return fmt::format("<U+{:04X}>", unit.codePoint);
        return std::string(bytes.substr(0, unit.size));
    }
    std::string out;
    for (size_t i = 0; i < unit.size; ++i)
        out += fmt::format("<{:02X}>", static_cast<unsigned char>(bytes[i]));
    return out;
}

std::string escapeForTerminal(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size();) {
        unsigned char c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c < 0x7F) { // the common case
            out += char(c);
            ++i;
            continue;
        }
        Utf8Unit u = decodeUtf8(text.substr(i));
        out += escapeUnit(text.substr(i), u);
        i += u.size;
    }
    return out;
}

void appendShownLine(std::string_view s, std::string& out, size_t& col) {
    for (size_t i = 0; i < s.size();) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (c == '\t') {
            size_t next = (col / 8 + 1) * 8;
            out.append(next - col, ' ');
            col = next;
            ++i;
            continue;
        }
        if (c >= 0x20 && c < 0x7F) {
            out += char(c);
            ++col;
            ++i;
            continue;
        }
        Utf8Unit u = decodeUtf8(s.substr(i));
        std::string shown = escapeUnit(s.substr(i), u);
        if (u.codePoint >= 0 && !isUnsafeToShow(u.codePoint)) {
            int w = llvm::sys::unicode::columnWidthUTF8(shown);
            col += w < 0 ? 1 : size_t(w);
        } else {
            col += shown.size();
        }
        out += shown;
        i += u.size;
    }
}

std::string toValidUtf8(std::string_view text) {
    if (isValidUtf8(text))
        return std::string(text);
    std::string out;
    out.reserve(text.size() + 8);
    for (size_t i = 0; i < text.size();) {
        Utf8Unit u = decodeUtf8(text.substr(i));
        if (u.codePoint < 0)
            out += "\xEF\xBF\xBD";
        else
            out.append(text.substr(i, u.size));
        i += u.size;
    }
    return out;
}

} // namespace supc
