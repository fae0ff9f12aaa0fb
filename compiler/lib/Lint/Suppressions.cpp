#include "Suppressions.h"

#include <fmt/format.h>

namespace supc::lint {

namespace {

bool isBlank(char c) {
    return c == ' ' || c == '\t';
}

SourceRange rangeOf(const char* b, const char* e) {
    return SourceRange::fromPointers(b, e);
}

} // namespace

std::optional<SuppressionComment> parseSuppression(SourceRange comment, const char* bufferStart) {
    std::string_view text = comment.text();
    const char* base = text.data();
    size_t i = 0, end = text.size();
    if (text.substr(0, 2) == "//") {
        i = 2;
    } else if (text.substr(0, 2) == "/*") {
        i = 2;
        if (end >= 4 && text.substr(end - 2) == "*/")
            end -= 2;
    } else {
        return std::nullopt;
    }
    while (i < end && isBlank(text[i]))
        ++i;
    if (text.substr(i, 5) != "supc:")
        return std::nullopt;

    SuppressionComment s;
    s.range = comment;
    const char* lineStart = base;
    while (lineStart > bufferStart && lineStart[-1] != '\n')
        --lineStart;
    // Alone on its line(s): nothing but blanks before it and after it.
    s.standalone = true;
    for (const char* p = lineStart; p < base; ++p)
        if (!isBlank(*p) && *p != '\r')
            s.standalone = false;
    for (const char* p = comment.end.getPointer(); *p && *p != '\n'; ++p)
        if (!isBlank(*p) && *p != '\r')
            s.standalone = false;

    auto problem = [&](size_t from, size_t to, std::string message) {
        s.problems.push_back(
            {rangeOf(base + from, base + std::max(to, from + 1)), std::move(message)});
    };
    const size_t directive = i;
    i += 5;
    while (i < end && isBlank(text[i]))
        ++i;
    size_t word = i;
    while (i < end && (std::isalnum(static_cast<unsigned char>(text[i])) || text[i] == '_'))
        ++i;
    if (text.substr(word, i - word) != "allow") {
        problem(directive, i,
                fmt::format("unknown directive '{}': suppressions read "
                            "'supc:allow(RULE): reason'",
                            text.substr(directive, i - directive)));
        return s;
    }
    while (i < end && isBlank(text[i]))
        ++i;
    if (i >= end || text[i] != '(') {
        problem(directive, i,
                "expected '(' after 'supc:allow': suppressions read "
                "'supc:allow(RULE): reason'");
        return s;
    }
    size_t open = i++;
    size_t close = text.find(')', i);
    if (close == std::string_view::npos || close >= end) {
        problem(open, end, "missing ')' after the rules of 'supc:allow('");
        return s;
    }
    bool anyName = false;
    while (i <= close) {
        size_t comma = std::min(text.find(',', i), close);
        size_t a = i, b = comma;
        while (a < b && isBlank(text[a]))
            ++a;
        while (b > a && isBlank(text[b - 1]))
            --b;
        if (a < b) {
            anyName = true;
            std::string_view name = text.substr(a, b - a);
            const Rule* r = findRule(name);
            if (!r) {
                std::string msg = fmt::format("unknown rule '{}' in suppression", name);
                if (auto guess = suggestRule(name))
                    msg += fmt::format(" (did you mean '{}'?)", *guess);
                problem(a, b, msg);
            } else if (r->info().id == "L000") {
                problem(a, b,
                        "L000 (problems with suppressions) cannot be suppressed in the "
                        "source; disable it with --disable=L000 or in .supc-lint");
            } else {
                s.rules.push_back({r, rangeOf(base + a, base + b)});
            }
        }
        i = comma + 1;
    }
    if (!anyName) {
        problem(open, close + 1, "'supc:allow()' names no rule");
        return s;
    }
    i = close + 1;
    while (i < end && isBlank(text[i]))
        ++i;
    std::string_view allowed = text.substr(directive, close + 1 - directive);
    if (i < end && text[i] == ':') {
        ++i;
        while (i < end && (isBlank(text[i]) || text[i] == '\n' || text[i] == '\r'))
            ++i;
        size_t last = end;
        while (last > i &&
               (isBlank(text[last - 1]) || text[last - 1] == '\n' || text[last - 1] == '\r'))
            --last;
        s.hasReason = last > i;
        if (s.hasReason)
            s.reason = std::string(text.substr(i, last - i));
    } else if (i < end) {
        problem(i, end, fmt::format("expected ':' and a reason after '{}'", allowed));
        return s;
    }
    if (!s.hasReason && !s.rules.empty())
        problem(directive, close + 1,
                fmt::format("suppression '{}' gives no reason: write '{}: why it does not apply "
                            "here'",
                            allowed, allowed));
    return s;
}

} // namespace supc::lint
