#include "supc/lsp/Analysis.h"

#include "supc/lint/Lint.h"

#include <llvm/Support/MemoryBuffer.h>

namespace supc::lsp {

std::unique_ptr<Analysis> Analysis::run(const std::string& path, const std::string& text,
                                        const Options& options) {
    std::unique_ptr<Analysis> a(new Analysis());
    a->path = path;
    a->consumer_ = std::make_unique<CollectingDiagnosticConsumer>();
    a->diag_ = std::make_unique<DiagnosticEngine>(a->sm, *a->consumer_);
    a->diag_->setErrorLimit(options.errorLimit);
    DiagnosticEngine& diag = *a->diag_;

    // checkBuffer adds the entry buffer to the SourceMgr first.
    a->program = checkBuffer(llvm::MemoryBuffer::getMemBufferCopy(text, path), diag, options.check);
    a->entryBuffer = 1;
    if (a->program) {
        // env() at its defaults, as `supc lint` and `supc compile` judge a spec: the editor's
        // environment is not the one the program starts in.
        unsigned before = diag.errorCount();
        a->trees = elaborateAll(*a->program, diag, Environment::defaults());
        bool clean = a->trees.complete && diag.errorCount() == before && !diag.hasErrors();
        if (clean && options.lint && !diag.limitReached()) {
            lint::LintConfig config;
            if (auto project = lint::findProjectFile(path)) {
                if (auto buffer = llvm::MemoryBuffer::getFile(*project, /*IsText=*/true);
                    buffer && (*buffer)->getBufferSize() < (size_t(1) << 20))
                    lint::applyProjectFile(config, (*buffer)->getBuffer());
            }
            lint::Linter linter({canonicalSpecPath(path)});
            std::vector<const Tree*> trees;
            for (const auto& t : a->trees.trees)
                trees.push_back(t.get());
            linter.lintTrees(*a->program, trees, diag, config);
            linter.finish(diag);
            a->linted = true;
        }
        buildIndex(*a);
    }
    diag.finish();
    a->diagnostics = std::move(a->consumer_->diags);
    return a;
}

std::string_view Analysis::text() const {
    if (entryBuffer == 0 || entryBuffer > sm.getNumBuffers())
        return {};
    return sm.getMemoryBuffer(entryBuffer)->getBuffer();
}

long Analysis::entryOffset(llvm::SMLoc loc) const {
    if (!loc.isValid() || entryBuffer == 0 || entryBuffer > sm.getNumBuffers())
        return -1;
    const llvm::MemoryBuffer* b = sm.getMemoryBuffer(entryBuffer);
    const char* p = loc.getPointer();
    if (p < b->getBufferStart() || p > b->getBufferEnd())
        return -1;
    return long(p - b->getBufferStart());
}

const Occurrence* Analysis::occurrenceAt(size_t offset) const {
    const Occurrence* best = nullptr;
    for (const auto& o : occurrences) {
        long b = entryOffset(o.range.begin), e = entryOffset(o.range.end);
        if (b < 0 || e < 0 || size_t(b) > offset || offset > size_t(e))
            continue;
        if (!best || o.range.size() < best->range.size())
            best = &o;
    }
    return best;
}

const ir::Module* Analysis::moduleOf(llvm::SMLoc loc) const {
    if (!program || !loc.isValid())
        return nullptr;
    unsigned id = sm.FindBufferContainingLoc(loc);
    for (const auto& m : program->modules)
        if (m->bufferId == id)
            return m.get();
    return nullptr;
}

namespace {
const Node* findNode(const Node& n, const ir::ChildDecl* child) {
    if (n.childDecl == child)
        return &n;
    for (const auto& c : n.children)
        if (const Node* f = findNode(*c, child))
            return f;
    if (n.templ)
        return findNode(*n.templ, child);
    return nullptr;
}
} // namespace

const Node* Analysis::nodeOf(const ir::ChildDecl* child) const {
    for (const auto& t : trees.trees)
        if (t->root)
            if (const Node* n = findNode(*t->root, child))
                return n;
    return nullptr;
}

} // namespace supc::lsp
