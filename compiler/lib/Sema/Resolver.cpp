#include "Sema/Resolver.h"

#include "Parse/AstBuilder.h"
#include "supc/EditDistance.h"
#include "supc/Evaluator.h"
#include "supc/Limits.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

namespace supc::sema {

using llvm::cast;
using llvm::dyn_cast;
using llvm::dyn_cast_or_null;
using llvm::isa;

bool isValidChildId(std::string_view id) {
    if (id.empty())
        return false;
    for (char c : id)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '.'))
            return false;
    return true;
}

namespace {

// ------------------------------------------------------------------ helpers

std::string inQuotes(std::string_view s) {
    return "'" + std::string(s) + "'";
}

std::string joinPlain(const std::vector<std::string>& names) {
    std::string out;
    for (size_t i = 0; i < names.size(); ++i)
        out += (i ? ", " : "") + names[i];
    return out;
}

// `brutal-kill`: names joined by '-', as people write enumerated values by mistake.
// Returns the words joined by '_' ("brutal_kill").
std::optional<std::string> dashedWords(const ast::Expr& e) {
    if (auto* n = dyn_cast<ast::NameExpr>(&e))
        return n->name.isSimple() ? std::optional<std::string>(n->name.parts[0]) : std::nullopt;
    auto* b = dyn_cast<ast::BinaryExpr>(&e);
    if (!b || b->op != ast::BinaryOp::Sub)
        return std::nullopt;
    auto l = dashedWords(*b->lhs);
    auto r = dashedWords(*b->rhs);
    if (!l || !r)
        return std::nullopt;
    return *l + "_" + *r;
}

const Type* stripOptional(const Type* t) {
    return t && t->kind() == TypeKind::Optional ? t->element() : t;
}

bool isSupervisorLike(const ir::Decl* d) {
    return d && (isa<ir::SupervisorDecl>(d) || isa<ir::DynamicSupervisorDecl>(d));
}

/// What is expected of an expression, for typing and for messages.
struct Expect {
    Expect(const Type* t = nullptr, std::string w = "", std::string noun = "")
        : type(t), what(std::move(w)), enumNoun(std::move(noun)) {}
    const Type* type = nullptr; // null: infer
    std::string what;           // "argument 'ttl' of 'Cache'"
    std::string enumNoun;       // "restart type": used in "unknown restart type 'x'"
    std::string enumFor;        // "parameter 'keys' of 'std.Registry'": "unknown value 'x' for ..."
};

struct Scope {
    const ir::Module* module = nullptr;
    const ir::KindDecl* owner = nullptr;
    const std::vector<ir::Param>* params = nullptr;
    size_t visibleParams = 0;
    std::vector<const ir::Loop*> loops;
};

struct Symbol {
    enum class Kind { None, Param, LoopVar, Const, Decl, Module, Ambiguous };
    Kind kind = Kind::None;
    const ir::Param* param = nullptr;
    const ir::Loop* loop = nullptr;
    const ir::Decl* decl = nullptr;
    const ir::Module* module = nullptr;
    std::vector<const ir::Decl*> candidates;
    bool unknownModule = false; // `x.Y` where no import is named x
    bool laterParam = false;    // a parameter declared after the one whose default uses it
};

struct EdgeInfo {
    const ir::KindDecl* to;
    SourceRange range;
    std::string childId;
};

enum class ConstState { Unresolved, InProgress, Done };

// Where settings are being resolved, for precise "misplaced setting" messages.
struct Place {
    SettingPlace place;
    const ir::KindDecl* owner = nullptr;     // the declaration
    const ir::KindDecl* childKind = nullptr; // InChild: the child's kind
    const ir::KindDecl* templ = nullptr;     // InDynamicSupervisor: the template's kind
};

// ------------------------------------------------------------------ the resolver

class Resolver {
public:
    Resolver(DiagnosticEngine& diag, ir::Program& program) : diag_(diag), program_(program) {
        evalCtx_.constant = [](const ir::ConstDecl& c) { return c.value; };
    }

    void run(std::vector<LoadedFile>& files, const ir::Module* entry);

private:
    // phases
    void declare(LoadedFile& file);
    void resolveParamTypes(ir::KindDecl& decl, const std::vector<ast::Param>& params);
    void resolveParamDefaults(ir::KindDecl& decl, const std::vector<ast::Param>& params);
    void resolveWorker(ir::WorkerDecl& decl, const ast::WorkerDecl& a);
    void resolveSupervisor(ir::SupervisorDecl& decl, const ast::SupervisorDecl& a);
    void resolveDynamic(ir::DynamicSupervisorDecl& decl, const ast::DynamicSupervisorDecl& a);
    void ensureConst(ir::ConstDecl& c, SourceRange usedAt);
    void resolveConst(ir::ConstDecl& c);
    void findSupervisionCycles();

    // pieces
    const Type* resolveType(const ast::TypeRef& t);
    Symbol lookup(const ast::QualifiedName& name, const Scope& s);
    ir::ExprPtr resolveExpr(const ast::Expr& e, const Expect& expect, Scope& s);
    ir::ExprPtr resolveInner(const ast::Expr& e, const Expect& expect, Scope& s);
    ir::ExprPtr resolveName(const ast::NameExpr& e, const Expect& expect, Scope& s);
    ir::ExprPtr resolveCall(const ast::CallExpr& e, const Expect& expect, Scope& s);
    ir::ExprPtr resolveBinary(const ast::BinaryExpr& e, Scope& s);
    void reportMismatch(const ast::Expr& e, const Expect& expect, const Type* found);
    void reportUnknownValue(const ast::QualifiedName& name, const Symbol& sym, const Scope& s,
                            std::string_view what);
    ir::ExprPtr kindInstance(const ir::KindDecl& decl, const std::vector<ast::Arg>& args,
                             SourceRange useRange, Scope& s, bool allowOpen);
    ir::ExprPtr resolveKindUse(const ast::KindRef& ref, Scope& s, bool allowOpen,
                               std::string_view role);
    void resolveBody(const std::vector<ast::BodyItemPtr>& items, std::vector<ir::BodyItemPtr>& out,
                     Scope& s, ir::SupervisorDecl& owner, bool inLoop);
    std::unique_ptr<ir::ChildDecl> resolveChild(const ast::ChildDecl& a, Scope& s);
    std::unique_ptr<ir::Loop> resolveLoop(const ast::ForLoop& a, Scope& s,
                                          ir::SupervisorDecl& owner);
    ir::IdTemplate resolveIdTemplate(const ast::IdTemplate& a, Scope& s, std::string_view role);
    void resolveSetting(const ast::Setting& a, const Place& place, Scope& s, ir::SettingList& list);
    void reportMisplaced(const ast::Setting& a, const SettingInfo& info, const Place& place);
    bool resolveSettingValue(const ast::Setting& a, const SettingInfo& info, Scope& s,
                             ir::Setting& out);
    ir::ExprPtr resolveEnumSetting(const ast::Setting& a, const Type* type, std::string_view noun,
                                   Scope& s);

    std::optional<Value> constant(const ir::Expr& e) {
        if (!e.isConstant() || e.type()->isError())
            return std::nullopt;
        return evaluate(e, evalCtx_, &diag_);
    }

    std::vector<std::string> valueCandidates(const Scope& s) const;
    std::vector<std::string> kindCandidates(const Scope& s) const;

    DiagnosticEngine& diag_;
    ir::Program& program_;
    EvalContext evalCtx_;
    std::unordered_map<const ir::Decl*, const ast::Decl*> astOf_;
    std::unordered_map<const ir::ConstDecl*, ConstState> constState_;
    std::vector<const ir::ConstDecl*> constStack_;
    std::unordered_map<const ir::KindDecl*, std::vector<EdgeInfo>> edges_;
};

// ------------------------------------------------------------------ phases

void Resolver::run(std::vector<LoadedFile>& files, const ir::Module* entry) {
    program_.entry = entry;
    for (auto& f : files)
        declare(f);
    for (auto& f : files)
        program_.modules.push_back(std::move(f.module));

    std::vector<std::pair<ir::KindDecl*, const ast::Decl*>> kinds;
    std::vector<ir::ConstDecl*> consts;
    for (auto& m : program_.modules)
        for (auto& d : m->decls) {
            if (auto* k = dyn_cast<ir::KindDecl>(d.get()))
                kinds.push_back({k, astOf_[k]});
            if (auto* c = dyn_cast<ir::ConstDecl>(d.get()))
                consts.push_back(c);
        }

    auto paramsOf = [](const ast::Decl* a) -> const std::vector<ast::Param>& {
        static const std::vector<ast::Param> none;
        if (auto* w = dyn_cast<ast::WorkerDecl>(a))
            return w->params;
        if (auto* s = dyn_cast<ast::SupervisorDecl>(a))
            return s->params;
        if (auto* d = dyn_cast<ast::DynamicSupervisorDecl>(a))
            return d->params;
        return none;
    };
    for (auto& [k, a] : kinds)
        resolveParamTypes(*k, paramsOf(a));
    for (auto* c : consts)
        ensureConst(*c, {});
    for (auto& [k, a] : kinds)
        resolveParamDefaults(*k, paramsOf(a));
    for (auto& [k, a] : kinds)
        if (auto* w = dyn_cast<ir::WorkerDecl>(k))
            resolveWorker(*w, *cast<ast::WorkerDecl>(a));
    for (auto& [k, a] : kinds) {
        if (auto* s = dyn_cast<ir::SupervisorDecl>(k))
            resolveSupervisor(*s, *cast<ast::SupervisorDecl>(a));
        else if (auto* d = dyn_cast<ir::DynamicSupervisorDecl>(k))
            resolveDynamic(*d, *cast<ast::DynamicSupervisorDecl>(a));
    }
    findSupervisionCycles();
}

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
            continue; // the first declaration wins
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
    decl.cppType = a.cppType;
    decl.cppTypeRange = a.cppTypeRange;
    decl.header = a.header;
    decl.headerRange = a.headerRange;
    if (decl.cppType.empty())
        diag_.error(ErrorCode::E016, a.cppTypeRange, "the C++ type of worker '{}' is empty",
                    decl.name);
    Scope s;
    s.module = decl.module;
    s.owner = &decl;
    s.params = &decl.params;
    s.visibleParams = decl.params.size();
    Place place{InWorkerDecl, &decl, nullptr, nullptr};
    for (const auto& st : a.settings)
        resolveSetting(st, place, s, decl.settings);
    if (const ir::Setting* type = decl.settings.find(SettingKey::Type))
        if (auto* lit = dyn_cast_or_null<ir::LiteralExpr>(type->value.get()))
            decl.childType =
                lit->value.enumIndex() == 0 ? ChildType::Worker : ChildType::Supervisor;
}

void Resolver::resolveSupervisor(ir::SupervisorDecl& decl, const ast::SupervisorDecl& a) {
    Scope s;
    s.module = decl.module;
    s.owner = &decl;
    s.params = &decl.params;
    s.visibleParams = decl.params.size();
    resolveBody(a.body, decl.body, s, decl, /*inLoop=*/false);
}

void Resolver::resolveDynamic(ir::DynamicSupervisorDecl& decl,
                              const ast::DynamicSupervisorDecl& a) {
    Scope s;
    s.module = decl.module;
    s.owner = &decl;
    s.params = &decl.params;
    s.visibleParams = decl.params.size();
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
    if (const ir::Setting* st = decl.settings.find(SettingKey::Strategy))
        if (auto v = constant(*st->value); v && v->enumIndex() != 0)
            diag_
                .error(ErrorCode::E024, st->valueRange,
                       "a dynamic supervisor's strategy is always one_for_one, found '{}'",
                       v->enumName())
                .note("children added at run time are independent of each other; use a "
                      "'supervisor' for one_for_all or rest_for_one")
                .fixIt(st->valueRange, "one_for_one");
}

void Resolver::ensureConst(ir::ConstDecl& c, SourceRange usedAt) {
    ConstState& state = constState_[&c];
    if (state == ConstState::Done)
        return;
    if (state == ConstState::InProgress) {
        std::string chain;
        auto it = std::find(constStack_.begin(), constStack_.end(), &c);
        for (auto k = it; k != constStack_.end(); ++k)
            chain += "'" + (*k)->name + "' -> ";
        chain += "'" + c.name + "'";
        auto b = diag_.error(ErrorCode::E036, usedAt.isValid() ? usedAt : c.nameRange,
                             "const '{}' is defined in terms of itself: {}", c.name, chain);
        for (auto k = it; k != constStack_.end(); ++k)
            b.note(fmt::format("'{}' is defined here", (*k)->name), (*k)->nameRange);
        return;
    }
    if (constStack_.size() >= 256) {
        diag_.error(ErrorCode::E004, usedAt, "consts refer to each other more than 256 deep");
        return;
    }
    state = ConstState::InProgress;
    constStack_.push_back(&c);
    resolveConst(c);
    constStack_.pop_back();
    constState_[&c] = ConstState::Done;
}

void Resolver::resolveConst(ir::ConstDecl& c) {
    const auto& a = *cast<ast::ConstDecl>(astOf_[&c]);
    Scope s;
    s.module = c.module;
    auto* call = dyn_cast<ast::CallExpr>(a.value.get());
    if (call && call->callee.isSimple() && call->callee.parts[0] == "env") {
        c.isEnv = true;
        c.dependsOnStartup = true;
        bool ok = call->args.size() == 2;
        for (const auto& arg : call->args)
            ok &= arg.name.empty();
        if (!ok) {
            diag_
                .error(ErrorCode::E034, call->range(),
                       "env() takes two arguments: the variable's name and its default")
                .note("for example: const pool_size = env(\"POOL_SIZE\", 10);");
            c.type = Type::errorType();
            return;
        }
        auto* name = dyn_cast<ast::StringLit>(call->args[0].value.get());
        if (!name || name->value.empty()) {
            auto b =
                diag_.error(ErrorCode::E034, call->args[0].value->range(),
                            "the first argument of env() must be the variable's name, a string");
            if (auto* n = dyn_cast<ast::NameExpr>(call->args[0].value.get()))
                b.fixIt(n->range(), "\"" + n->name.str() + "\"");
            c.type = Type::errorType();
            return;
        }
        c.envVar = name->value;
        c.envDefault =
            resolveExpr(*call->args[1].value, Expect{nullptr, "the default of env()", ""}, s);
        c.type = c.envDefault->type();
        if (c.type->isError())
            return;
        TypeKind k = c.type->kind();
        if (k != TypeKind::Int && k != TypeKind::Duration && k != TypeKind::String &&
            k != TypeKind::Bool) {
            diag_.error(ErrorCode::E034, call->args[1].value->range(),
                        "env() reads an int, a duration, a string or a bool, found {}",
                        c.type->describe());
            c.type = Type::errorType();
            return;
        }
        if (!c.envDefault->isConstant()) {
            diag_.error(ErrorCode::E034, call->args[1].value->range(),
                        "the default of env() must be a constant");
            c.type = Type::errorType();
            return;
        }
        c.value = constant(*c.envDefault);
        return;
    }
    c.init = resolveExpr(*a.value, Expect{nullptr, fmt::format("const '{}'", c.name), ""}, s);
    c.type = c.init->type();
    c.dependsOnStartup = (c.init->dependence() & ir::DependsOnStartup) != 0;
    if (c.type->kind() == TypeKind::Kind) {
        diag_
            .error(ErrorCode::E037, a.value->range(),
                   "const '{}' would hold a kind; consts hold values", c.name)
            .note("use the kind's name directly where a kind is expected");
        c.type = Type::errorType();
        c.init = std::make_unique<ir::ErrorExpr>(a.value->range());
        return;
    }
    if (c.type->isError())
        return;
    if (c.dependsOnStartup) {
        // With every env() at its default: what `dump` shows without the variables set.
        EvalContext ctx = evalCtx_;
        ctx.schedulers = [] { return std::optional<int64_t>(); };
        c.value = evaluate(*c.init, ctx, nullptr);
    } else {
        c.value = evaluate(*c.init, evalCtx_, &diag_);
    }
}

// ------------------------------------------------------------------ names

Symbol Resolver::lookup(const ast::QualifiedName& name, const Scope& s) {
    Symbol sym;
    if (name.parts.empty())
        return sym;
    if (name.parts.size() == 1) {
        const std::string& n = name.parts[0];
        for (auto it = s.loops.rbegin(); it != s.loops.rend(); ++it)
            if ((*it)->var == n) {
                sym.kind = Symbol::Kind::LoopVar;
                sym.loop = *it;
                return sym;
            }
        if (s.params)
            for (const auto& p : *s.params)
                if (p.name == n) {
                    sym.kind = Symbol::Kind::Param;
                    sym.param = &p;
                    sym.laterParam = p.index >= s.visibleParams;
                    return sym;
                }
        if (const ir::Decl* d = s.module->find(n)) {
            sym.kind =
                d->kind() == ir::Decl::Kind::Const ? Symbol::Kind::Const : Symbol::Kind::Decl;
            sym.decl = d;
            return sym;
        }
        for (const auto& imp : s.module->imports)
            if (const ir::Decl* d = imp.module->find(n))
                if (std::find(sym.candidates.begin(), sym.candidates.end(), d) ==
                    sym.candidates.end())
                    sym.candidates.push_back(d);
        if (sym.candidates.size() == 1) {
            sym.decl = sym.candidates[0];
            sym.kind = sym.decl->kind() == ir::Decl::Kind::Const ? Symbol::Kind::Const
                                                                 : Symbol::Kind::Decl;
            return sym;
        }
        if (sym.candidates.size() > 1) {
            sym.kind = Symbol::Kind::Ambiguous;
            return sym;
        }
        for (const auto& imp : s.module->imports)
            if (imp.name == n) {
                sym.kind = Symbol::Kind::Module;
                sym.module = imp.module;
                return sym;
            }
        return sym;
    }
    // a.B: an import's declaration.
    const ir::Module* module = nullptr;
    for (const auto& imp : s.module->imports)
        if (imp.name == name.parts[0])
            module = imp.module;
    if (!module) {
        sym.unknownModule = true;
        return sym;
    }
    if (name.parts.size() != 2)
        return sym;
    if (const ir::Decl* d = module->find(name.parts[1])) {
        sym.kind = d->kind() == ir::Decl::Kind::Const ? Symbol::Kind::Const : Symbol::Kind::Decl;
        sym.decl = d;
    }
    return sym;
}

std::vector<std::string> Resolver::valueCandidates(const Scope& s) const {
    std::vector<std::string> out;
    for (const auto* l : s.loops)
        out.push_back(l->var);
    if (s.params)
        for (size_t i = 0; i < s.visibleParams && i < s.params->size(); ++i)
            out.push_back((*s.params)[i].name);
    for (const auto& d : s.module->decls)
        if (isa<ir::ConstDecl>(d.get()))
            out.push_back(d->name);
    for (const auto& imp : s.module->imports)
        for (const auto& d : imp.module->decls)
            if (isa<ir::ConstDecl>(d.get())) {
                out.push_back(d->name);
                out.push_back(imp.name + "." + d->name);
            }
    return out;
}

std::vector<std::string> Resolver::kindCandidates(const Scope& s) const {
    std::vector<std::string> out;
    for (const auto& d : s.module->decls)
        if (isa<ir::KindDecl>(d.get()))
            out.push_back(d->name);
    for (const auto& imp : s.module->imports)
        for (const auto& d : imp.module->decls)
            if (isa<ir::KindDecl>(d.get())) {
                out.push_back(imp.name + "." + d->name);
                out.push_back(d->name);
            }
    if (s.params)
        for (const auto& p : *s.params)
            if (p.type->kind() == TypeKind::Kind)
                out.push_back(p.name);
    return out;
}

void Resolver::reportUnknownValue(const ast::QualifiedName& name, const Symbol& sym, const Scope& s,
                                  std::string_view what) {
    if (sym.unknownModule) {
        std::vector<std::string> modules;
        for (const auto& imp : s.module->imports)
            modules.push_back(imp.name);
        auto b = diag_.error(ErrorCode::E011, name.partRanges[0], "unknown module '{}' in '{}'",
                             name.parts[0], name.str());
        if (auto guess = closestMatch(name.parts[0], modules)) {
            b.note(fmt::format("did you mean '{}'?", *guess));
            b.fixIt(name.partRanges[0], *guess);
        } else if (name.parts[0] == "std") {
            b.note("the standard library needs 'import \"std\";' at the top of the file");
        } else {
            b.note(fmt::format("'{}.' names an imported file; add 'import \"{}.sup\";'",
                               name.parts[0], name.parts[0]));
        }
        return;
    }
    if (sym.kind == Symbol::Kind::Ambiguous) {
        auto b = diag_.error(ErrorCode::E041, name.range,
                             "'{}' is ambiguous: more than one import declares it", name.str());
        for (const auto* d : sym.candidates)
            b.note(fmt::format("'{}' declares it; write '{}' to use this one", d->module->path,
                               d->qualifiedName),
                   d->nameRange);
        return;
    }
    auto b = diag_.error(ErrorCode::E011, name.range, "unknown {} '{}'", what, name.str());
    auto candidates = what == "kind" ? kindCandidates(s) : valueCandidates(s);
    if (auto guess = closestMatch(name.str(), candidates)) {
        b.note(fmt::format("did you mean '{}'?", *guess));
        b.fixIt(name.range, *guess);
        return;
    }
    // A stdlib kind used without its import or its prefix.
    static const char* const kStdKinds[] = {"Registry", "TaskSupervisor", "PartitionSupervisor",
                                            "Pool"};
    for (const char* k : kStdKinds)
        if (name.isSimple() && name.parts[0] == k) {
            bool imported = false;
            for (const auto& imp : s.module->imports)
                imported |= imp.name == "std";
            b.note(imported ? fmt::format("did you mean 'std.{}'?", k)
                            : fmt::format("'{}' is in the standard library: add 'import \"std\";' "
                                          "and write 'std.{}'",
                                          k, k));
        }
}

// ------------------------------------------------------------------ expressions

void Resolver::reportMismatch(const ast::Expr& e, const Expect& expect, const Type* found) {
    const Type* want = expect.type;
    auto b = diag_.error(ErrorCode::E016, e.range(), "{} expects {}, found {}", expect.what,
                         want->describe(), found->describe());
    const Type* base = stripOptional(want);
    if (base->kind() == TypeKind::Duration && found->kind() == TypeKind::Int) {
        if (auto* lit = dyn_cast<ast::IntLit>(&e))
            b.note(fmt::format("a duration needs a unit: {}ms, {}s, {}m or {}h", lit->value,
                               lit->value, lit->value, lit->value));
        else
            b.note("a duration needs a unit: ms, s, m or h");
    } else if (base->kind() == TypeKind::Int && found->kind() == TypeKind::Duration) {
        b.note("an int is a plain number, without a unit");
    } else if (base->kind() == TypeKind::Kind) {
        b.note("name a worker kind, a supervisor or a dynamic supervisor");
    } else if (base->kind() == TypeKind::String && found->kind() != TypeKind::String) {
        b.note("strings are written in double quotes");
    } else if (base->kind() == TypeKind::Enum && found->kind() == TypeKind::String) {
        if (auto* lit = dyn_cast<ast::StringLit>(&e); lit && base->enumeratorIndex(lit->value)) {
            b.note(
                fmt::format("'{}' is a word, not a string: write it without quotes", lit->value));
            b.fixIt(e.range(), lit->value);
        }
    } else if (base->kind() == TypeKind::Duration && found->kind() == TypeKind::String) {
        if (auto* lit = dyn_cast<ast::StringLit>(&e))
            b.note(fmt::format("durations are written without quotes: {}", lit->value));
    }
}

ir::ExprPtr Resolver::resolveExpr(const ast::Expr& e, const Expect& expect, Scope& s) {
    // `one-for-all` where an enumerated value is expected: say so, not "unknown name 'one'".
    if (const Type* want = stripOptional(expect.type);
        want && want->kind() == TypeKind::Enum && isa<ast::BinaryExpr>(&e)) {
        if (auto words = dashedWords(e)) {
            std::string written(e.range().text());
            std::string noun = expect.enumNoun.empty() ? "value" : expect.enumNoun;
            auto b = diag_.error(ErrorCode::E012, e.range(), "unknown {} '{}'", noun, written);
            std::string note = "expected one of: " + joinPlain(want->enumerators());
            if (want->enumeratorIndex(*words)) {
                note += fmt::format(" (did you mean '{}'? words are joined with '_')", *words);
                b.fixIt(e.range(), *words);
            }
            b.note(note);
            return std::make_unique<ir::ErrorExpr>(e.range());
        }
    }
    ir::ExprPtr r = resolveInner(e, expect, s);
    if (!r)
        return std::make_unique<ir::ErrorExpr>(e.range());
    if (expect.type && !isAssignable(expect.type, r->type())) {
        reportMismatch(e, expect, r->type());
        return std::make_unique<ir::ErrorExpr>(e.range());
    }
    // An int literal where a decimal is expected (jitter = 0) becomes a decimal.
    if (expect.type && stripOptional(expect.type)->kind() == TypeKind::Decimal &&
        r->type()->kind() == TypeKind::Int)
        if (auto* lit = dyn_cast<ir::LiteralExpr>(r.get()))
            return std::make_unique<ir::LiteralExpr>(lit->value.withType(Type::decimalType()),
                                                     lit->range());
    return r;
}

ir::ExprPtr Resolver::resolveInner(const ast::Expr& e, const Expect& expect, Scope& s) {
    SourceRange r = e.range();
    switch (e.kind()) {
    case ast::Expr::Kind::Int:
        return std::make_unique<ir::LiteralExpr>(Value::makeInt(cast<ast::IntLit>(e).value), r);
    case ast::Expr::Kind::Decimal:
        return std::make_unique<ir::LiteralExpr>(Value::makeDecimal(cast<ast::DecimalLit>(e).value),
                                                 r);
    case ast::Expr::Kind::Duration:
        return std::make_unique<ir::LiteralExpr>(
            Value::makeDuration(cast<ast::DurationLit>(e).milliseconds), r);
    case ast::Expr::Kind::String:
        return std::make_unique<ir::LiteralExpr>(Value::makeString(cast<ast::StringLit>(e).value),
                                                 r);
    case ast::Expr::Kind::Bool:
        return std::make_unique<ir::LiteralExpr>(Value::makeBool(cast<ast::BoolLit>(e).value), r);
    case ast::Expr::Kind::Error:
        return std::make_unique<ir::ErrorExpr>(r);
    case ast::Expr::Kind::Name:
        return resolveName(cast<ast::NameExpr>(e), expect, s);
    case ast::Expr::Kind::Call:
        return resolveCall(cast<ast::CallExpr>(e), expect, s);
    case ast::Expr::Kind::Binary:
        return resolveBinary(cast<ast::BinaryExpr>(e), s);
    case ast::Expr::Kind::Negate: {
        const auto& n = cast<ast::NegateExpr>(e);
        auto operand = resolveExpr(*n.operand, Expect{}, s);
        const Type* t = operand->type();
        if (t->isError())
            return std::make_unique<ir::ErrorExpr>(r);
        if (t->kind() != TypeKind::Int && t->kind() != TypeKind::Duration &&
            t->kind() != TypeKind::Decimal) {
            diag_.error(ErrorCode::E016, r, "'-' applies to numbers and durations, found {}",
                        t->describe());
            return std::make_unique<ir::ErrorExpr>(r);
        }
        return std::make_unique<ir::NegateExpr>(t, r, std::move(operand));
    }
    case ast::Expr::Kind::List: {
        const auto& l = cast<ast::ListExpr>(e);
        const Type* want = stripOptional(expect.type);
        const Type* elem = want && want->kind() == TypeKind::List ? want->element() : nullptr;
        if (expect.type && !elem) {
            // A list where something else is expected: type it to report the mismatch.
            elem = nullptr;
        }
        std::vector<ir::ExprPtr> elements;
        unsigned deps = 0;
        bool error = false;
        for (const auto& item : l.elements) {
            Expect ee{elem, elem ? "a list element" : "", ""};
            if (elem && elem->kind() == TypeKind::Enum)
                ee.enumNoun = "value";
            auto x = resolveExpr(*item, ee, s);
            error |= x->type()->isError();
            if (!elem && !x->type()->isError()) {
                elem = x->type();
            } else if (elem && !x->type()->isError() && !isAssignable(elem, x->type())) {
                diag_.error(ErrorCode::E016, item->range(),
                            "list elements must all have one type: {} then {}", elem->describe(),
                            x->type()->describe());
                error = true;
            }
            deps |= x->dependence();
            elements.push_back(std::move(x));
        }
        if (error)
            return std::make_unique<ir::ErrorExpr>(r);
        if (!elem) {
            diag_.error(ErrorCode::E016, r, "cannot tell the type of an empty list here");
            return std::make_unique<ir::ErrorExpr>(r);
        }
        return std::make_unique<ir::ListExpr>(Type::listOf(elem), r, std::move(elements), deps);
    }
    }
    return std::make_unique<ir::ErrorExpr>(r);
}

ir::ExprPtr Resolver::resolveName(const ast::NameExpr& e, const Expect& expect, Scope& s) {
    SourceRange r = e.range();
    const Type* want = stripOptional(expect.type);
    if (want && want->kind() == TypeKind::Enum && e.name.isSimple())
        if (auto idx = want->enumeratorIndex(e.name.parts[0]))
            return std::make_unique<ir::LiteralExpr>(Value::makeEnum(want, *idx), r);

    Symbol sym = lookup(e.name, s);
    switch (sym.kind) {
    case Symbol::Kind::LoopVar:
        return std::make_unique<ir::LoopVarRefExpr>(sym.loop, r);
    case Symbol::Kind::Param:
        if (sym.laterParam) {
            diag_.error(ErrorCode::E011, r,
                        "parameter '{}' is declared after this one; a default can only use "
                        "earlier parameters",
                        sym.param->name);
            return std::make_unique<ir::ErrorExpr>(r);
        }
        return std::make_unique<ir::ParamRefExpr>(sym.param, sym.param->type, r);
    case Symbol::Kind::Const: {
        auto* c = const_cast<ir::ConstDecl*>(cast<ir::ConstDecl>(sym.decl));
        ensureConst(*c, r);
        if (constState_[c] != ConstState::Done || c->type->isError())
            return std::make_unique<ir::ErrorExpr>(r);
        return std::make_unique<ir::ConstRefExpr>(c, c->type, r, c->dependsOnStartup);
    }
    case Symbol::Kind::Decl: {
        const auto* k = cast<ir::KindDecl>(sym.decl);
        if (want && want->kind() == TypeKind::Kind)
            return kindInstance(*k, {}, r, s, /*allowOpen=*/true);
        diag_.error(ErrorCode::E037, r, "'{}' is a {}, not a value", e.name.str(), k->kindName());
        return std::make_unique<ir::ErrorExpr>(r);
    }
    case Symbol::Kind::Module:
        diag_.error(ErrorCode::E037, r, "'{}' is an imported file, not a value", e.name.str())
            .note(fmt::format("name one of its declarations, such as '{}.Name'", e.name.str()));
        return std::make_unique<ir::ErrorExpr>(r);
    case Symbol::Kind::Ambiguous:
    case Symbol::Kind::None:
        break;
    }
    if (want && want->kind() == TypeKind::Enum && e.name.isSimple() && !sym.unknownModule &&
        sym.kind == Symbol::Kind::None) {
        const std::string& n = e.name.parts[0];
        std::string noun = expect.enumNoun.empty() ? "value" : expect.enumNoun;
        auto b =
            expect.enumFor.empty()
                ? diag_.error(ErrorCode::E012, r, "unknown {} '{}'", noun, n)
                : diag_.error(ErrorCode::E012, r, "unknown value '{}' for {}", n, expect.enumFor);
        auto guess = closestMatch(n, want->enumerators());
        std::string note = "expected one of: " + joinPlain(want->enumerators());
        if (guess)
            note += fmt::format(" (did you mean '{}'?)", *guess);
        b.note(note);
        if (guess)
            b.fixIt(r, *guess);
        return std::make_unique<ir::ErrorExpr>(r);
    }
    reportUnknownValue(e.name, sym, s, want && want->kind() == TypeKind::Kind ? "kind" : "name");
    return std::make_unique<ir::ErrorExpr>(r);
}

ir::ExprPtr Resolver::resolveCall(const ast::CallExpr& e, const Expect& expect, Scope& s) {
    SourceRange r = e.range();
    const Type* want = stripOptional(expect.type);
    if (e.callee.isSimple()) {
        const std::string& f = e.callee.parts[0];
        if (f == "env") {
            diag_.error(ErrorCode::E034, r, "env() can only be the whole value of a const")
                .note("declare it first: const name = env(\"VAR\", default); then use the const");
            return std::make_unique<ir::ErrorExpr>(r);
        }
        if (f == "schedulers" && !s.module->find("schedulers")) {
            if (!e.args.empty()) {
                diag_.error(ErrorCode::E016, r, "schedulers() takes no arguments");
                return std::make_unique<ir::ErrorExpr>(r);
            }
            return std::make_unique<ir::SchedulersExpr>(r);
        }
        if (f == "exponential" && !s.module->find("exponential")) {
            diag_
                .error(ErrorCode::E016, r, "{} expects {}, found exponential(...)", expect.what,
                       want ? want->describe() : std::string("a value"))
                .note("exponential(MIN, MAX) is a value of the 'backoff' setting only");
            return std::make_unique<ir::ErrorExpr>(r);
        }
    }
    Symbol sym = lookup(e.callee, s);
    if (sym.kind == Symbol::Kind::Decl) {
        const auto* k = cast<ir::KindDecl>(sym.decl);
        if (want && want->kind() == TypeKind::Kind)
            return kindInstance(*k, e.args, r, s, /*allowOpen=*/true);
        diag_.error(ErrorCode::E037, r, "'{}(...)' is a {} with arguments, not a value",
                    e.callee.str(), k->kindName());
        return std::make_unique<ir::ErrorExpr>(r);
    }
    if (sym.kind == Symbol::Kind::None && !sym.unknownModule) {
        auto b = diag_.error(ErrorCode::E011, e.callee.range, "unknown function or kind '{}'",
                             e.callee.str());
        std::vector<std::string> candidates = kindCandidates(s);
        candidates.insert(candidates.end(), {"env", "schedulers", "exponential"});
        if (auto guess = closestMatch(e.callee.str(), candidates)) {
            b.note(fmt::format("did you mean '{}'?", *guess));
            b.fixIt(e.callee.range, *guess);
        }
        return std::make_unique<ir::ErrorExpr>(r);
    }
    if (sym.kind == Symbol::Kind::None || sym.kind == Symbol::Kind::Ambiguous) {
        reportUnknownValue(e.callee, sym, s, "name");
        return std::make_unique<ir::ErrorExpr>(r);
    }
    diag_.error(ErrorCode::E037, e.callee.range, "'{}' cannot be called", e.callee.str());
    return std::make_unique<ir::ErrorExpr>(r);
}

ir::ExprPtr Resolver::resolveBinary(const ast::BinaryExpr& e, Scope& s) {
    SourceRange r = e.range();
    auto l = resolveExpr(*e.lhs, Expect{}, s);
    auto rr = resolveExpr(*e.rhs, Expect{}, s);
    const Type *lt = l->type(), *rt = rr->type();
    if (lt->isError() || rt->isError())
        return std::make_unique<ir::ErrorExpr>(r);
    TypeKind a = lt->kind(), b = rt->kind();
    auto numeric = [](TypeKind k) { return k == TypeKind::Int || k == TypeKind::Decimal; };
    const Type* result = nullptr;
    ir::BinaryOp op = static_cast<ir::BinaryOp>(e.op);
    switch (op) {
    case ir::BinaryOp::Add:
    case ir::BinaryOp::Sub:
        if (a == TypeKind::Int && b == TypeKind::Int)
            result = Type::intType();
        else if (a == TypeKind::Duration && b == TypeKind::Duration)
            result = Type::durationType();
        else if (numeric(a) && numeric(b))
            result = Type::decimalType();
        break;
    case ir::BinaryOp::Mul:
        if (a == TypeKind::Int && b == TypeKind::Int)
            result = Type::intType();
        else if ((a == TypeKind::Duration && b == TypeKind::Int) ||
                 (a == TypeKind::Int && b == TypeKind::Duration))
            result = Type::durationType();
        else if (numeric(a) && numeric(b))
            result = Type::decimalType();
        break;
    case ir::BinaryOp::Div:
        if (a == TypeKind::Int && b == TypeKind::Int)
            result = Type::intType();
        else if (a == TypeKind::Duration && b == TypeKind::Int)
            result = Type::durationType();
        else if (a == TypeKind::Duration && b == TypeKind::Duration)
            result = Type::intType();
        else if (numeric(a) && numeric(b))
            result = Type::decimalType();
        break;
    case ir::BinaryOp::Mod:
        if (a == TypeKind::Int && b == TypeKind::Int)
            result = Type::intType();
        else if (a == TypeKind::Duration && b == TypeKind::Duration)
            result = Type::durationType();
        break;
    }
    if (!result) {
        auto d = diag_.error(ErrorCode::E016, r, "cannot apply '{}' to {} and {}", ir::spelling(op),
                             lt->describe(), rt->describe());
        if (a == TypeKind::Optional || b == TypeKind::Optional)
            d.note("an optional value may be absent: it cannot take part in arithmetic");
        return std::make_unique<ir::ErrorExpr>(r);
    }
    return std::make_unique<ir::BinaryExpr>(result, r, op, std::move(l), std::move(rr));
}

ir::ExprPtr Resolver::kindInstance(const ir::KindDecl& decl, const std::vector<ast::Arg>& args,
                                   SourceRange useRange, Scope& s, bool allowOpen) {
    std::vector<ir::ArgBinding> bound;
    unsigned deps = 0;
    bool error = false;
    for (size_t i = 0; i < args.size(); ++i) {
        const ast::Arg& a = args[i];
        if (a.name.empty()) {
            auto b = diag_.error(ErrorCode::E039, a.range, "arguments of '{}' are passed by name",
                                 decl.qualifiedName);
            if (i < decl.params.size())
                b.fixIt(SourceRange(a.range.begin, a.range.begin), decl.params[i].name + " = ");
            if (decl.params.empty())
                b.note(fmt::format("'{}' takes no parameters", decl.qualifiedName));
            else {
                std::vector<std::string> names;
                for (const auto& p : decl.params)
                    names.push_back(p.name);
                b.note(fmt::format("parameters of '{}': {}", decl.qualifiedName, joinPlain(names)));
            }
            error = true;
            continue;
        }
        const ir::Param* p = decl.findParam(a.name);
        if (!p) {
            auto b = diag_.error(ErrorCode::E017, a.nameRange, "'{}' has no parameter '{}'",
                                 decl.qualifiedName, a.name);
            std::vector<std::string> names;
            for (const auto& q : decl.params)
                names.push_back(q.name);
            if (auto guess = closestMatch(a.name, names)) {
                b.note(fmt::format("did you mean '{}'?", *guess));
                b.fixIt(a.nameRange, *guess);
            } else if (names.empty()) {
                b.note(fmt::format("'{}' takes no parameters", decl.qualifiedName));
            } else {
                b.note(fmt::format("parameters of '{}': {}", decl.qualifiedName, joinPlain(names)));
            }
            error = true;
            continue;
        }
        if (auto previous = std::find_if(bound.begin(), bound.end(),
                                         [&](const ir::ArgBinding& x) { return x.param == p; });
            previous != bound.end()) {
            diag_.error(ErrorCode::E019, a.range, "argument '{}' is passed twice", a.name)
                .note("the first one is here", previous->range);
            error = true;
            continue;
        }
        Expect e{p->type, fmt::format("argument '{}' of '{}'", p->name, decl.qualifiedName), ""};
        e.enumFor = fmt::format("parameter '{}' of '{}'", p->name, decl.qualifiedName);
        ir::ArgBinding binding;
        binding.param = p;
        binding.value = resolveExpr(*a.value, e, s);
        binding.range = a.range;
        binding.nameRange = a.nameRange;
        deps |= binding.value->dependence();
        error |= binding.value->type()->isError();
        bound.push_back(std::move(binding));
    }
    if (!allowOpen) {
        for (const auto& p : decl.params) {
            if (!p.isRequired())
                continue;
            if (std::any_of(bound.begin(), bound.end(),
                            [&](const ir::ArgBinding& x) { return x.param == &p; }))
                continue;
            diag_
                .error(ErrorCode::E018, useRange, "missing argument '{}' for '{}'", p.name,
                       decl.qualifiedName)
                .note(fmt::format("'{}' is declared here, without a default", p.name), p.range);
            error = true;
        }
    }
    (void)error;
    return std::make_unique<ir::KindInstanceExpr>(&decl, useRange, std::move(bound), deps);
}

ir::ExprPtr Resolver::resolveKindUse(const ast::KindRef& ref, Scope& s, bool allowOpen,
                                     std::string_view role) {
    SourceRange r = ref.range;
    Symbol sym = lookup(ref.name, s);
    switch (sym.kind) {
    case Symbol::Kind::Decl: {
        const auto* k = cast<ir::KindDecl>(sym.decl);
        if (auto* sup = dyn_cast<ir::SupervisorDecl>(k); sup && sup->isApplication()) {
            diag_
                .error(ErrorCode::E037, ref.name.range,
                       "application '{}' is a root and cannot be {}", k->name, role)
                .note(fmt::format("declare it as 'supervisor {}' to use it inside another tree",
                                  k->name),
                      k->keywordRange);
            return std::make_unique<ir::ErrorExpr>(r);
        }
        return kindInstance(*k, ref.args, r, s, allowOpen);
    }
    case Symbol::Kind::Param:
        if (sym.param->type->kind() == TypeKind::Kind) {
            if (ref.hasArgList) {
                diag_
                    .error(ErrorCode::E016, r,
                           "'{}' is a kind parameter: arguments cannot be added to it",
                           sym.param->name)
                    .note("pass the arguments with the kind where the declaration is used");
                return std::make_unique<ir::ErrorExpr>(r);
            }
            return std::make_unique<ir::ParamRefExpr>(sym.param, sym.param->type, ref.name.range);
        }
        diag_.error(ErrorCode::E037, ref.name.range, "'{}' is a parameter of type {}, not a kind",
                    sym.param->name, sym.param->type->str());
        return std::make_unique<ir::ErrorExpr>(r);
    case Symbol::Kind::Const:
        diag_.error(ErrorCode::E037, ref.name.range, "'{}' is a const, not a kind", ref.name.str())
            .note("a child's kind is a worker kind, a supervisor or a dynamic supervisor");
        return std::make_unique<ir::ErrorExpr>(r);
    case Symbol::Kind::LoopVar:
        diag_.error(ErrorCode::E037, ref.name.range, "'{}' is a loop variable, not a kind",
                    ref.name.str());
        return std::make_unique<ir::ErrorExpr>(r);
    case Symbol::Kind::Module:
        diag_
            .error(ErrorCode::E037, ref.name.range, "'{}' is an imported file, not a kind",
                   ref.name.str())
            .note(fmt::format("name one of its kinds, such as '{}.Name'", ref.name.str()));
        return std::make_unique<ir::ErrorExpr>(r);
    case Symbol::Kind::Ambiguous:
    case Symbol::Kind::None:
        break;
    }
    reportUnknownValue(ref.name, sym, s, "kind");
    return std::make_unique<ir::ErrorExpr>(r);
}

// ------------------------------------------------------------------ bodies

void Resolver::resolveBody(const std::vector<ast::BodyItemPtr>& items,
                           std::vector<ir::BodyItemPtr>& out, Scope& s, ir::SupervisorDecl& owner,
                           bool inLoop) {
    Place place{InSupervisor, &owner, nullptr, nullptr};
    out.reserve(items.size());
    for (const auto& item : items) {
        switch (item->kind()) {
        case ast::BodyItem::Kind::Setting: {
            const auto& st = cast<ast::SettingItem>(*item).setting;
            if (inLoop) {
                diag_
                    .error(ErrorCode::E014, st.nameRange,
                           "settings cannot appear inside a 'for' loop")
                    .note(fmt::format("'{}' is a setting of '{}': move it to its body, outside "
                                      "the loop",
                                      st.name, owner.name));
                continue;
            }
            resolveSetting(st, place, s, owner.settings);
            break;
        }
        case ast::BodyItem::Kind::Child:
            out.push_back(resolveChild(cast<ast::ChildDecl>(*item), s));
            break;
        case ast::BodyItem::Kind::Loop:
            out.push_back(resolveLoop(cast<ast::ForLoop>(*item), s, owner));
            break;
        }
    }
}

std::unique_ptr<ir::ChildDecl> Resolver::resolveChild(const ast::ChildDecl& a, Scope& s) {
    auto c = std::make_unique<ir::ChildDecl>();
    c->range = a.range();
    c->keywordRange = a.keywordRange;
    c->kindRange = a.kind.range;
    c->id = resolveIdTemplate(a.id, s, "child id");
    c->kind = resolveKindUse(a.kind, s, /*allowOpen=*/false, "a child");
    const ir::KindDecl* kindDecl = nullptr;
    if (auto* k = dyn_cast<ir::KindInstanceExpr>(c->kind.get()))
        kindDecl = k->decl;
    Place place{InChild, s.owner, kindDecl, nullptr};
    for (const auto& st : a.settings)
        resolveSetting(st, place, s, c->settings);
    return c;
}

std::unique_ptr<ir::Loop> Resolver::resolveLoop(const ast::ForLoop& a, Scope& s,
                                                ir::SupervisorDecl& owner) {
    auto l = std::make_unique<ir::Loop>();
    l->var = a.var;
    l->range = a.range();
    l->keywordRange = a.keywordRange;
    l->varRange = a.varRange;
    l->boundsRange = SourceRange::join(a.from->range(), a.to->range());
    if (s.params)
        for (const auto& p : *s.params)
            if (p.name == a.var)
                diag_
                    .error(ErrorCode::E010, a.varRange,
                           "loop variable '{}' has the name of a parameter of '{}'", a.var,
                           owner.name)
                    .note("the parameter is declared here", p.nameRange);
    for (const auto* outer : s.loops)
        if (outer->var == a.var)
            diag_
                .error(ErrorCode::E010, a.varRange,
                       "loop variable '{}' has the name of an enclosing loop's variable", a.var)
                .note("the enclosing loop's variable is here", outer->varRange);
    l->from = resolveExpr(*a.from, Expect{Type::intType(), "the start of a loop", ""}, s);
    l->to = resolveExpr(*a.to, Expect{Type::intType(), "the end of a loop", ""}, s);
    s.loops.push_back(l.get());
    resolveBody(a.body, l->body, s, owner, /*inLoop=*/true);
    s.loops.pop_back();
    return l;
}

ir::IdTemplate Resolver::resolveIdTemplate(const ast::IdTemplate& a, Scope& s,
                                           std::string_view role) {
    ir::IdTemplate out;
    out.range = a.range;
    for (const auto& part : a.parts) {
        ir::IdTemplate::Part p;
        p.range = part.range;
        if (!part.isName) {
            p.text = part.text;
            out.parts.push_back(std::move(p));
            continue;
        }
        ast::QualifiedName name;
        name.parts = {part.text};
        name.partRanges = {part.range};
        name.range = part.range;
        Symbol sym = lookup(name, s);
        if (sym.kind == Symbol::Kind::LoopVar) {
            p.expr = std::make_unique<ir::LoopVarRefExpr>(sym.loop, part.range);
        } else if (sym.kind == Symbol::Kind::Param && !sym.laterParam) {
            p.expr = std::make_unique<ir::ParamRefExpr>(sym.param, sym.param->type, part.range);
        } else if (sym.kind == Symbol::Kind::Const) {
            auto* c = const_cast<ir::ConstDecl*>(cast<ir::ConstDecl>(sym.decl));
            ensureConst(*c, part.range);
            p.expr =
                std::make_unique<ir::ConstRefExpr>(c, c->type, part.range, c->dependsOnStartup);
        } else {
            auto b = diag_.error(ErrorCode::E011, part.range, "unknown name '{}' in a {}",
                                 part.text, role);
            if (auto guess = closestMatch(part.text, valueCandidates(s))) {
                b.note(fmt::format("did you mean '{}'?", *guess));
                b.fixIt(part.range, *guess);
            } else {
                b.note("'{name}' interpolates a loop variable, a parameter or a const");
            }
            p.expr = std::make_unique<ir::ErrorExpr>(part.range);
        }
        TypeKind k = p.expr->type()->kind();
        if (!p.expr->type()->isError() && k != TypeKind::Int && k != TypeKind::String &&
            k != TypeKind::Enum) {
            diag_
                .error(ErrorCode::E038, part.range, "cannot interpolate '{}' in a {}: it is {}",
                       part.text, role, p.expr->type()->describe())
                .note("only ints, strings and enum values can be interpolated");
            p.expr = std::make_unique<ir::ErrorExpr>(part.range);
        }
        out.parts.push_back(std::move(p));
    }
    if (out.isPlain() && !isValidChildId(out.plainText())) {
        diag_.error(ErrorCode::E038, a.range, "'{}' is not a valid {}", out.plainText(), role)
            .note("ids are made of letters, digits, '_', '-' and '.'");
    }
    return out;
}

// ------------------------------------------------------------------ settings

void Resolver::resolveSetting(const ast::Setting& a, const Place& place, Scope& s,
                              ir::SettingList& list) {
    const SettingInfo* info = findSetting(a.name);
    if (!info) {
        std::vector<std::string> here, all;
        for (const auto& si : allSettings()) {
            all.emplace_back(si.name);
            if (si.places & place.place)
                here.emplace_back(si.name);
        }
        auto b = diag_.error(ErrorCode::E013, a.nameRange, "unknown setting '{}'", a.name);
        auto guess = closestMatch(a.name, here);
        if (!guess)
            guess = closestMatch(a.name, all);
        if (guess) {
            b.note(fmt::format("did you mean '{}'?", *guess));
            b.fixIt(a.nameRange, *guess);
        }
        std::string_view where = place.place == InChild        ? "a child"
                                 : place.place == InWorkerDecl ? "a worker declaration"
                                 : place.place == InSupervisor ? "a supervisor"
                                                               : "a dynamic supervisor";
        b.note(fmt::format("the settings of {} are: {}", where, joinPlain(here)));
        return;
    }
    if (!(info->places & place.place)) {
        reportMisplaced(a, *info, place);
        return;
    }
    if (const ir::Setting* previous = list.find(info->key)) {
        diag_.error(ErrorCode::E015, a.nameRange, "'{}' is set twice", a.name)
            .note("it is first set here", previous->range);
        return;
    }
    ir::Setting out;
    out.key = info->key;
    out.range = a.range;
    out.nameRange = a.nameRange;
    out.valueRange =
        a.period ? SourceRange::join(a.value->range(), a.period->range()) : a.value->range();
    if (!resolveSettingValue(a, *info, s, out))
        return;
    list.settings.push_back(std::move(out));
}

void Resolver::reportMisplaced(const ast::Setting& a, const SettingInfo& info, const Place& place) {
    SettingKey k = info.key;
    bool supervisorSetting = k == SettingKey::Strategy || k == SettingKey::Intensity ||
                             k == SettingKey::AutoShutdown || k == SettingKey::Backoff;
    bool childSetting = k == SettingKey::Restart || k == SettingKey::Shutdown ||
                        k == SettingKey::Significant || k == SettingKey::Needs;
    SourceRange r = a.nameRange;
    if (supervisorSetting && place.place == InChild) {
        auto b = diag_.error(ErrorCode::E014, r,
                             "'{}' is a supervisor setting and cannot be set on a child", a.name);
        if (place.childKind && isSupervisorLike(place.childKind))
            b.note(fmt::format("to change it for this child, set it in the declaration of {} '{}'",
                               place.childKind->kindName(), place.childKind->name),
                   place.childKind->nameRange);
        else if (place.childKind)
            b.note(fmt::format("'{}' is a worker: workers have no '{}'", place.childKind->name,
                               a.name));
        if (place.owner)
            b.note(fmt::format("to set the {} of '{}', which contains this child, set it in "
                               "its body",
                               a.name, place.owner->name),
                   place.owner->nameRange);
        return;
    }
    if (supervisorSetting && place.place == InWorkerDecl) {
        diag_
            .error(ErrorCode::E014, r,
                   "'{}' is a supervisor setting, not a default for a worker's children", a.name)
            .note("a worker declaration may set restart, shutdown, significant and type");
        return;
    }
    if (k == SettingKey::MaxChildren) {
        auto b = diag_.error(ErrorCode::E014, r,
                             "'max_children' is only allowed in a "
                             "dynamic_supervisor");
        if (place.place == InSupervisor)
            b.note("a static supervisor has exactly the children it declares");
        return;
    }
    if (childSetting && place.place == InSupervisor) {
        diag_
            .error(ErrorCode::E014, r,
                   "'{}' is a child setting and cannot appear in a supervisor's body", a.name)
            .note(fmt::format("set it on each child: child ID = Kind {{ {} = ...; }}", a.name));
        return;
    }
    if (childSetting && place.place == InDynamicSupervisor) {
        auto b = diag_.error(ErrorCode::E014, r,
                             "'{}' cannot be set in a dynamic supervisor: its children take it "
                             "from their kind",
                             a.name);
        if (place.templ && isa<ir::WorkerDecl>(place.templ))
            b.note(fmt::format("set it in the declaration of '{}'", place.templ->name),
                   place.templ->nameRange);
        return;
    }
    if (k == SettingKey::Needs && place.place == InWorkerDecl) {
        diag_.error(ErrorCode::E014, r,
                    "'needs' names sibling children, so it belongs on a child, not on a worker "
                    "declaration");
        return;
    }
    if (k == SettingKey::Type) {
        diag_.error(ErrorCode::E014, r, "'type' is only allowed in a worker declaration")
            .note("a supervisor's children are workers or supervisors by their kind");
        return;
    }
    diag_.error(ErrorCode::E014, r, "'{}' is not allowed here", a.name);
}

ir::ExprPtr Resolver::resolveEnumSetting(const ast::Setting& a, const Type* type,
                                         std::string_view noun, Scope& s) {
    return resolveExpr(*a.value, Expect{type, inQuotes(a.name), std::string(noun)}, s);
}

bool Resolver::resolveSettingValue(const ast::Setting& a, const SettingInfo& info, Scope& s,
                                   ir::Setting& out) {
    if (a.period && info.key != SettingKey::Intensity) {
        diag_.error(ErrorCode::E016, a.perRange, "'{}' takes no 'per'", a.name)
            .note("'per' only appears in 'intensity = N per DURATION'");
        return false;
    }
    switch (info.key) {
    case SettingKey::Strategy:
        out.value = resolveEnumSetting(a, strategyType(), "strategy", s);
        return !out.value->type()->isError();
    case SettingKey::AutoShutdown:
        out.value = resolveEnumSetting(a, autoShutdownType(), "auto_shutdown value", s);
        return !out.value->type()->isError();
    case SettingKey::Restart:
        out.value = resolveEnumSetting(a, restartType(), "restart type", s);
        return !out.value->type()->isError();
    case SettingKey::Type:
        out.value = resolveEnumSetting(a, childTypeType(), "child type", s);
        if (!out.value->type()->isError() && !isa<ir::LiteralExpr>(out.value.get())) {
            diag_.error(ErrorCode::E016, a.value->range(),
                        "'type' must be written out: worker or supervisor");
            return false;
        }
        return !out.value->type()->isError();
    case SettingKey::Significant:
        out.value = resolveExpr(*a.value, Expect{Type::boolType(), "'significant'", ""}, s);
        return !out.value->type()->isError();
    case SettingKey::MaxChildren: {
        out.value = resolveExpr(*a.value,
                                Expect{Type::optionalOf(Type::intType()), "'max_children'", ""}, s);
        if (out.value->type()->isError())
            return false;
        if (auto v = constant(*out.value); v && !v->isNone() && v->asInt() < 0)
            diag_.error(ErrorCode::E032, a.value->range(),
                        "'max_children' cannot be negative, found {}", v->asInt());
        return true;
    }
    case SettingKey::Intensity: {
        if (!a.period) {
            auto* div = dyn_cast<ast::BinaryExpr>(a.value.get());
            if (div && div->op == ast::BinaryOp::Div) {
                diag_
                    .error(ErrorCode::E016, a.value->range(),
                           "'intensity' expects 'N per DURATION', found '{}'",
                           a.value->range().text())
                    .note("write the restart limit as: intensity = N per DURATION")
                    .fixIt(SourceRange(div->lhs->range().end, div->rhs->range().begin), " per ");
            } else {
                auto b = diag_.error(ErrorCode::E016, a.value->range(),
                                     "'intensity' expects 'N per DURATION', found '{}'",
                                     a.value->range().text());
                b.note("for example: intensity = 3 per 5s (at most 3 restarts within 5 s)");
            }
            return false;
        }
        out.value = resolveExpr(*a.value,
                                Expect{Type::intType(), "the restart count of 'intensity'", ""}, s);
        out.period = resolveExpr(*a.period,
                                 Expect{Type::durationType(), "the period of 'intensity'", ""}, s);
        if (out.value->type()->isError() || out.period->type()->isError())
            return false;
        if (auto v = constant(*out.value); v && v->asInt() < 0)
            diag_
                .error(ErrorCode::E022, a.value->range(),
                       "the restart count of 'intensity' cannot be negative, found {}", v->asInt())
                .note("0 means: give up at the first crash");
        if (auto v = constant(*out.period); v && v->asMilliseconds() <= 0)
            diag_.error(ErrorCode::E022, a.period->range(),
                        "the period of 'intensity' must be longer than 0, found {}", v->str());
        return true;
    }
    case SettingKey::Shutdown: {
        if (auto* n = dyn_cast<ast::NameExpr>(a.value.get()); n && n->name.isSimple()) {
            const std::string& word = n->name.parts[0];
            if (word == "brutal_kill") {
                out.shutdownMode = Shutdown::Mode::BrutalKill;
                return true;
            }
            if (word == "infinity") {
                out.shutdownMode = Shutdown::Mode::Infinity;
                return true;
            }
            if (lookup(n->name, s).kind == Symbol::Kind::None) {
                auto b =
                    diag_.error(ErrorCode::E012, n->range(), "unknown shutdown value '{}'", word);
                auto guess = closestMatch(word, {"brutal_kill", "infinity"});
                std::string note = "expected brutal_kill, infinity or a duration";
                if (guess)
                    note += fmt::format(" (did you mean '{}'?)", *guess);
                b.note(note);
                if (guess)
                    b.fixIt(n->range(), *guess);
                return false;
            }
        }
        if (isa<ast::BinaryExpr>(a.value.get()))
            if (auto words = dashedWords(*a.value); words && *words == "brutal_kill") {
                diag_
                    .error(ErrorCode::E012, a.value->range(), "unknown shutdown value '{}'",
                           a.value->range().text())
                    .note("expected brutal_kill, infinity or a duration (did you mean "
                          "'brutal_kill'? words are joined with '_')")
                    .fixIt(a.value->range(), "brutal_kill");
                return false;
            }
        out.shutdownMode = Shutdown::Mode::Timeout;
        out.value = resolveExpr(*a.value, Expect{Type::durationType(), "'shutdown'", ""}, s);
        if (out.value->type()->isError())
            return false;
        if (auto v = constant(*out.value); v && v->asMilliseconds() < 0)
            diag_.error(ErrorCode::E032, a.value->range(),
                        "'shutdown' cannot be negative, found {}", v->str());
        return true;
    }
    case SettingKey::Backoff: {
        auto unknown = [&](std::string_view word, SourceRange r) {
            auto b = diag_.error(ErrorCode::E012, r, "unknown backoff '{}'", word);
            auto guess = closestMatch(word, {"none", "exponential"});
            std::string note =
                "expected none, exponential(MIN, MAX) or exponential(MIN, MAX, jitter = J)";
            if (guess)
                note += fmt::format(" (did you mean '{}'?)", *guess);
            b.note(note);
            return false;
        };
        if (auto* n = dyn_cast<ast::NameExpr>(a.value.get())) {
            if (n->name.isSimple() && n->name.parts[0] == "none") {
                out.exponential = false;
                return true;
            }
            if (n->name.isSimple() && n->name.parts[0] == "exponential") {
                diag_.error(ErrorCode::E018, n->range(),
                            "exponential backoff needs its bounds: exponential(MIN, MAX)");
                return false;
            }
            return unknown(n->name.str(), n->range());
        }
        auto* call = dyn_cast<ast::CallExpr>(a.value.get());
        if (!call) {
            diag_.error(ErrorCode::E016, a.value->range(),
                        "'backoff' expects none or exponential(MIN, MAX), found '{}'",
                        a.value->range().text());
            return false;
        }
        if (!call->callee.isSimple() || call->callee.parts[0] != "exponential")
            return unknown(call->callee.str(), call->callee.range);
        out.exponential = true;
        const ast::Expr* min = nullptr;
        const ast::Expr* max = nullptr;
        const ast::Expr* jitter = nullptr;
        size_t positional = 0;
        bool ok = true;
        for (const auto& arg : call->args) {
            const ast::Expr** slot = nullptr;
            if (arg.name.empty()) {
                slot = positional == 0   ? &min
                       : positional == 1 ? &max
                       : positional == 2 ? &jitter
                                         : nullptr;
                ++positional;
            } else if (arg.name == "min") {
                slot = &min;
            } else if (arg.name == "max") {
                slot = &max;
            } else if (arg.name == "jitter") {
                slot = &jitter;
            }
            if (!slot) {
                if (arg.name.empty())
                    diag_.error(ErrorCode::E016, arg.range,
                                "exponential() takes at most 3 arguments: MIN, MAX, jitter");
                else {
                    auto b = diag_.error(ErrorCode::E017, arg.nameRange,
                                         "exponential() has no parameter '{}'", arg.name);
                    if (auto guess = closestMatch(arg.name, {"min", "max", "jitter"})) {
                        b.note(fmt::format("did you mean '{}'?", *guess));
                        b.fixIt(arg.nameRange, *guess);
                    }
                }
                ok = false;
                continue;
            }
            if (*slot) {
                diag_.error(ErrorCode::E019, arg.range, "exponential() gets '{}' twice",
                            slot == &min   ? "min"
                            : slot == &max ? "max"
                                           : "jitter");
                ok = false;
                continue;
            }
            *slot = arg.value.get();
        }
        if (!min || !max) {
            diag_.error(ErrorCode::E018, call->range(),
                        "exponential() needs a minimum and a maximum delay: exponential(MIN, MAX)");
            return false;
        }
        if (!ok)
            return false;
        out.value = resolveExpr(*min, Expect{Type::durationType(), "the minimum backoff", ""}, s);
        out.period = resolveExpr(*max, Expect{Type::durationType(), "the maximum backoff", ""}, s);
        if (jitter)
            out.jitter = resolveExpr(*jitter, Expect{Type::decimalType(), "'jitter'", ""}, s);
        if (out.value->type()->isError() || out.period->type()->isError() ||
            (out.jitter && out.jitter->type()->isError()))
            return false;
        auto lo = constant(*out.value);
        auto hi = constant(*out.period);
        if (lo && lo->asMilliseconds() <= 0)
            diag_.error(ErrorCode::E032, min->range(),
                        "the minimum backoff must be longer than 0, found {}", lo->str());
        else if (lo && hi && lo->asMilliseconds() > hi->asMilliseconds())
            diag_
                .error(ErrorCode::E032, call->range(),
                       "the minimum backoff {} is longer than the maximum {}", lo->str(), hi->str())
                .fixIt(SourceRange::join(min->range(), max->range()),
                       std::string(max->range().text()) + ", " + std::string(min->range().text()));
        if (out.jitter)
            if (auto j = constant(*out.jitter); j && (j->asDecimal() < 0 || j->asDecimal() > 1))
                diag_.error(ErrorCode::E032, jitter->range(),
                            "'jitter' must be between 0 and 1, found {}", j->str());
        return true;
    }
    case SettingKey::Needs: {
        auto* list = dyn_cast<ast::ListExpr>(a.value.get());
        if (!list) {
            auto b = diag_.error(ErrorCode::E016, a.value->range(),
                                 "'needs' expects a list of sibling ids, found '{}'",
                                 a.value->range().text());
            if (isa<ast::NameExpr>(a.value.get()))
                b.fixIt(a.value->range(), "[" + std::string(a.value->range().text()) + "]");
            return false;
        }
        for (const auto& item : list->elements) {
            if (auto* n = dyn_cast<ast::NameExpr>(item.get()); n && n->name.isSimple()) {
                ir::IdTemplate id;
                id.range = n->range();
                id.parts.push_back({n->name.parts[0], nullptr, n->range()});
                out.needs.push_back(std::move(id));
            } else if (isa<ast::StringLit>(item.get())) {
                ast::IdTemplate parsed =
                    parse::parseIdTemplate(item->range().text(), item->range(), diag_);
                out.needs.push_back(resolveIdTemplate(parsed, s, "'needs' entry"));
            } else {
                diag_
                    .error(ErrorCode::E016, item->range(),
                           "'needs' expects sibling ids, found '{}'", item->range().text())
                    .note("name siblings by their ids: needs = [repo, \"worker_{i}\"]");
                return false;
            }
        }
        return true;
    }
    }
    return false;
}

// ------------------------------------------------------------------ cycles

void collectKinds(const ir::Expr* e,
                  std::vector<std::pair<const ir::KindDecl*, SourceRange>>& out) {
    auto* k = dyn_cast_or_null<ir::KindInstanceExpr>(e);
    if (!k)
        return;
    out.emplace_back(k->decl, k->range());
    for (const auto& a : k->args)
        collectKinds(a.value.get(), out);
}

void collectEdges(const std::vector<ir::BodyItemPtr>& body, std::vector<EdgeInfo>& out) {
    for (const auto& item : body) {
        if (auto* c = dyn_cast<ir::ChildDecl>(item.get())) {
            std::vector<std::pair<const ir::KindDecl*, SourceRange>> kinds;
            collectKinds(c->kind.get(), kinds);
            std::string id = c->id.isPlain() ? c->id.plainText() : std::string(c->id.range.text());
            for (auto& [k, r] : kinds)
                out.push_back({k, r, id});
        } else if (auto* l = dyn_cast<ir::Loop>(item.get())) {
            collectEdges(l->body, out);
        }
    }
}

void Resolver::findSupervisionCycles() {
    std::vector<const ir::KindDecl*> nodes;
    for (const auto& m : program_.modules)
        for (const auto& d : m->decls) {
            if (auto* s = dyn_cast<ir::SupervisorDecl>(d.get())) {
                nodes.push_back(s);
                collectEdges(s->body, edges_[s]);
            } else if (auto* dyn = dyn_cast<ir::DynamicSupervisorDecl>(d.get())) {
                nodes.push_back(dyn);
                std::vector<std::pair<const ir::KindDecl*, SourceRange>> kinds;
                collectKinds(dyn->templ.get(), kinds);
                for (auto& [k, r] : kinds)
                    edges_[dyn].push_back({k, r, "template"});
            }
        }
    // Iterative depth-first search: white (absent), grey (on the stack), black (done).
    enum Color { Grey = 1, Black = 2 };
    std::unordered_map<const ir::KindDecl*, int> color;
    struct Frame {
        const ir::KindDecl* decl;
        size_t next;
        const EdgeInfo* via;
    };
    for (const ir::KindDecl* root : nodes) {
        if (color[root])
            continue;
        std::vector<Frame> stack{{root, 0, nullptr}};
        color[root] = Grey;
        while (!stack.empty()) {
            Frame& top = stack.back();
            const auto& edges = edges_[top.decl];
            if (top.next == edges.size()) {
                color[top.decl] = Black;
                stack.pop_back();
                continue;
            }
            const EdgeInfo& e = edges[top.next++];
            if (!isSupervisorLike(e.to))
                continue;
            int c = color[e.to];
            if (c == 0) {
                color[e.to] = Grey;
                stack.push_back({e.to, 0, &e});
            } else if (c == Grey) {
                size_t pos = 0;
                while (stack[pos].decl != e.to)
                    ++pos;
                std::string chain;
                for (size_t k = pos; k < stack.size(); ++k)
                    chain += "'" + stack[k].decl->name + "' -> ";
                chain += "'" + e.to->name + "'";
                auto b = diag_.error(ErrorCode::E021, e.range, "{} '{}' contains itself: {}",
                                     e.to->kindName(), e.to->name, chain);
                for (size_t k = pos + 1; k < stack.size(); ++k)
                    b.note(fmt::format("'{}' has child '{}' of kind '{}'", stack[k - 1].decl->name,
                                       stack[k].via->childId, stack[k].decl->name),
                           stack[k].via->range);
            }
        }
    }
}

} // namespace

void resolveProgram(std::vector<LoadedFile>& files, const ir::Module* entry, ir::Program& program,
                    DiagnosticEngine& diag) {
    Resolver(diag, program).run(files, entry);
}

} // namespace supc::sema
