// Settings: which exist, where each may be written (with a message that says where it
// belongs otherwise), once per place; then one function per form (SettingForm) reads its
// value, and the setting's check (SettingInfo::check) looks at what is constant.
// Constant values are checked here with the checks elaboration uses for every instance
// (SettingsCheck.h).
#include "Sema/Resolver.h"
#include "supc/SettingsCheck.h"

namespace supc::sema {

using llvm::dyn_cast;
using llvm::isa;

bool takesIntensity(const ir::KindDecl* kind) {
    auto* w = llvm::dyn_cast_or_null<ir::WorkerDecl>(kind);
    return w && w->stdKind == ir::StdKind::TaskSupervisor;
}

namespace {
/// A worker kind that is a supervisor implemented in C++ (`type = supervisor`).
const ir::WorkerDecl* cppSupervisor(const ir::KindDecl* kind) {
    auto* w = llvm::dyn_cast_or_null<ir::WorkerDecl>(kind);
    return w && w->childType == ChildType::Supervisor ? w : nullptr;
}
} // namespace

void Resolver::resolveSetting(const ast::Setting& a, const Place& place, Scope& s,
                              ir::SettingList& list) {
    const SettingInfo* info = findSetting(a.name);
    if (!info) {
        if (holdElixirFlag(a, place, list))
            return;
        reportUnknownSetting(a, place);
        return;
    }
    bool given = place.place == InChild && info->key == SettingKey::Intensity &&
                 takesIntensity(place.childKind);
    if (!given && !(info->places & place.place)) {
        reportMisplaced(a, *info, place);
        return;
    }
    if (const ir::Setting* previous = list.find(info->key)) {
        diag_.error(ErrorCode::E015, a.nameRange, "'{}' is set twice", a.name)
            .note("it is first set here", previous->range);
        return;
    }
    if (a.period && info->key != SettingKey::Intensity) {
        diag_.error(ErrorCode::E016, a.perRange, "'{}' takes no 'per'", a.name)
            .note("'per' only appears in 'intensity = N per DURATION'");
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
    // A constant value is checked here, every instance's by elaboration (the same check).
    if (info->check) {
        auto constantOf = [&](const ir::ExprPtr& e) {
            return e ? constant(*e) : std::optional<Value>();
        };
        std::optional<Value> v = constantOf(out.value), p = constantOf(out.period),
                             j = constantOf(out.jitter);
        info->check(out,
                    {v ? &*v : nullptr, p ? &*p : nullptr, j ? &*j : nullptr,
                     place.place == InDynamicSupervisor},
                    diag_);
    }
    list.settings.push_back(std::move(out));
}

void Resolver::reportUnknownSetting(const ast::Setting& a, const Place& place) {
    std::vector<std::string> here;
    for (const auto& si : allSettings()) {
        if (si.places & place.place)
            here.emplace_back(si.name);
    }
    auto b = diag_.error(ErrorCode::E013, a.nameRange, "unknown setting '{}'", a.name);
    // Only a setting that may be written here is suggested: one of another place would be
    // the next error.
    auto guess = closestMatch(a.name, here);
    if (a.name == "children" && (place.place == InSupervisor || place.place == InDynamicSupervisor))
        guess.reset();
    if (guess) {
        b.note(fmt::format("did you mean '{}'?", *guess));
        b.fixIt(a.nameRange, *guess);
    }
    std::string_view where = place.place == InChild         ? "a child"
                             : place.place == InWorkerDecl  ? "a worker declaration"
                             : place.place == InProgramDecl ? "a program"
                             : place.place == InSupervisor  ? "a supervisor"
                                                            : "a dynamic supervisor";
    b.note(fmt::format("the settings of {} are: {}", where, joinPlain(here)));
    if (a.name == "children" && place.place == InSupervisor)
        b.note("a supervisor's children are declared in its body, one per line: child ID = Kind;");
    else if (a.name == "children" && place.place == InDynamicSupervisor)
        b.note("a dynamic supervisor's children are started at run time from its template "
               "('of Kind'); 'max_children' bounds their number");
    else if (a.name == "max_restarts" || a.name == "max_seconds")
        b.note("restart limits belong to the supervisor: 'intensity = N per DURATION' in its body");
}

void Resolver::reportMisplaced(const ast::Setting& a, const SettingInfo& info, const Place& place) {
    SettingKey k = info.key;
    bool supervisorSetting = (info.places & InSupervisor) != 0;
    bool childSetting = (info.places & InChild) != 0;
    SourceRange r = a.nameRange;
    if (isProgramSetting(k)) {
        auto b =
            diag_.error(ErrorCode::E014, r,
                        "'{}' is a setting of a program and belongs in its declaration", a.name);
        b.note("a program is declared as: worker NAME(params) = program \"command\" { " +
               std::string(a.name) + " = ...; }");
        if (place.place == InChild && place.childKind)
            b.note(fmt::format("to change it for this child, give '{}' a parameter for it",
                               place.childKind->name),
                   place.childKind->nameRange);
        return;
    }
    if (k == SettingKey::Type && place.place == InProgramDecl) {
        diag_.error(ErrorCode::E014, r, "a program's children are workers: 'type' is not allowed")
            .note("a process cannot supervise children of the tree");
        return;
    }
    if (supervisorSetting && place.place == InProgramDecl) {
        diag_
            .error(ErrorCode::E014, r,
                   "'{}' is a supervisor setting, not a default for a program's children", a.name)
            .note(
                "a program may set restart, shutdown, significant and name, and its own settings");
        return;
    }
    if (k == SettingKey::Needs && place.place == InProgramDecl) {
        diag_.error(ErrorCode::E014, r,
                    "'needs' names sibling children, so it belongs on a child, not on a program");
        return;
    }
    if (supervisorSetting && place.place == InChild) {
        auto b = diag_.error(ErrorCode::E014, r,
                             "'{}' is a supervisor setting and cannot be set on a child", a.name);
        if (place.childKind && isSupervisorLike(place.childKind))
            b.note(fmt::format("to change it for this child, set it in the declaration of {} '{}'",
                               place.childKind->kindName(), place.childKind->name),
                   place.childKind->nameRange);
        else if (const ir::WorkerDecl* w = cppSupervisor(place.childKind))
            b.note(fmt::format("'{}' is a supervisor implemented in C++ ('{}'), which sets its "
                               "own '{}'{}",
                               w->qualifiedName, w->cppType, a.name,
                               takesIntensity(w) ? "; its children's block takes 'intensity'" : ""),
                   w->nameRange);
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
            .note("a worker declaration may set restart, shutdown, significant, name and type");
        return;
    }
    if (k == SettingKey::MaxChildren) {
        auto b = diag_.error(ErrorCode::E014, r,
                             "'max_children' is only allowed in a "
                             "dynamic_supervisor");
        if (place.place == InSupervisor)
            b.note("a static supervisor has exactly the children it declares");
        if (place.place == InChild && takesIntensity(place.childKind))
            b.note(fmt::format("'{}' takes it as an argument: {}(max_children = N)",
                               place.childKind->qualifiedName, place.childKind->qualifiedName));
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

// One function per form (SettingInfo::form), none per setting.
bool Resolver::resolveSettingValue(const ast::Setting& a, const SettingInfo& info, Scope& s,
                                   ir::Setting& out) {
    switch (info.form) {
    case SettingForm::Enum:
        return resolveEnum(a, info, s, out);
    case SettingForm::Bool:
        out.value = resolveExpr(*a.value, Expect{Type::boolType(), inQuotes(a.name), ""}, s);
        return !out.value->type()->isError();
    case SettingForm::OptionalInt:
        // an int?, so that a parameter may leave it unlimited
        out.value = resolveExpr(*a.value,
                                Expect{Type::optionalOf(Type::intType()), inQuotes(a.name), ""}, s);
        return !out.value->type()->isError();
    case SettingForm::Shutdown:
        return resolveShutdown(a, s, out);
    case SettingForm::Intensity:
        return resolveIntensity(a, s, out);
    case SettingForm::Backoff:
        return resolveBackoff(a, s, out);
    case SettingForm::Ids:
        return resolveNeeds(a, s, out);
    case SettingForm::Timeout:
        return resolveTimeout(a, s, out);
    case SettingForm::String:
        return resolveProgramStrings(a, s, out, /*list=*/false);
    case SettingForm::Strings:
        return resolveProgramStrings(a, s, out, /*list=*/true);
    case SettingForm::Name:
        return resolveName(a, s, out);
    }
    return false;
}

ir::ExprPtr Resolver::resolveEnumSetting(const ast::Setting& a, const Type* type,
                                         std::string_view noun, Scope& s) {
    return resolveExpr(*a.value, Expect{type, inQuotes(a.name), std::string(noun)}, s);
}

// An enumerator of the setting's type (`strategy = one_for_one`), or an expression of that
// type; a literal only where the setting says so (`type = worker`).
bool Resolver::resolveEnum(const ast::Setting& a, const SettingInfo& info, Scope& s,
                           ir::Setting& out) {
    out.value = resolveEnumSetting(a, info.type(), info.noun, s);
    if (out.value->type()->isError())
        return false;
    if (info.literalOnly && !isa<ir::LiteralExpr>(out.value.get())) {
        diag_.error(ErrorCode::E016, a.value->range(), "'{}' must be written out: {}", a.name,
                    info.expected);
        return false;
    }
    return true;
}

// `intensity = N per DURATION`
bool Resolver::resolveIntensity(const ast::Setting& a, Scope& s, ir::Setting& out) {
    if (!a.period) {
        auto* div = dyn_cast<ast::BinaryExpr>(a.value.get());
        if (div && div->op == ast::BinaryOp::Div) {
            diag_
                .error(ErrorCode::E016, a.value->range(),
                       "'intensity' expects 'N per DURATION', found '{}'", a.value->range().text())
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
    out.value =
        resolveExpr(*a.value, Expect{Type::intType(), "the restart count of 'intensity'", ""}, s);
    out.period =
        resolveExpr(*a.period, Expect{Type::durationType(), "the period of 'intensity'", ""}, s);
    return !out.value->type()->isError() && !out.period->type()->isError();
}

// `backoff = none | exponential(MIN, MAX) | exponential(MIN, MAX, jitter = J)`, the
// arguments also by name (min, max, jitter)
bool Resolver::resolveBackoff(const ast::Setting& a, Scope& s, ir::Setting& out) {
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
    return !out.value->type()->isError() && !out.period->type()->isError() &&
           !(out.jitter && out.jitter->type()->isError());
}

// `shutdown = brutal_kill | infinity | DURATION`
bool Resolver::resolveShutdown(const ast::Setting& a, Scope& s, ir::Setting& out) {
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
            auto b = diag_.error(ErrorCode::E012, n->range(), "unknown shutdown value '{}'", word);
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
    return !out.value->type()->isError();
}

// `name = "NAME"` or `name = via("REGISTRY", "KEY")`: strings that may interpolate parameters,
// loop variables and consts (read as templates by the AST builder). Constant ones are checked
// here, the others for each instance by elaboration; names across a tree too (Elab/Names.cpp).
bool Resolver::resolveName(const ast::Setting& a, Scope& s, ir::Setting& out) {
    auto expected = [&](SourceRange r) {
        diag_
            .error(ErrorCode::E016, r, "'name' expects a string or via(REGISTRY, KEY), found '{}'",
                   r.text())
            .note("for example: name = \"cache\"; or name = via(\"rooms\", \"room:{id}\");");
        return false;
    };
    std::vector<const ast::IdTemplate*> strings;
    if (isa<ast::StringLit>(a.value.get())) {
        if (a.strings.size() != 1 || !a.strings[0])
            return expected(a.value->range());
        strings.push_back(&*a.strings[0]);
    } else if (auto* call = dyn_cast<ast::CallExpr>(a.value.get())) {
        if (!call->callee.isSimple() || call->callee.parts[0] != "via") {
            auto b = diag_.error(ErrorCode::E012, call->callee.range, "unknown name form '{}'",
                                 call->callee.str());
            b.note("a name is a string, or via(REGISTRY, KEY): a key in the std.Registry "
                   "registered as REGISTRY");
            if (closestMatch(call->callee.str(), {"via"}))
                b.fixIt(call->callee.range, "via");
            return false;
        }
        if (call->args.size() != 2) {
            diag_
                .error(ErrorCode::E018, call->range(),
                       "via() takes two strings, the registry's name and the key; found {} "
                       "argument{}",
                       call->args.size(), call->args.size() == 1 ? "" : "s")
                .note("for example: name = via(\"rooms\", \"room:{id}\");");
            return false;
        }
        for (size_t i = 0; i < call->args.size(); ++i) {
            const ast::Arg& arg = call->args[i];
            if (!arg.name.empty()) {
                diag_.error(ErrorCode::E017, arg.nameRange,
                            "via() takes its arguments in order, without names: "
                            "via(REGISTRY, KEY)");
                return false;
            }
            if (i >= a.strings.size() || !a.strings[i]) {
                diag_
                    .error(ErrorCode::E016, arg.range, "via() expects strings, found '{}'",
                           arg.range.text())
                    .note("write each as a string, which may interpolate parameters and consts: "
                          "\"room:{id}\"");
                return false;
            }
            strings.push_back(&*a.strings[i]);
        }
        out.via = true;
    } else {
        return expected(a.value->range());
    }
    for (const ast::IdTemplate* t : strings)
        out.strings.push_back(resolveIdTemplate(*t, s, "'name'", /*childId=*/false));
    // A constant name is checked now.
    std::optional<Value> value, registry;
    if (out.strings.back().isPlain())
        value = Value::makeString(out.strings.back().plainText());
    if (out.via && out.strings.front().isPlain())
        registry = Value::makeString(out.strings.front().plainText());
    settings::checkName(out, {value ? &*value : nullptr, registry ? &*registry : nullptr}, diag_);
    return true;
}

// `start_timeout = DURATION | infinity`
bool Resolver::resolveTimeout(const ast::Setting& a, Scope& s, ir::Setting& out) {
    if (auto* n = dyn_cast<ast::NameExpr>(a.value.get());
        n && n->name.isSimple() && n->name.parts[0] == "infinity") {
        out.shutdownMode = Shutdown::Mode::Infinity;
        return true;
    }
    out.shutdownMode = Shutdown::Mode::Timeout;
    out.value = resolveExpr(*a.value, Expect{Type::durationType(), inQuotes(a.name), ""}, s);
    return !out.value->type()->isError();
}

// `needs = [id, "id_{i}", ...]`: the entries were read as ids by the AST builder.
bool Resolver::resolveNeeds(const ast::Setting& a, Scope& s, ir::Setting& out) {
    auto* list = dyn_cast<ast::ListExpr>(a.value.get());
    if (!list) {
        auto b = diag_.error(ErrorCode::E016, a.value->range(),
                             "'needs' expects a list of sibling ids, found '{}'",
                             a.value->range().text());
        if (isa<ast::NameExpr>(a.value.get()))
            b.fixIt(a.value->range(), "[" + std::string(a.value->range().text()) + "]");
        return false;
    }
    for (size_t i = 0; i < list->elements.size(); ++i) {
        const auto& item = list->elements[i];
        if (i < a.needs.size() && a.needs[i]) {
            out.needs.push_back(resolveIdTemplate(*a.needs[i], s, "'needs' entry"));
            continue;
        }
        diag_
            .error(ErrorCode::E016, item->range(), "'needs' expects sibling ids, found '{}'",
                   item->range().text())
            .note("name siblings by their ids: needs = [repo, \"worker_{i}\"]");
        return false;
    }
    return true;
}

} // namespace supc::sema
