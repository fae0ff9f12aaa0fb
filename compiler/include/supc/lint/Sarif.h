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

class SarifPrinter final : public DiagnosticConsumer {
public:
    explicit SarifPrinter(llvm::raw_ostream& os) : os_(os) {}
    void handle(const Diagnostic& diag, const llvm::SourceMgr& sm) override;
    void finish(const llvm::SourceMgr& sm) override;

private:
    llvm::raw_ostream& os_;
    std::vector<Diagnostic> diags_;
    std::vector<Diagnostic> configuration_; // uncoded errors: .supc-lint problems
};

/// A file path as a SARIF artifact URI: relative paths stay relative (percent-encoded),
/// absolute ones become file:// URIs.
std::string artifactUri(const std::string& path);

} // namespace supc::lint
