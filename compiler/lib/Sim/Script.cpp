#include "supc/EditDistance.h"
#include "supc/SimScript.h"
#include "supc/TextEscape.h"
#include "supc/analysis/TreePath.h"

#include <array>
#include <cctype>
#include <fmt/format.h>
#include <optional>

namespace supc::sim {

namespace {

struct Token {
    std::string text;
    ScriptLoc loc;
    bool quoted = false;
};

struct CommandInfo {
    Op op;
    std::string_view word;
    std::string_view usage;
};

constexpr std::array<CommandInfo, 10> kCommands{{
    {Op::Crash, "crash", "crash PATH [REASON]"},
    {Op::Exit, "exit", "exit PATH normal|shutdown"},
    {Op::FailStart, "fail_start", "fail_start PATH N"},
    {Op::Hang, "hang", "hang PATH"},
    {Op::StartChild, "start_child", "start_child PATH"},
    {Op::TerminateChild, "terminate_child", "terminate_child PATH"},
    {Op::RestartChild, "restart_child", "restart_child PATH"},
    {Op::DeleteChild, "delete_child", "delete_child PATH"},
    {Op::Advance, "advance", "advance DURATION"},
    {Op::Stop, "stop", "stop"},
}};

const CommandInfo& info(Op op) {
    for (const auto& c : kCommands)
        if (c.op == op)
            return c;
    return kCommands.back();
}

class LineParser {
public:
    LineParser(std::string_view line, unsigned number, std::vector<ScriptError>& errors)
        : line_(line), number_(number), errors_(errors) {}

    /// Splits the line into tokens; false (after reporting) on an unterminated string.
    bool tokenize(std::vector<Token>& out) {
        size_t i = 0;
        while (i < line_.size()) {
            char c = line_[i];
            if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
                ++i;
                continue;
            }
            if (c == '#')
                break;
            Token t;
            t.loc.line = number_;
            t.loc.column = unsigned(i + 1);
            if (c == '"') {
                t.quoted = true;
                size_t j = i + 1;
                bool closed = false;
                while (j < line_.size()) {
                    char d = line_[j];
                    if (d == '"') {
                        closed = true;
                        ++j;
                        break;
                    }
                    if (d == '\\' && j + 1 < line_.size()) {
                        char e = line_[j + 1];
                        t.text += e == 'n' ? '\n' : e == 't' ? '\t' : e;
                        j += 2;
                        continue;
                    }
                    t.text += d;
                    ++j;
                }
                t.loc.length = unsigned(j - i);
                if (!closed) {
                    error(t.loc, "unterminated string: a '\"' is missing");
                    return false;
                }
                i = j;
            } else {
                size_t j = i;
                while (j < line_.size() && line_[j] != ' ' && line_[j] != '\t' &&
                       line_[j] != '\r' && line_[j] != '#')
                    ++j;
                t.text = std::string(line_.substr(i, j - i));
                t.loc.length = unsigned(j - i);
                i = j;
            }
            out.push_back(std::move(t));
        }
        return true;
    }

    void error(ScriptLoc loc, std::string message) {
        if (errors_.size() < kMaxScriptErrors)
            errors_.push_back({loc, std::move(message)});
        else if (errors_.size() == kMaxScriptErrors)
            errors_.push_back(
                {loc, fmt::format("too many errors ({}), stopping", kMaxScriptErrors)});
    }

private:
    std::string_view line_;
    unsigned number_;
    std::vector<ScriptError>& errors_;
};

// A path as written: "" (quoted) is the root; ids joined by '/' (analysis::lookupPath).
std::optional<std::string> pathProblem(const Token& t) {
    const std::string& p = t.text;
    if (p.empty()) {
        if (t.quoted)
            return std::nullopt;
        return std::string("empty path");
    }
    return analysis::pathSyntaxProblem(p);
}

// DURATION: an integer (underscores allowed between digits) and a unit, ms, s, m or h.
std::optional<int64_t> parseDuration(std::string_view s, std::string& why) {
    size_t i = 0;
    uint64_t n = 0;
    bool digits = false, overflow = false;
    while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '_')) {
        if (s[i] == '_') {
            if (!digits || i + 1 >= s.size() ||
                !std::isdigit(static_cast<unsigned char>(s[i + 1]))) {
                why = "misplaced '_'";
                return std::nullopt;
            }
        } else {
            digits = true;
            if (n > (UINT64_MAX - 9) / 10)
                overflow = true;
            else
                n = n * 10 + uint64_t(s[i] - '0');
        }
        ++i;
    }
    std::string_view unit = s.substr(i);
    if (!digits) {
        why = s.starts_with("-") ? "durations cannot be negative"
                                 : "expected a number with a unit (ms, s, m, h), such as 500ms";
        return std::nullopt;
    }
    int64_t scale = 0;
    if (unit == "ms")
        scale = 1;
    else if (unit == "s")
        scale = 1000;
    else if (unit == "m")
        scale = 60'000;
    else if (unit == "h")
        scale = 3'600'000;
    else {
        why = unit.empty() ? "a duration needs a unit: ms, s, m or h"
                           : fmt::format("unknown unit '{}': expected ms, s, m or h", unit);
        return std::nullopt;
    }
    if (overflow || n > uint64_t(kMaxVirtualTimeMs) / uint64_t(scale)) {
        why = "longer than the simulator's clock can go (1000000h)";
        return std::nullopt;
    }
    return int64_t(n) * scale;
}

} // namespace

std::string_view name(Op op) {
    return info(op).word;
}

Script parseScript(std::string text, std::string name, std::vector<ScriptError>& errors) {
    Script script;
    script.name = std::move(name);
    script.text = std::move(text);
    std::string_view all = script.text;
    unsigned number = 0;
    std::optional<ScriptLoc> stopAt;
    size_t pos = 0;
    while (pos < all.size() && errors.size() <= kMaxScriptErrors) {
        size_t end = all.find('\n', pos);
        std::string_view line =
            all.substr(pos, end == std::string_view::npos ? all.npos : end - pos);
        pos = end == std::string_view::npos ? all.size() : end + 1;
        ++number;
        LineParser p(line, number, errors);
        std::vector<Token> tokens;
        if (!p.tokenize(tokens) || tokens.empty())
            continue;

        const Token& word = tokens[0];
        const CommandInfo* ci = nullptr;
        for (const auto& c : kCommands)
            if (!word.quoted && c.word == word.text)
                ci = &c;
        if (!ci) {
            std::vector<std::string> words;
            for (const auto& c : kCommands)
                words.emplace_back(c.word);
            std::string msg = fmt::format("unknown command '{}'", word.text);
            if (auto guess = closestMatch(word.text, words))
                msg += fmt::format(" (did you mean '{}'?)", *guess);
            else
                msg += " (expected crash, exit, fail_start, hang, start_child, terminate_child, "
                       "restart_child, delete_child, advance or stop)";
            p.error(word.loc, msg);
            continue;
        }
        if (stopAt) {
            p.error(word.loc, fmt::format("'{}' after 'stop' (line {}): the tree is stopped, "
                                          "nothing can follow",
                                          ci->word, stopAt->line));
            continue;
        }
        Command cmd;
        cmd.op = ci->op;
        cmd.loc = word.loc;
        // Argument counts: PATH for all but advance and stop; one more for exit and
        // fail_start, one more at most for crash.
        size_t minArgs = 1, maxArgs = 1;
        switch (ci->op) {
        case Op::Stop:
            minArgs = maxArgs = 0;
            break;
        case Op::Crash:
            maxArgs = 2;
            break;
        case Op::Exit:
        case Op::FailStart:
            minArgs = maxArgs = 2;
            break;
        default:
            break;
        }
        size_t given = tokens.size() - 1;
        if (given < minArgs) {
            ScriptLoc at = tokens.back().loc;
            at.column += at.length;
            at.length = 1;
            std::string_view missing = ci->op == Op::Advance ? "a duration"
                                       : given == 0          ? "a path"
                                       : ci->op == Op::Exit  ? "a reason (normal or shutdown)"
                                                             : "a count";
            p.error(at, fmt::format("'{}' needs {}: {}", ci->word, missing, ci->usage));
            continue;
        }
        if (given > maxArgs) {
            const Token& extra = tokens[maxArgs + 1];
            p.error(extra.loc, fmt::format("unexpected argument '{}': {}", extra.text, ci->usage));
            continue;
        }
        bool ok = true;
        if (ci->op == Op::Advance) {
            std::string why;
            if (auto ms = parseDuration(tokens[1].text, why); ms && !tokens[1].quoted)
                cmd.durationMs = *ms;
            else {
                p.error(tokens[1].loc,
                        fmt::format("bad duration '{}': {}", tokens[1].text,
                                    why.empty() ? "expected a number with a unit" : why));
                ok = false;
            }
        } else if (ci->op != Op::Stop) {
            const Token& path = tokens[1];
            if (auto problem = pathProblem(path)) {
                p.error(path.loc, *problem);
                ok = false;
            }
            cmd.path = path.text;
            cmd.pathLoc = path.loc;
        }
        if (ci->op == Op::Crash) {
            cmd.reason = "crash";
            if (tokens.size() > 2) {
                const Token& r = tokens[2];
                cmd.reason = r.text;
                cmd.reasonLoc = r.loc;
                if (r.text.empty()) {
                    p.error(r.loc, "empty reason");
                    ok = false;
                } else if (r.text == "normal" || r.text == "shutdown" ||
                           r.text.starts_with("{shutdown,")) {
                    p.error(r.loc, fmt::format("'{}' is a normal exit reason, not a crash: use "
                                               "'exit PATH {}'",
                                               r.text, r.text == "normal" ? "normal" : "shutdown"));
                    ok = false;
                }
            }
        } else if (ci->op == Op::Exit) {
            const Token& r = tokens[2];
            cmd.reason = r.text;
            cmd.reasonLoc = r.loc;
            if (r.text != "normal" && r.text != "shutdown") {
                std::string msg = fmt::format("'exit' takes normal or shutdown, not '{}'", r.text);
                if (auto guess = closestMatch(r.text, {"normal", "shutdown"}))
                    msg += fmt::format(" (did you mean '{}'?)", *guess);
                else
                    msg += " (for an abnormal exit, use 'crash PATH REASON')";
                p.error(r.loc, msg);
                ok = false;
            }
        } else if (ci->op == Op::FailStart) {
            const Token& n = tokens[2];
            cmd.reasonLoc = n.loc;
            int64_t v = 0;
            bool digits = !n.text.empty() && !n.quoted;
            for (char c : n.text) {
                if (!std::isdigit(static_cast<unsigned char>(c)))
                    digits = false;
                else if (v <= kMaxFailStarts)
                    v = v * 10 + (c - '0');
            }
            if (!digits || v <= 0) {
                p.error(n.loc, fmt::format("the count of 'fail_start' must be a positive integer, "
                                           "found '{}'",
                                           n.text));
                ok = false;
            } else if (v > kMaxFailStarts) {
                p.error(n.loc, fmt::format("the count of 'fail_start' can be at most {}, found {}",
                                           kMaxFailStarts, n.text));
                ok = false;
            }
            cmd.count = v;
        }
        if (ci->op == Op::Stop)
            stopAt = cmd.loc;
        if (ok)
            script.commands.push_back(std::move(cmd));
    }
    return script;
}

} // namespace supc::sim
