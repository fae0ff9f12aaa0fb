// Helpers for the front end's unit tests: check a spec held in a string, collect its
// diagnostics, elaborate it with a fixed environment.
#pragma once

#include "supc/Checker.h"
#include "supc/Elaborator.h"

#include <memory>
#include <string>
#include <vector>

namespace supc::test {

/// One checked spec and everything it needs to stay valid.
struct Checked {
    llvm::SourceMgr sm;
    CollectingDiagnosticConsumer diags;
    std::unique_ptr<DiagnosticEngine> engine;
    std::unique_ptr<ir::Program> program;

    /// The codes reported, in order ("E012", ...).
    std::vector<std::string> codes() const;
    bool hasCode(const std::string& code) const;
    /// "line:col code message" for each diagnostic.
    std::vector<std::string> summary() const;
    const ir::Decl* decl(const std::string& name) const;
};

/// Checks `text` as a file named `name` (imports resolve next to it and in the stdlib).
std::unique_ptr<Checked> check(const std::string& text, const std::string& name = "test.sup");

/// Checks and elaborates the only application (or `root`); the tree is null on error.
struct Elaborated {
    std::unique_ptr<Checked> checked;
    std::unique_ptr<Tree> tree;
};
Elaborated elaborateText(const std::string& text, const Environment& env,
                         const std::string& root = "");
Elaborated elaborateText(const std::string& text);

/// A child of `node` by id (fails the test when absent).
const Node& child(const Node& node, const std::string& id);

} // namespace supc::test
