// L014 missing-backoff: children given a remote endpoint, restarted at once.
#include "supc/lint/Rule.h"

#include <cctype>
#include <fmt/format.h>
#include <optional>
#include <string>

namespace supc::lint {

namespace {

constexpr RuleInfo kInfo = {
    "L014",
    "missing-backoff",
    Severity::Warning,
    "a permanent child given a remote endpoint, under a supervisor without backoff",
    R"(A worker that talks to something outside the tree (a database, a broker, a remote API)
usually crashes because that thing is down. Restarting it at once, as supervisors do, turns
an outage into a reconnect storm: the worker fails, restarts, fails again, exhausts the
intensity within milliseconds, and escalates a remote problem into a local one, while
hammering the service that is trying to recover. `backoff = exponential(MIN, MAX)` spaces
the restarts out (Akka's BackoffSupervisor, Kubernetes' CrashLoopBackOff).

The rule fires when the spec itself says that the child connects out: it is given a remote
endpoint — an argument that is a URL (`"postgres://db:5432/app"`, `"https://..."`), or a
parameter named for one (`url`, `uri`, `endpoint`, `dsn`, `host`, `hostname`, `broker`,
`brokers`, `upstream`, `remote`, or ending in `_url`, `_uri`, `_host`, `_endpoint`, `_dsn`);
for a program, one of its arguments is a URL. A name for a listening side (containing
`listen` or `bind`) is not an endpoint. The kind's name alone says nothing: a `Connection` is
as often one a server accepted as one it opened. A child that needs a sibling (it is wired
to the tree rather than to the outside) or that is not permanent is left alone.)",
    R"(worker Stripe(url: string = "https://api.stripe.com") = "app::Stripe" from "app/stripe.hpp";
application App {
    child stripe = Stripe;
}
)",
    R"(worker Stripe(url: string = "https://api.stripe.com") = "app::Stripe" from "app/stripe.hpp";
application App {
    backoff = exponential(500ms, 30s, jitter = 0.2);
    child stripe = Stripe;
}
)",
    "sets the backoff to exponential(1s, 30s)",
    {},
};

bool endsWith(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// A parameter for the side that listens (`listen_url`, `bind_address`): not an endpoint.
bool listeningName(std::string_view name) {
    std::string n = lower(name);
    return n.find("listen") != std::string::npos || n.find("bind") != std::string::npos;
}

// A parameter name that stands for a remote endpoint.
bool endpointName(std::string_view name) {
    std::string n = lower(name);
    for (std::string_view word : {"url", "uri", "endpoint", "dsn", "host", "hostname", "broker",
                                  "brokers", "upstream", "remote"})
        if (n == word)
            return true;
    for (std::string_view suffix : {"_url", "_uri", "_host", "_endpoint", "_dsn"})
        if (endsWith(n, suffix))
            return true;
    return false;
}

// A string that is a URL with a scheme: "postgres://...", "https://...", "amqp://...".
bool isUrl(std::string_view s) {
    size_t colon = s.find("://");
    if (colon == std::string_view::npos || colon == 0)
        return false;
    for (size_t i = 0; i < colon; ++i) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (!std::isalnum(c) && c != '+' && c != '-' && c != '.')
            return false;
    }
    return std::isalpha(static_cast<unsigned char>(s[0])) != 0;
}

std::optional<std::string> urlIn(const Value& v) {
    if (v.isError() || v.isNone())
        return std::nullopt;
    const Type* t = v.type();
    if (t->kind() == TypeKind::Optional)
        t = t->element();
    if (t->kind() == TypeKind::String)
        return isUrl(v.asString()) ? std::optional<std::string>(v.asString()) : std::nullopt;
    if (t->kind() == TypeKind::List)
        for (const Value& e : v.asList())
            if (auto u = urlIn(e))
                return u;
    return std::nullopt;
}

// What in the spec says that `node` connects out, as a note's text; nullopt if nothing does.
std::optional<std::string> endpointEvidence(const Node& node) {
    for (const NodeArg& a : node.args) {
        if (!a.param || listeningName(a.param->name))
            continue;
        if (auto url = urlIn(a.value))
            return fmt::format("its argument '{}' is a URL (\"{}\")", a.param->name, *url);
        if (endpointName(a.param->name) && !a.value.isNone() && !a.value.isError())
            return fmt::format("its parameter '{}' names a remote endpoint", a.param->name);
    }
    if (node.program)
        for (const std::string& arg : node.program->args)
            if (isUrl(arg))
                return fmt::format("its program's argument \"{}\" is a URL", arg);
    return std::nullopt;
}

class MissingBackoff final : public Rule {
public:
    const RuleInfo& info() const override { return kInfo; }
    void checkNode(const Node& node, LintContext& ctx) const override {
        if (node.isRoot() || !node.parent || !node.parent->isDeclaredSupervisor() || !node.decl)
            return;
        if (node.restart.value != RestartType::Permanent || !node.needs.empty())
            return;
        std::optional<std::string> evidence = endpointEvidence(node);
        if (!evidence)
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
            .note(fmt::format("{} connects out: {}", childName(node), *evidence), childSite(node))
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
