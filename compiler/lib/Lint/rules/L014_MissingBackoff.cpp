// L014 missing-backoff: clients of the outside world restarted at once.
#include "supc/lint/Rule.h"

#include <fmt/format.h>

namespace supc::lint {

namespace {

constexpr RuleInfo kInfo = {
    "L014",
    "missing-backoff",
    Severity::Warning,
    "a permanent child of a kind that talks to the outside, under a supervisor without backoff",
    R"(A worker that talks to something outside the tree (a database, a broker, a remote API)
usually crashes because that thing is down. Restarting it at once, as supervisors do, turns
an outage into a reconnect storm: the worker fails, restarts, fails again, exhausts the
intensity within milliseconds, and escalates a remote problem into a local one, while
hammering the service that is trying to recover. `backoff = exponential(MIN, MAX)` spaces
the restarts out (Akka's BackoffSupervisor, Kubernetes' CrashLoopBackOff).

The rule recognises such workers by name: kinds ending in `Client` or `Connection`, or
with `Api`/`API` as a word (`PaymentApi`, `ApiGateway`), that do not `need` a sibling (a
child that needs one is wired to the tree rather than to the outside), and are permanent.)",
    R"(worker StripeClient = "app::StripeClient" from "app/stripe.hpp";
application App {
    child stripe = StripeClient;
}
)",
    R"(worker StripeClient = "app::StripeClient" from "app/stripe.hpp";
application App {
    backoff = exponential(500ms, 30s, jitter = 0.2);
    child stripe = StripeClient;
}
)",
    "sets the backoff to exponential(1s, 30s)",
    {},
};

bool endsWith(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// `Api` as a word of an UpperCamelCase name, or `API`.
bool hasApiWord(std::string_view s) {
    if (s.find("API") != std::string_view::npos)
        return true;
    for (size_t at = s.find("Api"); at != std::string_view::npos; at = s.find("Api", at + 1)) {
        size_t next = at + 3;
        if (next == s.size() || !std::islower(static_cast<unsigned char>(s[next])))
            return true;
    }
    return false;
}

bool talksToOutside(std::string_view kind) {
    return endsWith(kind, "Client") || endsWith(kind, "Connection") || hasApiWord(kind);
}

class MissingBackoff final : public Rule {
public:
    const RuleInfo& info() const override { return kInfo; }
    void checkNode(const Node& node, LintContext& ctx) const override {
        if (node.isRoot() || !node.parent || !node.parent->isDeclaredSupervisor() || !node.decl)
            return;
        if (node.restart.value != RestartType::Permanent || !node.needs.empty())
            return;
        if (!talksToOutside(node.decl->name))
            return;
        const Node& sup = *node.parent;
        const auto& backoff = sup.supervisor->backoff;
        if (backoff.value.exponential)
            return;
        SourceRange at = settingSite(backoff, declSite(sup));
        if (ctx.reported(at)) {
            ctx.report(at, "");
            return;
        }
        ctx.report(at,
                   fmt::format("'{}' restarts {} (kind '{}', permanent) at once after each "
                               "crash: with no backoff{}, a failing remote service is "
                               "hammered with reconnects",
                               sup.decl->name, childName(node), node.decl->name,
                               backoff.origin == SettingOrigin::Default ? " (the default)" : ""))
            .note(
                fmt::format("{} talks to the outside, judging by its kind's name", childName(node)),
                childSite(node))
            .note(backoff.setting ? "use 'backoff = exponential(MIN, MAX)' to space restarts out"
                                  : fmt::format("add 'backoff = exponential(1s, 30s);' to '{}' to "
                                                "space restarts out",
                                                sup.decl->name))
            .fixIt(backoff.setting
                       ? std::optional<FixIt>(FixIt{settingValue(backoff), "exponential(1s, 30s)"})
                       : addSupervisorSetting(sup, "backoff = exponential(1s, 30s);"));
    }
};

} // namespace

std::unique_ptr<Rule> makeMissingBackoffRule() {
    return std::make_unique<MissingBackoff>();
}

} // namespace supc::lint
