// L013 naming: snake_case child ids, UpperCamelCase kinds.
#include "supc/lint/Rule.h"

#include <cctype>
#include <fmt/format.h>

namespace supc::lint {

namespace {

constexpr RuleInfo kInfo = {
    "L013",
    "naming",
    Severity::Warning,
    "child ids not snake_case, kinds not UpperCamelCase",
    R"(One style across specs makes them quicker to read and paths quicker to type: child ids
(which become paths such as `services/cache` in logs, events and `supc impact`) are
snake_case, lowercase words joined by `_` (digits allowed); kinds (worker kinds,
supervisors, dynamic supervisors, applications) are UpperCamelCase, like the C++ classes
they usually name. The rule checks ids after interpolation, so `"Worker_{i}"` is reported
once at its declaration. There is no fix-it: ids are referred to from C++ code and from
`needs`, so a rename is the author's to make.)",
    R"(worker email_sender = "app::EmailSender" from "app/email.hpp";
application App {
    child emailSender = email_sender;
}
)",
    R"(worker EmailSender = "app::EmailSender" from "app/email.hpp";
application App {
    child email_sender = EmailSender;
}
)",
    "",
    {},
};

bool isSnakeCase(std::string_view s) {
    if (s.empty())
        return false;
    for (char c : s)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
            return false;
    return true;
}

bool isUpperCamelCase(std::string_view s) {
    if (s.empty() || !(s[0] >= 'A' && s[0] <= 'Z'))
        return false;
    for (char c : s)
        if (!std::isalnum(static_cast<unsigned char>(c)))
            return false;
    return true;
}

std::string toSnakeCase(std::string_view s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (std::isupper(static_cast<unsigned char>(c))) {
            bool boundary =
                i > 0 && (std::islower(static_cast<unsigned char>(s[i - 1])) ||
                          std::isdigit(static_cast<unsigned char>(s[i - 1])) ||
                          (i + 1 < s.size() && std::islower(static_cast<unsigned char>(s[i + 1])) &&
                           std::isupper(static_cast<unsigned char>(s[i - 1]))));
            if (boundary && !out.empty() && out.back() != '_')
                out += '_';
            out += char(std::tolower(static_cast<unsigned char>(c)));
        } else if (c == '-' || c == '.' || c == '_') {
            if (!out.empty() && out.back() != '_')
                out += '_';
        } else {
            out += c;
        }
    }
    while (!out.empty() && out.back() == '_')
        out.pop_back();
    return out;
}

std::string toUpperCamelCase(std::string_view s) {
    std::string out;
    bool up = true;
    for (char c : s) {
        if (c == '_' || c == '-') {
            up = true;
            continue;
        }
        out += up ? char(std::toupper(static_cast<unsigned char>(c))) : c;
        up = false;
    }
    return out;
}

class Naming final : public Rule {
public:
    const RuleInfo& info() const override { return kInfo; }
    void checkNode(const Node& node, LintContext& ctx) const override {
        if (node.isRoot() || node.isTemplate || !node.childDecl || isSnakeCase(node.id))
            return;
        SourceRange at = childSite(node);
        if (ctx.reported(at)) {
            ctx.report(at, "");
            return;
        }
        auto b = ctx.report(at, fmt::format("child id {} is not snake_case (lowercase words "
                                            "joined by '_')",
                                            childName(node)));
        if (node.childDecl->id.isPlain())
            if (std::string s = toSnakeCase(node.id); isSnakeCase(s))
                b.note(fmt::format("did you mean '{}'?", s));
    }
    void checkProgram(const ir::Program& program, LintContext& ctx) const override {
        for (const auto& m : program.modules)
            for (const auto& d : m->decls) {
                if (llvm::isa<ir::ConstDecl>(d.get()) || isUpperCamelCase(d->name))
                    continue;
                auto b = ctx.report(d->nameRange, fmt::format("{} '{}' is not UpperCamelCase",
                                                              d->kindName(), d->name));
                if (std::string s = toUpperCamelCase(d->name); isUpperCamelCase(s))
                    b.note(fmt::format("did you mean '{}'?", s));
            }
    }
};

} // namespace

std::unique_ptr<Rule> makeNamingRule() {
    return std::make_unique<Naming>();
}

} // namespace supc::lint
