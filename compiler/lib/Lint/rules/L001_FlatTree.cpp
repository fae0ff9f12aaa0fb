// L001 flat-tree: too many children directly under one supervisor, none a supervisor.
#include "supc/lint/Rule.h"

#include <fmt/format.h>
#include <unordered_set>

namespace supc::lint {

namespace {

constexpr ThresholdInfo kThresholds[] = {
    {"max_children", 8, false,
     "the most children (a loop's children count once) a supervisor may have without a "
     "child supervisor"},
};

constexpr RuleInfo kInfo = {
    "L001",
    "flat-tree",
    Severity::Warning,
    "a supervisor has more than 8 children and no child supervisor",
    R"(A supervisor is one failure domain: its restart budget (intensity) is shared by all its
children, and when one child exhausts it the supervisor gives up and takes every sibling
down with it. A supervisor with many unrelated children, none of them a supervisor, puts
every part of the system in the same domain: a flapping cache connection ends the HTTP
listener. Group children that belong together under sub-supervisors, each with its own
strategy and budget.

Children created by one `for` loop are one pool of interchangeable workers and count once
(L010 looks at a pool's intensity).)",
    R"(worker Repo = "app::Repo" from "app/repo.hpp";
worker Cache = "app::Cache" from "app/cache.hpp";
worker Mailer = "app::Mailer" from "app/mailer.hpp";
worker Search = "app::Search" from "app/search.hpp";
worker Billing = "app::Billing" from "app/billing.hpp";
worker Metrics = "app::Metrics" from "app/metrics.hpp";
worker Audit = "app::Audit" from "app/audit.hpp";
worker Web = "app::Web" from "app/web.hpp";
worker Admin = "app::Admin" from "app/admin.hpp";
application App {
    child repo = Repo;
    child cache = Cache;
    child mailer = Mailer;
    child search = Search;
    child billing = Billing;
    child metrics = Metrics;
    child audit = Audit;
    child web = Web;
    child admin = Admin;
}
)",
    R"(worker Repo = "app::Repo" from "app/repo.hpp";
worker Cache = "app::Cache" from "app/cache.hpp";
worker Mailer = "app::Mailer" from "app/mailer.hpp";
worker Search = "app::Search" from "app/search.hpp";
worker Billing = "app::Billing" from "app/billing.hpp";
worker Metrics = "app::Metrics" from "app/metrics.hpp";
worker Audit = "app::Audit" from "app/audit.hpp";
worker Web = "app::Web" from "app/web.hpp";
worker Admin = "app::Admin" from "app/admin.hpp";
supervisor Data { child repo = Repo; child cache = Cache; child search = Search; }
supervisor Back { child mailer = Mailer; child billing = Billing; child audit = Audit; }
supervisor Front { child web = Web; child admin = Admin; }
application App {
    child data = Data;
    child back = Back;
    child metrics = Metrics;
    child front = Front;
}
)",
    "",
    kThresholds,
};

class FlatTree final : public Rule {
public:
    const RuleInfo& info() const override { return kInfo; }
    void checkNode(const Node& node, LintContext& ctx) const override {
        if (node.kind != NodeKind::Supervisor || !node.isDeclaredSupervisor())
            return;
        std::unordered_set<const void*> distinct;
        for (const auto& c : node.children) {
            if (isSupervisorLike(*c))
                return;
            distinct.insert(c->childDecl ? static_cast<const void*>(c->childDecl)
                                         : static_cast<const void*>(c.get()));
        }
        int64_t max = ctx.threshold("max_children");
        if (int64_t(distinct.size()) <= max)
            return;
        std::string count = distinct.size() == node.children.size()
                                ? fmt::format("{} children", node.children.size())
                                : fmt::format("{} children ({} declarations, loops counted once)",
                                              node.children.size(), distinct.size());
        ctx.report(declSite(node),
                   fmt::format("'{}' supervises {} directly and no child supervisor (more than "
                               "{}): one child exhausting its restart budget takes all the others "
                               "down",
                               node.decl->name, count, max))
            .note("group children that fail together under sub-supervisors, each with its own "
                  "strategy and intensity");
    }
};

} // namespace

std::unique_ptr<Rule> makeFlatTreeRule() {
    return std::make_unique<FlatTree>();
}

} // namespace supc::lint
