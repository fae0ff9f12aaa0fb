// The C++ back end of `supc compile` (docs/codegen.md): from a checked program to
// NAME.sup.hpp and NAME.sup.cpp for its entry file. The dependency file build systems read,
// and writing all of them at once, are in OutputFiles.h.
//
// The code is generated symbolically from the resolved declarations (IR.h), not from an
// elaborated tree: a supervisor with parameters becomes a C++ function with parameters, a
// loop a loop, an env() const a function that reads the environment at start-up.
#pragma once

#include "supc/IR.h"

#include <llvm/Support/SourceMgr.h>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace supc::codegen {

struct GeneratedFiles {
    std::string headerName; // "app.sup.hpp"
    std::string sourceName; // "app.sup.cpp"
    std::string header;
    std::string source;
    /// What the generator could not write ("app.sup:12: ..."): its own bugs, never the
    /// spec's. When not empty, the files must not be used.
    std::vector<std::string> internalErrors;
};

/// The generated files of `program`'s entry module (which must have checked clean).
/// `sm` is the SourceMgr the program was checked with (for line numbers and source text).
GeneratedFiles generate(const ir::Program& program, const llvm::SourceMgr& sm);

/// What generated files of `module` are called: its file name's stem, "app" for app.sup.
std::string outputStem(const ir::Module& module);

/// A generated header whose name `#include "..."` cannot hold (E044): the entry file's
/// own (`range` invalid) or an imported spec's with generated code (`range`: the import).
struct IncludeNameProblem {
    std::string header;  // "a\nb.sup.hpp"
    std::string problem; // "it contains a control character"
    SourceRange range;
};

/// What the generated files of `program`'s entry module would `#include` by a name made
/// from a spec's file name, and cannot: compile reports each (E044) and writes nothing.
std::vector<IncludeNameProblem> includeNameProblems(const ir::Program& program);

/// Whether importers need `module`'s own generated code: false for an imported spec that
/// declares only worker kinds and constants (std.sup, for one): its kinds' headers and its
/// constants' values are emitted where they are used instead.
bool needsGeneratedCode(const ir::Module& module);

} // namespace supc::codegen
