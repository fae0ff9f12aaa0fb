// SARIF 2.1.0 output (OASIS Static Analysis Results Interchange Format), as code-scanning
// services read it: one run whose tool.driver lists every lint rule (and the checker's
// error codes that occur), one result per diagnostic with its rule, level, message,
// location (1-based lines, columns in Unicode code points, end column exclusive),
// related locations for notes, and fixes for fix-its. Problems with the configuration
// (.supc-lint) are the invocation's toolConfigurationNotifications.
#pragma once

#include "supc/DiagnosticEngine.h"

#include <string>
#include <vector>

namespace llvm {
class raw_ostream;
}

namespace supc::lint {

/// Where SARIF's tool.driver.informationUri points (the project's home).
extern const char* const kInformationUri;
/// The base of each rule's helpUri: the docs directory (`SUPC_DOCS_URL` at configure time).
extern const char* const kDocsUrl;

/// A rule's or an error code's page: kDocsUrl + "/lint.md#l002-..." (or errors.md), the
/// anchor GitHub gives the heading `## L002: title` of the docs.
std::string helpUri(std::string_view code, std::string_view title);
/// GitHub's anchor for a Markdown heading: lowercase, only letters, digits, '-' and '_'
/// kept, spaces as '-'.
std::string headingAnchor(std::string_view heading);

/// The default --source-root: the working tree holding the current directory (the first
/// directory up from it with a `.git`), else the current directory. Absolute.
std::string defaultSourceRoot();

struct SarifOptions {
    /// Absolute directory: artifact URIs below it are relative to it (uriBaseId SRCROOT,
    /// run.originalUriBaseIds); empty: paths as given.
    std::string sourceRoot;
};

class SarifPrinter final : public DiagnosticConsumer {
public:
    explicit SarifPrinter(llvm::raw_ostream& os, SarifOptions options = {})
        : os_(os), options_(std::move(options)) {}
    void handle(const Diagnostic& diag, const llvm::SourceMgr& sm) override;
    void finish(const llvm::SourceMgr& sm) override;

private:
    llvm::raw_ostream& os_;
    SarifOptions options_;
    std::vector<Diagnostic> diags_;
    std::vector<Diagnostic> configuration_; // uncoded errors: .supc-lint problems
};

/// A file path as a SARIF artifact URI: relative paths stay relative (percent-encoded),
/// absolute ones become file:// URIs.
std::string artifactUri(const std::string& path);

} // namespace supc::lint
