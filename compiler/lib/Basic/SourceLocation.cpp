#include "supc/SourceLocation.h"

namespace supc {

PresumedLocation presumedLocation(const llvm::SourceMgr& sm, llvm::SMLoc loc) {
    PresumedLocation out;
    if (!loc.isValid())
        return out;
    unsigned id = sm.FindBufferContainingLoc(loc);
    if (id == 0)
        return out;
    auto [line, col] = sm.getLineAndColumn(loc, id);
    out.file = sm.getMemoryBuffer(id)->getBufferIdentifier().str();
    out.line = line;
    out.column = col;
    return out;
}

} // namespace supc
