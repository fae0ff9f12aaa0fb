// Declarations: each file's names (packages, duplicates), parameter types and defaults,
// worker kinds, supervisors and dynamic supervisors.
#include "Sema/Resolver.h"
#include "supc/CppSyntax.h"
#include "supc/SettingsCheck.h"

#include <algorithm>

namespace supc::sema {

using llvm::cast;
using llvm::dyn_cast;
using llvm::dyn_cast_or_null;
using llvm::isa;

void Resolver::declare(LoadedFile& file) {
    ir::Module& m = *file.module;
    const ast::Decl* firstDecl = file.ast->decls.empty() ? nullptr : file.ast->decls[0].get();
    const ast::PackageDecl* package = nullptr;
    size_t importIndex = 0;
    for (const auto& dp : file.ast->decls) {
        const ast::Decl* d = dp.get();
        if (auto* p = dyn_cast<ast::PackageDecl>(d)) {
            if (package) {
                diag_.error(ErrorCode::E009, p->range(), "a file has at most one 'package'")
                    .note("the first 'package' is here", package->range());
                continue;
            }
            package = p;
            m.package = p->package.parts;
            m.packageRange = p->range();
            if (d != firstDecl)
                diag_
                    .error(ErrorCode::E009, p->range(),
                           "'package' must be the first declaration of the file")
                    .note("move it above this declaration", firstDecl->range());
            continue;
        }
        if (auto* i = dyn_cast<ast::ImportDecl>(d)) {
            ir::Import imp;
            imp.path = i->path;
            imp.range = i->range();
            imp.module =
                importIndex < file.importTargets.size() ? file.importTargets[importIndex] : nullptr;
            ++importIndex;
            imp.name = imp.module ? imp.module->name : std::string();
            // An import that failed (reported by the loader), or of a file with names
            // missing: what this file sees is incomplete.
            if (!imp.module || imp.module->namesIncomplete)
                m.namesIncomplete = true;
            if (imp.module)
                m.imports.push_back(std::move(imp));
            continue;
        }
        std::unique_ptr<ir::Decl> decl;
        switch (d->kind()) {
        case ast::Decl::Kind::Const:
            decl = std::make_unique<ir::ConstDecl>();
            break;
        case ast::Decl::Kind::Worker:
            decl = std::make_unique<ir::WorkerDecl>();
            break;
        case ast::Decl::Kind::Supervisor:
            decl = std::make_unique<ir::SupervisorDecl>(false);
            break;
        case ast::Decl::Kind::Application:
            decl = std::make_unique<ir::SupervisorDecl>(true);
            break;
        case ast::Decl::Kind::DynamicSupervisor:
            decl = std::make_unique<ir::DynamicSupervisorDecl>();
            break;
        default:
            continue;
        }
        decl->name = d->name;
        decl->module = &m;
        decl->qualifiedName = (&m == program_.entry) ? d->name : m.name + "." + d->name;
        decl->range = d->range();
        decl->keywordRange = d->keywordRange;
        decl->nameRange = d->nameRange;
        if (const ir::Decl* previous = m.find(d->name)) {
            diag_.error(ErrorCode::E010, d->nameRange, "'{}' is already declared", d->name)
                .note(fmt::format("the first declaration of '{}' is here", d->name),
                      previous->nameRange);
            // The first declaration wins, but it may not be the one its users meant.
            const_cast<ir::Decl*>(previous)->failed = true;
            continue;
        }
        astOf_[decl.get()] = d;
        if (auto* c = dyn_cast<ir::ConstDecl>(decl.get()))
            constState_[c] = ConstState::Unresolved;
        if (auto* w = dyn_cast<ir::WorkerDecl>(decl.get()); w && m.isStdlib && m.name == "std") {
            if (w->name == "Registry")
                w->stdKind = ir::StdKind::Registry;
            if (w->name == "TaskSupervisor")
                w->stdKind = ir::StdKind::TaskSupervisor;
            if (w->name == "PartitionSupervisor")
                w->stdKind = ir::StdKind::PartitionSupervisor;
            if (w->name == "Pool")
                w->stdKind = ir::StdKind::Pool;
        }
        m.decls.push_back(std::move(decl));
        m.byName.emplace(m.decls.back()->name, m.decls.back().get());
    }
    if (file.ast->namesIncomplete)
        m.namesIncomplete = true;
    for (const auto& d : file.ast->dropped)
        declareDropped(m, d);
}

// A declaration dropped after a syntax error: its name is declared, so that its uses are
// known not to be typos; they fail quietly (quietUse).
void Resolver::declareDropped(ir::Module& m, const ast::DroppedDecl& d) {
    if (d.name.empty() || m.find(d.name))
        return; // the declaration parsed elsewhere is the one used
    std::unique_ptr<ir::Decl> decl;
    switch (d.kind) {
    case ast::Decl::Kind::Const:
        decl = std::make_unique<ir::ConstDecl>(); // of the error type: its uses are quiet
        break;
    case ast::Decl::Kind::Worker:
        decl = std::make_unique<ir::WorkerDecl>();
        break;
    case ast::Decl::Kind::Supervisor:
        decl = std::make_unique<ir::SupervisorDecl>(false);
        break;
    case ast::Decl::Kind::Application:
        decl = std::make_unique<ir::SupervisorDecl>(true);
        break;
    case ast::Decl::Kind::DynamicSupervisor:
        decl = std::make_unique<ir::DynamicSupervisorDecl>();
        break;
    default:
        return;
    }
    decl->name = d.name;
    decl->module = &m;
    decl->qualifiedName = (&m == program_.entry) ? d.name : m.name + "." + d.name;
    decl->range = SourceRange::join(d.keywordRange, d.nameRange);
    decl->keywordRange = d.keywordRange;
    decl->nameRange = d.nameRange;
    decl->dropped = true;
    decl->failed = true;
    if (auto* c = llvm::dyn_cast<ir::ConstDecl>(decl.get()))
        constState_[c] = ConstState::Done;
    m.decls.push_back(std::move(decl));
    m.byName.emplace(m.decls.back()->name, m.decls.back().get());
}

Scope Resolver::declScope(const ir::KindDecl& decl) const {
    Scope s;
    s.module = decl.module;
    s.owner = &decl;
    s.params = &decl.params;
    s.visibleParams = decl.params.size();
    return s;
}

const Type* Resolver::resolveType(const ast::TypeRef& t) {
    static const std::vector<std::string> kTypeNames = {"int",  "duration", "string", "bool",
                                                        "kind", "list",     "enum"};
    const Type* base = nullptr;
    switch (t.form) {
    case ast::TypeRef::Form::Simple:
        if (t.name == "int")
            base = Type::intType();
        else if (t.name == "duration")
            base = Type::durationType();
        else if (t.name == "string")
            base = Type::stringType();
        else if (t.name == "bool")
            base = Type::boolType();
        else if (t.name == "kind")
            base = Type::kindType();
        else if (t.name == "list") {
            diag_.error(ErrorCode::E040, t.range,
                        "'list' needs an element type, such as list<int>");
            return Type::errorType();
        } else if (t.name == "enum") {
            diag_.error(ErrorCode::E040, t.range,
                        "'enum' needs its values, such as enum(unique, duplicate)");
            return Type::errorType();
        } else {
            auto b = diag_.error(ErrorCode::E040, t.nameRange, "unknown type '{}'", t.name);
            b.note("types are int, duration, string, bool, kind, list<T>, enum(a, b, ...) and "
                   "T? (optional)");
            // `integer`, `Duration`, `str`: suggest even for looser matches than usual.
            std::optional<std::string> guess = closestMatch(t.name, kTypeNames);
            static const std::pair<std::string_view, std::string_view> kAliases[] = {
                {"integer", "int"},   {"str", "string"},    {"boolean", "bool"},
                {"Int", "int"},       {"String", "string"}, {"Bool", "bool"},
                {"time", "duration"}, {"i64", "int"},       {"number", "int"}};
            for (auto [alias, real] : kAliases)
                if (alias == t.name)
                    guess = std::string(real);
            if (guess) {
                b.note(fmt::format("did you mean '{}'?", *guess));
                b.fixIt(t.nameRange, *guess);
            }
            return Type::errorType();
        }
        break;
    case ast::TypeRef::Form::Generic:
        if (t.name != "list") {
            diag_.error(ErrorCode::E040, t.nameRange,
                        "unknown type '{}<...>'; only list takes an element type", t.name);
            return Type::errorType();
        }
        base = Type::listOf(resolveType(*t.argument));
        if (base->element()->isError())
            return Type::errorType();
        break;
    case ast::TypeRef::Form::Enum: {
        if (t.name != "enum") {
            diag_.error(ErrorCode::E040, t.nameRange,
                        "unknown type '{}(...)'; enumerations are written enum(a, b, ...)", t.name);
            return Type::errorType();
        }
        std::vector<std::string> values;
        for (const auto& [v, r] : t.enumerators) {
            if (std::find(values.begin(), values.end(), v) != values.end()) {
                diag_.error(ErrorCode::E010, r, "'{}' appears twice in this enum", v);
                continue;
            }
            values.push_back(v);
        }
        base = Type::enumOf(std::move(values));
        break;
    }
    }
    return t.optional ? Type::optionalOf(base) : base;
}

void Resolver::resolveParamTypes(ir::KindDecl& decl, const std::vector<ast::Param>& params) {
    decl.params.reserve(params.size());
    for (const auto& a : params) {
        if (const ir::Param* previous = decl.findParam(a.name)) {
            diag_.error(ErrorCode::E010, a.nameRange, "parameter '{}' is declared twice", a.name)
                .note("the first one is here", previous->nameRange);
            continue;
        }
        ir::Param p;
        p.name = a.name;
        p.type = resolveType(a.type);
        p.index = unsigned(decl.params.size());
        p.range = a.range;
        p.nameRange = a.nameRange;
        decl.params.push_back(std::move(p));
    }
}

void Resolver::resolveParamDefaults(ir::KindDecl& decl, const std::vector<ast::Param>& params) {
    Scope s;
    s.module = decl.module;
    s.owner = &decl;
    s.params = &decl.params;
    for (const auto& a : params) {
        if (!a.defaultValue)
            continue;
        ir::Param* p = nullptr;
        for (auto& candidate : decl.params)
            if (candidate.name == a.name && candidate.range == a.range)
                p = &candidate;
        if (!p)
            continue; // a duplicate
        s.visibleParams = p->index;
        Expect e{p->type, fmt::format("the default of parameter '{}'", p->name), ""};
        e.enumFor = fmt::format("parameter '{}'", p->name);
        p->defaultValue = resolveExpr(*a.defaultValue, e, s);
        if (p->defaultValue->type()->kind() == TypeKind::Kind)
            diag_
                .error(ErrorCode::E016, a.defaultValue->range(),
                       "a 'kind' parameter cannot have a default")
                .note("pass the kind where the declaration is used");
    }
}

void Resolver::resolveWorker(ir::WorkerDecl& decl, const ast::WorkerDecl& a) {
    if (a.isProgram) {
        resolveProgram(decl, a);
        return;
    }
    decl.cppType = a.cppType;
    decl.cppTypeRange = a.cppTypeRange;
    decl.header = a.header;
    decl.headerRange = a.headerRange;
    // Both reach the generated C++ as written: they must be what C++ accepts there.
    if (auto problem = cpp::classNameProblem(decl.cppType))
        diag_
            .error(ErrorCode::E043, a.cppTypeRange,
                   "the C++ type of worker '{}' is not a C++ class name: {}", decl.name, *problem)
            .note("write the class's name, qualified by its namespaces: \"my_app::Cache\"");
    if (auto problem = cpp::includePathProblem(decl.header))
        diag_.error(ErrorCode::E044, a.headerRange,
                    "the header of worker '{}' cannot be #included: {}", decl.name, *problem);
    Scope s = declScope(decl);
    Place place{InWorkerDecl, &decl, nullptr, nullptr};
    for (const auto& st : a.settings)
        resolveSetting(st, place, s, decl.settings);
    if (const ir::Setting* type = decl.settings.find(SettingKey::Type))
        if (auto* lit = dyn_cast_or_null<ir::LiteralExpr>(type->value.get()))
            decl.childType =
                lit->value.enumIndex() == 0 ? ChildType::Worker : ChildType::Supervisor;
}

void Resolver::resolveSupervisor(ir::SupervisorDecl& decl, const ast::SupervisorDecl& a) {
    Scope s = declScope(decl);
    resolveBody(a.body, decl.body, s, decl, /*inLoop=*/false);
    reportElixirFlags(decl.settings);
}

void Resolver::resolveDynamic(ir::DynamicSupervisorDecl& decl,
                              const ast::DynamicSupervisorDecl& a) {
    Scope s = declScope(decl);
    decl.templRange = a.templ.range;
    decl.templ =
        resolveKindUse(a.templ, s, /*allowOpen=*/true, "the template of a dynamic supervisor");
    const ir::KindDecl* templDecl = nullptr;
    if (auto* k = dyn_cast<ir::KindInstanceExpr>(decl.templ.get()))
        templDecl = k->decl;

    Place place{InDynamicSupervisor, &decl, nullptr, templDecl};
    bool reportedChildren = false;
    for (const auto& item : a.body) {
        if (auto* st = dyn_cast<ast::SettingItem>(item.get())) {
            resolveSetting(st->setting, place, s, decl.settings);
            continue;
        }
        if (reportedChildren)
            continue;
        reportedChildren = true;
        SourceRange where = item->range();
        if (auto* c = dyn_cast<ast::ChildDecl>(item.get()))
            where = c->keywordRange;
        if (auto* l = dyn_cast<ast::ForLoop>(item.get()))
            where = l->keywordRange;
        auto b = diag_.error(ErrorCode::E031, where,
                             "dynamic supervisor '{}' cannot have children of its own", decl.name);
        b.note(fmt::format("its children are started at run time from its template '{}'",
                           a.templ.name.str()),
               a.templ.range);
        b.note("use a 'supervisor' for a fixed set of children");
    }
    reportElixirFlags(decl.settings);
}

} // namespace supc::sema
