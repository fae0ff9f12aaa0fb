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

unsigned codePointColumn(const llvm::SourceMgr& sm, llvm::SMLoc loc) {
    if (!loc.isValid())
        return 0;
    unsigned id = sm.FindBufferContainingLoc(loc);
    if (id == 0)
        return 0;
    unsigned byteColumn = sm.getLineAndColumn(loc, id).second;
    const char* p = loc.getPointer();
    unsigned column = 1;
    for (const char* q = p - (byteColumn - 1); q < p; ++q)
        if ((static_cast<unsigned char>(*q) & 0xC0) != 0x80)
            ++column;
    return column;
}

} // namespace supc
