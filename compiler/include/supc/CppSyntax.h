// What C++ accepts where a spec's text becomes C++: the class name of a worker kind, the
// header it is declared in, names of the spec that generated code spells as C++ names.
// The checker rejects worker kinds whose type or header C++ would not accept (E043, E044);
// the code generator spells names with it (Codegen/CppNames.h).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace supc::cpp {

/// A C++20 keyword or alternative token (`and`, `bitor`, ...): never a name.
bool isKeyword(std::string_view word);

/// A macro that the C and C++ standard libraries, POSIX or the compilers (GCC's gnu++
/// modes: `linux`, `unix`) define and that generated code can see through the headers it
/// includes: `EOF`, `NULL`, `stdin`, `errno`, `assert`, `EINVAL`, `SIGTERM`, `INT64_MAX`...
/// A name spelt like one would be replaced by the preprocessor.
bool isCommonMacro(std::string_view word);

/// How generated code spells the spec name `name` (an identifier) as a C++ name: unchanged,
/// unless it is a C++ keyword, a common macro, or a name generated code itself relies on
/// where spec names are in scope (`std`, `sup`, `spec`, `ctx`, ...): then with `_` appended;
/// a name reserved to the implementation (a double underscore, or `_` and a capital) gets
/// `x` prefixed. Not injective (`int` and `int_`): the checker rejects a spec where two names
/// the generated code declares in one namespace come out the same (E045).
std::string spell(std::string_view name);

/// An identifier of the form [A-Za-z_][A-Za-z0-9_]*.
bool isIdentifier(std::string_view word);

/// Why `text` is not a C++ class name as a worker's type string must be (`app::Cache`,
/// `::app::Cache`, `Cache`: identifiers joined by `::`, no keyword among them, nothing
/// else; identifiers may have non-ASCII letters, as C++ allows), or nothing when it is one.
std::optional<std::string> classNameProblem(std::string_view text);

/// Why `path` cannot be written between the quotes of `#include "..."` (a header name has
/// no escapes: no control character, `"` or `\`, and none of what C++ leaves to the
/// implementation: `'`, `//`, `/*`), or nothing when it can.
std::optional<std::string> includePathProblem(std::string_view path);

} // namespace supc::cpp
