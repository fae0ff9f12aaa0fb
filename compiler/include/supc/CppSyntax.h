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
