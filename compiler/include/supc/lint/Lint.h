// supc lint: the rule catalogue, its configuration (.supc-lint, --enable, --disable,
// --werror), and the linter that runs the rules over checked programs.
//
//   registry       allRules(), findRule(): every rule of compiler/lib/Lint/Rules.def
//   LintConfig     which rules run, at which severity, with which thresholds
//   Linter         runs the rules over a program's trees, deduplicates findings
//                  across instances and files, applies `// supc:allow(Lxxx): reason`
//                  suppressions and reports the findings through a DiagnosticEngine
//   catalogue      the same RuleInfo texts for `supc explain L0xx` and docs/lint.md
#pragma once

#include "supc/DiagnosticEngine.h"
#include "supc/Elaborator.h"
#include "supc/lint/Rule.h"

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

namespace supc::lint {

// ------------------------------------------------------------------ the rules

/// Every rule, in id order (L000, the suppression checks, first).
std::span<const Rule* const> allRules();
/// A rule by id ("L002", case-insensitive) or name ("one-for-all-independent").
const Rule* findRule(std::string_view idOrName);
/// The closest id or name to a misspelt one, for "did you mean".
std::optional<std::string> suggestRule(std::string_view idOrName);
/// L000: problems with suppression comments themselves.
const RuleInfo& suppressionRuleInfo();

// ------------------------------------------------------------------ configuration

struct RuleConfig {
    bool enabled = true;
    Severity severity = Severity::Warning;
    std::map<std::string, int64_t, std::less<>> thresholds; // key -> value (ms for durations)
};

class LintConfig {
public:
    /// Every rule enabled at its default severity and thresholds.
    LintConfig();
    RuleConfig& rule(const Rule& r);
    const RuleConfig& rule(const Rule& r) const;
    bool werror = false;
    /// The project file read, if any (for messages).
    std::string projectFile;

private:
    std::vector<RuleConfig> rules_; // indexed like allRules()
};

/// A problem in a project file, with its place.
struct ConfigError {
    unsigned line = 0, column = 0; // 1-based (bytes)
    size_t offset = 0, length = 0; // the text at fault, in bytes from the file's start
    std::string message;
    bool binary = false; // the file is not text: its lines cannot be shown
};

/// Applies a .supc-lint file's text: `key = value` lines, `#` comments, blank lines.
/// Keys: `enable`, `disable` (comma-separated rule ids or names), `werror` (true, false),
/// `RULE.severity` (error, warning, note), `RULE.THRESHOLD` (an integer, or a duration
/// such as 60s for durations). Returns the problems found (the other lines still apply).
std::vector<ConfigError> applyProjectFile(LintConfig& config, std::string_view text);
/// The same for buffer `bufferId` of `diag`'s SourceMgr (where `supc lint` loads the
/// file), reporting each problem through `diag`, located in the file, as an error without
/// a code (a configuration problem, not a finding). Returns whether there was none.
bool applyProjectFile(LintConfig& config, unsigned bufferId, DiagnosticEngine& diag);
/// The .supc-lint that applies to a spec: the first found walking up from the spec's
/// directory (from the current directory for standard input).
std::optional<std::string> findProjectFile(const std::string& specPath);
/// `--enable=L001,flat-tree` / `--disable=...`. Returns an error message for an unknown
/// rule (with a suggestion), else the empty string.
std::string applyRuleList(LintConfig& config, std::string_view list, bool enable);

// ------------------------------------------------------------------ the linter

class Linter {
public:
    /// `reportedFiles`: canonical paths (canonicalSpecPath) of the files whose findings
    /// are reported: those named on the command line. Findings located in other files
    /// (the stdlib, other imports) are not the user's to fix here and are dropped.
    explicit Linter(std::set<std::string> reportedFiles);
    ~Linter();

    /// Lints one checked program without errors and its trees (`supc lint` gives the trees
    /// of its default roots, elaborated with Environment::defaults(): lint judges the spec
    /// as shipped, not the shell it runs in): runs the enabled rules and reports the
    /// findings located in reported files through `diag`.
    void lintTrees(const ir::Program& program, std::span<const Tree* const> trees,
                   DiagnosticEngine& diag, const LintConfig& config);
    /// Reports what only the whole run can tell: suppressions that suppressed nothing.
    void finish(DiagnosticEngine& diag);

    /// Also report the findings suppressed in the source, marked with their reason
    /// (Diagnostic::suppressedBecause): for SARIF, which lists them as suppressed.
    void keepSuppressed(bool keep) { keepSuppressed_ = keep; }

    /// Findings reported so far, and how many of them at error severity.
    unsigned findings() const { return findings_; }
    unsigned errorFindings() const { return errorFindings_; }

private:
    struct State;
    std::unique_ptr<State> state_;
    unsigned findings_ = 0, errorFindings_ = 0;
    bool keepSuppressed_ = false;
};

// ------------------------------------------------------------------ the catalogue

/// Registers the rules with the code catalogue (ErrorCatalog.h): `supc explain L002`,
/// `--list`, `--all`. Idempotent.
void registerRuleCatalog();
/// `supc explain`'s text for a rule: what, why, default severity, options, fix-it,
/// with the bad and the good spec (through renderExplanation).
const CodeInfo& ruleCodeInfo(const Rule& rule);
/// The rules section of docs/lint.md (between its BEGIN/END RULES markers).
std::string renderRulesMarkdown();
/// One line per rule: "L002  one-for-all-independent  warning  title".
std::string renderRulesList();

} // namespace supc::lint
