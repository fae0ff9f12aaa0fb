// The linter as a library: the rule catalogue (each rule's bad spec fires it, its good
// spec lints clean), deduplication across instances, suppressions, configuration.
#include "supc/lint/Lint.h"

#include "TestSupport.h"
#include "supc/lint/Sarif.h"

#include <catch2/catch.hpp>
#include <set>

using namespace supc;
using namespace supc::lint;
using namespace supc::test;

namespace {

struct Linted {
    std::unique_ptr<Checked> checked;
    std::vector<const Diagnostic*> findings; // L-codes, in the order reported
    bool specErrors = false;

    std::vector<std::string> codes() const {
        std::vector<std::string> out;
        for (const auto* d : findings)
            out.push_back(d->code);
        return out;
    }
    /// "line:col CODE message"
    std::vector<std::string> summary() const {
        std::vector<std::string> out;
        for (const auto* d : findings) {
            auto loc = presumedLocation(checked->sm, d->range.begin);
            out.push_back(fmt::format("{}:{} {} {}", loc.line, loc.column, d->code, d->message));
        }
        return out;
    }
    bool has(const std::string& code) const {
        for (const auto* d : findings)
            if (d->code == code)
                return true;
        return false;
    }
};

Linted lintText(const std::string& text, const LintConfig& config = LintConfig()) {
    Linted out;
    out.checked = check(text, "lint_test.sup");
    INFO(fmt::format("{}", fmt::join(out.checked->summary(), "\n")));
    REQUIRE(out.checked->program);
    REQUIRE(out.checked->codes().empty());
    Linter linter({canonicalSpecPath("lint_test.sup")});
    ProgramTrees trees =
        elaborateAll(*out.checked->program, *out.checked->engine, Environment::defaults());
    out.specErrors = !trees.complete;
    if (trees.complete) {
        std::vector<const Tree*> raw;
        for (const auto& t : trees.trees)
            raw.push_back(t.get());
        linter.lintTrees(*out.checked->program, raw, *out.checked->engine, config);
    }
    linter.finish(*out.checked->engine);
    for (const auto& d : out.checked->diags.diags)
        if (!d.code.empty() && d.code[0] == 'L')
            out.findings.push_back(&d);
    return out;
}

} // namespace

TEST_CASE("rules are L000, L001, ... with unique kebab-case names and complete texts") {
    auto rules = allRules();
    REQUIRE(rules.size() >= 15);
    std::set<std::string_view> names;
    for (size_t i = 0; i < rules.size(); ++i) {
        const RuleInfo& r = rules[i]->info();
        INFO(r.id);
        CHECK(r.id == fmt::format("L{:03d}", i));
        CHECK(names.insert(r.name).second);
        for (char c : r.name)
            CHECK(((c >= 'a' && c <= 'z') || c == '-'));
        CHECK_FALSE(r.title.empty());
        CHECK_FALSE(std::isupper(static_cast<unsigned char>(r.title[0])));
        CHECK(r.title.back() != '.');
        CHECK_FALSE(r.rationale.empty());
        CHECK(findRule(r.id) == rules[i]);
        CHECK(findRule(r.name) == rules[i]);
        CHECK(findRule(fmt::format("l{:03d}", i)) == rules[i]);
    }
    CHECK(findRule("L999") == nullptr);
    CHECK(suggestRule("L0022") == std::optional<std::string>("L002"));
    CHECK(suggestRule("flat-tre") == std::optional<std::string>("flat-tree"));
}

TEST_CASE("each rule fires on its bad spec and its good spec lints clean") {
    for (const Rule* rule : allRules()) {
        const RuleInfo& r = rule->info();
        INFO(r.id << " bad spec:\n" << r.bad);
        auto bad = lintText(std::string(r.bad));
        INFO("findings: " << fmt::format("{}", fmt::join(bad.summary(), "\n")));
        CHECK(bad.has(std::string(r.id)));

        INFO(r.id << " good spec:\n" << r.good);
        auto good = lintText(std::string(r.good));
        INFO("findings on the good spec: " << fmt::format("{}", fmt::join(good.summary(), "\n")));
        CHECK(good.findings.empty());
    }
}

TEST_CASE("a rule with a fix-it offers one on its bad spec") {
    for (const Rule* rule : allRules()) {
        const RuleInfo& r = rule->info();
        // L012's fix-it is for imports only; L017's bad spec shows the default restart type,
        // which has no text to replace.
        if (r.fixIt.empty() || r.id == "L012" || r.id == "L017")
            continue;
        INFO(r.id);
        auto bad = lintText(std::string(r.bad));
        bool offered = false;
        for (const auto* d : bad.findings)
            if (d->code == r.id)
                offered |= !d->fixIts.empty();
        CHECK(offered);
    }
}

TEST_CASE("the catalogue explains every rule with its severity, options and examples") {
    registerRuleCatalog();
    for (const Rule* rule : allRules()) {
        const CodeInfo* code = findCode(rule->info().id);
        REQUIRE(code);
        CHECK(code == &ruleCodeInfo(*rule));
        std::string text = renderExplanation(*code, false);
        CHECK(text.find(std::string(rule->info().id) + " (" + std::string(rule->info().name) +
                        ")") == 0);
        CHECK(text.find("Default severity: ") != std::string::npos);
        for (const ThresholdInfo& t : rule->info().thresholds)
            CHECK(text.find(fmt::format("{}.{}", rule->info().id, t.key)) != std::string::npos);
    }
    std::string md = renderRulesMarkdown();
    CHECK(
        md.find("| [L001](#l001-a-supervisor-has-more-than-8-children-and-no-child-supervisor)") !=
        std::string::npos);
    CHECK(md.find("## L017: ") != std::string::npos);
}

TEST_CASE("one finding per place, however many instances share it") {
    auto l = lintText(R"(
worker W = "app::W" from "app/w.hpp";
supervisor Group {
    strategy = one_for_all;
    child a = W;
    child b = W;
    child c = W;
}
application App {
    intensity = 20 per 5s;
    for i in 1..100 { child "group_{i}" = Group; }
}
)");
    INFO(fmt::format("{}", fmt::join(l.summary(), "\n")));
    REQUIRE(l.codes() == std::vector<std::string>{"L002"});
    const Diagnostic& d = *l.findings[0];
    CHECK(l.summary()[0].rfind("4:5 L002", 0) == 0);
    bool covers = false;
    for (const auto& n : d.notes)
        covers |= n.message.find("covers 100 instances") != std::string::npos;
    CHECK(covers);
}

TEST_CASE("value-dependent rules judge every instance of a declaration") {
    // L011: one instance has a single child, the other two: the strategy matters.
    auto mixed = lintText(R"(
worker W = "app::W" from "app/w.hpp";
supervisor Pair(n: int) { strategy = one_for_all; for i in 1..n { child "w{i}" = W; } }
application App { child one = Pair(n = 1); child two = Pair(n = 2); }
)");
    CHECK_FALSE(mixed.has("L011"));
    auto single = lintText(R"(
worker W = "app::W" from "app/w.hpp";
supervisor Pair(n: int) { strategy = one_for_all; for i in 1..n { child "w{i}" = W; } }
application App { child one = Pair(n = 1); child other = Pair(n = 1); }
)");
    CHECK(single.codes() == std::vector<std::string>{"L011"});
    // L010: the pool is too big for its budget in one instance: the declaration is reported.
    auto pools = lintText(R"(
worker W(id: int) = "app::W" from "app/w.hpp";
supervisor Pool(size: int) { for i in 1..size { child "w{i}" = W(id = i); } }
application App { child small = Pool(size = 2); child big = Pool(size = 12); }
)");
    CHECK(pools.codes() == std::vector<std::string>{"L010"});
}

TEST_CASE("suppressions: own line, alone on the line before, several rules, problems") {
    auto l = lintText(R"(
worker W = "app::W" from "app/w.hpp";
worker Flusher = "app::F" from "app/f.hpp" { shutdown = infinity; } // supc:allow(L009): flushes a WAL
// supc:allow(one-for-all-independent, L013): the trio shares a cache
supervisor trio { strategy = one_for_all; child a = W; child b = W; child c = W; }
supervisor Bad { strategy = one_for_all; child a = W; child b = W; child c = W; } // supc:allow(L002)
// supc:allow(L099): typo
supervisor Quiet { child a = W; } // supc:allow(L001): nothing to suppress
// supc:deny(L001): what
application App { child trio = trio; child bad = Bad; child quiet = Quiet; child f = Flusher; }
)");
    auto s = l.summary();
    INFO(fmt::format("{}", fmt::join(s, "\n")));
    REQUIRE(s.size() == 4);
    // Reasonless: reported, and it still suppresses L002 on its line.
    CHECK(s[0].rfind("6:86 L000 suppression 'supc:allow(L002)' gives no reason", 0) == 0);
    CHECK(s[1].rfind("7:15 L000 unknown rule 'L099' in suppression (did you mean 'L009'?)", 0) ==
          0);
    CHECK(s[2].rfind("9:4 L000 unknown directive 'supc:deny'", 0) == 0);
    CHECK(s[3] == "8:35 L000 suppression of L001 suppresses nothing");
}

TEST_CASE("a suppression of a disabled rule is not reported as unused") {
    LintConfig config;
    REQUIRE(applyRuleList(config, "L009", false).empty());
    auto l = lintText(R"(
worker Flusher = "app::F" from "app/f.hpp" { shutdown = infinity; } // supc:allow(L009): WAL
application App { child f = Flusher; }
)",
                      config);
    CHECK(l.findings.empty());
}

TEST_CASE("configuration: severities, thresholds, werror, enable and disable") {
    const std::string spec = R"(
worker W = "app::W" from "app/w.hpp" { shutdown = 90s; }
application App { child w = W; }
)";
    CHECK(lintText(spec).codes() == std::vector<std::string>{"L009"});
    CHECK(lintText(spec).findings[0]->severity == Severity::Warning);

    LintConfig raised;
    CHECK(applyProjectFile(raised, "L009.max_shutdown = 2m  # a long flush\n").empty());
    CHECK(lintText(spec, raised).findings.empty());

    LintConfig loud;
    CHECK(applyProjectFile(loud, "long-shutdown.severity = error\n").empty());
    CHECK(lintText(spec, loud).findings[0]->severity == Severity::Error);

    LintConfig werror;
    CHECK(applyProjectFile(werror, "werror = true\n").empty());
    CHECK(lintText(spec, werror).findings[0]->severity == Severity::Error);

    LintConfig off;
    CHECK(applyProjectFile(off, "disable = naming, L009\n").empty());
    CHECK(lintText(spec, off).findings.empty());
    CHECK(applyRuleList(off, "long-shutdown", true).empty());
    CHECK(lintText(spec, off).codes() == std::vector<std::string>{"L009"});
    CHECK(applyRuleList(off, "L0099", true) == "unknown rule 'L0099' (did you mean 'L009'?)");
}

TEST_CASE("project files: every malformed line is reported with its line and column") {
    LintConfig config;
    auto errors = applyProjectFile(config, "# comment\n"
                                           "\n"
                                           "disable = L002, L99\n"
                                           "just words\n"
                                           "L001.max_childs = 3\n"
                                           "L007.max_depth = deep\n"
                                           "L009.max_shutdown = 60\n"
                                           "werror = maybe\n"
                                           "serverity = error\n"
                                           "L004.severity = loud\n"
                                           " = 3\n"
                                           "L001.max_children =\n"
                                           "L001.max_children = 12\n");
    std::vector<std::string> got;
    for (const auto& e : errors)
        got.push_back(fmt::format("{}:{} {}", e.line, e.column, e.message));
    INFO(fmt::format("{}", fmt::join(got, "\n")));
    REQUIRE(got.size() == 10);
    CHECK(got[0] == "3:17 unknown rule 'L99' (did you mean 'L009'?)");
    CHECK(got[1] == "4:1 expected 'key = value', found 'just words'");
    CHECK(got[2] ==
          "5:6 rule L001 (flat-tree) has no option 'max_childs' (did you mean 'max_children'?)");
    CHECK(got[3] == "6:18 'L007.max_depth' takes a whole number, found 'deep'");
    CHECK(got[4] == "7:21 'L009.max_shutdown' takes a duration such as 60s or 500ms, found '60'");
    CHECK(got[5] == "8:10 'werror' takes true or false, found 'maybe'");
    CHECK(got[6].rfind("9:1 unknown key 'serverity'", 0) == 0);
    CHECK(got[7] == "10:17 severity takes error, warning or note, found 'loud'");
    CHECK(got[8] == "11:2 missing key before '='");
    CHECK(got[9] == "12:19 missing value for 'L001.max_children'");
    // The good lines still apply.
    CHECK_FALSE(config.rule(*findRule("L002")).enabled);
    CHECK(config.rule(*findRule("L001")).thresholds.at("max_children") == 12);
}

TEST_CASE("findings in imported files are not reported") {
    // The stdlib is imported; nothing it declares is reported, whatever the rules.
    auto l = lintText(R"(
import "std";
application App { child reg = std.Registry; }
)");
    CHECK(l.findings.empty());
}

TEST_CASE("SARIF artifact URIs: relative paths stay relative, absolute ones are file URIs") {
    CHECK(artifactUri("specs/app.sup") == "specs/app.sup");
    CHECK(artifactUri("/srv/my specs/app.sup") == "file:///srv/my%20specs/app.sup");
    CHECK(artifactUri("a#b?c%.sup") == "a%23b%3Fc%25.sup");
    CHECK(artifactUri("caf\xC3\xA9.sup") == "caf%C3%A9.sup");
    CHECK(artifactUri("<stdin>") == "stdin");
}
