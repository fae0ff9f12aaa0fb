// Resolution: from the loaded files' ASTs to the resolved declarations of IR.h.
#pragma once

#include "Sema/Loader.h"

namespace supc::sema {

/// Declares, resolves and validates every loaded file's declarations into `program`
/// (moving the modules from `files`). Reports through `diag`.
void resolveProgram(std::vector<LoadedFile>& files, const ir::Module* entry, ir::Program& program,
                    DiagnosticEngine& diag);

/// Whether `id` can name a child: non-empty, letters, digits, '_', '-', '.'.
bool isValidChildId(std::string_view id);

} // namespace supc::sema
