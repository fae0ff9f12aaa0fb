#include "supc/CppSyntax.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <fmt/format.h>

namespace supc::cpp {

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

// Macros of the C and C++ standard libraries, POSIX and GCC/Clang's GNU modes that the
// headers generated code includes (<sup/gen.hpp>: <chrono>, <string>, <functional>, ...,
// and so <cerrno>, <cstdio>, <csignal>, <climits>, <cstdint>, <cassert> through them, as
// libstdc++ and glibc do) may define, sorted. Macros reserved to the implementation
// (`__x`, `_X`) need no entry: such names are mangled anyway.
constexpr std::string_view kMacros[] = {"BUFSIZ",
                                        "CHAR_BIT",
                                        "CHAR_MAX",
                                        "CHAR_MIN",
                                        "CLOCKS_PER_SEC",
                                        "DBL_MAX",
                                        "DBL_MIN",
                                        "E2BIG",
                                        "EACCES",
                                        "EADDRINUSE",
                                        "EADDRNOTAVAIL",
                                        "EAFNOSUPPORT",
                                        "EAGAIN",
                                        "EALREADY",
                                        "EBADF",
                                        "EBADMSG",
                                        "EBUSY",
                                        "ECANCELED",
                                        "ECHILD",
                                        "ECONNABORTED",
                                        "ECONNREFUSED",
                                        "ECONNRESET",
                                        "EDEADLK",
                                        "EDESTADDRREQ",
                                        "EDOM",
                                        "EDQUOT",
                                        "EEXIST",
                                        "EFAULT",
                                        "EFBIG",
                                        "EHOSTUNREACH",
                                        "EIDRM",
                                        "EILSEQ",
                                        "EINPROGRESS",
                                        "EINTR",
                                        "EINVAL",
                                        "EIO",
                                        "EISCONN",
                                        "EISDIR",
                                        "ELOOP",
                                        "EMFILE",
                                        "EMLINK",
                                        "EMSGSIZE",
                                        "EMULTIHOP",
                                        "ENAMETOOLONG",
                                        "ENETDOWN",
                                        "ENETRESET",
                                        "ENETUNREACH",
                                        "ENFILE",
                                        "ENOBUFS",
                                        "ENODATA",
                                        "ENODEV",
                                        "ENOENT",
                                        "ENOEXEC",
                                        "ENOLCK",
                                        "ENOLINK",
                                        "ENOMEM",
                                        "ENOMSG",
                                        "ENOPROTOOPT",
                                        "ENOSPC",
                                        "ENOSR",
                                        "ENOSTR",
                                        "ENOSYS",
                                        "ENOTCONN",
                                        "ENOTDIR",
                                        "ENOTEMPTY",
                                        "ENOTRECOVERABLE",
                                        "ENOTSOCK",
                                        "ENOTSUP",
                                        "ENOTTY",
                                        "ENXIO",
                                        "EOF",
                                        "EOPNOTSUPP",
                                        "EOVERFLOW",
                                        "EOWNERDEAD",
                                        "EPERM",
                                        "EPIPE",
                                        "EPROTO",
                                        "EPROTONOSUPPORT",
                                        "EPROTOTYPE",
                                        "ERANGE",
                                        "EROFS",
                                        "ESPIPE",
                                        "ESRCH",
                                        "ESTALE",
                                        "ETIME",
                                        "ETIMEDOUT",
                                        "ETXTBSY",
                                        "EWOULDBLOCK",
                                        "EXDEV",
                                        "EXIT_FAILURE",
                                        "EXIT_SUCCESS",
                                        "FILENAME_MAX",
                                        "FLT_MAX",
                                        "FLT_MIN",
                                        "FOPEN_MAX",
                                        "HUGE_VAL",
                                        "INFINITY",
                                        "INT16_MAX",
                                        "INT16_MIN",
                                        "INT32_MAX",
                                        "INT32_MIN",
                                        "INT64_C",
                                        "INT64_MAX",
                                        "INT64_MIN",
                                        "INT8_MAX",
                                        "INT8_MIN",
                                        "INTMAX_MAX",
                                        "INTMAX_MIN",
                                        "INTPTR_MAX",
                                        "INTPTR_MIN",
                                        "INT_MAX",
                                        "INT_MIN",
                                        "LC_ALL",
                                        "LC_COLLATE",
                                        "LC_CTYPE",
                                        "LC_MONETARY",
                                        "LC_NUMERIC",
                                        "LC_TIME",
                                        "LLONG_MAX",
                                        "LLONG_MIN",
                                        "LONG_MAX",
                                        "LONG_MIN",
                                        "L_tmpnam",
                                        "MB_CUR_MAX",
                                        "MB_LEN_MAX",
                                        "NAN",
                                        "NDEBUG",
                                        "NULL",
                                        "PATH_MAX",
                                        "PTRDIFF_MAX",
                                        "PTRDIFF_MIN",
                                        "RAND_MAX",
                                        "SCHAR_MAX",
                                        "SCHAR_MIN",
                                        "SEEK_CUR",
                                        "SEEK_END",
                                        "SEEK_SET",
                                        "SHRT_MAX",
                                        "SHRT_MIN",
                                        "SIGABRT",
                                        "SIGALRM",
                                        "SIGBUS",
                                        "SIGCHLD",
                                        "SIGCONT",
                                        "SIGFPE",
                                        "SIGHUP",
                                        "SIGILL",
                                        "SIGINT",
                                        "SIGKILL",
                                        "SIGPIPE",
                                        "SIGQUIT",
                                        "SIGSEGV",
                                        "SIGSTOP",
                                        "SIGTERM",
                                        "SIGTRAP",
                                        "SIGTSTP",
                                        "SIGTTIN",
                                        "SIGTTOU",
                                        "SIGUSR1",
                                        "SIGUSR2",
                                        "SIG_ATOMIC_MAX",
                                        "SIG_ATOMIC_MIN",
                                        "SIG_DFL",
                                        "SIG_ERR",
                                        "SIG_IGN",
                                        "SIZE_MAX",
                                        "TMP_MAX",
                                        "UCHAR_MAX",
                                        "UINT16_MAX",
                                        "UINT32_MAX",
                                        "UINT64_C",
                                        "UINT64_MAX",
                                        "UINT8_MAX",
                                        "UINTMAX_MAX",
                                        "UINTPTR_MAX",
                                        "UINT_MAX",
                                        "ULLONG_MAX",
                                        "ULONG_MAX",
                                        "USHRT_MAX",
                                        "WCHAR_MAX",
                                        "WCHAR_MIN",
                                        "WEOF",
                                        "WINT_MAX",
                                        "WINT_MIN",
                                        "assert",
                                        "errno",
                                        "i386",
                                        "linux",
                                        "major",
                                        "minor",
                                        "offsetof",
                                        "setjmp",
                                        "stderr",
                                        "stdin",
                                        "stdout",
                                        "unix",
                                        "va_arg",
                                        "va_copy",
                                        "va_end",
                                        "va_start"};

// Names the generated code uses where spec names are in scope: namespaces it qualifies
// with, the locals of spec functions and the parameters of start_child helpers and child
// factories, sorted.
constexpr std::string_view kTaken[] = {"child_id", "ctx", "extra",      "main", "spec",
                                       "std",      "sup", "supervisor", "value"};

// Identifiers with a special meaning in some contexts only: valid names of classes and
// namespaces.
bool isContextual(std::string_view word) {
    return word == "final" || word == "override" || word == "import" || word == "module";
}

bool isIdentifierChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// The length of the character of a C++ name at `text[at]`: an ASCII letter, digit or '_', or
// a non-ASCII character other than a space, a format character or a line separator (C++
// takes UTF-8 names; which letters are XID characters is left to the C++ compiler, which
// rejects others without letting them change the code). 0: not part of a name. `text` is
// valid UTF-8 (spec text is checked before it is lexed).
size_t nameCharLength(std::string_view text, size_t at) {
    auto c = static_cast<unsigned char>(text[at]);
    if (c < 0x80)
        return isIdentifierChar(char(c)) ? 1 : 0;
    size_t n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
    if (at + n > text.size())
        return 0;
    uint32_t cp = n == 2 ? c & 0x1f : n == 3 ? c & 0x0f : c & 0x07;
    for (size_t k = 1; k < n; ++k)
        cp = (cp << 6) | (static_cast<unsigned char>(text[at + k]) & 0x3f);
    bool blank = cp < 0xa1 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200f) ||
                 (cp >= 0x2028 && cp <= 0x202f) || (cp >= 0x205f && cp <= 0x206f) || cp == 0x3000 ||
                 cp == 0xfeff;
    return blank ? 0 : n;
}

// A C++ name, as classNameProblem() accepts its parts: UTF-8 allowed.
bool isName(std::string_view word) {
    if (word.empty() || (word[0] >= '0' && word[0] <= '9'))
        return false;
    for (size_t i = 0; i < word.size();) {
        size_t n = nameCharLength(word, i);
        if (n == 0)
            return false;
        i += n;
    }
    return true;
}

} // namespace

bool isKeyword(std::string_view word) {
    return std::binary_search(kKeywords.begin(), kKeywords.end(), word);
}

bool isCommonMacro(std::string_view word) {
    return std::binary_search(std::begin(kMacros), std::end(kMacros), word);
}

std::string spell(std::string_view name) {
    std::string out(name);
    if (isKeyword(name) || isCommonMacro(name) ||
        std::binary_search(std::begin(kTaken), std::end(kTaken), name))
        return out + "_";
    bool reserved = name.find("__") != std::string_view::npos ||
                    (name.size() > 1 && name[0] == '_' && name[1] >= 'A' && name[1] <= 'Z');
    if (reserved)
        return "x" + out;
    return out;
}

bool isIdentifier(std::string_view word) {
    if (word.empty() || (word[0] >= '0' && word[0] <= '9'))
        return false;
    return std::all_of(word.begin(), word.end(), isIdentifierChar);
}

std::optional<std::string> classNameProblem(std::string_view text) {
    if (text.empty())
        return std::string("it is empty");
    std::string_view rest = text;
    if (rest.substr(0, 2) == "::")
        rest.remove_prefix(2);
    while (true) {
        size_t end = rest.find("::");
        std::string_view part = rest.substr(0, end);
        if (part.empty())
            return std::string("a name is missing around '::'");
        if (!isName(part)) {
            size_t bad = 0;
            while (bad < part.size() && nameCharLength(part, bad) != 0)
                bad += nameCharLength(part, bad);
            if (bad < part.size() && part[bad] == '<')
                return std::string("template arguments are not supported: declare an alias in "
                                   "the header (`using Name = ...;`) and name it");
            if (bad < part.size()) {
                auto c = static_cast<unsigned char>(part[bad]);
                if (c > 0x20 && c < 0x7f)
                    return fmt::format("'{}' cannot be part of a C++ name", char(c));
                return std::string("it contains a space, a control character or another "
                                   "character that is not part of a C++ name");
            }
            return fmt::format("'{}' starts with a digit", part);
        }
        if (isKeyword(part) && !isContextual(part))
            return fmt::format("'{}' is a C++ keyword", part);
        if (end == std::string_view::npos)
            return std::nullopt;
        rest.remove_prefix(end + 2);
    }
}

std::optional<std::string> includePathProblem(std::string_view path) {
    if (path.empty())
        return std::string("it is empty");
    for (unsigned char c : path) {
        if (c < 0x20 || c == 0x7f)
            return std::string("it contains a control character");
        if (c == '"' || c == '\\' || c == '\'')
            return fmt::format("'{}' cannot be part of an #include path", char(c));
    }
    if (path.find("//") != std::string_view::npos || path.find("/*") != std::string_view::npos)
        return std::string("'//' and '/*' cannot be part of an #include path");
    return std::nullopt;
}

} // namespace supc::cpp
