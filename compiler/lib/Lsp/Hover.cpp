// textDocument/hover: what a name is, a child's effective settings and where each comes
// from, a kind's parameters, an error code's explanation.
#include "Protocol.h"
#include "supc/EffectiveSettings.h"
#include "supc/ErrorCatalog.h"
#include "supc/TextEscape.h"
#include "supc/lint/Lint.h"

#include <cctype>
#include <fmt/format.h>

namespace supc::lsp {

namespace json = llvm::json;

namespace {

std::string code(std::string_view text) {
    std::string t = toValidUtf8(text);
    size_t ticks = 1;
    for (size_t run = 0, i = 0; i < t.size(); ++i) {
        run = t[i] == '`' ? run + 1 : 0;
        ticks = std::max(ticks, run + 1);
    }
    std::string fence(ticks, '`');
    return fence + (t.empty() || t.front() == '`' ? " " : "") + t +
           (t.empty() || t.back() == '`' ? " " : "") + fence;
}

// Where a setting's value comes from, in words.
std::string origin(SettingOrigin o, const ir::Setting* s, const ir::KindDecl* kind,
                   const ir::KindDecl* owner, Locator& loc) {
    auto line = [&](const ir::Setting* st) {
        auto r = st ? loc.range(st->range) : std::nullopt;
        return r ? fmt::format(" (line {})", r->start.line + 1) : std::string();
    };
    switch (o) {
    case SettingOrigin::Explicit:
        return owner ? fmt::format("its own block, {}{}", code(owner->name), line(s))
                     : "this child's block" + line(s);
    case SettingOrigin::KindDefault:
        return kind ? fmt::format("the kind {}{}", code(kind->qualifiedName), line(s))
                    : "the kind passed";
    case SettingOrigin::Component:
        return "the standard component";
    case SettingOrigin::Default:
        return "the language default";
    }
    return {};
}

template <class T>
void tableRow(std::string& out, std::string_view setting, const Resolved<T>& r,
              const ir::KindDecl* kind, const ir::KindDecl* owner, Locator& loc) {
    out += fmt::format("| `{}` | {} | {} |\n", setting, code(settingText(r.value)),
                       origin(r.origin, r.setting, kind, owner, loc));
}

template <class T>
void tableRow(std::string& out, std::string_view setting, const EffectiveSetting<T>& e,
              const ir::KindDecl* kind, const ir::KindDecl* owner, Locator& loc) {
    std::string value = e.setting ? code(e.setting->valueRange.text()) : code(settingText(e.value));
    out += fmt::format("| `{}` | {} | {} |\n", setting, value,
                       origin(e.origin, e.setting, kind, owner, loc));
}

const char* kTableHead = "| setting | value | from |\n|---|---|---|\n";

std::string signature(const ir::Decl& d) {
    std::string out = std::string(d.kindName() == "worker kind" ? "worker" : d.kindName());
    if (d.kind() == ir::Decl::Kind::DynamicSupervisor)
        out = "dynamic_supervisor";
    out += " " + d.qualifiedName;
    if (auto* c = llvm::dyn_cast<ir::ConstDecl>(&d)) {
        out = "const " + d.qualifiedName + ": " + c->type->str();
        if (c->isEnv)
            out += fmt::format(" = env(\"{}\", {})", c->envVar,
                               c->envDefault ? std::string(c->envDefault->range().text()) : "");
        else if (c->init)
            out += " = " + std::string(c->init->range().text());
        return out;
    }
    const auto& k = llvm::cast<ir::KindDecl>(d);
    if (!k.params.empty()) {
        out += "(";
        for (size_t i = 0; i < k.params.size(); ++i) {
            const auto& p = k.params[i];
            out += (i ? ", " : "") + p.name + ": " + p.type->str();
            if (p.defaultValue)
                out += " = " + std::string(p.defaultValue->range().text());
        }
        out += ")";
    }
    if (auto* w = llvm::dyn_cast<ir::WorkerDecl>(&k))
        out += fmt::format(" = \"{}\" from \"{}\"", w->cppType, w->header);
    if (auto* dyn = llvm::dyn_cast<ir::DynamicSupervisorDecl>(&k))
        if (dyn->templ)
            out += " of " + std::string(dyn->templ->range().text());
    return out;
}

void supervisorTable(std::string& out, const SupervisorSettings& s, const ir::KindDecl* owner,
                     Locator& loc, bool dynamic) {
    forEachSupervisorSetting([&](const auto& row) {
        if (appliesTo(row.info(), dynamic))
            tableRow(out, row.info().name, s.*row.field, nullptr, owner, loc);
    });
}

std::string declHover(const ir::Decl& d, Locator& loc) {
    std::string out = "```sup\n" + toValidUtf8(signature(d)) + "\n```\n";
    out += fmt::format("{} {}", d.kindName(), code(d.qualifiedName));
    if (d.module && d.module->isStdlib)
        out += " (standard library)";
    out += "\n";
    auto* k = llvm::dyn_cast<ir::KindDecl>(&d);
    if (!k) {
        auto* c = llvm::cast<ir::ConstDecl>(&d);
        if (c->value)
            out += fmt::format(
                "\nvalue: {}{}\n", code(c->value->str()),
                c->dependsOnStartup ? " (with env() at its default; read at start-up)" : "");
        return out;
    }
    if (!k->params.empty()) {
        out += "\n| parameter | type | default |\n|---|---|---|\n";
        for (const auto& p : k->params)
            out += fmt::format("| `{}` | {} | {} |\n", p.name, code(p.type->str()),
                               p.defaultValue   ? code(p.defaultValue->range().text())
                               : p.isRequired() ? std::string("required")
                                                : std::string("none (optional)"));
    }
    if (llvm::isa<ir::WorkerDecl>(k)) {
        if (!k->settings.settings.empty()) {
            out += "\ndefaults for its children:\n\n";
            for (const auto& s : k->settings.settings)
                out += "- " + code(s.range.text()) + "\n";
        }
    } else if (!d.failed) {
        out += std::string("\n") + kTableHead;
        bool dynamic = k->kind() == ir::Decl::Kind::DynamicSupervisor;
        forEachSupervisorSetting([&](const auto& row) {
            if (appliesTo(row.info(), dynamic))
                tableRow(out, row.info().name, effectiveSupervisorSetting(row, *k), nullptr, k,
                         loc);
        });
    }
    return out;
}

const ir::KindDecl* kindOf(const ir::ChildDecl& c) {
    if (auto* k = llvm::dyn_cast_or_null<ir::KindInstanceExpr>(c.kind.get()))
        return k->decl;
    return nullptr;
}

std::string childHover(const Analysis& a, const ir::ChildDecl& c, const ir::Decl* owner,
                       Locator& loc) {
    std::string out =
        fmt::format("child {} = {}", code(c.id.range.text()), code(c.kindRange.text()));
    if (owner)
        out += fmt::format(" in {}", code(owner->qualifiedName));
    out += "\n\n";
    const ir::KindDecl* kind = kindOf(c);
    const auto* sup = llvm::dyn_cast_or_null<ir::KindDecl>(owner);
    if (const Node* n = a.nodeOf(&c)) {
        out += fmt::format("effective settings of `{}` ({}):\n\n", toValidUtf8(n->path()),
                           name(n->kind));
        out += kTableHead;
        forEachChildSetting([&](const auto& row) {
            tableRow(out, row.info().name, (*n).*row.field, kind, nullptr, loc);
        });
        if (!n->needs.empty()) {
            std::string ids;
            for (const auto& need : n->needs)
                ids += (ids.empty() ? "" : ", ") + need.id;
            out += fmt::format("| `needs` | {} | this child's block |\n", code(ids));
        }
        if (n->supervisor && n->isDeclaredSupervisor())
            supervisorTable(out, *n->supervisor, n->decl, loc,
                            n->kind == NodeKind::DynamicSupervisor);
        if (!n->args.empty()) {
            out += "\n| argument | value | from |\n|---|---|---|\n";
            for (const auto& arg : n->args)
                out += fmt::format("| `{}` | {} | {} |\n", arg.param ? arg.param->name : "",
                                   code(arg.value.str()),
                                   arg.explicitArg ? "this child" : "the parameter's default");
        }
        return out;
    }
    // Not in any elaborated tree (its supervisor is not a root, or errors kept it out):
    // what the declarations say.
    out += "settings (not elaborated: values that depend on arguments are shown as written):\n\n";
    out += kTableHead;
    forEachChildSetting([&](const auto& row) {
        tableRow(out, row.info().name, effectiveChildSetting(row, &c.settings, kind), kind, nullptr,
                 loc);
    });
    (void)sup;
    return out;
}

// The word (letters, digits, '_') around `offset`.
std::string_view wordAt(std::string_view text, size_t offset, size_t* begin = nullptr) {
    size_t b = std::min(offset, text.size()), e = b;
    auto ident = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
    while (b > 0 && ident(text[b - 1]))
        --b;
    while (e < text.size() && ident(text[e]))
        ++e;
    if (begin)
        *begin = b;
    return text.substr(b, e - b);
}

const ir::ChildDecl* findChildAt(const std::vector<ir::BodyItemPtr>& items, const char* p) {
    for (const auto& i : items) {
        if (auto* c = llvm::dyn_cast<ir::ChildDecl>(i.get())) {
            if (c->range.begin.getPointer() <= p && p <= c->range.end.getPointer())
                return c;
        } else if (auto* l = llvm::dyn_cast<ir::Loop>(i.get())) {
            if (const ir::ChildDecl* c = findChildAt(l->body, p))
                return c;
        }
    }
    return nullptr;
}

} // namespace

json::Value hover(const Analysis& a, Locator& loc, Position pos) {
    size_t offset = loc.entryOffset(pos);
    std::string_view text = a.text();
    std::string out;
    std::optional<Range> range;

    // An error code under the cursor (a suppression comment's `L002`).
    lint::registerRuleCatalog();
    size_t wb = 0;
    std::string_view word = wordAt(text, offset, &wb);
    if (word.size() == 4 && (word[0] == 'E' || word[0] == 'L'))
        if (const CodeInfo* info = findCode(word)) {
            out = fmt::format("**{}** {}\n\n```text\n{}```\n", info->code, info->title,
                              renderExplanation(*info, false));
            range = Range{loc.entryPosition(wb), loc.entryPosition(wb + word.size())};
        }

    const char* p = text.data() + std::min(offset, text.size());
    if (out.empty()) {
        if (const Occurrence* o = a.occurrenceAt(offset)) {
            range = loc.range(o->range);
            const Symbol& s = o->symbol;
            switch (s.kind) {
            case Symbol::Kind::Decl:
                out = declHover(*s.decl, loc);
                break;
            case Symbol::Kind::Param:
                out = fmt::format("```sup\n{}: {}{}\n```\nparameter of {} {}\n", s.param->name,
                                  s.param->type->str(),
                                  s.param->defaultValue
                                      ? " = " + std::string(s.param->defaultValue->range().text())
                                      : std::string(),
                                  s.decl->kindName(), code(s.decl->qualifiedName));
                break;
            case Symbol::Kind::LoopVar:
                out = fmt::format("loop variable {}: `int`, from {} to {}\n", code(s.loop->var),
                                  code(s.loop->from ? s.loop->from->range().text() : ""),
                                  code(s.loop->to ? s.loop->to->range().text() : ""));
                break;
            case Symbol::Kind::Child:
                out = childHover(a, *s.child, s.decl, loc);
                break;
            case Symbol::Kind::Module:
                out = fmt::format("import of {} (`{}`){}\n", code(s.module->canonicalPath),
                                  s.module->name,
                                  s.module->isStdlib ? ", from the stdlib directory" : "");
                break;
            }
        }
    }
    // A setting's name: what it takes.
    if (out.empty() && !word.empty())
        if (const SettingInfo* si = findSetting(word)) {
            size_t after = wb + word.size();
            while (after < text.size() && (text[after] == ' ' || text[after] == '\t'))
                ++after;
            if (after < text.size() && text[after] == '=') {
                out = fmt::format("setting {}: {}\n", code(si->name), si->expected);
                if (!si->doc.empty())
                    out += fmt::format("\n{}\n", si->doc);
                range = Range{loc.entryPosition(wb), loc.entryPosition(wb + word.size())};
            }
        }
    // Anywhere else in a child: its settings.
    if (out.empty() && a.program && a.program->entry)
        for (const auto& d : a.program->entry->decls)
            if (auto* sup = llvm::dyn_cast<ir::SupervisorDecl>(d.get()))
                if (const ir::ChildDecl* c = findChildAt(sup->body, p)) {
                    out = childHover(a, *c, sup, loc);
                    range = loc.range(c->id.range);
                    break;
                }

    // The diagnostics at the cursor: their codes explained.
    std::string explained;
    for (const auto& d : a.diagnostics) {
        long b = a.entryOffset(d.range.begin), e = a.entryOffset(d.range.end);
        if (b < 0 || size_t(b) > offset || offset > size_t(std::max(b, e)) || d.code.empty())
            continue;
        if (const CodeInfo* info = findCode(d.code);
            info && explained.find(d.code) == explained.npos)
            explained +=
                fmt::format("\n---\n**{}** {}\n\n{}\n", info->code, info->title, info->explanation);
    }
    out += explained;
    if (out.empty())
        return nullptr;
    json::Object result{{"contents", json::Object{{"kind", "markdown"}, {"value", out}}}};
    if (range)
        result["range"] = toJson(*range);
    return result;
}

} // namespace supc::lsp
