// Resolution: from the loaded files' ASTs to the resolved declarations of IR.h.
//
// One Resolver runs over a whole program; its work is split by idea, one file each:
//
//   Resolver.cpp          the phases, in order (declare, parameter types, consts,
//                         parameter defaults, workers, supervisors, cycles)
//   ResolveDecls.cpp      declarations: names, packages, parameter types and defaults,
//                         worker kinds, supervisors, dynamic supervisors
//   ResolveConsts.cpp     consts and env(), evaluated once, in dependency order
//   ResolveNames.cpp      looking names up in a scope; "unknown name" with a suggestion
//   ResolveExprs.cpp      expressions: typing, operators, kind instances and arguments
//   ResolveBodies.cpp     supervisor bodies: children, loops, ids
//   ResolveSettings.cpp   settings: where each may appear, one function per setting
//   Cycles.cpp            supervisors that contain themselves
//   Failure.cpp           which declarations failed or depend on one that did (what
//                         elaboration can trust in a program with errors)
//
// Values are checked by the settings-check module (SettingsCheck.h) that elaboration
// shares.
#pragma once

#include "Sema/Loader.h"
#include "supc/EditDistance.h"
#include "supc/Evaluator.h"
#include "supc/Settings.h"

#include <string>
#include <unordered_map>
#include <vector>

namespace supc::sema {

/// Declares, resolves and validates every loaded file's declarations into `program`
/// (moving the modules from `files`). Reports through `diag`.
void resolveProgram(std::vector<LoadedFile>& files, const ir::Module* entry, ir::Program& program,
                    DiagnosticEngine& diag);

/// Reports each supervisor that contains itself, directly or through others (E021), and
/// marks the supervisors of each cycle failed.
void findSupervisionCycles(ir::Program& program, DiagnosticEngine& diag);

// ------------------------------------------------------------------ the resolver's pieces

/// What is expected of an expression, for typing and for messages.
struct Expect {
    Expect(const Type* t = nullptr, std::string w = "", std::string noun = "")
        : type(t), what(std::move(w)), enumNoun(std::move(noun)) {}
    const Type* type = nullptr; // null: infer
    std::string what;           // "argument 'ttl' of 'Cache'"
    std::string enumNoun;       // "restart type": used in "unknown restart type 'x'"
    std::string enumFor;        // "parameter 'keys' of 'std.Registry'": "unknown value 'x' for ..."
};

/// Where names are looked up: a module, the declaration's parameters (those before
/// `visibleParams` for a parameter's default), the enclosing loops.
struct Scope {
    const ir::Module* module = nullptr;
    const ir::KindDecl* owner = nullptr;
    const std::vector<ir::Param>* params = nullptr;
    size_t visibleParams = 0;
    std::vector<const ir::Loop*> loops;
};

/// What a name refers to.
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

/// Where settings are being resolved, for precise "misplaced setting" messages.
struct Place {
    SettingPlace place;
    const ir::KindDecl* owner = nullptr;     // the declaration
    const ir::KindDecl* childKind = nullptr; // InChild: the child's kind
    const ir::KindDecl* templ = nullptr;     // InDynamicSupervisor: the template's kind
};

/// std.TaskSupervisor, a C++ supervisor whose children's block takes `intensity`: Elixir's
/// Task.Supervisor takes max_restarts / max_seconds (generated code passes it to the class
/// through sup::gen::with_intensity).
bool takesIntensity(const ir::KindDecl* kind);

/// What to write instead of an OTP spelling of an enumerated value (`simple_one_for_one`).
std::optional<std::string> otpValueNote(std::string_view written, const Type& enumType);

class Resolver {
public:
    Resolver(DiagnosticEngine& diag, ir::Program& program);
    void run(std::vector<LoadedFile>& files, const ir::Module* entry);

private:
    // ResolveDecls.cpp
    void declare(LoadedFile& file);
    void declareDropped(ir::Module& m, const ast::DroppedDecl& d);
    const Type* resolveType(const ast::TypeRef& t);
    void resolveParamTypes(ir::KindDecl& decl, const std::vector<ast::Param>& params);
    void resolveParamDefaults(ir::KindDecl& decl, const std::vector<ast::Param>& params);
    void resolveWorker(ir::WorkerDecl& decl, const ast::WorkerDecl& a);
    void resolveSupervisor(ir::SupervisorDecl& decl, const ast::SupervisorDecl& a);
    void resolveDynamic(ir::DynamicSupervisorDecl& decl, const ast::DynamicSupervisorDecl& a);
    Scope declScope(const ir::KindDecl& decl) const;

    // ResolveConsts.cpp
    enum class ConstState { Unresolved, InProgress, Done };
    void ensureConst(ir::ConstDecl& c, SourceRange usedAt);
    void resolveConst(ir::ConstDecl& c);
    void resolveEnvConst(ir::ConstDecl& c, const ast::CallExpr& call);
    /// The value of a constant expression (null: not constant, or erroneous).
    std::optional<Value> constant(const ir::Expr& e);

    // ResolveNames.cpp
    /// What `name` means in `s`; the declaration found is a use of the one being resolved.
    Symbol lookup(const ast::QualifiedName& name, const Scope& s);
    Symbol findSymbol(const ast::QualifiedName& name, const Scope& s) const;
    /// Reports an unknown name (E011), unless the scope's names are incomplete.
    void reportUnknownValue(const ast::QualifiedName& name, const Symbol& sym, const Scope& s,
                            std::string_view what);
    /// "Did you mean": the closest value name (loop variables, parameters, consts) or
    /// kind name visible in `s`.
    std::optional<std::string> suggestValue(std::string_view typo, const Scope& s);
    std::optional<std::string> suggestKind(std::string_view typo, const Scope& s,
                                           bool withFunctions = false);

    // ResolveExprs.cpp
    ir::ExprPtr resolveExpr(const ast::Expr& e, const Expect& expect, Scope& s);
    ir::ExprPtr resolveInner(const ast::Expr& e, const Expect& expect, Scope& s);
    ir::ExprPtr resolveName(const ast::NameExpr& e, const Expect& expect, Scope& s);
    ir::ExprPtr resolveCall(const ast::CallExpr& e, const Expect& expect, Scope& s);
    ir::ExprPtr resolveBinary(const ast::BinaryExpr& e, Scope& s);
    ir::ExprPtr resolveNegate(const ast::NegateExpr& e, Scope& s);
    ir::ExprPtr resolveList(const ast::ListExpr& e, const Expect& expect, Scope& s);
    void reportMismatch(const ast::Expr& e, const Expect& expect, const Type* found);
    ir::ExprPtr kindInstance(const ir::KindDecl& decl, const std::vector<ast::Arg>& args,
                             SourceRange useRange, Scope& s, bool allowOpen);
    ir::ExprPtr resolveKindUse(const ast::KindRef& ref, Scope& s, bool allowOpen,
                               std::string_view role);

    // ResolveBodies.cpp
    void resolveBody(const std::vector<ast::BodyItemPtr>& items, std::vector<ir::BodyItemPtr>& out,
                     Scope& s, ir::SupervisorDecl& owner, bool inLoop);
    std::unique_ptr<ir::ChildDecl> resolveChild(const ast::ChildDecl& a, Scope& s);
    std::unique_ptr<ir::Loop> resolveLoop(const ast::ForLoop& a, Scope& s,
                                          ir::SupervisorDecl& owner);
    /// `childId`: a plain one is checked as a child id (E038).
    ir::IdTemplate resolveIdTemplate(const ast::IdTemplate& a, Scope& s, std::string_view role,
                                     bool childId = true);

    // ResolveProgram.cpp
    void resolveProgram(ir::WorkerDecl& decl, const ast::WorkerDecl& a);
    bool resolveProgramStrings(const ast::Setting& a, Scope& s, ir::Setting& out, bool list);

    // ResolveSettings.cpp
    void resolveSetting(const ast::Setting& a, const Place& place, Scope& s, ir::SettingList& list);
    void reportUnknownSetting(const ast::Setting& a, const Place& place);
    void reportMisplaced(const ast::Setting& a, const SettingInfo& info, const Place& place);
    // OtpSpellings.cpp: Elixir's max_restarts / max_seconds, held until the block's end.
    bool holdElixirFlag(const ast::Setting& a, const Place& place, ir::SettingList& list);
    void reportElixirFlags(ir::SettingList& list);
    // One function per form (SettingForm), none per setting.
    bool resolveSettingValue(const ast::Setting& a, const SettingInfo& info, Scope& s,
                             ir::Setting& out);
    bool resolveEnum(const ast::Setting& a, const SettingInfo& info, Scope& s, ir::Setting& out);
    bool resolveIntensity(const ast::Setting& a, Scope& s, ir::Setting& out);
    bool resolveBackoff(const ast::Setting& a, Scope& s, ir::Setting& out);
    bool resolveShutdown(const ast::Setting& a, Scope& s, ir::Setting& out);
    bool resolveNeeds(const ast::Setting& a, Scope& s, ir::Setting& out);
    bool resolveTimeout(const ast::Setting& a, Scope& s, ir::Setting& out);
    bool resolveName(const ast::Setting& a, Scope& s, ir::Setting& out);
    ir::ExprPtr resolveEnumSetting(const ast::Setting& a, const Type* type, std::string_view noun,
                                   Scope& s);

    /// The names of a module's scope, indexed once for suggestions.
    struct ModuleNames {
        NameIndex values; // consts of the module and of its imports (also qualified)
        NameIndex kinds;  // kinds of the module and of its imports (also qualified)
    };
    const ModuleNames& namesOf(const ir::Module& m);

    // Failure.cpp: which declarations failed, and which depend on one that did.
    /// Resolves `d` with `step`: it failed if an error was reported meanwhile, other than
    /// in the declarations resolved on the way (a const resolved at its first use).
    template <class Step>
    void resolving(ir::Decl& d, Step&& step) {
        ir::Decl* outer = current_;
        current_ = &d;
        unsigned before = failures(), nestedBefore = nestedFailures_;
        step();
        unsigned all = failures() - before;
        if (all != nestedFailures_ - nestedBefore)
            d.failed = true;
        nestedFailures_ = nestedBefore + all; // the enclosing declaration's are not its own
        current_ = outer;
    }
    /// The declaration being resolved uses `d`.
    void noteUse(const ir::Decl* d);
    /// It uses a name that is not known, in a module whose names are incomplete: it
    /// fails, quietly.
    void noteUnknownUse() { ++quietFailures_; }
    /// Whether a use of `d` must stay quiet: `d` was dropped after a syntax error (its
    /// parameters and shape are not known).
    bool quietUse(const ir::Decl* d) const { return d && d->dropped; }
    /// An erroneous expression for such a use, failing quietly.
    ir::ExprPtr quietError(SourceRange r) {
        noteUnknownUse();
        return std::make_unique<ir::ErrorExpr>(r);
    }
    /// Errors reported and quiet failures so far: what tells that a step failed.
    unsigned failures() const { return diag_.errorCount() + quietFailures_; }
    /// Sets Decl::tainted on every declaration of the program.
    void propagateFailures();

    DiagnosticEngine& diag_;
    ir::Program& program_;
    ir::Decl* current_ = nullptr; // the declaration being resolved
    unsigned quietFailures_ = 0;  // uses that failed without a report (see quietUse)
    unsigned nestedFailures_ = 0; // failures counted by resolving() for inner declarations
    EvalContext evalCtx_;
    std::unordered_map<const ir::Decl*, const ast::Decl*> astOf_;
    std::unordered_map<const ir::ConstDecl*, ConstState> constState_;
    struct ElixirFlags {
        const ast::Setting* maxRestarts = nullptr;
        const ast::Setting* maxSeconds = nullptr;
    };
    std::unordered_map<const ir::SettingList*, ElixirFlags> elixirFlags_;
    std::vector<const ir::ConstDecl*> constStack_;
    std::unordered_map<const ir::Module*, ModuleNames> names_;
};

// Small helpers the resolver's files share.

/// "'name'"
std::string inQuotes(std::string_view s);
/// "a, b, c"
std::string joinPlain(const std::vector<std::string>& names);
/// `brutal-kill`: names joined by '-', as people write enumerated values by mistake.
/// Returns the words joined by '_' ("brutal_kill").
std::optional<std::string> dashedWords(const ast::Expr& e);
/// T for T?, else the type itself.
const Type* stripOptional(const Type* t);
/// A supervisor or dynamic supervisor (what can contain children).
bool isSupervisorLike(const ir::Decl* d);

} // namespace supc::sema
