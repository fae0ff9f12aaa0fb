#include "CppNames.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <fmt/format.h>

namespace supc::codegen {

namespace {

// C++20 keywords and alternative tokens, sorted.
constexpr std::array<std::string_view, 96> kKeywords = {"alignas",
                                                        "alignof",
                                                        "and",
                                                        "and_eq",
                                                        "asm",
                                                        "auto",
                                                        "bitand",
                                                        "bitor",
                                                        "bool",
                                                        "break",
                                                        "case",
                                                        "catch",
                                                        "char",
                                                        "char16_t",
                                                        "char32_t",
                                                        "char8_t",
                                                        "class",
                                                        "co_await",
                                                        "co_return",
                                                        "co_yield",
                                                        "compl",
                                                        "concept",
                                                        "const",
                                                        "const_cast",
                                                        "consteval",
                                                        "constexpr",
                                                        "constinit",
                                                        "continue",
                                                        "decltype",
                                                        "default",
                                                        "delete",
                                                        "do",
                                                        "double",
                                                        "dynamic_cast",
                                                        "else",
                                                        "enum",
                                                        "explicit",
                                                        "export",
                                                        "extern",
                                                        "false",
                                                        "final",
                                                        "float",
                                                        "for",
                                                        "friend",
                                                        "goto",
                                                        "if",
                                                        "import",
                                                        "inline",
                                                        "int",
                                                        "long",
                                                        "module",
                                                        "mutable",
                                                        "namespace",
                                                        "new",
                                                        "noexcept",
                                                        "not",
                                                        "not_eq",
                                                        "nullptr",
                                                        "operator",
                                                        "or",
                                                        "or_eq",
                                                        "override",
                                                        "private",
                                                        "protected",
                                                        "public",
                                                        "register",
                                                        "reinterpret_cast",
                                                        "requires",
                                                        "return",
                                                        "short",
                                                        "signed",
                                                        "sizeof",
                                                        "static",
                                                        "static_assert",
                                                        "static_cast",
                                                        "struct",
                                                        "switch",
                                                        "template",
                                                        "this",
                                                        "thread_local",
                                                        "throw",
                                                        "true",
                                                        "try",
                                                        "typedef",
                                                        "typeid",
                                                        "typename",
                                                        "union",
                                                        "unsigned",
                                                        "using",
                                                        "virtual",
                                                        "void",
                                                        "volatile",
                                                        "wchar_t",
                                                        "while",
                                                        "xor",
                                                        "xor_eq"};

// Names the generated code itself uses where spec names are in scope: namespaces it
// qualifies with, the locals of spec functions and the parameters of start_child helpers and child
// factories, and macros a parameter name must not expand.
constexpr std::array<std::string_view, 13> kTaken = {
    "child_id", "ctx",        "errno", "extra",     "main",      "spec",  "std",
    "sup",      "supervisor", "value", "INT64_MAX", "INT64_MIN", "assert"};

} // namespace

bool isCppKeyword(std::string_view name) {
    return std::binary_search(kKeywords.begin(), kKeywords.end(), name);
}

std::string identifier(std::string_view name) {
    std::string out(name);
    if (isCppKeyword(name) || std::find(kTaken.begin(), kTaken.end(), name) != kTaken.end())
        return out + "_";
    bool reserved = name.find("__") != std::string_view::npos ||
                    (name.size() > 1 && name[0] == '_' && name[1] >= 'A' && name[1] <= 'Z');
    if (reserved)
        return "x" + out;
    return out;
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
    std::string out;
    for (const auto& part : module.package) {
        if (!out.empty())
            out += "::";
        out += identifier(part);
    }
    return out;
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
