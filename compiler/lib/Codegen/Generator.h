// The code generator's state and its parts, one file each:
//
//   Expressions.cpp   values, expressions, ids, the arguments of a kind at a use site
//   Children.cpp      supervisor bodies: flags, children, loops, templates, child settings
//   Declarations.cpp  the two files: includes, consts, spec functions, start functions
//   TreeHandle.cpp    the typed handle of a started application (accessors by path)
//   OutputFiles.cpp   the dependency file and the atomic writing of outputs
#pragma once

#include "supc/Codegen.h"
#include "supc/EffectiveSettings.h"
#include "supc/IR.h"

#include <llvm/Support/SourceMgr.h>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace supc::codegen {

/// Lines of C++ with indentation. Text with newlines is indented line by line.
class CodeWriter {
public:
    void line(std::string_view text = "");
    void indent() { ++depth_; }
    void dedent() { --depth_; }
    /// The column lines start at.
    size_t column() const { return size_t(depth_) * 4; }
    std::string take() { return std::move(out_); }

private:
    std::string out_;
    unsigned depth_ = 0;
};

/// A C++ expression and what a user of it must know.
struct Code {
    /// For parentheses: a binary operand of lower precedence than its operator is wrapped.
    enum Prec : unsigned char { Additive, Multiplicative, Unary, Primary };
    std::string text;
    Prec prec = Primary;
    /// Refers to a parameter, loop variable or local of the function being written: a lambda
    /// that uses it captures by copy.
    bool usesLocals = false;
    /// Refers to an open parameter of a kind (a start argument): valid only inside the
    /// template's start function.
    bool usesOpen = false;
    /// Merges what `other` refers to into this.
    void uses(const Code& other) {
        usesLocals |= other.usesLocals;
        usesOpen |= other.usesOpen;
    }
};

/// What the names of an expression stand for in C++.
struct Scope {
    /// Function parameters (their names), or a kind's arguments at a use site (their code).
    std::unordered_map<const ir::Param*, Code> params;
    std::unordered_map<const ir::Loop*, Code> loops;
    /// When `params` are the parameters of the function being written: which were used.
    std::unordered_set<const ir::Param*>* used = nullptr;
};

/// A kind at a use site with its parameters bound.
struct BoundKind {
    const ir::KindDecl* decl = nullptr;
    /// Every parameter, in the kind's own terms; open ones (left for start_child) by their
    /// names, as the parameters of a template's start function (Code::usesOpen).
    Scope scope;
    /// Parameters without an argument, default or optional type, in declaration order.
    std::vector<const ir::Param*> open;
};

class Generator {
public:
    Generator(const ir::Program& program, const llvm::SourceMgr& sm);
    GeneratedFiles run();

private:
    // ------------------------------------------------ Expressions.cpp
    /// The C++ for `e` in scope `s`, or nothing if it needs an open parameter. `expected` is
    /// the type the context wants (for empty lists and optionals).
    std::optional<Code> expr(const ir::Expr& e, const Scope& s, const Type* expected = nullptr);
    Code literal(const Value& v, const Type* expected);
    Code constRef(const ir::ConstDecl& c);
    /// A child id (or needs entry) as a std::string expression (a literal when constant).
    /// `skipLeadingText`: characters of the first part (literal text) left out, as the
    /// name and `=` of a program's `env` entry.
    std::optional<Code> idCode(const ir::IdTemplate& id, const Scope& s,
                               size_t skipLeadingText = 0);
    /// Binds `k`'s arguments in scope `outer`: given arguments (in `outer`), defaults (in the
    /// kind's scope: earlier parameters), optionals left out, open parameters.
    std::optional<BoundKind> bindKind(const ir::KindInstanceExpr& k, const Scope& outer);
    /// The arguments of a bound kind, in parameter order; without the open ones and those
    /// computed from them when `fixedOnly`.
    static std::vector<std::string> arguments(const BoundKind& bound, bool fixedOnly = false);
    /// The names of the parameters `arguments` gives values for.
    static std::vector<std::string> argumentNames(const BoundKind& bound, bool fixedOnly = false);
    /// `sup::gen::worker<Cls, std::int64_t, ...>(id, args...)`: a worker started with
    /// arguments of its parameters' C++ types, in declaration order.
    std::string workerCall(const ir::WorkerDecl& worker, const BoundKind& bound,
                           const std::string& id, size_t column, bool argumentNames = true);
    /// The name of a worker kind's child factory: "Cache_child" (qualified when it lives in
    /// another namespace); "std_Registry_child" for a kind of a spec without generated code,
    /// whose factory each file that uses it defines for itself.
    std::string factoryName(const ir::WorkerDecl& worker) const;

    // ------------------------------------------------ Programs.cpp
    /// A program kind's sup::ProcessSpec, with `bound`'s arguments: an immediately invoked
    /// lambda (several lines) that fills in every field.
    std::string processSpecCode(const ir::WorkerDecl& worker, const BoundKind& bound);

    // ------------------------------------------------ Children.cpp
    void supervisorBody(CodeWriter& w, const ir::SupervisorDecl& decl, Scope& s);
    void dynamicSupervisorBody(CodeWriter& w, const ir::DynamicSupervisorDecl& decl, Scope& s);
    void flags(CodeWriter& w, const ir::KindDecl& decl, const Scope& s, bool dynamic);
    void items(CodeWriter& w, const std::vector<ir::BodyItemPtr>& body, Scope& s);
    void child(CodeWriter& w, const ir::ChildDecl& c, const Scope& s);
    /// ".with_restart(...)" etc.: every setting of a child of `bound`'s kind, from the
    /// child's block (`own`, in `outer`), else the kind's block (in the kind's scope), else
    /// the language's default.
    /// `child` (a C++ expression of a ChildSpec&) given the intensity written in its block.
    std::string givenIntensity(const std::string& child, const ir::Setting& given, const Scope& s);
    std::vector<std::string> childSettings(const ir::SettingList* own, const BoundKind& bound,
                                           const Scope& outer);
    /// Whether this file's code names sup::std_lib::via_name (includes its header).
    bool usesViaNames() const;
    /// A sup::ChildTemplate for kind expression `e`: a local variable declared before the
    /// statement being written (returned as its name), or a parameter of type kind.
    std::optional<Code> templateOf(const ir::Expr& e, const Scope& s, std::string_view hint);
    /// A tree handle's typed lookup of a child by its registered name (TreeHandle.cpp): the
    /// return type, the parameters (loop variables) and the body; none for an unnamed child.
    struct NamedLookup {
        std::string type, params, body;
    };
    std::optional<NamedLookup> namedLookup(const ir::ChildDecl& c, const ir::KindInstanceExpr& k,
                                           const Scope& s,
                                           const std::vector<std::string>& loopVars);
    /// A child's `name` as a sup::ChildName expression, in `s` (usesOpen: it depends on a
    /// template's start argument, and goes in the start function: ctx.set_name).
    std::optional<Code> nameCode(const EffectiveSetting<ChildName>& e, const Scope& s);
    /// The template's expression itself (several lines).
    std::optional<std::string> templateExpression(const ir::KindInstanceExpr& k, const Scope& s);

    // ------------------------------------------------ Declarations.cpp
    std::string headerFile();
    std::string sourceFile();
    /// Whether the header can include only sup/gen_spec.hpp (no application, no dynamic
    /// supervisor, no const of a kind): it then names no worker class, and files that import
    /// this spec parse neither the runtime nor the classes' headers.
    bool leanHeader() const;
    /// The worker classes whose headers the generated code includes: this spec's kinds, those
    /// whose factories this file defines, kinds used as templates or values, and (for the
    /// header of an application) the classes its accessors name.
    std::vector<const ir::WorkerDecl*> classesUsed(bool withHandle) const;
    void includeClasses(CodeWriter& w, const std::vector<const ir::WorkerDecl*>& classes);
    void includes(CodeWriter& w, bool lean);
    void imports(CodeWriter& w);
    void constDeclarations(CodeWriter& w);
    void constDefinitions(CodeWriter& w);
    void kindChecks(CodeWriter& w);
    /// `sup::ChildSpec& Cache_child(sup::SupervisorSpec& spec, std::string_view child_id,
    /// args...)`: adds a child of the kind to `spec` with the kind's settings. Declared in the
    /// header (or file-local, `local`), defined in the source.
    void childFactory(CodeWriter& w, const ir::WorkerDecl& worker, bool header);
    /// Worker kinds of imported specs without generated code that this spec's static
    /// children use: their factories are defined in this file.
    std::vector<const ir::WorkerDecl*> localFactories() const;
    /// "std::int64_t size = 5": with a C++ default argument only where C++ allows one.
    std::vector<std::string> parameterList(const ir::KindDecl& decl, bool withDefaults,
                                           const std::unordered_set<const ir::Param*>* used);
    void specFunction(CodeWriter& w, const ir::KindDecl& decl);
    void startChildHelper(CodeWriter& w, const ir::DynamicSupervisorDecl& decl, bool header);
    void startFunction(CodeWriter& w, const ir::SupervisorDecl& app, bool header);

    // ------------------------------------------------ TreeHandle.cpp
    void treeHandle(CodeWriter& w, const ir::SupervisorDecl& app);

    // ------------------------------------------------ names and places (Generator.cpp)
public:
    /// The C++ name of a declaration's generated entity, qualified when it lives in another
    /// namespace: "Services_spec", "::other::Pool_spec".
    std::string specName(const ir::KindDecl& decl) const;
    std::string startChildName(const ir::DynamicSupervisorDecl& decl) const;
    std::string qualify(const ir::Module& owner, const std::string& name) const;
    /// "app.sup:25"
    std::string where(SourceRange r) const;
    /// "app.sup:25: child cache = Cache(ttl = 60s);": the place and its first source line,
    /// safe in a comment (commentText).
    std::string whereWithText(SourceRange r) const;
    /// The open parameters' C++ types, "std::string, std::int64_t".
    static std::string typeList(const std::vector<const ir::Param*>& params);
    /// `callee(a, b)` on one line, or with one argument per line (indented by 4, each
    /// followed by a comment with its name from `names`, if given) when that line would pass
    /// 100 columns at `column`.
    static std::string call(const std::string& callee, const std::vector<std::string>& args,
                            size_t column, const std::vector<std::string>& names = {});

    /// Records that the code for `where` cannot be written. A program that checked clean
    /// never gets here: it is the code generator's bug, and `compile` writes nothing.
    void fail(std::string what, SourceRange where);
    template <class T>
    T required(std::optional<T> v, const ir::Setting* where) {
        if (v)
            return std::move(*v);
        fail("cannot write this setting in C++", where ? where->range : SourceRange());
        return T{};
    }

private:
    /// A fresh name for a local of the function being written.
    std::string local(std::string_view hint);
    /// The C++ name of parameter `p` of `owner` in the functions and lambdas generated for
    /// it: identifier(p.name), unless that would hide a name the code refers to unqualified
    /// (a generated name of this namespace, the first part of a worker class's name): then
    /// with `_p` appended (`_p2`, ... if that is another parameter's name).
    std::string paramName(const ir::Param& p, const ir::KindDecl& owner) const;
    /// Whether a parameter or local named `name` would hide a name the generated code uses.
    bool hides(const std::string& name) const;
    /// The names of this file's namespace that parameters and locals must not hide.
    void collectScopeNames();
    /// Statements to emit before the current one (templates hoisted into locals).
    void flushPrelude(CodeWriter& w);

    const ir::Program& program_;
    const ir::Module& module_;
    const llvm::SourceMgr& sm_;
    std::string ns_;
    std::string specFile_; // the spec's file name, as comments can hold it (commentText)
    bool literals_ = true; // std::chrono_literals in scope (.cpp) or not (.hpp)
    // Names of the namespace written fully qualified (in the tree handle's members, whose
    // names must not hide them).
    bool qualifyAll_ = false;

    // Names of this namespace that generated code refers to unqualified (collectScopeNames).
    std::set<std::string> scopeNames_;
    // The first parts of the worker classes' names as the code writes them (className).
    std::set<std::string> classHeads_;
    // The file-local factories of imported kinds without generated code, by kind.
    mutable std::map<const ir::WorkerDecl*, std::string> localFactoryNames_;

    // Worker classes the tree handle's accessors name (filled by treeHandle).
    std::vector<const ir::WorkerDecl*> handleClasses_;

    std::vector<std::string> failures_; // see fail()

    // The function being written.
    std::set<std::string> locals_;
    std::vector<std::string> prelude_;
};

} // namespace supc::codegen
