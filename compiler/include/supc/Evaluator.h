// Evaluating checked expressions: constant folding in the checker, concrete values in
// the elaborator (and later in the simulator).
#pragma once

#include "supc/DiagnosticEngine.h"
#include "supc/IR.h"

#include <functional>
#include <optional>
#include <utility>
#include <vector>

namespace supc {

/// The values an expression may refer to. Anything not provided makes evaluation fail
/// quietly (the checker uses that to fold only what is constant).
struct EvalContext {
    /// Arguments of the declaration being instantiated, by parameter index (an empty
    /// optional: a parameter left open).
    const std::vector<std::optional<Value>>* params = nullptr;
    /// Values of the enclosing loops' variables.
    const std::vector<std::pair<const ir::Loop*, int64_t>>* loops = nullptr;
    std::function<std::optional<Value>(const ir::ConstDecl&)> constant;
    std::function<std::optional<int64_t>()> schedulers;
};

/// Evaluates `expr`. Division by zero and overflow are reported (E035) when `diag` is
/// given; an empty optional means the value is unknown or erroneous.
std::optional<Value> evaluate(const ir::Expr& expr, const EvalContext& ctx, DiagnosticEngine* diag);

/// The arguments of `decl` given `bound` values for some parameters: the others take
/// their defaults (evaluated in the declaration's own scope), or stay open.
KindValue bindKindArguments(const ir::KindDecl& decl, std::vector<std::optional<Value>> bound,
                            std::vector<bool> explicitArgs, const EvalContext& ctx,
                            DiagnosticEngine* diag);

} // namespace supc
