#include "CppNames.h"

#include "supc/CppSyntax.h"
#include "supc/GeneratedNames.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <fmt/format.h>

namespace supc::codegen {

std::string identifier(std::string_view name) {
    return cpp::spell(name);
}

std::string cppType(const Type* t) {
    switch (t->kind()) {
    case TypeKind::Int:
        return "std::int64_t";
    case TypeKind::Decimal:
        return "double";
    case TypeKind::Duration:
        return "std::chrono::milliseconds";
    case TypeKind::String:
    case TypeKind::Enum:
        return "std::string";
    case TypeKind::Bool:
        return "bool";
    case TypeKind::Kind:
        return "sup::ChildTemplate";
    case TypeKind::List:
        return "std::vector<" + cppType(t->element()) + ">";
    case TypeKind::Optional:
        return "std::optional<" + cppType(t->element()) + ">";
    case TypeKind::Error:
        break;
    }
    return "void";
}

std::string stringLiteral(std::string_view text) {
    std::string out = "\"";
    char previous = 0;
    for (char c : text) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\r':
            out += "\\r";
            break;
        case '?':
            out += previous == '?' ? "\\?" : "?";
            break;
        default:
            if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
                out += fmt::format("\\{:03o}", static_cast<unsigned char>(c));
            else
                out += c; // UTF-8 bytes stay as they are
        }
        previous = c;
    }
    return out + "\"";
}

std::string commentText(std::string_view text) {
    std::string out;
    size_t i = 0;
    while (i < text.size()) {
        auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x80) {
            ++i;
            if (c == '\n')
                out += "\\n";
            else if (c == '\r')
                out += "\\r";
            else if (c == '\t')
                out += '\t';
            else if (c < 0x20 || c == 0x7f)
                out += fmt::format("\\x{:02x}", c);
            else if (c == '/' && i < text.size() && text[i] == '*')
                out += "/\\";
            else if (c == '*' && i < text.size() && text[i] == '/')
                out += "*\\";
            else if (c == '?' && i < text.size() && text[i] == '?')
                out += "?\\";
            else
                out += char(c);
            continue;
        }
        // A UTF-8 sequence: kept unless it is a line or paragraph separator; a byte that
        // does not start a well-formed sequence is escaped.
        size_t n = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c <= 0xdf ? 2 : 0;
        uint32_t cp = n == 2 ? c & 0x1f : n == 3 ? c & 0x0f : c & 0x07;
        bool ok = n != 0 && i + n <= text.size();
        for (size_t k = 1; ok && k < n; ++k) {
            auto cc = static_cast<unsigned char>(text[i + k]);
            ok = (cc & 0xc0) == 0x80;
            cp = (cp << 6) | (cc & 0x3f);
        }
        ok = ok && !(n == 3 && cp < 0x800) && !(n == 4 && (cp < 0x10000 || cp > 0x10ffff)) &&
             !(cp >= 0xd800 && cp <= 0xdfff);
        if (!ok) {
            out += fmt::format("\\x{:02x}", c);
            ++i;
            continue;
        }
        if (cp == 0x85 || cp == 0x2028 || cp == 0x2029 || (cp >= 0x80 && cp < 0xa0))
            out += fmt::format("\\u{:04x}", cp);
        else
            out.append(text.substr(i, n));
        i += n;
    }
    while (!out.empty() && (out.back() == '\\' || out.back() == ' ' || out.back() == '\t'))
        out.pop_back();
    return out;
}

std::string commentLine(std::string_view text) {
    return commentText(text.substr(0, text.find_first_of("\r\n")));
}

std::string durationLiteral(int64_t ms, bool literals) {
    struct Unit {
        int64_t ms;
        const char* literal;
        const char* type;
    };
    static constexpr Unit kUnits[] = {
        {3'600'000, "h", "hours"}, {60'000, "min", "minutes"}, {1000, "s", "seconds"}};
    int64_t count = ms;
    const char* literal = "ms";
    const char* type = "milliseconds";
    for (const Unit& u : kUnits)
        if (ms != 0 && ms % u.ms == 0) {
            count = ms / u.ms;
            literal = u.literal;
            type = u.type;
            break;
        }
    if (literals)
        return fmt::format("{}{}", count, literal);
    return fmt::format("std::chrono::{}({})", type, count);
}

std::string decimalLiteral(double d) {
    std::string s = fmt::format("{}", d);
    if (s.find_first_of(".eEn") == std::string::npos)
        s += ".0";
    return s;
}

std::string namespaceOf(const ir::Module& module) {
    return cpp::namespaceOf(module);
}

std::string className(const ir::WorkerDecl& worker, std::string_view fromNamespace) {
    std::string_view name = worker.cppType;
    if (!fromNamespace.empty() && name.size() > fromNamespace.size() + 2 &&
        name.substr(0, fromNamespace.size()) == fromNamespace &&
        name.substr(fromNamespace.size(), 2) == "::")
        name.remove_prefix(fromNamespace.size() + 2);
    return std::string(name);
}

} // namespace supc::codegen
