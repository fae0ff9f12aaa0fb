#include "supc/UnifiedDiff.h"

#include <dtl/dtl.hpp>
#include <vector>

namespace supc {

namespace {

// Lines with their line feed: a last line without one differs from the same text with it,
// and is printed with GNU's marker.
std::vector<std::string> splitLines(std::string_view text) {
    std::vector<std::string> lines;
    size_t start = 0;
    while (start < text.size()) {
        size_t end = text.find('\n', start);
        end = end == std::string_view::npos ? text.size() : end + 1;
        lines.emplace_back(text.substr(start, end - start));
        start = end;
    }
    return lines;
}

struct Edit {
    char mark; // ' ', '-', '+'
    const std::string* line;
};

void appendRange(std::string& out, char sign, size_t before, size_t length) {
    // GNU diff: the first line of the range, or the line before an empty one.
    out += sign;
    out += std::to_string(length == 0 ? before : before + 1);
    if (length != 1)
        out += "," + std::to_string(length);
}

} // namespace

std::string unifiedDiffHunks(std::string_view before, std::string_view after, unsigned context) {
    std::vector<std::string> a = splitLines(before), b = splitLines(after);
    if (a == b)
        return "";
    // Deletions before insertions in each change, as GNU diff orders them.
    dtl::Diff<std::string, std::vector<std::string>> diff(a, b, /*deletesFirst=*/true);
    diff.compose();
    std::vector<Edit> edits;
    for (const auto& [line, info] : diff.getSes().getSequence()) {
        char mark = info.type == dtl::SES_ADD ? '+' : info.type == dtl::SES_DELETE ? '-' : ' ';
        // The element is a copy in the edit script; point at our own lines instead.
        const std::string* own =
            mark == '+' ? &b[size_t(info.afterIdx - 1)] : &a[size_t(info.beforeIdx - 1)];
        edits.push_back({mark, own});
    }

    std::string out;
    size_t n = edits.size();
    size_t i = 0;
    size_t aLine = 0, bLine = 0; // lines of each side before edits[i]
    while (i < n) {
        // The next change, and the hunk around it: changes whose gap of unchanged lines is
        // at most 2 * context share one hunk.
        size_t first = i;
        while (first < n && edits[first].mark == ' ')
            ++first;
        if (first == n)
            break;
        size_t begin = first >= context ? first - context : 0;
        begin = std::max(begin, i);
        size_t last = first; // one past the last change of the hunk
        size_t scan = first;
        while (scan < n) {
            if (edits[scan].mark != ' ') {
                last = ++scan;
                continue;
            }
            size_t run = scan;
            while (run < n && edits[run].mark == ' ')
                ++run;
            if (run == n || run - scan > 2 * size_t(context))
                break;
            scan = run;
        }
        size_t end = std::min(n, last + context);
        // Lines of each side before the hunk.
        for (size_t k = i; k < begin; ++k)
            ++aLine, ++bLine; // unchanged lines only: every change is inside a hunk
        size_t aLength = 0, bLength = 0;
        for (size_t k = begin; k < end; ++k) {
            aLength += edits[k].mark != '+';
            bLength += edits[k].mark != '-';
        }
        out += "@@ ";
        appendRange(out, '-', aLine, aLength);
        out += ' ';
        appendRange(out, '+', bLine, bLength);
        out += " @@\n";
        for (size_t k = begin; k < end; ++k) {
            out += edits[k].mark;
            out += *edits[k].line;
            if (edits[k].line->empty() || edits[k].line->back() != '\n')
                out += "\n\\ No newline at end of file\n";
        }
        aLine += aLength;
        bLine += bLength;
        i = end;
    }
    return out;
}

std::string unifiedDiff(std::string_view before, std::string_view after, std::string_view fromName,
                        std::string_view toName, unsigned context) {
    std::string hunks = unifiedDiffHunks(before, after, context);
    if (hunks.empty())
        return "";
    return "--- " + std::string(fromName) + "\n+++ " + std::string(toName) + "\n" + hunks;
}

} // namespace supc
