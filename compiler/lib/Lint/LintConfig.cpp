// Which rules run, how loud, with which thresholds: defaults, the .supc-lint project file
// and --enable / --disable.
#include "supc/EditDistance.h"
#include "supc/Parser.h"
#include "supc/lint/Lint.h"

#include <algorithm>
#include <fmt/format.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>

namespace supc::lint {

namespace {

size_t indexOf(const Rule& r) {
    auto rules = allRules();
    return size_t(std::find(rules.begin(), rules.end(), &r) - rules.begin());
}

bool isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\r';
}

// A piece of a line and its 1-based column.
struct Piece {
    std::string_view text;
    unsigned column = 1;
};

Piece trim(std::string_view line, size_t from, size_t to) {
    while (from < to && isSpace(line[from]))
        ++from;
    while (to > from && isSpace(line[to - 1]))
        --to;
    return {line.substr(from, to - from), unsigned(from + 1)};
}

std::optional<int64_t> parseInteger(std::string_view s) {
    if (s.empty() || s.front() == '_' || s.back() == '_')
        return std::nullopt;
    int64_t v = 0;
    for (char c : s) {
        if (c == '_')
            continue;
        if (c < '0' || c > '9')
            return std::nullopt;
        if (v > (INT64_MAX - (c - '0')) / 10)
            return std::nullopt;
        v = v * 10 + (c - '0');
    }
    return v;
}

std::optional<int64_t> parseDuration(std::string_view s) {
    size_t digits = 0;
    while (digits < s.size() && ((s[digits] >= '0' && s[digits] <= '9') || s[digits] == '_'))
        ++digits;
    auto n = parseInteger(s.substr(0, digits));
    std::string_view unit = s.substr(digits);
    int64_t factor = unit == "ms"  ? 1
                     : unit == "s" ? 1000
                     : unit == "m" ? 60'000
                     : unit == "h" ? 3'600'000
                                   : 0;
    if (!n || !factor || *n > INT64_MAX / factor)
        return std::nullopt;
    return *n * factor;
}

// Text from the file as a message shows it: control characters escaped, long text cut.
std::string shown(std::string_view s) {
    std::string out;
    for (char c : s.substr(0, 60)) {
        unsigned char u = static_cast<unsigned char>(c);
        out += u < 0x20 || u == 0x7F ? fmt::format("\\x{:02X}", u) : std::string(1, c);
    }
    return s.size() > 60 ? out + "..." : out;
}

std::string unknownRuleMessage(std::string_view name) {
    std::string msg = fmt::format("unknown rule '{}'", shown(name));
    if (auto guess = suggestRule(name))
        msg += fmt::format(" (did you mean '{}'?)", *guess);
    return msg;
}

} // namespace

LintConfig::LintConfig() {
    for (const Rule* r : allRules()) {
        RuleConfig c;
        c.severity = r->info().severity;
        for (const ThresholdInfo& t : r->info().thresholds)
            c.thresholds[std::string(t.key)] = t.defaultValue;
        rules_.push_back(std::move(c));
    }
}

RuleConfig& LintConfig::rule(const Rule& r) {
    return rules_.at(indexOf(r));
}
const RuleConfig& LintConfig::rule(const Rule& r) const {
    return rules_.at(indexOf(r));
}

std::string applyRuleList(LintConfig& config, std::string_view list, bool enable) {
    size_t start = 0;
    while (start <= list.size()) {
        size_t comma = list.find(',', start);
        if (comma == std::string_view::npos)
            comma = list.size();
        Piece item = trim(list, start, comma);
        if (!item.text.empty()) {
            const Rule* r = findRule(item.text);
            if (!r)
                return unknownRuleMessage(item.text);
            config.rule(*r).enabled = enable;
        }
        start = comma + 1;
    }
    return {};
}

std::vector<ConfigError> applyProjectFile(LintConfig& config, std::string_view text) {
    std::vector<ConfigError> errors;
    if (auto problem = findEncodingProblem(text)) {
        unsigned line = 1, column = 1;
        for (size_t i = 0; i < problem->offset; ++i, ++column)
            if (text[i] == '\n')
                line++, column = 0;
        errors.push_back({line, column, problem->offset, 1,
                          "the lint configuration is not UTF-8 text: " + problem->what, true});
        return errors;
    }
    unsigned lineNo = 0;
    size_t pos = 0;
    while (pos < text.size()) {
        size_t nl = text.find('\n', pos);
        std::string_view line =
            text.substr(pos, nl == std::string_view::npos ? text.size() - pos : nl - pos);
        pos = nl == std::string_view::npos ? text.size() : nl + 1;
        size_t lineStart = size_t(line.data() - text.data());
        ++lineNo;
        auto error = [&](unsigned column, std::string message, size_t length = 0) {
            errors.push_back(
                {lineNo, column, lineStart + column - 1, length, std::move(message), false});
        };

        size_t end = std::min(line.find('#'), line.size());
        Piece whole = trim(line, 0, end);
        if (whole.text.empty())
            continue;
        size_t eq = line.find('=');
        if (eq == std::string_view::npos || eq > end) {
            error(whole.column,
                  fmt::format("expected 'key = value', found '{}'", shown(whole.text)),
                  whole.text.size());
            continue;
        }
        Piece key = trim(line, 0, eq);
        Piece value = trim(line, eq + 1, end);
        if (key.text.empty()) {
            error(whole.column, "missing key before '='", 1);
            continue;
        }
        if (value.text.empty()) {
            error(unsigned(eq + 1), fmt::format("missing value for '{}'", shown(key.text)), 1);
            continue;
        }

        if (key.text == "enable" || key.text == "disable") {
            bool enable = key.text == "enable";
            size_t start = value.column - 1, stop = value.column - 1 + value.text.size();
            while (start <= stop) {
                size_t comma = std::min(line.find(',', start), stop);
                Piece item = trim(line, start, comma);
                if (!item.text.empty()) {
                    if (const Rule* r = findRule(item.text))
                        config.rule(*r).enabled = enable;
                    else
                        error(item.column, unknownRuleMessage(item.text), item.text.size());
                }
                start = comma + 1;
            }
            continue;
        }
        if (key.text == "werror") {
            if (value.text == "true" || value.text == "false")
                config.werror = value.text == "true";
            else
                error(value.column,
                      fmt::format("'werror' takes true or false, found '{}'", shown(value.text)),
                      value.text.size());
            continue;
        }
        size_t dot = key.text.find('.');
        if (dot == std::string_view::npos) {
            std::string msg = fmt::format("unknown key '{}'", shown(key.text));
            if (auto guess = closestMatch(key.text, {"enable", "disable", "werror"}))
                msg += fmt::format(" (did you mean '{}'?)", *guess);
            else
                msg += "; keys are enable, disable, werror, RULE.severity and RULE.OPTION";
            error(key.column, msg, key.text.size());
            continue;
        }
        std::string_view ruleName = key.text.substr(0, dot);
        std::string_view option = key.text.substr(dot + 1);
        const Rule* r = findRule(ruleName);
        if (!r) {
            error(key.column, unknownRuleMessage(ruleName), ruleName.size());
            continue;
        }
        RuleConfig& rc = config.rule(*r);
        unsigned optionColumn = key.column + unsigned(dot) + 1;
        if (option == "severity") {
            if (value.text == "error")
                rc.severity = Severity::Error;
            else if (value.text == "warning")
                rc.severity = Severity::Warning;
            else if (value.text == "note")
                rc.severity = Severity::Note;
            else
                error(value.column,
                      fmt::format("severity takes error, warning or note, found '{}'",
                                  shown(value.text)),
                      value.text.size());
            continue;
        }
        const ThresholdInfo* threshold = nullptr;
        std::vector<std::string> options = {"severity"};
        for (const ThresholdInfo& t : r->info().thresholds) {
            options.emplace_back(t.key);
            if (t.key == option)
                threshold = &t;
        }
        if (!threshold) {
            std::string msg = fmt::format("rule {} ({}) has no option '{}'", r->info().id,
                                          r->info().name, shown(option));
            if (auto guess = closestMatch(option, options))
                msg += fmt::format(" (did you mean '{}'?)", *guess);
            else
                msg += fmt::format("; its options: {}", fmt::join(options, ", "));
            error(optionColumn, msg, option.size());
            continue;
        }
        auto v = threshold->duration ? parseDuration(value.text) : parseInteger(value.text);
        if (!v) {
            error(value.column,
                  threshold->duration ? fmt::format("'{}' takes a duration such as 60s or 500ms, "
                                                    "found '{}'",
                                                    key.text, shown(value.text))
                                      : fmt::format("'{}' takes a whole number, found '{}'",
                                                    key.text, shown(value.text)),
                  value.text.size());
            continue;
        }
        rc.thresholds[std::string(threshold->key)] = *v;
    }
    return errors;
}

bool applyProjectFile(LintConfig& config, unsigned bufferId, DiagnosticEngine& diag) {
    const llvm::MemoryBuffer* buffer = diag.sourceMgr().getMemoryBuffer(bufferId);
    std::vector<ConfigError> errors = applyProjectFile(config, buffer->getBuffer());
    for (const ConfigError& e : errors) {
        const char* at = buffer->getBufferStart() + e.offset;
        auto b = diag.report(Severity::Error, "", SourceRange::fromPointers(at, at + e.length),
                             e.message);
        if (e.binary)
            b.noSnippet();
    }
    return errors.empty();
}

std::optional<std::string> findProjectFile(const std::string& specPath) {
    llvm::SmallString<256> dir;
    if (specPath == "-" || specPath == "<stdin>") {
        if (llvm::sys::fs::current_path(dir))
            return std::nullopt;
    } else {
        dir = specPath;
        llvm::sys::fs::make_absolute(dir);
        llvm::sys::path::remove_dots(dir, true);
        llvm::sys::path::remove_filename(dir);
    }
    while (!dir.empty()) {
        llvm::SmallString<256> candidate(dir);
        llvm::sys::path::append(candidate, ".supc-lint");
        if (llvm::sys::fs::is_regular_file(candidate))
            return std::string(candidate.str());
        // A copy: parent_path points into `dir`, which the assignment overwrites.
        llvm::SmallString<256> parent(llvm::sys::path::parent_path(dir));
        if (parent == dir)
            break;
        dir = parent;
    }
    return std::nullopt;
}

} // namespace supc::lint
