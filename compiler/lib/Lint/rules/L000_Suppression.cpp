// L000 suppression: problems with `// supc:allow(...)` comments themselves. The checks
// live in the linter (Suppressions.cpp, Linter.cpp); this file holds the rule's text.
#include "supc/lint/Rule.h"

namespace supc::lint {

namespace {

constexpr RuleInfo kInfo = {
    "L000",
    "suppression",
    Severity::Warning,
    "a suppression comment that gives no reason, names an unknown rule or suppresses nothing",
    R"(`// supc:allow(L002): reason` silences a finding of rule L002 on the line of the
comment, or, when the comment is alone on its line, on the next line. Several rules may be
named, by id or name: `supc:allow(L002, flat-tree): reason`.

A suppression records a decision: someone looked at the finding and judged that it does not
apply here. The reason is that judgement, written for the next reader. So a suppression
without a reason is reported (it still suppresses), as is one that names a rule that does
not exist (a typo would silence nothing), a malformed `supc:` directive, and a suppression
that no longer suppresses anything because the spec changed. L000 itself cannot be
suppressed in the source: disable it with `--disable=L000` or in .supc-lint.)",
    R"(worker Job = "app::Job" from "app/job.hpp";
application App {
    strategy = one_for_all; // supc:allow(L002)
    child a = Job;
    child b = Job;
    child c = Job;
}
)",
    R"(worker Job = "app::Job" from "app/job.hpp";
application App {
    // supc:allow(L002): the three jobs share an in-memory cache; one crash poisons all
    strategy = one_for_all;
    child a = Job;
    child b = Job;
    child c = Job;
}
)",
    "",
    {},
};

class Suppression final : public Rule {
public:
    const RuleInfo& info() const override { return kInfo; }
};

} // namespace

const RuleInfo& suppressionRuleInfo() {
    return kInfo;
}

std::unique_ptr<Rule> makeSuppressionRule() {
    return std::make_unique<Suppression>();
}

} // namespace supc::lint
