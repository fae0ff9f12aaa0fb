#include "supc/Checker.h"

#include "Sema/Loader.h"
#include "Sema/Resolver.h"

namespace supc {

std::unique_ptr<ir::Program> checkBuffer(std::unique_ptr<llvm::MemoryBuffer> buffer,
                                         DiagnosticEngine& diag, const CheckOptions& options) {
    std::string name = buffer->getBufferIdentifier().str();
    std::string canonical = name == "<stdin>" ? name : sema::canonicalPath(name);
    sema::Loader loader(diag, options);
    loader.loadEntry(std::move(buffer), canonical);
    if (!loader.entry || loader.fatal)
        return nullptr;
    auto program = std::make_unique<ir::Program>();
    sema::resolveProgram(loader.files, loader.entry->module.get(), *program, diag);
    return program;
}

std::string canonicalSpecPath(const std::string& path) {
    return path == "-" || path == "<stdin>" ? std::string("<stdin>") : sema::canonicalPath(path);
}

std::unique_ptr<ir::Program> checkFile(const std::string& path, DiagnosticEngine& diag,
                                       const CheckOptions& options) {
    auto buffer = sema::readSpecFile(path, diag, {});
    if (!buffer)
        return nullptr;
    return checkBuffer(std::move(buffer), diag, options);
}

} // namespace supc
