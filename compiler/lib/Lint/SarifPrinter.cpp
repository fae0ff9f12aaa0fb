// SARIF 2.1.0 (https://docs.oasis-open.org/sarif/sarif/v2.1.0/): one run, rules in
// tool.driver.rules, one result per diagnostic.
#include "supc/ErrorCatalog.h"
#include "supc/TextEscape.h"
#include "supc/lint/Lint.h"
#include "supc/lint/Sarif.h"

#include <cctype>
#include <llvm/ADT/StringExtras.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/JSON.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/SHA256.h>
#include <llvm/Support/raw_ostream.h>
#include <map>
#include <tuple>

#ifndef SUPC_INFORMATION_URI
#define SUPC_INFORMATION_URI "https://github.com/supc-lang/supc"
#endif
#ifndef SUPC_DOCS_URL
#define SUPC_DOCS_URL SUPC_INFORMATION_URI "/blob/main/docs"
#endif

namespace supc::lint {

const char* const kInformationUri = SUPC_INFORMATION_URI;
const char* const kDocsUrl = SUPC_DOCS_URL;

std::string headingAnchor(std::string_view heading) {
    std::string out;
    for (char c : heading) {
        unsigned char u = static_cast<unsigned char>(c);
        if (u >= 0x80 || std::isalnum(u) || c == '-' || c == '_')
            out += char(std::tolower(u));
        else if (c == ' ')
            out += '-';
    }
    return out;
}

std::string helpUri(std::string_view code, std::string_view title) {
    std::string page = !code.empty() && code[0] == 'L' ? "lint.md" : "errors.md";
    return std::string(kDocsUrl) + "/" + page + "#" +
           headingAnchor(std::string(code) + ": " + std::string(title));
}

std::string defaultSourceRoot() {
    llvm::SmallString<256> cwd;
    if (llvm::sys::fs::current_path(cwd))
        return "";
    for (llvm::StringRef dir = cwd; !dir.empty(); dir = llvm::sys::path::parent_path(dir)) {
        llvm::SmallString<256> git(dir);
        llvm::sys::path::append(git, ".git");
        if (llvm::sys::fs::exists(git))
            return dir.str();
        if (dir == llvm::sys::path::root_path(dir))
            break;
    }
    return cwd.str().str();
}

namespace {

std::string_view level(Severity s) {
    switch (s) {
    case Severity::Error:
        return "error";
    case Severity::Warning:
        return "warning";
    default:
        return "note";
    }
}

// 1-based line and column in Unicode code points (run.columnKind), at `loc`.
struct Position {
    int64_t line = 0, column = 0;
};

Position position(const llvm::SourceMgr& sm, llvm::SMLoc loc) {
    unsigned buffer = sm.FindBufferContainingLoc(loc);
    if (!buffer)
        return {};
    auto [line, byteColumn] = sm.getLineAndColumn(loc, buffer);
    const char* p = loc.getPointer();
    const char* lineStart = p - (byteColumn - 1);
    int64_t column = 1;
    for (const char* q = lineStart; q < p; ++q)
        if ((static_cast<unsigned char>(*q) & 0xC0) != 0x80)
            ++column;
    return {int64_t(line), column};
}

void writeRegion(llvm::json::OStream& j, const llvm::SourceMgr& sm, SourceRange r) {
    Position b = position(sm, r.begin);
    Position e = position(sm, r.end.isValid() ? r.end : r.begin);
    j.attributeObject("region", [&] {
        j.attribute("startLine", b.line);
        j.attribute("startColumn", b.column);
        j.attribute("endLine", e.line);
        j.attribute("endColumn", e.column);
    });
}

std::string fileOf(const llvm::SourceMgr& sm, SourceRange r, const std::string& fallback) {
    if (!r.isValid())
        return fallback;
    unsigned buffer = sm.FindBufferContainingLoc(r.begin);
    return buffer ? sm.getMemoryBuffer(buffer)->getBufferIdentifier().str() : fallback;
}

// The artifact's URI and base: relative to the source root when the file is below it.
std::pair<std::string, bool> locate(const SarifOptions& options, const std::string& file) {
    if (file == "<stdin>" || file.empty() || options.sourceRoot.empty())
        return {artifactUri(file), false};
    llvm::SmallString<256> path(file);
    llvm::sys::fs::make_absolute(path);
    llvm::sys::path::remove_dots(path, /*remove_dot_dot=*/true);
    llvm::StringRef p = path;
    std::string root = options.sourceRoot;
    if (root.size() > 1 && root.back() == '/')
        root.pop_back();
    if (p.startswith(root + "/"))
        return {artifactUri(p.substr(root.size() + 1).str()), true};
    return {artifactUri(p.str()), false};
}

void writeArtifact(llvm::json::OStream& j, const SarifOptions& options, const std::string& file) {
    auto [uri, relative] = locate(options, file);
    j.attribute("uri", uri);
    if (relative)
        j.attribute("uriBaseId", "SRCROOT");
}

void writePhysicalLocation(llvm::json::OStream& j, const SarifOptions& options,
                           const llvm::SourceMgr& sm, SourceRange r, const std::string& file) {
    j.attributeObject("physicalLocation", [&] {
        j.attributeObject("artifactLocation", [&] { writeArtifact(j, options, file); });
        if (r.isValid())
            writeRegion(j, sm, r);
    });
}

// The source line of `loc` with its blanks collapsed: what a fingerprint keeps of the
// place, so that edits elsewhere (lines added above, re-indentation) do not change it.
std::string normalisedLine(const llvm::SourceMgr& sm, llvm::SMLoc loc) {
    unsigned id = sm.FindBufferContainingLoc(loc);
    if (!id)
        return "";
    const llvm::MemoryBuffer* buf = sm.getMemoryBuffer(id);
    const char* start = loc.getPointer();
    while (start > buf->getBufferStart() && start[-1] != '\n')
        --start;
    std::string out;
    bool blank = false;
    for (const char* p = start; p < buf->getBufferEnd() && *p != '\n'; ++p) {
        if (*p == ' ' || *p == '\t' || *p == '\r') {
            blank = true;
            continue;
        }
        if (blank && !out.empty())
            out += ' ';
        blank = false;
        out += *p;
    }
    return out;
}

std::string trimmed(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
        s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
        s.remove_suffix(1);
    return std::string(s);
}

std::string describeFix(const FixIt& f) {
    if (f.range.size() == 0)
        return "insert '" + trimmed(f.replacement) + "'";
    if (f.replacement.empty())
        return "remove '" + trimmed(f.range.text()) + "'";
    return "replace '" + std::string(f.range.text()) + "' with '" + f.replacement + "'";
}

void writeRule(llvm::json::OStream& j, const CodeInfo& code, Severity severity) {
    j.object([&] {
        j.attribute("id", std::string(code.code));
        j.attribute("name", std::string(code.name));
        j.attributeObject("shortDescription",
                          [&] { j.attribute("text", std::string(code.title)); });
        // A rule's rationale; an error's explanation.
        const Rule* rule = findRule(code.code);
        std::string_view full = rule ? rule->info().rationale : code.explanation;
        while (!full.empty() && full.back() == '\n')
            full.remove_suffix(1);
        j.attributeObject("fullDescription", [&] { j.attribute("text", std::string(full)); });
        j.attribute("helpUri", helpUri(code.code, code.title));
        j.attributeObject("help", [&] {
            j.attribute("text", renderExplanation(code, false));
            j.attribute("markdown", renderExplanation(code, true));
        });
        j.attributeObject("defaultConfiguration",
                          [&] { j.attribute("level", std::string(level(severity))); });
    });
}

} // namespace

std::string artifactUri(const std::string& path) {
    if (path == "<stdin>")
        return "stdin";
    std::string out;
    if (!path.empty() && path[0] == '/')
        out = "file://";
    static const char* hex = "0123456789ABCDEF";
    for (char c : path) {
        unsigned char u = static_cast<unsigned char>(c);
        if (std::isalnum(u) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') {
            out += c;
        } else {
            out += '%';
            out += hex[u >> 4];
            out += hex[u & 15];
        }
    }
    return out;
}

void SarifPrinter::handle(const Diagnostic& diag, const llvm::SourceMgr&) {
    if (!diag.code.empty())
        diags_.push_back(diag);
    else if (diag.severity == Severity::Error)
        configuration_.push_back(diag); // a .supc-lint problem: not a result of any rule
    // Uncoded notes ("too many errors") are not results.
}

void SarifPrinter::finish(const llvm::SourceMgr& sm) {
    // Rules: every lint rule, then the error codes that occur (checker errors are results too).
    std::vector<std::pair<const CodeInfo*, Severity>> rules;
    std::map<std::string, size_t, std::less<>> ruleIndex;
    for (const Rule* r : allRules()) {
        ruleIndex[std::string(r->info().id)] = rules.size();
        rules.push_back({&ruleCodeInfo(*r), r->info().severity});
    }
    for (const auto& d : diags_) {
        if (ruleIndex.count(d.code))
            continue;
        if (const CodeInfo* e = findCode(d.code)) {
            ruleIndex[d.code] = rules.size();
            rules.push_back({e, Severity::Error});
        }
    }

    llvm::json::OStream j(os_, 2);
    j.object([&] {
        j.attribute("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
        j.attribute("version", "2.1.0");
        j.attributeArray("runs", [&] {
            j.object([&] {
                j.attributeObject("tool", [&] {
                    j.attributeObject("driver", [&] {
                        j.attribute("name", "supc");
                        j.attribute("version", SUPC_VERSION);
                        j.attribute("semanticVersion", SUPC_VERSION);
                        j.attribute("informationUri", kInformationUri);
                        j.attributeArray("rules", [&] {
                            for (const auto& [code, severity] : rules)
                                writeRule(j, *code, severity);
                        });
                    });
                });
                // Problems with the lint configuration (.supc-lint) are SARIF's tool
                // configuration notifications, and the run did not succeed.
                if (!configuration_.empty())
                    j.attributeArray("invocations", [&] {
                        j.object([&] {
                            j.attribute("executionSuccessful", false);
                            j.attributeArray("toolConfigurationNotifications", [&] {
                                for (const Diagnostic& d : configuration_)
                                    j.object([&] {
                                        j.attribute("level", std::string(level(d.severity)));
                                        j.attributeObject("message",
                                                          [&] { j.attribute("text", d.message); });
                                        std::string file = fileOf(sm, d.range, d.file);
                                        if (!file.empty())
                                            j.attributeArray("locations", [&] {
                                                j.object([&] {
                                                    writePhysicalLocation(j, options_, sm, d.range,
                                                                          file);
                                                });
                                            });
                                    });
                            });
                        });
                    });
                if (!options_.sourceRoot.empty())
                    j.attributeObject("originalUriBaseIds", [&] {
                        j.attributeObject("SRCROOT", [&] {
                            std::string root = options_.sourceRoot;
                            if (root.back() != '/')
                                root += '/';
                            j.attribute("uri", artifactUri(root));
                        });
                    });
                j.attribute("columnKind", "unicodeCodePoints");
                // Fingerprints: the rule, the file (relative to the source root) and the
                // finding's line without its blanks, hashed; then which of the results
                // with the same three it is. No line numbers: they move with every edit.
                std::map<std::string, unsigned> occurrences;
                j.attributeArray("results", [&] {
                    for (const Diagnostic& d : diags_) {
                        std::string file = fileOf(sm, d.range, d.file);
                        j.object([&] {
                            j.attribute("ruleId", d.code);
                            if (auto it = ruleIndex.find(d.code); it != ruleIndex.end())
                                j.attribute("ruleIndex", int64_t(it->second));
                            j.attribute("level", std::string(level(d.severity)));
                            j.attributeObject("partialFingerprints", [&] {
                                std::string key =
                                    d.code + '\0' + locate(options_, file).first + '\0' +
                                    (d.range.isValid() ? normalisedLine(sm, d.range.begin)
                                                       : std::string());
                                auto digest = llvm::SHA256::hash(llvm::arrayRefFromStringRef(key));
                                std::string hex =
                                    llvm::toHex(llvm::ArrayRef<uint8_t>(digest).take_front(16),
                                                /*LowerCase=*/true);
                                j.attribute("supcFinding/v1",
                                            hex + ":" + std::to_string(++occurrences[hex]));
                            });
                            if (d.suppressedBecause)
                                j.attributeArray("suppressions", [&] {
                                    j.object([&] {
                                        j.attribute("kind", "inSource");
                                        j.attribute("status", "accepted");
                                        if (!d.suppressedBecause->empty())
                                            j.attribute("justification",
                                                        toValidUtf8(*d.suppressedBecause));
                                    });
                                });
                            std::string text = d.message;
                            for (const auto& n : d.notes)
                                if (!n.range.isValid())
                                    text += "\nnote: " + n.message;
                            j.attributeObject("message",
                                              [&] { j.attribute("text", toValidUtf8(text)); });
                            if (!file.empty())
                                j.attributeArray("locations", [&] {
                                    j.object([&] {
                                        writePhysicalLocation(j, options_, sm, d.range, file);
                                    });
                                });
                            bool related = false;
                            for (const auto& n : d.notes)
                                related |= n.range.isValid();
                            if (related)
                                j.attributeArray("relatedLocations", [&] {
                                    int64_t id = 0;
                                    for (const auto& n : d.notes) {
                                        if (!n.range.isValid())
                                            continue;
                                        j.object([&] {
                                            j.attribute("id", id++);
                                            writePhysicalLocation(j, options_, sm, n.range,
                                                                  fileOf(sm, n.range, ""));
                                            j.attributeObject("message", [&] {
                                                j.attribute("text", toValidUtf8(n.message));
                                            });
                                        });
                                    }
                                });
                            if (!d.fixIts.empty())
                                j.attributeArray("fixes", [&] {
                                    j.object([&] {
                                        std::string what;
                                        for (const auto& f : d.fixIts)
                                            what += (what.empty() ? "" : "; ") + describeFix(f);
                                        j.attributeObject("description", [&] {
                                            j.attribute("text", toValidUtf8(what));
                                        });
                                        j.attributeArray("artifactChanges", [&] {
                                            // One change per file (fix-its of one finding share
                                            // it).
                                            j.object([&] {
                                                j.attributeObject("artifactLocation", [&] {
                                                    writeArtifact(
                                                        j, options_,
                                                        fileOf(sm, d.fixIts[0].range, file));
                                                });
                                                j.attributeArray("replacements", [&] {
                                                    for (const auto& f : d.fixIts)
                                                        j.object([&] {
                                                            j.attributeObject("deletedRegion", [&] {
                                                                Position b =
                                                                    position(sm, f.range.begin);
                                                                Position e =
                                                                    position(sm, f.range.end);
                                                                j.attribute("startLine", b.line);
                                                                j.attribute("startColumn",
                                                                            b.column);
                                                                j.attribute("endLine", e.line);
                                                                j.attribute("endColumn", e.column);
                                                            });
                                                            j.attributeObject(
                                                                "insertedContent", [&] {
                                                                    j.attribute(
                                                                        "text",
                                                                        toValidUtf8(f.replacement));
                                                                });
                                                        });
                                                });
                                            });
                                        });
                                    });
                                });
                        });
                    }
                });
            });
        });
    });
    os_ << "\n";
    os_.flush();
    diags_.clear();
    configuration_.clear();
}

} // namespace supc::lint
