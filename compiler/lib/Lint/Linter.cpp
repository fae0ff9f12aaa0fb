// The linter: runs the rules over the elaborated trees of a checked program, keeps one
// finding per rule and place, and reports those located in the files the user named,
// minus the suppressed ones, at their configured severity.
#include "Suppressions.h"
#include "supc/Checker.h"
#include "supc/lint/Lint.h"

#include <deque>
#include <fmt/format.h>
#include <map>
#include <tuple>
#include <unordered_map>

namespace supc::lint {

namespace {

// Rules judge what the spec declares: the nodes a standard component builds (std.Pool's
// dispatcher, its workers' supervisor and the workers made from its template, ...) are the
// component's business and not visited; the component's node is, and so is its template.
void walk(const Node& n, const std::function<void(const Node&)>& visit) {
    visit(n);
    for (const auto& c : n.children)
        if (!c->component)
            walk(*c, visit);
    if (n.templ && !n.templ->component)
        walk(*n.templ, visit);
}

const Rule& suppressionRule() {
    static const Rule* r = findRule("L000");
    return *r;
}

// Where the code next to a comment is: before it on its line, else after it.
llvm::SMLoc code(SourceRange comment, const char* bufferStart) {
    const char* p = comment.begin.getPointer();
    while (p > bufferStart && (p[-1] == ' ' || p[-1] == '\t'))
        --p;
    bool codeBefore = p > bufferStart && p[-1] != '\n' && p[-1] != '\r';
    return codeBefore ? comment.begin : comment.end;
}

} // namespace

// ------------------------------------------------------------------ run-wide state

struct Linter::State {
    std::set<std::string> reportedFiles;
    // What was reported already, by rule, file and offset: one finding per place per run,
    // even when several programs (files importing each other) reach it.
    std::set<std::tuple<std::string_view, std::string, size_t>> emitted;

    struct Suppression {
        SourceRange range; // the comment, in the buffer of the first program that read it
        std::vector<const Rule*> rules;
        std::vector<bool> used, enabled;
        std::string reason;
        bool reportUnused = false;
        Severity unusedSeverity = Severity::Warning;
    };
    std::map<std::pair<std::string, size_t>, size_t> suppressionIndex; // (file, offset)
    std::vector<Suppression> suppressions;
};

Linter::Linter(std::set<std::string> reportedFiles) : state_(std::make_unique<State>()) {
    state_->reportedFiles = std::move(reportedFiles);
}

Linter::~Linter() = default;

// ------------------------------------------------------------------ what rules see

namespace {

struct Found {
    const Rule* rule;
    Diagnostic diag;
    unsigned instances = 1;
};

class Context final : public LintContext {
public:
    Context(const ir::Program& program, std::span<const Tree* const> trees,
            const LintConfig& config)
        : program_(program), trees_(trees), config_(config) {
        for (const Tree* t : trees)
            if (t->root)
                walk(*t->root, [&](const Node& n) {
                    if (n.decl)
                        instances_[n.decl].push_back(&n);
                });
    }

    const ir::Program& program() const override { return program_; }
    std::span<const Tree* const> trees() const override { return trees_; }
    std::span<const Node* const> instancesOf(const ir::KindDecl* decl) const override {
        auto it = instances_.find(decl);
        if (it == instances_.end())
            return {};
        return it->second;
    }
    int64_t threshold(std::string_view key) const override {
        const auto& t = config_.rule(*current_).thresholds;
        auto it = t.find(key);
        return it == t.end() ? 0 : it->second;
    }
    FindingBuilder report(SourceRange where, std::string message) override {
        return add(*current_, where, std::move(message));
    }
    bool reported(SourceRange where) const override {
        return index_.count({current_, where.begin.getPointer()}) != 0;
    }

    FindingBuilder add(const Rule& rule, SourceRange where, std::string message) {
        auto [it, inserted] = index_.try_emplace({&rule, where.begin.getPointer()}, found_.size());
        if (!inserted) {
            ++found_[it->second].instances;
            return FindingBuilder(nullptr);
        }
        Found f{&rule, {}, 1};
        f.diag.severity = rule.info().severity;
        f.diag.code = std::string(rule.info().id);
        f.diag.message = std::move(message);
        f.diag.range = where;
        found_.push_back(std::move(f));
        return FindingBuilder(&found_.back().diag);
    }

    void run(const Rule& rule) {
        current_ = &rule;
        for (const Tree* t : trees_)
            if (t->root)
                walk(*t->root, [&](const Node& n) { rule.checkNode(n, *this); });
        rule.checkProgram(program_, *this);
        current_ = nullptr;
    }

    std::deque<Found>& found() { return found_; }

private:
    const ir::Program& program_;
    std::span<const Tree* const> trees_;
    const LintConfig& config_;
    const Rule* current_ = nullptr;
    std::unordered_map<const ir::KindDecl*, std::vector<const Node*>> instances_;
    std::deque<Found> found_; // stable addresses: FindingBuilder points into it
    std::map<std::pair<const Rule*, const char*>, size_t> index_;
};

} // namespace

// ------------------------------------------------------------------ the run

void Linter::lintTrees(const ir::Program& program, std::span<const Tree* const> trees,
                       DiagnosticEngine& diag, const LintConfig& config) {
    const llvm::SourceMgr& sm = diag.sourceMgr();
    Context ctx(program, trees, config);
    for (const Rule* rule : allRules())
        if (config.rule(*rule).enabled)
            ctx.run(*rule);

    // The files whose findings are reported, by buffer.
    std::unordered_map<unsigned, const ir::Module*> reported;
    for (const auto& m : program.modules)
        if (state_->reportedFiles.count(m->canonicalPath))
            reported[m->bufferId] = m.get();

    // Suppressions of those files: (buffer, line they apply to) -> run-wide entries.
    std::map<std::pair<unsigned, unsigned>, std::vector<size_t>> byLine;
    const RuleConfig& l000 = config.rule(suppressionRule());
    for (const auto& [buffer, module] : reported) {
        const char* start = sm.getMemoryBuffer(buffer)->getBufferStart();
        for (SourceRange comment : module->comments) {
            auto parsed = parseSuppression(comment, start);
            if (!parsed)
                continue;
            for (const auto& p : parsed->problems)
                ctx.add(suppressionRule(), p.range, p.message);
            auto key =
                std::make_pair(module->canonicalPath, size_t(comment.begin.getPointer() - start));
            auto [it, inserted] =
                state_->suppressionIndex.try_emplace(key, state_->suppressions.size());
            if (inserted) {
                State::Suppression s;
                s.range = comment;
                for (const auto& named : parsed->rules)
                    s.rules.push_back(named.rule);
                s.used.assign(s.rules.size(), false);
                s.reason = parsed->reason;
                s.enabled.assign(s.rules.size(), false);
                state_->suppressions.push_back(std::move(s));
            }
            State::Suppression& s = state_->suppressions[it->second];
            for (size_t i = 0; i < s.rules.size(); ++i)
                if (config.rule(*s.rules[i]).enabled)
                    s.enabled[i] = true;
            s.reportUnused = l000.enabled;
            s.unusedSeverity = config.werror ? Severity::Error : l000.severity;
            // Alone on its line(s): the next line; else the line its code is on (a block
            // comment before code: the line it ends on).
            unsigned line = parsed->standalone
                                ? sm.getLineAndColumn(comment.end, buffer).first + 1
                                : sm.getLineAndColumn(code(comment, start), buffer).first;
            byLine[{buffer, line}].push_back(it->second);
        }
    }

    for (Found& f : ctx.found()) {
        const RuleConfig& rc = config.rule(*f.rule);
        if (!rc.enabled || !f.diag.range.isValid())
            continue;
        unsigned buffer = sm.FindBufferContainingLoc(f.diag.range.begin);
        auto m = reported.find(buffer);
        if (m == reported.end())
            continue; // not the user's file: the stdlib, an import
        const char* start = sm.getMemoryBuffer(buffer)->getBufferStart();
        size_t offset = size_t(f.diag.range.begin.getPointer() - start);
        if (!state_->emitted.insert({f.rule->info().id, m->second->canonicalPath, offset}).second)
            continue;
        if (f.rule != &suppressionRule()) {
            unsigned line = sm.getLineAndColumn(f.diag.range.begin, buffer).first;
            std::optional<std::string> suppressedBecause;
            if (auto it = byLine.find({buffer, line}); it != byLine.end())
                for (size_t index : it->second) {
                    State::Suppression& s = state_->suppressions[index];
                    for (size_t i = 0; i < s.rules.size(); ++i)
                        if (s.rules[i] == f.rule) {
                            s.used[i] = true;
                            suppressedBecause = s.reason;
                        }
                }
            if (suppressedBecause) {
                if (keepSuppressed_) {
                    Diagnostic d = std::move(f.diag);
                    d.severity = config.werror ? Severity::Error : rc.severity;
                    d.suppressedBecause = std::move(suppressedBecause);
                    diag.emit(std::move(d));
                }
                continue;
            }
        }
        Diagnostic d = std::move(f.diag);
        d.severity = config.werror ? Severity::Error : rc.severity;
        if (f.instances > 1)
            d.notes.push_back({fmt::format("this finding covers {} instances (loop iterations or "
                                           "uses of one declaration); the message describes the "
                                           "first",
                                           f.instances),
                               {}});
        if (d.severity == Severity::Error)
            ++errorFindings_;
        ++findings_;
        diag.emit(std::move(d));
    }
}

void Linter::finish(DiagnosticEngine& diag) {
    for (const State::Suppression& s : state_->suppressions) {
        if (!s.reportUnused)
            continue;
        std::vector<std::string> unused;
        for (size_t i = 0; i < s.rules.size(); ++i)
            if (s.enabled[i] && !s.used[i])
                unused.emplace_back(s.rules[i]->info().id);
        if (unused.empty())
            continue;
        Diagnostic d;
        d.severity = s.unusedSeverity;
        d.code = "L000";
        d.range = s.range;
        d.message = fmt::format("suppression of {} suppresses nothing", fmt::join(unused, ", "));
        d.notes.push_back({"a suppression applies to findings on its own line, or, alone on its "
                           "line, to the next line; remove it if the finding is gone",
                           {}});
        if (d.severity == Severity::Error)
            ++errorFindings_;
        ++findings_;
        diag.emit(std::move(d));
    }
}

} // namespace supc::lint
