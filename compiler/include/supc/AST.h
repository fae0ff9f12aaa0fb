// The syntax tree of one .sup file, as written: no name is resolved, no default filled in.
//
// Built from ANTLR's parse tree by the parser (compiler/lib/Parse) and independent of it:
// ANTLR's nodes die with the parser object. Every node carries its source range.
// The checker (compiler/lib/Sema) turns a set of these into the resolved declarations of
// IR.h; no other phase reads the AST.
#pragma once

#include "supc/SourceLocation.h"

#include <cstdint>
#include <llvm/Support/Casting.h>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace supc::ast {

// ------------------------------------------------------------------ expressions

class Expr {
public:
    enum class Kind : uint8_t {
        Int,      // 42, 1_000
        Decimal,  // 0.2
        Duration, // 500ms, 5s
        String,   // "text"
        Bool,     // true, false
        Name,     // pool_size, std.Registry, one_for_one
        Call,     // env("X", 1), exponential(1s, 5s), PoolWorker(worker_id = 1)
        List,     // [a, b]
        Negate,   // -x
        Binary,   // a + b
        Error,    // a literal that was reported as invalid
    };
    Expr(Kind kind, SourceRange range) : kind_(kind), range_(range) {}
    virtual ~Expr() = default;
    Kind kind() const { return kind_; }
    SourceRange range() const { return range_; }

private:
    Kind kind_;
    SourceRange range_;
};
using ExprPtr = std::unique_ptr<Expr>;

template <Expr::Kind K>
class ExprOf : public Expr {
public:
    explicit ExprOf(SourceRange range) : Expr(K, range) {}
    static bool classof(const Expr* e) { return e->kind() == K; }
};

class IntLit final : public ExprOf<Expr::Kind::Int> {
public:
    IntLit(SourceRange r, int64_t v) : ExprOf(r), value(v) {}
    int64_t value;
};

class DecimalLit final : public ExprOf<Expr::Kind::Decimal> {
public:
    DecimalLit(SourceRange r, double v) : ExprOf(r), value(v) {}
    double value;
};

class DurationLit final : public ExprOf<Expr::Kind::Duration> {
public:
    DurationLit(SourceRange r, int64_t ms) : ExprOf(r), milliseconds(ms) {}
    int64_t milliseconds;
};

/// A string literal with escapes decoded. `parts` splits it at `{name}` interpolations
/// (only meaningful where ids are interpolated: child ids and `needs`).
class StringLit final : public ExprOf<Expr::Kind::String> {
public:
    StringLit(SourceRange r, std::string v) : ExprOf(r), value(std::move(v)) {}
    std::string value;
};

class BoolLit final : public ExprOf<Expr::Kind::Bool> {
public:
    BoolLit(SourceRange r, bool v) : ExprOf(r), value(v) {}
    bool value;
};

/// A possibly qualified name: `a` or `std.Registry`.
struct QualifiedName {
    std::vector<std::string> parts;
    std::vector<SourceRange> partRanges;
    SourceRange range;
    std::string str() const;
    bool isSimple() const { return parts.size() == 1; }
};

class NameExpr final : public ExprOf<Expr::Kind::Name> {
public:
    NameExpr(SourceRange r, QualifiedName n) : ExprOf(r), name(std::move(n)) {}
    QualifiedName name;
};

/// `name = value` or a positional `value`.
struct Arg {
    std::string name; // empty for a positional argument
    SourceRange nameRange;
    ExprPtr value;
    SourceRange range; // the whole argument
};

class CallExpr final : public ExprOf<Expr::Kind::Call> {
public:
    CallExpr(SourceRange r, QualifiedName c) : ExprOf(r), callee(std::move(c)) {}
    QualifiedName callee;
    std::vector<Arg> args;
};

class ListExpr final : public ExprOf<Expr::Kind::List> {
public:
    using ExprOf::ExprOf;
    std::vector<ExprPtr> elements;
};

class NegateExpr final : public ExprOf<Expr::Kind::Negate> {
public:
    NegateExpr(SourceRange r, ExprPtr e) : ExprOf(r), operand(std::move(e)) {}
    ExprPtr operand;
};

enum class BinaryOp : uint8_t { Add, Sub, Mul, Div, Mod };
char binaryOpSpelling(BinaryOp op);

class BinaryExpr final : public ExprOf<Expr::Kind::Binary> {
public:
    BinaryExpr(SourceRange r, BinaryOp o, SourceRange opR, ExprPtr l, ExprPtr rr)
        : ExprOf(r), op(o), opRange(opR), lhs(std::move(l)), rhs(std::move(rr)) {}
    BinaryOp op;
    SourceRange opRange;
    ExprPtr lhs, rhs;
};

class ErrorExpr final : public ExprOf<Expr::Kind::Error> {
public:
    using ExprOf::ExprOf;
};

// ------------------------------------------------------------------ pieces

/// A child id: a plain name, or a string whose `{name}` parts are interpolated.
struct IdTemplate {
    struct Part {
        std::string text; // literal text, or the interpolated name
        bool isName = false;
        SourceRange range; // of the name inside the braces, for isName parts
    };
    std::vector<Part> parts;
    bool quoted = false;
    SourceRange range;
    bool isPlain() const { return parts.size() == 1 && !parts[0].isName; }
};

/// `name = value;` or `name = value per period;`
struct Setting {
    std::string name;
    SourceRange nameRange;
    ExprPtr value;
    ExprPtr period; // only with `per`
    SourceRange perRange;
    SourceRange range; // the whole setting, `;` included
    /// `needs = [a, "worker_{i}"]`: one entry per element of the list, the element read as
    /// a sibling id (a name, or a string with `{name}` interpolations); empty for an element
    /// that is neither (the checker reports it). Empty for every other setting.
    std::vector<std::optional<IdTemplate>> needs;
};

/// `int`, `list<int>`, `enum(a, b)`, `duration?`
struct TypeRef {
    enum class Form : uint8_t { Simple, Generic, Enum };
    Form form = Form::Simple;
    std::string name;
    SourceRange nameRange;
    std::unique_ptr<TypeRef> argument;                            // Generic
    std::vector<std::pair<std::string, SourceRange>> enumerators; // Enum
    bool optional = false;                                        // trailing `?`
    SourceRange range;
};

struct Param {
    std::string name;
    SourceRange nameRange;
    TypeRef type;
    ExprPtr defaultValue; // may be null
    SourceRange range;
};

/// `Kind`, `std.Registry(keys = unique)`: the kind of a child or a template.
struct KindRef {
    QualifiedName name;
    bool hasArgList = false;
    std::vector<Arg> args;
    SourceRange range;
};

// ------------------------------------------------------------------ body items

class BodyItem {
public:
    enum class Kind : uint8_t { Setting, Child, Loop };
    BodyItem(Kind k, SourceRange r) : kind_(k), range_(r) {}
    virtual ~BodyItem() = default;
    Kind kind() const { return kind_; }
    SourceRange range() const { return range_; }

private:
    Kind kind_;
    SourceRange range_;
};
using BodyItemPtr = std::unique_ptr<BodyItem>;

class SettingItem final : public BodyItem {
public:
    SettingItem(SourceRange r, Setting s) : BodyItem(Kind::Setting, r), setting(std::move(s)) {}
    static bool classof(const BodyItem* i) { return i->kind() == Kind::Setting; }
    Setting setting;
};

/// `child ID = Kind(args) { settings }`
class ChildDecl final : public BodyItem {
public:
    explicit ChildDecl(SourceRange r) : BodyItem(Kind::Child, r) {}
    static bool classof(const BodyItem* i) { return i->kind() == Kind::Child; }
    SourceRange keywordRange;
    IdTemplate id;
    KindRef kind;
    std::vector<Setting> settings;
};

/// `for VAR in FROM..TO { items }`
class ForLoop final : public BodyItem {
public:
    explicit ForLoop(SourceRange r) : BodyItem(Kind::Loop, r) {}
    static bool classof(const BodyItem* i) { return i->kind() == Kind::Loop; }
    SourceRange keywordRange;
    std::string var;
    SourceRange varRange;
    ExprPtr from, to;
    std::vector<BodyItemPtr> body;
};

// ------------------------------------------------------------------ declarations

class Decl {
public:
    enum class Kind : uint8_t {
        Package,
        Import,
        Const,
        Worker,
        Supervisor,
        DynamicSupervisor,
        Application
    };
    Decl(Kind k, SourceRange r) : kind_(k), range_(r) {}
    virtual ~Decl() = default;
    Kind kind() const { return kind_; }
    SourceRange range() const { return range_; }
    SourceRange keywordRange;
    std::string name; // empty for package and import
    SourceRange nameRange;

private:
    Kind kind_;
    SourceRange range_;
};
using DeclPtr = std::unique_ptr<Decl>;

template <Decl::Kind K>
class DeclOf : public Decl {
public:
    explicit DeclOf(SourceRange r) : Decl(K, r) {}
    static bool classof(const Decl* d) { return d->kind() == K; }
};

class PackageDecl final : public DeclOf<Decl::Kind::Package> {
public:
    using DeclOf::DeclOf;
    QualifiedName package;
};

class ImportDecl final : public DeclOf<Decl::Kind::Import> {
public:
    using DeclOf::DeclOf;
    std::string path;
    SourceRange pathRange;
};

class ConstDecl final : public DeclOf<Decl::Kind::Const> {
public:
    using DeclOf::DeclOf;
    ExprPtr value;
};

/// `worker NAME(params) = "cpp::Type" from "header.hpp" { settings }`
class WorkerDecl final : public DeclOf<Decl::Kind::Worker> {
public:
    using DeclOf::DeclOf;
    std::vector<Param> params;
    std::string cppType;
    SourceRange cppTypeRange;
    std::string header;
    SourceRange headerRange;
    std::vector<Setting> settings;
};

/// `supervisor NAME(params) { ... }` and `application NAME { ... }`
class SupervisorDecl final : public Decl {
public:
    SupervisorDecl(Kind k, SourceRange r) : Decl(k, r) {}
    static bool classof(const Decl* d) {
        return d->kind() == Kind::Supervisor || d->kind() == Kind::Application;
    }
    bool isApplication() const { return kind() == Kind::Application; }
    std::vector<Param> params;
    std::vector<BodyItemPtr> body;
};

/// `dynamic_supervisor NAME(params) of Kind(args) { settings }`
class DynamicSupervisorDecl final : public DeclOf<Decl::Kind::DynamicSupervisor> {
public:
    using DeclOf::DeclOf;
    std::vector<Param> params;
    KindRef templ;
    std::vector<BodyItemPtr> body; // settings; children here are rejected by the checker
};

/// One parsed file.
/// A declaration dropped because of a syntax error in it: only what it declares is kept,
/// so that its uses are known not to be typos (they are not checked).
struct DroppedDecl {
    Decl::Kind kind;
    std::string name; // empty for a package, an import, or when the name was not read
    SourceRange keywordRange, nameRange;
};

struct File {
    std::string path;           // as named (command line or import)
    unsigned bufferId = 0;      // in the SourceMgr
    std::vector<DeclPtr> decls; // the declarations that parsed without error
    /// The declarations that did not, in source order.
    std::vector<DroppedDecl> dropped;
    /// Some dropped declaration may have declared names that are not known (an import, or
    /// one whose name was not read): a name nothing declares may be one of them.
    bool namesIncomplete = false;
    /// Every `// ...` and `/* ... */` comment, in source order (the linter reads
    /// suppressions from them; a formatter keeps them).
    std::vector<SourceRange> comments;
};

} // namespace supc::ast
