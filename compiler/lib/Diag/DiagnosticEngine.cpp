#include "supc/DiagnosticEngine.h"

#include <algorithm>

namespace supc {

DiagnosticConsumer::~DiagnosticConsumer() = default;

DiagBuilder::~DiagBuilder() {
    if (engine_)
        engine_->emit(std::move(diag_));
}

DiagBuilder DiagnosticEngine::report(Severity severity, std::string code, SourceRange range,
                                     std::string message) {
    Diagnostic d;
    d.severity = severity;
    d.code = std::move(code);
    d.range = range;
    d.message = std::move(message);
    return DiagBuilder(this, std::move(d));
}

void DiagnosticEngine::emit(Diagnostic diag) {
    if (suppressed_)
        return;
    const char* where = diag.range.isValid() ? diag.range.begin.getPointer() : nullptr;
    if (!seen_.insert({diag.code + "\n" + diag.file, where}).second)
        return;
    if (diag.suppressedBecause) { // reported, not counted: it does not fail the run
        consumer_->handle(diag, sm_);
        return;
    }
    if (diag.severity == Severity::Error)
        ++errors_;
    if (diag.severity == Severity::Warning)
        ++warnings_;
    consumer_->handle(diag, sm_);
    if (diag.severity == Severity::Error && limitReached() && !limitNoted_) {
        limitNoted_ = true;
        Diagnostic note;
        note.severity = Severity::Note;
        note.message = fmt::format("too many errors ({}), stopping here "
                                   "(--error-limit=N shows more, 0 for all)",
                                   errors_);
        consumer_->handle(note, sm_);
        suppressed_ = true;
    }
}

void DiagnosticEngine::finish() {
    consumer_->finish(sm_);
}

void SortingDiagnosticConsumer::finish(const llvm::SourceMgr& sm) {
    flush(sm);
    next_->finish(sm);
}

void SortingDiagnosticConsumer::flush(const llvm::SourceMgr& sm) {
    // Diagnostics without a location keep their place at the front; the "too many
    // errors" note stays last.
    auto key = [&](const Diagnostic& d) -> std::pair<unsigned, const char*> {
        if (!d.range.isValid())
            return {d.code.empty() ? ~0u : 0u, nullptr};
        return {sm.FindBufferContainingLoc(d.range.begin), d.range.begin.getPointer()};
    };
    std::stable_sort(held_.begin(), held_.end(),
                     [&](const Diagnostic& a, const Diagnostic& b) { return key(a) < key(b); });
    for (const auto& d : held_)
        next_->handle(d, sm);
    held_.clear();
}

} // namespace supc
