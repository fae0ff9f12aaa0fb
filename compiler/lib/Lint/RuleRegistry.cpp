// The rules of Rules.def, looked up by id or name, and their catalogue: the one source of
// `supc explain L0xx`, `supc lint --rules` and the rules section of docs/lint.md.
#include "supc/EditDistance.h"
#include "supc/ErrorCatalog.h"
#include "supc/lint/Lint.h"

#include <algorithm>
#include <cctype>
#include <deque>
#include <fmt/format.h>

namespace supc::lint {

#define SUPC_LINT_RULE(Id, Factory) std::unique_ptr<Rule> Factory();
#include "Rules.def"
#undef SUPC_LINT_RULE

namespace {

struct Registry {
    std::vector<std::unique_ptr<Rule>> owned;
    std::vector<const Rule*> rules;
    Registry() {
#define SUPC_LINT_RULE(Id, Factory) owned.push_back(Factory());
#include "Rules.def"
#undef SUPC_LINT_RULE
        for (const auto& r : owned)
            rules.push_back(r.get());
    }
};

const Registry& registry() {
    static const Registry r;
    return r;
}

bool equalsIgnoringCase(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

std::string_view severityWord(Severity s) {
    switch (s) {
    case Severity::Error:
        return "error";
    case Severity::Warning:
        return "warning";
    default:
        return "note";
    }
}

std::string thresholdDefault(const ThresholdInfo& t) {
    return t.duration ? formatDuration(t.defaultValue) : std::to_string(t.defaultValue);
}

// The explanation `supc explain` prints: the rationale, then the facts a user needs to
// act on it.
std::string composeExplanation(const RuleInfo& info) {
    std::string out(info.rationale);
    while (!out.empty() && out.back() == '\n')
        out.pop_back();
    out += fmt::format("\n\nDefault severity: {}.", severityWord(info.severity));
    if (!info.fixIt.empty())
        out += fmt::format(" Fix-it: {}.", info.fixIt);
    for (const ThresholdInfo& t : info.thresholds)
        out += fmt::format("\nOption: `{}.{} = {}` in .supc-lint (the default): {}.", info.id,
                           t.key, thresholdDefault(t), t.description);
    if (info.id != "L000")
        out += fmt::format("\nSilence one finding with `// supc:allow({}): reason`, or the rule "
                           "with `--disable={}` or `disable = {}` in .supc-lint.",
                           info.id, info.id, info.id);
    return out;
}

struct Catalogue {
    std::deque<std::string> texts; // stable addresses for the string_views below
    std::vector<CodeInfo> infos;   // indexed like allRules()
    Catalogue() {
        auto rules = allRules();
        infos.reserve(rules.size());
        for (const Rule* r : rules) {
            const RuleInfo& i = r->info();
            texts.push_back(composeExplanation(i));
            infos.push_back({i.id, i.name, true, i.title, texts.back(), i.bad, i.good});
        }
    }
};

const Catalogue& catalogue() {
    static const Catalogue c;
    return c;
}

std::string anchor(std::string_view heading) {
    std::string out;
    for (char c : heading) {
        unsigned char u = static_cast<unsigned char>(c);
        if (std::isalnum(u) || c == '-' || c == '_')
            out += char(std::tolower(u));
        else if (c == ' ')
            out += '-';
    }
    return out;
}

} // namespace

std::span<const Rule* const> allRules() {
    return registry().rules;
}

const Rule* findRule(std::string_view idOrName) {
    for (const Rule* r : allRules())
        if (equalsIgnoringCase(r->info().id, idOrName) || r->info().name == idOrName)
            return r;
    return nullptr;
}

std::optional<std::string> suggestRule(std::string_view idOrName) {
    // "L0002", "l2": an id with the wrong number of digits.
    if (idOrName.size() >= 2 && (idOrName[0] == 'L' || idOrName[0] == 'l') &&
        idOrName.find_first_not_of("0123456789", 1) == std::string_view::npos &&
        idOrName.size() < 12) {
        std::string id = fmt::format("L{:03d}", std::stoll(std::string(idOrName.substr(1))));
        if (findRule(id))
            return id;
    }
    std::vector<std::string> known;
    for (const Rule* r : allRules()) {
        known.emplace_back(r->info().id);
        known.emplace_back(r->info().name);
    }
    std::string upper(idOrName);
    if (!upper.empty() && (upper[0] == 'l'))
        upper[0] = 'L';
    return closestMatch(upper, known);
}

const CodeInfo& ruleCodeInfo(const Rule& rule) {
    auto rules = allRules();
    size_t i = size_t(std::find(rules.begin(), rules.end(), &rule) - rules.begin());
    return catalogue().infos.at(i);
}

void registerRuleCatalog() {
    registerCatalog(catalogue().infos);
}

std::string renderRulesList() {
    std::string out;
    for (const Rule* r : allRules()) {
        const RuleInfo& i = r->info();
        out +=
            fmt::format("{}  {:<34} {:<8} {}\n", i.id, i.name, severityWord(i.severity), i.title);
    }
    return out;
}

std::string renderRulesMarkdown() {
    std::string out = "| id | name | default | fires when |\n|---|---|---|---|\n";
    for (const Rule* r : allRules()) {
        const RuleInfo& i = r->info();
        out += fmt::format("| [{}](#{}) | `{}` | {} | {} |\n", i.id,
                           anchor(fmt::format("{}: {}", i.id, i.title)), i.name,
                           severityWord(i.severity), i.title);
    }
    for (const Rule* r : allRules()) {
        out += '\n';
        out += renderExplanation(ruleCodeInfo(*r), /*markdown=*/true);
    }
    return out;
}

} // namespace supc::lint
