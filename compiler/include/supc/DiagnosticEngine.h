// The one diagnostics engine: every phase reports through it; consumers print or collect.
#pragma once

#include "supc/Diagnostic.h"
#include "supc/Limits.h"

#include <fmt/format.h>
#include <memory>
#include <set>
#include <utility>
#include <vector>

namespace llvm {
class raw_ostream;
}

namespace supc {

/// Receives each diagnostic the engine accepts (after de-duplication and the limit).
class DiagnosticConsumer {
public:
    virtual ~DiagnosticConsumer();
    virtual void handle(const Diagnostic& diag, const llvm::SourceMgr& sm) = 0;
    /// Called once when reporting is over (JSON printers close their array here).
    virtual void finish(const llvm::SourceMgr&) {}
};

/// clang-style text: `file:line:col: error[E012]: message`, the source line, a caret and
/// `~~~` under the range, fix-its, then notes.
class TextDiagnosticPrinter final : public DiagnosticConsumer {
public:
    TextDiagnosticPrinter(llvm::raw_ostream& os, bool colors) : os_(os), colors_(colors) {}
    void handle(const Diagnostic& diag, const llvm::SourceMgr& sm) override;

private:
    llvm::raw_ostream& os_;
    bool colors_;
};

/// A JSON array of diagnostic objects (severity, code, message, file, line, column,
/// end_line, end_column, notes, fixits), written when reporting is finished.
class JsonDiagnosticPrinter final : public DiagnosticConsumer {
public:
    explicit JsonDiagnosticPrinter(llvm::raw_ostream& os) : os_(os) {}
    void handle(const Diagnostic& diag, const llvm::SourceMgr& sm) override;
    void finish(const llvm::SourceMgr& sm) override;

private:
    llvm::raw_ostream& os_;
    std::vector<Diagnostic> diags_;
};

/// GitHub Actions workflow commands, one line per diagnostic, which the runner turns into
/// annotations on the files and lines of a pull request:
///   ::error file=app.sup,line=14,col=44,endLine=14,endColumn=53,title=E012::message
/// (`::warning` for warnings, `::notice` for the rest). Columns count Unicode code points,
/// end column exclusive, given only when the range is on one line (GitHub ignores them
/// otherwise); notes follow the message on lines of their own. Values are escaped as the
/// runner reads them back: `%`, CR and LF in the message; also `:` and `,` in properties.
class GithubDiagnosticPrinter final : public DiagnosticConsumer {
public:
    explicit GithubDiagnosticPrinter(llvm::raw_ostream& os) : os_(os) {}
    void handle(const Diagnostic& diag, const llvm::SourceMgr& sm) override;

private:
    llvm::raw_ostream& os_;
};

/// GitHub's escaping of a workflow command's message (`%`, CR, LF) and, with
/// `property`, of a property's value (also `:` and `,`).
std::string escapeGithubCommand(std::string_view text, bool property);

/// Keeps every diagnostic (tests, and tools that post-process them).
class CollectingDiagnosticConsumer final : public DiagnosticConsumer {
public:
    void handle(const Diagnostic& diag, const llvm::SourceMgr&) override { diags.push_back(diag); }
    std::vector<Diagnostic> diags;
};

/// Holds diagnostics back and passes them on in source order (by file, then offset) when
/// reporting is finished: the checker works in phases, people read top to bottom.
class SortingDiagnosticConsumer final : public DiagnosticConsumer {
public:
    explicit SortingDiagnosticConsumer(std::unique_ptr<DiagnosticConsumer> next)
        : next_(std::move(next)) {}
    void handle(const Diagnostic& diag, const llvm::SourceMgr&) override { held_.push_back(diag); }
    void finish(const llvm::SourceMgr& sm) override;
    /// Passes on what is held so far (after each file of a multi-file run).
    void flush(const llvm::SourceMgr& sm);

private:
    std::unique_ptr<DiagnosticConsumer> next_;
    std::vector<Diagnostic> held_;
};

class DiagnosticEngine;

/// Builds one diagnostic; it is reported when the builder goes out of scope.
class DiagBuilder {
public:
    DiagBuilder(DiagnosticEngine* engine, Diagnostic diag)
        : engine_(engine), diag_(std::move(diag)) {}
    DiagBuilder(DiagBuilder&& other) noexcept
        : engine_(std::exchange(other.engine_, nullptr)), diag_(std::move(other.diag_)) {}
    DiagBuilder(const DiagBuilder&) = delete;
    DiagBuilder& operator=(const DiagBuilder&) = delete;
    ~DiagBuilder();

    DiagBuilder& note(std::string message, SourceRange range = {}) {
        diag_.notes.push_back({std::move(message), range});
        return *this;
    }
    DiagBuilder& fixIt(SourceRange range, std::string replacement) {
        diag_.fixIts.push_back({range, std::move(replacement)});
        return *this;
    }
    DiagBuilder& noSnippet() {
        diag_.showSnippet = false;
        return *this;
    }
    DiagBuilder& file(std::string name) {
        diag_.file = std::move(name);
        return *this;
    }

private:
    DiagnosticEngine* engine_;
    Diagnostic diag_;
};

class DiagnosticEngine {
public:
    DiagnosticEngine(llvm::SourceMgr& sm, DiagnosticConsumer& consumer)
        : sm_(sm), consumer_(&consumer) {}

    llvm::SourceMgr& sourceMgr() { return sm_; }
    const llvm::SourceMgr& sourceMgr() const { return sm_; }

    DiagBuilder error(ErrorCode code, SourceRange range, std::string message) {
        return report(Severity::Error, std::string(codeString(code)), range, std::move(message));
    }
    template <typename... Args>
    DiagBuilder error(ErrorCode code, SourceRange range, fmt::format_string<Args...> f,
                      Args&&... args) {
        return error(code, range, fmt::format(f, std::forward<Args>(args)...));
    }
    /// The general form, for other severities and catalogues (the linter's warnings).
    DiagBuilder report(Severity severity, std::string code, SourceRange range, std::string message);

    /// Reports a finished diagnostic (what DiagBuilder calls).
    void emit(Diagnostic diag);
    /// Calls the consumer's finish(); prints the "too many errors" note if it applies.
    void finish();

    /// Whether a diagnostic with this code at this location was already reported (or
    /// would be dropped by the error limit): lets callers skip costly suggestions.
    bool alreadyReported(ErrorCode code, SourceRange range) const {
        if (suppressed_)
            return true;
        const char* where = range.isValid() ? range.begin.getPointer() : nullptr;
        return seen_.count({std::string(codeString(code)) + "\n", where}) != 0;
    }

    unsigned errorCount() const { return errors_; }
    unsigned warningCount() const { return warnings_; }
    bool hasErrors() const { return errors_ != 0; }

    /// Stop after this many errors (0: no limit). Reaching it prints a note once.
    void setErrorLimit(unsigned limit) { errorLimit_ = limit; }
    bool limitReached() const { return errorLimit_ != 0 && errors_ >= errorLimit_; }

    /// Whether to look for a "did you mean" for the diagnostic about to be reported.
    /// Finding one can cost a look at every name of a spec, so supc offers them for the
    /// first limits::kMaxSuggestions diagnostics that ask (as clang's spell-checking limit
    /// does), and for none once the error limit is reached.
    bool allowSuggestion() {
        if (limitReached() || suggestions_ >= limits::kMaxSuggestions)
            return false;
        ++suggestions_;
        return true;
    }

private:
    llvm::SourceMgr& sm_;
    DiagnosticConsumer* consumer_;
    unsigned errors_ = 0;
    unsigned warnings_ = 0;
    unsigned errorLimit_ = limits::kDefaultErrorLimit;
    bool limitNoted_ = false;
    unsigned suggestions_ = 0;
    bool suppressed_ = false;
    // One diagnostic per (code, location): loops and repeated instantiations of one
    // declaration would otherwise report the same mistake once per iteration.
    std::set<std::pair<std::string, const char*>> seen_;
};

} // namespace supc
