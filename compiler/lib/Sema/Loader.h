// Loading: reads a spec and, depth first, every file it imports; parses each one.
#pragma once

#include "supc/AST.h"
#include "supc/Checker.h"
#include "supc/IR.h"

#include <map>
#include <memory>
#include <vector>

namespace supc::sema {

struct LoadedFile {
    std::unique_ptr<ir::Module> module;
    std::unique_ptr<ast::File> ast;
    /// For each import declaration of `ast`, in order: the module it names (null when it
    /// could not be loaded).
    std::vector<const ir::Module*> importTargets;
    bool fatal = false; // could not be parsed: no declarations to check
};

class Loader {
public:
    Loader(DiagnosticEngine& diag, const CheckOptions& options) : diag_(diag), options_(options) {}

    /// Loads the entry buffer and its imports; files end up dependencies first.
    void loadEntry(std::unique_ptr<llvm::MemoryBuffer> buffer, const std::string& canonical);

    std::vector<LoadedFile> files;
    LoadedFile* entry = nullptr;
    bool fatal = false; // the entry file cannot be checked at all (see ParseResult::fatal)

private:
    LoadedFile* load(std::unique_ptr<llvm::MemoryBuffer> buffer, const std::string& canonical,
                     bool isStdlib, const ast::ImportDecl* via);
    void loadImports(LoadedFile& file);

    DiagnosticEngine& diag_;
    const CheckOptions& options_;
    std::map<std::string, size_t> loaded_; // canonical path -> index in files_
    struct Loading {
        std::string canonical;
        const ast::ImportDecl* via; // the import that led here (null for the entry)
        std::string path;
    };
    std::vector<Loading> stack_;
    std::vector<std::unique_ptr<LoadedFile>> owned_;
};

/// The path that identifies a file (symbolic links and `..` resolved).
std::string canonicalPath(const std::string& path);

/// Reads a spec file for the checker: E001 when it cannot be read, E004 when too large.
/// `site` is the import that names it (invalid for a file named on the command line).
std::unique_ptr<llvm::MemoryBuffer> readSpecFile(const std::string& path, DiagnosticEngine& diag,
                                                 SourceRange site);

} // namespace supc::sema
