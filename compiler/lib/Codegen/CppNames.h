// Spelling .sup things in C++: identifiers that cannot clash with keywords or with the names
// generated code uses, types, literals, namespaces.
#pragma once

#include "supc/IR.h"

#include <optional>
#include <string>
#include <string_view>

namespace supc::codegen {

/// `name` as a C++ identifier: cpp::spell (supc/CppSyntax.h): unchanged unless it is a C++
/// keyword, a common macro, a name that generated code uses itself (std, sup, spec, ctx, ...)
/// or reserved to the implementation; then '_' is appended (or 'x' prefixed).
std::string identifier(std::string_view name);

/// The C++ type of values of type `t`: int -> std::int64_t, duration ->
/// std::chrono::milliseconds, string and enums -> std::string, bool -> bool, list<T> ->
/// std::vector<T>, T? -> std::optional<T>, kind -> sup::ChildTemplate.
std::string cppType(const Type* t);

/// A C++ string literal: "text" with escapes; '?' after '?' escaped (no trigraphs).
std::string stringLiteral(std::string_view text);

/// `text` as the body of a `//` comment that ends where the generated line ends and does not
/// continue onto the next: every line ending C++ compilers or editors know (\n, \r, \v, \f,
/// U+0085, U+2028, U+2029) and every other control character is written as an escape
/// (`\n`, `\x0b`, `\u2028`), as are bytes that are not UTF-8 (`\xff`); `*/` and `/*` are
/// broken (`*\/`, `/\*`) so that the text is inert in a block comment too, `??` is `?\?`
/// (no trigraph), and trailing backslashes and blanks are dropped (no line splice).
std::string commentText(std::string_view text);

/// The first line of `text` (up to the first \n or \r), as commentText().
std::string commentLine(std::string_view text);

/// A duration: `5s`, `1500ms`, `2min`, `1h` (with std::chrono_literals), or, where the
/// literals are not in scope (headers), `std::chrono::seconds(5)`.
std::string durationLiteral(int64_t ms, bool literals);

/// A decimal as a C++ double literal: "0.5", "1.0".
std::string decimalLiteral(double d);

/// "a::b" for `package a.b;`, "" for none.
std::string namespaceOf(const ir::Module& module);

/// The C++ name of a worker kind's class as seen from inside `fromNamespace`: the spec's
/// text, less a leading "fromNamespace::".
std::string className(const ir::WorkerDecl& worker, std::string_view fromNamespace);

} // namespace supc::codegen
