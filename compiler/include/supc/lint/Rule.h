// What a lint rule is, and what it sees.
//
// A rule is a small class in a file of its own (compiler/lib/Lint/rules/L0xx_Name.cpp),
// listed once in compiler/lib/Lint/Rules.def. It carries a RuleInfo (id, name, default
// severity, rationale, a spec on which it fires and the nearest one on which it does
// not) and looks at the checked program through a LintContext: every node of every
// elaborated tree (checkNode), or the resolved declarations once (checkProgram). It
// reports findings at the thing to change; the linter deduplicates them across
// instances, applies the configuration and suppressions, and prints them.
#pragma once

#include "supc/Diagnostic.h"
#include "supc/IR.h"
#include "supc/Tree.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace supc::lint {

/// A number a user may change in .supc-lint (`L001.max_children = 12`).
struct ThresholdInfo {
    std::string_view key;         // "max_children"
    int64_t defaultValue;         // milliseconds for durations
    bool duration;                // written as a duration (60s) rather than an integer
    std::string_view description; // one line
};

struct RuleInfo {
    std::string_view id;        // "L002": stable, never reused
    std::string_view name;      // "one-for-all-independent"
    Severity severity;          // the default: Error, Warning or Note
    std::string_view title;     // one line, lowercase: when it fires
    std::string_view rationale; // why it matters (paragraphs)
    std::string_view bad;       // a complete spec on which the rule fires
    std::string_view good;      // the nearest spec on which it does not
    std::string_view fixIt;     // what the fix-it does; empty when it offers none
    std::span<const ThresholdInfo> thresholds;
};

class LintContext;

class Rule {
public:
    virtual ~Rule();
    virtual const RuleInfo& info() const = 0;
    /// Called for every node of every elaborated tree (roots, children, templates), parents
    /// before children.
    virtual void checkNode(const Node&, LintContext&) const {}
    /// Called once per checked program, after the trees.
    virtual void checkProgram(const ir::Program&, LintContext&) const {}
};

/// Adds notes and fix-its to a finding; does nothing for a duplicate.
class FindingBuilder {
public:
    explicit FindingBuilder(Diagnostic* diag) : diag_(diag) {}
    FindingBuilder& note(std::string message, SourceRange range = {}) {
        if (diag_)
            diag_->notes.push_back({std::move(message), range});
        return *this;
    }
    FindingBuilder& fixIt(SourceRange range, std::string replacement) {
        if (diag_ && range.isValid())
            diag_->fixIts.push_back({range, std::move(replacement)});
        return *this;
    }
    FindingBuilder& fixIt(const std::optional<FixIt>& f) {
        return f ? fixIt(f->range, f->replacement) : *this;
    }
    /// False when an earlier instance already reported this finding.
    bool isNew() const { return diag_ != nullptr; }

private:
    Diagnostic* diag_;
};

/// What a rule sees and how it reports.
class LintContext {
public:
    virtual ~LintContext();
    virtual const ir::Program& program() const = 0;
    /// The trees being linted (each application of the file, or its unused supervisors).
    virtual std::span<const Tree* const> trees() const = 0;
    /// Every node that instantiates `decl`, in every tree (children, roots, templates).
    virtual std::span<const Node* const> instancesOf(const ir::KindDecl* decl) const = 0;
    /// The current rule's threshold `key` (its default unless .supc-lint changes it).
    virtual int64_t threshold(std::string_view key) const = 0;
    /// Reports a finding of the current rule at `where`. One finding per rule and
    /// location: the instances of a declaration share it (the first one's message is
    /// kept, and the linter notes how many instances it covers).
    virtual FindingBuilder report(SourceRange where, std::string message) = 0;
    /// Whether the current rule already reported at `where` (skip costly messages).
    virtual bool reported(SourceRange where) const = 0;
};

// ------------------------------------------------------------------ where to point
// A finding points at the thing to change: the setting when there is one, else the child
// or the declaration (saying that the value is the default).

/// The child as written (`child cache = ...`: its id), the template (`of Kind`) of a
/// dynamic supervisor, or the declaration's name for a root.
SourceRange childSite(const Node& node);
/// The setting's text when written (on the child, in the supervisor or in the kind's
/// defaults), else `fallback`.
template <class T>
SourceRange settingSite(const Resolved<T>& setting, SourceRange fallback) {
    return setting.setting ? setting.setting->range : fallback;
}
/// The value part of a written setting (what a fix-it replaces); invalid when defaulted.
template <class T>
SourceRange settingValue(const Resolved<T>& setting) {
    return setting.setting ? setting.setting->valueRange : SourceRange();
}
/// Where a supervisor node's own settings live: the declaration's name.
SourceRange declSite(const Node& node);
/// The child's name for messages: "'cache'", or "'worker_{i}'" for ids made by a loop,
/// "the template of 'Conns'", "'MyApp'" for a root.
std::string childName(const Node& node);
/// "the default", "the default of 'Cache'" or "" (explicit), for messages.
template <class T>
std::string_view originPhrase(const Resolved<T>& setting) {
    switch (setting.origin) {
    case SettingOrigin::Explicit:
        return "";
    case SettingOrigin::KindDefault:
        return "its kind's default";
    case SettingOrigin::Default:
        return "the default";
    }
    return "";
}
/// A fix-it that writes `setting` ("strategy = rest_for_one;") into the body of a
/// supervisor's declaration, before its first setting or child, on a line of its own
/// when that item starts a line. Nullopt for a declaration with an empty body.
std::optional<FixIt> addSupervisorSetting(const Node& supervisor, std::string_view setting);
/// A supervisor template the tree leaves unexpanded (its parameters are given at
/// start_child, so it has no settings in the tree): its `auto_shutdown` when its
/// declaration writes it as a constant. Nullopt otherwise.
std::optional<AutoShutdown> declaredAutoShutdown(const Node& node);
/// Whether the node is a supervisor of its own (generated, dynamic, or a C++ class of type
/// supervisor), as opposed to a worker.
inline bool isSupervisorLike(const Node& n) {
    return n.kind != NodeKind::Worker;
}

} // namespace supc::lint
