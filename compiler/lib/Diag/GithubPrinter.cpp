// Diagnostics as GitHub Actions workflow commands (`::error file=...::message`): see
// GithubDiagnosticPrinter in DiagnosticEngine.h and docs/ci.md.
#include "supc/DiagnosticEngine.h"
#include "supc/TextEscape.h"

#include <llvm/Support/raw_ostream.h>

namespace supc {

std::string escapeGithubCommand(std::string_view text, bool property) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
        case '%':
            out += "%25";
            break;
        case '\r':
            out += "%0D";
            break;
        case '\n':
            out += "%0A";
            break;
        case ':':
            out += property ? "%3A" : ":";
            break;
        case ',':
            out += property ? "%2C" : ",";
            break;
        default:
            out += c;
        }
    }
    return out;
}

namespace {

std::string_view commandFor(Severity s) {
    switch (s) {
    case Severity::Error:
        return "error";
    case Severity::Warning:
        return "warning";
    default:
        return "notice";
    }
}

// "file:line:column: " for a located note; columns in bytes, as in the human format.
std::string where(const llvm::SourceMgr& sm, SourceRange r) {
    auto loc = presumedLocation(sm, r.begin);
    if (!loc.isValid())
        return "";
    return loc.file + ":" + std::to_string(loc.line) + ":" + std::to_string(loc.column) + ": ";
}

std::string trimmed(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\n' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\t'))
        s.remove_suffix(1);
    return std::string(s);
}

} // namespace

void GithubDiagnosticPrinter::handle(const Diagnostic& d, const llvm::SourceMgr& sm) {
    // Text from specs, paths and the environment is shown as in the human format (control
    // characters as <U+XXXX>, ill-formed UTF-8 as <XX>): nothing in it can end the command
    // or start another; the line breaks supc puts between notes are the command's own.
    std::vector<std::pair<std::string, std::string>> props;
    auto begin = presumedLocation(sm, d.range.begin);
    if (begin.isValid()) {
        auto end = presumedLocation(sm, d.range.end.isValid() ? d.range.end : d.range.begin);
        props.emplace_back("file", escapeForTerminal(begin.file));
        props.emplace_back("line", std::to_string(begin.line));
        props.emplace_back("endLine", std::to_string(end.line));
        if (end.line == begin.line) {
            props.emplace_back("col", std::to_string(codePointColumn(sm, d.range.begin)));
            unsigned endColumn =
                codePointColumn(sm, d.range.end.isValid() ? d.range.end : d.range.begin);
            props.emplace_back("endColumn", std::to_string(endColumn));
        }
    } else if (!d.file.empty()) {
        props.emplace_back("file", escapeForTerminal(d.file));
    }
    if (!d.code.empty())
        props.emplace_back("title", d.code);

    std::string message = escapeForTerminal(d.message);
    for (const auto& n : d.notes)
        message +=
            "\n" + escapeForTerminal(where(sm, n.range)) + "note: " + escapeForTerminal(n.message);
    for (const auto& f : d.fixIts) {
        std::string what = f.range.size() == 0     ? "insert '" + trimmed(f.replacement) + "'"
                           : f.replacement.empty() ? "remove '" + std::string(f.range.text()) + "'"
                                                   : "replace '" + std::string(f.range.text()) +
                                                         "' with '" + f.replacement + "'";
        message +=
            "\n" + escapeForTerminal(where(sm, f.range)) + "fix-it: " + escapeForTerminal(what);
    }

    os_ << "::" << commandFor(d.severity);
    for (size_t i = 0; i < props.size(); ++i)
        os_ << (i ? "," : " ") << props[i].first << "="
            << escapeGithubCommand(props[i].second, true);
    os_ << "::" << escapeGithubCommand(message, false) << "\n";
    os_.flush();
}

} // namespace supc
