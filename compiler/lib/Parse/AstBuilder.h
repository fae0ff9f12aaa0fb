// Copies one declaration's parse tree into supc's AST (the parse tree is freed after each
// top-level declaration). Only runs on declarations that parsed without syntax errors.
#pragma once

#include "SupParser.h"
#include "supc/AST.h"
#include "supc/DiagnosticEngine.h"

namespace supc::parse {

class AstBuilder {
public:
    explicit AstBuilder(DiagnosticEngine& diag) : diag_(diag) {}

    /// Null when the declaration is incomplete (which a syntax error would have reported).
    ast::DeclPtr build(grammar::SupParser::TopDeclContext* ctx);

private:
    using SP = grammar::SupParser;

    ast::DeclPtr buildPackage(SP::PackageDeclContext* c);
    ast::DeclPtr buildImport(SP::ImportDeclContext* c);
    ast::DeclPtr buildConst(SP::ConstDeclContext* c);
    ast::DeclPtr buildWorker(SP::WorkerDeclContext* c);
    ast::DeclPtr buildSupervisor(SP::SupervisorDeclContext* c);
    ast::DeclPtr buildApplication(SP::ApplicationDeclContext* c);
    ast::DeclPtr buildDynamicSupervisor(SP::DynamicSupervisorDeclContext* c);

    std::vector<ast::Param> buildParams(SP::ParamListContext* c);
    bool buildType(SP::TypeRefContext* c, ast::TypeRef& out);
    bool buildBody(const std::vector<SP::BodyItemContext*>& items,
                   std::vector<ast::BodyItemPtr>& out);
    bool buildSetting(SP::SettingContext* c, ast::Setting& out);
    /// A `needs` entry as a sibling id: a plain name, or a string with interpolations.
    std::optional<ast::IdTemplate> siblingId(const ast::Expr& e);
    bool buildSettings(SP::SettingsBlockContext* c, std::vector<ast::Setting>& out);
    bool buildKindRef(SP::KindRefContext* c, ast::KindRef& out);
    bool buildArgs(SP::ArgListContext* c, std::vector<ast::Arg>& out);

    /// Builds an expression; reports E004 when it nests deeper than the limit.
    ast::ExprPtr buildExpr(SP::ExprContext* c);
    ast::ExprPtr buildExpr(SP::ExprContext* c, unsigned& depth);
    ast::ExprPtr buildPrimary(SP::ExprContext* c, unsigned& depth);

    DiagnosticEngine& diag_;
    unsigned argsDepth_ = 0; // deepest argument of the last argument list built
};

/// Splits an id string (a STRING token's text, quotes included) at `{name}`
/// interpolations, reporting malformed ones (E007). Used for child ids and `needs`.
ast::IdTemplate parseIdTemplate(std::string_view tokenText, SourceRange tokenRange,
                                DiagnosticEngine& diag);
/// The same for a program's strings (its command, `args`, `env`, ...), where `{{` and `}}`
/// are a literal brace.
ast::IdTemplate parseStringTemplate(std::string_view tokenText, SourceRange tokenRange,
                                    DiagnosticEngine& diag);

} // namespace supc::parse
