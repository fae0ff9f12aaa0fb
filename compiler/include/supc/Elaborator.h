// Elaboration: from resolved declarations and a root to the instance tree (Tree.h).
#pragma once

#include "supc/DiagnosticEngine.h"
#include "supc/IR.h"
#include "supc/Tree.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace supc {

/// Where env() and schedulers() get their values when supc evaluates a tree (dump, sim).
class Environment {
public:
    virtual ~Environment();
    virtual std::optional<std::string> get(const std::string& name) const = 0;
    /// The runtime's scheduler thread count (default: one per hardware thread).
    virtual int64_t schedulers() const = 0;
    /// The process environment.
    static const Environment& real();
    /// Every env() variable unset (each const takes its default); schedulers() as real()
    /// says. What `compile` and `lint` judge a spec by: the generated program reads the
    /// environment when it starts, not supc, so the build machine's does not count.
    static const Environment& defaults();
};

/// A fixed environment, for tests.
class MapEnvironment final : public Environment {
public:
    std::map<std::string, std::string> vars;
    int64_t schedulerCount = 4;
    std::optional<std::string> get(const std::string& name) const override;
    int64_t schedulers() const override { return schedulerCount; }
};

/// The root `dump` and friends work on: `requested` if given (any supervisor, dynamic
/// supervisor or application of the entry file without required parameters), else the
/// entry file's only application. Reports E033 and returns null otherwise.
const ir::KindDecl* selectRoot(const ir::Program& program, const std::string& requested,
                               DiagnosticEngine& diag);

/// Elaborates `root`. Returns null if an error was reported (check diag).
std::unique_ptr<Tree> elaborate(const ir::Program& program, const ir::KindDecl& root,
                                DiagnosticEngine& diag, const Environment& env);

/// In a program with errors: elaborates what can be trusted below each of `roots`, which
/// are tainted (ir::Decl::tainted). Each child of a tainted supervisor whose kind and
/// arguments are untainted constants is elaborated as a tree of its own (reporting what
/// the whole tree would report about it); below the tainted kinds it uses, the same again.
/// The trees are not kept: this only finds errors.
void elaborateTrusted(const ir::Program& program, const std::vector<const ir::KindDecl*>& roots,
                      DiagnosticEngine& diag, const Environment& env);

/// What `supc check` elaborates beyond the declarations: every application of the entry
/// file, or, if it has none, every supervisor of the entry file that no other declaration
/// uses and that has no required parameters.
std::vector<const ir::KindDecl*> defaultRoots(const ir::Program& program);

/// The trees of a program's default roots.
struct ProgramTrees {
    /// The roots that elaborated without error, in defaultRoots() order. Each points into
    /// the program, which must outlive it.
    std::vector<std::unique_ptr<Tree>> trees;
    /// Every default root elaborated without error (and the error limit was not reached).
    bool complete = true;
};

/// Elaborates every default root of `program` with `env`, reporting through `diag`: what
/// `check` (with Environment::real()), `compile` and `lint` (Environment::defaults()) do
/// beyond checking the declarations, and the trees `compile` generates from and `lint`
/// runs its rules over.
ProgramTrees elaborateAll(const ir::Program& program, DiagnosticEngine& diag,
                          const Environment& env);

} // namespace supc
