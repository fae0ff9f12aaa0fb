// The checked program, part (a): resolved declarations.
//
// What the checker produces from the AST of every loaded file: each declaration with its
// names bound (parameter, const, loop variable and kind references are pointers, not
// strings), every expression typed, every setting validated and converted to its key.
// Defaults are NOT filled in here (they are, per instance, in the elaborated tree of
// Tree.h); what is here is what the user wrote, so that a code generator can emit C++
// symbolically: a supervisor with parameters becomes a function with parameters, a loop
// whose bound reads env() a loop evaluated at start-up.
//
// Ownership: a Program owns its Modules, which own their Decls, which own their
// expressions and body items. Source ranges point into the llvm::SourceMgr the program
// was checked with, which must outlive it.
#pragma once

#include "supc/Settings.h"
#include "supc/SourceLocation.h"
#include "supc/Types.h"
#include "supc/Value.h"

#include <llvm/Support/Casting.h>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace supc::ir {

class Module;
class Decl;
class ConstDecl;
class KindDecl;
class Loop;
struct Param;

// ------------------------------------------------------------------ expressions

/// What an expression's value depends on (bits): a code generator emits constants for
/// none, function parameters for Params, loop variables for LoopVars, and start-up code
/// for Startup (env() consts and schedulers()).
enum Dependence : unsigned char {
    DependsOnNothing = 0,
    DependsOnParams = 1,
    DependsOnLoopVars = 2,
    DependsOnStartup = 4,
};

class Expr {
public:
    enum class Kind : unsigned char {
        Literal,      // a constant value (literals, enumerators, folded negative numbers)
        ParamRef,     // a parameter of the enclosing declaration
        ConstRef,     // a const
        LoopVarRef,   // the variable of an enclosing loop
        Schedulers,   // schedulers(): the runtime's scheduler thread count, at start-up
        List,         // [a, b]
        Negate,       // -x
        Binary,       // a + b
        KindInstance, // Kind or Kind(args): a kind value
        Error,        // already reported
    };
    Expr(Kind k, const Type* type, SourceRange range, unsigned deps)
        : kind_(k), deps_(static_cast<unsigned char>(deps)), type_(type), range_(range) {}
    virtual ~Expr() = default;

    Kind kind() const { return kind_; }
    const Type* type() const { return type_; }
    SourceRange range() const { return range_; }
    unsigned dependence() const { return deps_; }
    /// No parameters, loop variables or start-up values: the checker could evaluate it.
    bool isConstant() const { return deps_ == DependsOnNothing; }

private:
    Kind kind_;
    unsigned char deps_;
    const Type* type_;
    SourceRange range_;
};
using ExprPtr = std::unique_ptr<Expr>;

template <Expr::Kind K>
class ExprOf : public Expr {
public:
    ExprOf(const Type* t, SourceRange r, unsigned deps) : Expr(K, t, r, deps) {}
    static bool classof(const Expr* e) { return e->kind() == K; }
};

class LiteralExpr final : public ExprOf<Expr::Kind::Literal> {
public:
    LiteralExpr(Value v, SourceRange r)
        : ExprOf(v.type(), r, DependsOnNothing), value(std::move(v)) {}
    Value value;
};

class ParamRefExpr final : public ExprOf<Expr::Kind::ParamRef> {
public:
    ParamRefExpr(const Param* p, const Type* t, SourceRange r)
        : ExprOf(t, r, DependsOnParams), param(p) {}
    const Param* param;
};

class ConstRefExpr final : public ExprOf<Expr::Kind::ConstRef> {
public:
    ConstRefExpr(const ConstDecl* c, const Type* t, SourceRange r, bool startup)
        : ExprOf(t, r, startup ? DependsOnStartup : DependsOnNothing), decl(c) {}
    const ConstDecl* decl;
};

class LoopVarRefExpr final : public ExprOf<Expr::Kind::LoopVarRef> {
public:
    LoopVarRefExpr(const Loop* l, SourceRange r)
        : ExprOf(Type::intType(), r, DependsOnLoopVars), loop(l) {}
    const Loop* loop;
};

class SchedulersExpr final : public ExprOf<Expr::Kind::Schedulers> {
public:
    explicit SchedulersExpr(SourceRange r) : ExprOf(Type::intType(), r, DependsOnStartup) {}
};

class ListExpr final : public ExprOf<Expr::Kind::List> {
public:
    ListExpr(const Type* t, SourceRange r, std::vector<ExprPtr> e, unsigned deps)
        : ExprOf(t, r, deps), elements(std::move(e)) {}
    std::vector<ExprPtr> elements;
};

class NegateExpr final : public ExprOf<Expr::Kind::Negate> {
public:
    NegateExpr(const Type* t, SourceRange r, ExprPtr e)
        : ExprOf(t, r, e->dependence()), operand(std::move(e)) {}
    ExprPtr operand;
};

enum class BinaryOp : unsigned char { Add, Sub, Mul, Div, Mod };
char spelling(BinaryOp op);

class BinaryExpr final : public ExprOf<Expr::Kind::Binary> {
public:
    BinaryExpr(const Type* t, SourceRange r, BinaryOp o, ExprPtr l, ExprPtr rr)
        : ExprOf(t, r, l->dependence() | rr->dependence()), op(o), lhs(std::move(l)),
          rhs(std::move(rr)) {}
    BinaryOp op;
    ExprPtr lhs, rhs;
};

/// An argument bound to a parameter.
struct ArgBinding {
    const Param* param = nullptr;
    ExprPtr value;
    SourceRange range;     // `name = value`
    SourceRange nameRange; // `name`
};

/// `Kind` or `Kind(name = value, ...)`: a kind with some parameters bound. Parameters
/// without an argument take their default; required ones left open are supplied when the
/// child is started (templates) or are reported as missing (children).
class KindInstanceExpr final : public ExprOf<Expr::Kind::KindInstance> {
public:
    KindInstanceExpr(const KindDecl* d, SourceRange r, std::vector<ArgBinding> a, unsigned deps)
        : ExprOf(Type::kindType(), r, deps), decl(d), args(std::move(a)) {}
    const KindDecl* decl;
    std::vector<ArgBinding> args; // in the order written
    const ArgBinding* find(const Param* p) const;
};

class ErrorExpr final : public ExprOf<Expr::Kind::Error> {
public:
    explicit ErrorExpr(SourceRange r) : ExprOf(Type::errorType(), r, DependsOnNothing) {}
};

// ------------------------------------------------------------------ parameters, settings

struct Param {
    std::string name;
    const Type* type = Type::errorType();
    ExprPtr defaultValue; // may refer to earlier parameters and consts; null when none
    unsigned index = 0;   // position: C++ constructor argument order
    SourceRange range, nameRange;
    /// Must be given an argument: no default and not optional.
    bool isRequired() const { return !defaultValue && type->kind() != TypeKind::Optional; }
};

/// Whether `id` can name a child (after interpolation): not empty; letters, digits, '_',
/// '-' and '.' only.
bool isValidChildId(std::string_view id);

/// A child id or `needs` entry: literal text and `{name}` interpolations.
struct IdTemplate {
    struct Part {
        std::string text; // literal text (when expr is null)
        ExprPtr expr;     // an interpolated parameter, loop variable or const
        SourceRange range;
    };
    std::vector<Part> parts;
    SourceRange range;
    bool isPlain() const { return parts.size() == 1 && !parts[0].expr; }
    /// The text of a plain id.
    const std::string& plainText() const { return parts[0].text; }
};

/// One setting as written: `key = value;` with the value typed. Which fields are set
/// depends on the key:
///   Strategy, AutoShutdown, Restart, Type   value (an enum of strategyType() etc.)
///   MaxChildren                             value (int)
///   Significant                             value (bool)
///   Intensity                               value (restarts, int), period (duration)
///   Shutdown                                shutdownMode; value (duration) for Timeout
///   Backoff                                 exponential; value (min), period (max),
///                                           jitter (decimal, may be null: 0)
///   Needs                                   needs
///   Name                                    strings: [name], or [registry, key] and via
///   Args, Env, UnsetEnv                     strings (one per element of the list)
///   WorkingDir, OutputFile                  strings (one)
///   InheritEnv                              value (bool)
///   StopSignal, Readiness, NotifySocket,
///   Output, Containment                     value (an enum of signalType() etc.)
///   StartTimeout                            shutdownMode Infinity, or Timeout and value
///                                           (duration)
struct Setting {
    SettingKey key;
    SourceRange range;      // the whole `key = value;`
    SourceRange nameRange;  // `key`
    SourceRange valueRange; // everything after `=`
    ExprPtr value;
    ExprPtr period;
    ExprPtr jitter;
    Shutdown::Mode shutdownMode = Shutdown::Mode::Timeout;
    bool exponential = false;
    bool via = false; // Name: via(REGISTRY, KEY)
    std::vector<IdTemplate> needs;
    std::vector<IdTemplate> strings;
};

/// Settings in the order written, at most one per key.
struct SettingList {
    std::vector<Setting> settings;
    const Setting* find(SettingKey key) const;
};

// ------------------------------------------------------------------ bodies

class BodyItem {
public:
    enum class Kind : unsigned char { Child, Loop };
    explicit BodyItem(Kind k) : kind_(k) {}
    virtual ~BodyItem() = default;
    Kind kind() const { return kind_; }

private:
    Kind kind_;
};
using BodyItemPtr = std::unique_ptr<BodyItem>;

/// `child ID = Kind(args) { settings }`
class ChildDecl final : public BodyItem {
public:
    ChildDecl() : BodyItem(Kind::Child) {}
    static bool classof(const BodyItem* i) { return i->kind() == Kind::Child; }
    IdTemplate id;
    /// A KindInstanceExpr, or a reference to a parameter of type `kind`.
    ExprPtr kind;
    SettingList settings; // restart, shutdown, significant, needs
    SourceRange range, keywordRange, kindRange;
    /// An error was reported in it (its id, kind, arguments or settings).
    bool failed = false;
};

/// `for VAR in FROM..TO { items }`
class Loop final : public BodyItem {
public:
    Loop() : BodyItem(Kind::Loop) {}
    static bool classof(const BodyItem* i) { return i->kind() == Kind::Loop; }
    std::string var;
    ExprPtr from, to; // ints
    std::vector<BodyItemPtr> body;
    SourceRange range, keywordRange, varRange, boundsRange;
};

// ------------------------------------------------------------------ declarations

class Decl {
public:
    enum class Kind : unsigned char { Const, Worker, Supervisor, DynamicSupervisor, Application };
    Decl(Kind k) : kind_(k) {}
    virtual ~Decl() = default;
    Kind kind() const { return kind_; }
    /// "worker kind", "supervisor", "dynamic supervisor", "application", "const"
    std::string_view kindName() const;

    std::string name;
    std::string qualifiedName; // "std.Registry" for a declaration of an imported file
    const Module* module = nullptr;
    SourceRange range, keywordRange, nameRange;

    // How far it can be trusted when a program has errors (docs/cli.md, "Several
    // errors in one run"). A program without errors has none of these set.
    /// Dropped after a syntax error in it: only its name and what it declares are known.
    /// Its uses are not checked (nothing is reported about them).
    bool dropped = false;
    /// An error was reported in it (or it was dropped, or declared twice).
    bool failed = false;
    /// Failed, or uses a declaration that is tainted: elaboration does not expand it, as
    /// what it would report could be a consequence of the error.
    bool tainted = false;
    /// The declarations its resolution looked up (consts, kinds), once each.
    std::vector<const Decl*> uses;

private:
    Kind kind_;
};

/// `const NAME = expr;` or `const NAME = env("VAR", default);`
class ConstDecl final : public Decl {
public:
    ConstDecl() : Decl(Kind::Const) {}
    static bool classof(const Decl* d) { return d->kind() == Kind::Const; }
    const Type* type = Type::errorType();
    ExprPtr init;       // not for env() consts
    bool isEnv = false; // env("VAR", default): read at start-up
    std::string envVar;
    ExprPtr envDefault; // a constant of type `type`
    /// An env() const, or one computed from one (or from schedulers()).
    bool dependsOnStartup = false;
    /// The value the checker computed: for start-up consts, with env() at its default.
    std::optional<Value> value;
};

/// The well-known kinds of the standard library (stdlib/std.sup), recognised so that the
/// runtime side can map them onto its components.
enum class StdKind : unsigned char { None, Registry, TaskSupervisor, PartitionSupervisor, Pool };
std::string_view name(StdKind k);

/// Everything that can be a child: worker kinds, supervisors, dynamic supervisors (and
/// applications, which are supervisors that are roots).
class KindDecl : public Decl {
public:
    using Decl::Decl;
    static bool classof(const Decl* d) { return d->kind() != Kind::Const; }
    std::vector<Param> params;
    /// Worker declarations: defaults for their children (restart, shutdown, significant,
    /// type). Supervisors: their own settings (strategy, intensity, auto_shutdown,
    /// backoff, max_children).
    SettingList settings;
    const Param* findParam(std::string_view name) const;
};

/// `worker NAME(params) = "cpp::Type" from "header.hpp" { defaults }`: a C++-backed kind.
class WorkerDecl final : public KindDecl {
public:
    WorkerDecl() : KindDecl(Kind::Worker) {}
    static bool classof(const Decl* d) { return d->kind() == Kind::Worker; }
    std::string cppType;
    std::string header;
    SourceRange cppTypeRange, headerRange;
    /// `= program "command"`: the children are processes running `command` (after
    /// interpolation; a path, or a name looked up in PATH), cppType and header are empty,
    /// and the settings include the program's (args, env, ...).
    bool isProgram = false;
    IdTemplate command;
    /// `type = supervisor`: the C++ class supervises its own children (std.Pool, ...).
    ChildType childType = ChildType::Worker;
    StdKind stdKind = StdKind::None;
    /// The first parameter of type `kind` (std.Pool's `of`), if any: the template of the
    /// children a C++-backed supervisor starts.
    const Param* templateParam() const;
};

/// `supervisor NAME(params) { ... }` and `application NAME { ... }`
class SupervisorDecl final : public KindDecl {
public:
    explicit SupervisorDecl(bool application)
        : KindDecl(application ? Kind::Application : Kind::Supervisor) {}
    static bool classof(const Decl* d) {
        return d->kind() == Kind::Supervisor || d->kind() == Kind::Application;
    }
    bool isApplication() const { return kind() == Kind::Application; }
    std::vector<BodyItemPtr> body; // children and loops, in order
};

/// `dynamic_supervisor NAME(params) of Kind(args) { settings }`
class DynamicSupervisorDecl final : public KindDecl {
public:
    DynamicSupervisorDecl() : KindDecl(Kind::DynamicSupervisor) {}
    static bool classof(const Decl* d) { return d->kind() == Kind::DynamicSupervisor; }
    ExprPtr templ; // a KindInstanceExpr (or a `kind` parameter reference)
    SourceRange templRange;
};

/// Whether children of this kind are workers or supervisors: supervisors and dynamic
/// supervisors are; a worker kind is what its `type` setting says.
ChildType childTypeOf(const KindDecl& kind);

/// How a parameter gets its value where its kind is used, `Kind(args)` (`use` null: with no
/// arguments, as a root): the argument given there, else the parameter's default (an
/// expression in the kind's own scope: earlier parameters and consts), else nothing for an
/// optional parameter, else none: the parameter is open, supplied when each child is started
/// (a template) or missing (a child: E018). The one statement of this rule: the evaluator
/// binds values by it, the code generator expressions.
struct ParamBinding {
    enum class Source : unsigned char { Given, Default, Omitted, Open };
    Source source = Source::Open;
    const Expr* expr = nullptr;      // Given: the argument; Default: the default
    const ArgBinding* arg = nullptr; // Given: `name = value` as written
};
ParamBinding bindParam(const Param& param, const KindInstanceExpr* use);

// ------------------------------------------------------------------ modules, program

struct Import {
    std::string path; // as written
    std::string name; // what qualifies its declarations: the file's stem ("std")
    const Module* module = nullptr;
    SourceRange range;
};

/// One .sup file.
class Module {
public:
    std::string path;          // as named (command line, or resolved import path)
    std::string canonicalPath; // identity
    unsigned bufferId = 0;
    std::string name;                 // the file's stem: how importers qualify its names
    bool isStdlib = false;            // found in the stdlib directory
    std::vector<std::string> package; // `package a.b;` -> {"a", "b"}; empty when none
    SourceRange packageRange;
    std::vector<Import> imports;
    std::vector<std::unique_ptr<Decl>> decls; // in source order
    /// Some names it can see are not known: a declaration of it was dropped before its
    /// name was read, or an import failed. A name nothing declares is then not reported
    /// (it may be one of those); its use fails quietly.
    bool namesIncomplete = false;
    /// The file's comments (`//` and `/* */`), in source order: where the linter finds
    /// `// supc:allow(...)` suppressions.
    std::vector<SourceRange> comments;

    /// Declarations by name (filled by the checker).
    std::unordered_map<std::string_view, const Decl*> byName;

    const Decl* find(std::string_view name) const;
    template <class T>
    std::vector<const T*> declsOf() const {
        std::vector<const T*> out;
        for (const auto& d : decls)
            if (auto* t = llvm::dyn_cast<T>(d.get()))
                out.push_back(t);
        return out;
    }
};

class Program {
public:
    std::vector<std::unique_ptr<Module>> modules; // imports before importers
    const Module* entry = nullptr;                // the file that was checked
};

} // namespace supc::ir
