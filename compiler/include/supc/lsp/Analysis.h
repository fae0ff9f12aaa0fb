// supc lsp: one document checked as `supc lint` checks a file — parse, resolve (imports from
// open buffers first, then the disk), elaborate the default roots, lint when it checks
// clean — with everything kept for the requests that follow: the SourceMgr, the
// diagnostics, the checked program, its trees and an index of every name's uses.
#pragma once

#include "supc/Checker.h"
#include "supc/Diagnostic.h"
#include "supc/DiagnosticEngine.h"
#include "supc/Elaborator.h"
#include "supc/IR.h"
#include "supc/Tree.h"

#include <llvm/Support/SourceMgr.h>
#include <memory>
#include <string>
#include <vector>

namespace supc::lsp {

/// What a name in a spec refers to. Its key() identifies it across analyses and files
/// (pointers do not: every analysis checks its imports again).
struct Symbol {
    enum class Kind : unsigned char { Decl, Param, LoopVar, Child, Module };
    Kind kind = Kind::Decl;
    const ir::Module* module = nullptr;   // where it is declared
    const ir::Decl* decl = nullptr;       // Decl; the owner of Param, Child, LoopVar
    const ir::Param* param = nullptr;     // Param
    const ir::Loop* loop = nullptr;       // LoopVar
    const ir::ChildDecl* child = nullptr; // Child (a `needs` entry names it)
    std::string key() const;
    /// Where it is declared (its name), in `module`'s buffer; invalid for a module.
    SourceRange definition() const;
    std::string_view name() const;
};

/// One mention of a symbol: its declaration or a use.
struct Occurrence {
    SourceRange range; // the name as written (the last part of a qualified name)
    Symbol symbol;
    bool isDefinition = false;
};

class Analysis {
public:
    struct Options {
        CheckOptions check; // stdlib directory, open buffers
        bool lint = true;   // run the linter when the spec checks clean
        unsigned errorLimit = 500;
    };
    /// Checks `text` as the file `path` (canonical; imports resolve relative to it).
    static std::unique_ptr<Analysis> run(const std::string& path, const std::string& text,
                                         const Options& options);

    llvm::SourceMgr sm;
    std::vector<Diagnostic> diagnostics;  // every diagnostic reported, errors and findings
    std::unique_ptr<ir::Program> program; // null when the text could not be checked at all
    ProgramTrees trees;
    std::vector<Occurrence> occurrences; // in every module of the program
    std::string path;
    unsigned entryBuffer = 0;
    bool linted = false;

    /// The entry file's text (the buffer checked).
    std::string_view text() const;
    /// Byte offset of `loc` in the entry buffer, or -1 when it is elsewhere.
    long entryOffset(llvm::SMLoc loc) const;
    /// The occurrence in the entry file at byte `offset` (the innermost; a name's end
    /// counts, where an editor's cursor stops after typing it).
    const Occurrence* occurrenceAt(size_t offset) const;
    /// The module of the program whose buffer holds `loc`.
    const ir::Module* moduleOf(llvm::SMLoc loc) const;
    /// The first tree node made by `child` (null when no tree has it).
    const Node* nodeOf(const ir::ChildDecl* child) const;
    const ir::Module* entryModule() const { return program ? program->entry : nullptr; }

private:
    Analysis() = default;
    std::unique_ptr<DiagnosticEngine> diag_;
    std::unique_ptr<CollectingDiagnosticConsumer> consumer_;
};

/// Builds `analysis.occurrences` from its program (Index.cpp).
void buildIndex(Analysis& analysis);

} // namespace supc::lsp
