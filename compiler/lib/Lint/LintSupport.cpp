// The helpers rules use to point at things and to name them (Rule.h).
#include "supc/lint/Rule.h"

#include <fmt/format.h>
#include <llvm/Support/Casting.h>

namespace supc::lint {

Rule::~Rule() = default;
LintContext::~LintContext() = default;

SourceRange declSite(const Node& node) {
    return node.decl ? node.decl->nameRange : SourceRange();
}

SourceRange childSite(const Node& node) {
    if (node.childDecl)
        return node.childDecl->id.range;
    if (node.isTemplate && node.parent) {
        const Node& owner = *node.parent;
        if (auto* dyn = llvm::dyn_cast_or_null<ir::DynamicSupervisorDecl>(owner.decl))
            return dyn->templRange;
        // A C++ supervisor (std.Pool): the `of = Kind` argument, else the owner itself.
        if (const ir::WorkerDecl* w = owner.workerDecl())
            if (const ir::Param* p = w->templateParam())
                if (const NodeArg* a = owner.arg(p->name); a && a->range.isValid())
                    return a->range;
        return childSite(owner);
    }
    return declSite(node);
}

std::string childName(const Node& node) {
    if (node.isTemplate)
        return fmt::format("the template of '{}'", node.parent && node.parent->decl
                                                       ? node.parent->decl->name
                                                       : std::string());
    if (node.childDecl && !node.childDecl->id.isPlain()) {
        std::string_view text = node.childDecl->id.range.text();
        if (text.size() >= 2 && text.front() == '"' && text.back() == '"')
            text = text.substr(1, text.size() - 2);
        return fmt::format("'{}'", text);
    }
    return fmt::format("'{}'", node.id);
}

std::optional<FixIt> addSupervisorSetting(const Node& supervisor, std::string_view setting) {
    const ir::KindDecl* decl = supervisor.decl;
    if (!decl)
        return std::nullopt;
    const char* first = nullptr;
    auto consider = [&](SourceRange r) {
        if (r.isValid() && (!first || r.begin.getPointer() < first))
            first = r.begin.getPointer();
    };
    for (const auto& s : decl->settings.settings)
        consider(s.range);
    if (auto* sup = llvm::dyn_cast<ir::SupervisorDecl>(decl))
        for (const auto& item : sup->body) {
            if (auto* c = llvm::dyn_cast<ir::ChildDecl>(item.get()))
                consider(c->range);
            if (auto* l = llvm::dyn_cast<ir::Loop>(item.get()))
                consider(l->range);
        }
    if (!first)
        return std::nullopt;
    // The item's indentation, when it starts its line.
    const char* lineStart = first;
    const char* bufferStart = decl->range.begin.getPointer();
    while (lineStart > bufferStart && lineStart[-1] != '\n')
        --lineStart;
    bool startsLine = true;
    for (const char* p = lineStart; p < first; ++p)
        startsLine &= *p == ' ' || *p == '\t';
    std::string text(setting);
    text += startsLine ? "\n" + std::string(lineStart, first) : std::string(" ");
    return FixIt{SourceRange::fromPointers(first, first), std::move(text)};
}

std::optional<AutoShutdown> declaredAutoShutdown(const Node& node) {
    if (!node.isTemplate || node.supervisor || !node.decl)
        return std::nullopt;
    const ir::Setting* s = node.decl->settings.find(SettingKey::AutoShutdown);
    auto* literal = s ? llvm::dyn_cast_or_null<ir::LiteralExpr>(s->value.get()) : nullptr;
    if (!literal || literal->value.isError())
        return std::nullopt;
    return AutoShutdown(literal->value.enumIndex());
}

} // namespace supc::lint
