// textDocument/codeAction: every fix-it of the diagnostics in the range, and for a lint
// finding "suppress it here" (`// supc:allow(L0xx): reason` on the line before).
#include "Protocol.h"

#include <fmt/format.h>

namespace supc::lsp {

namespace json = llvm::json;

namespace {
bool overlaps(const Range& a, const Range& b) {
    auto le = [](const Position& x, const Position& y) {
        return x.line < y.line || (x.line == y.line && x.character <= y.character);
    };
    return le(a.start, b.end) && le(b.start, a.end);
}
} // namespace

json::Value codeActions(const Analysis& a, Locator& loc, const std::string& uri, Range range) {
    json::Array out;
    std::string_view text = a.text();
    for (const auto& d : a.diagnostics) {
        if (a.entryOffset(d.range.begin) < 0)
            continue;
        auto where = loc.range(d.range);
        if (!where || !overlaps(*where, range))
            continue;
        auto lspDiag = toLspDiagnostic(d, loc);
        // Its fix-its, as one action (they belong together).
        json::Array edits;
        std::string what;
        for (const auto& f : d.fixIts) {
            auto r = a.entryOffset(f.range.begin) >= 0 ? loc.range(f.range) : std::nullopt;
            if (!r) {
                edits.clear();
                break;
            }
            edits.push_back(json::Object{{"range", toJson(*r)}, {"newText", f.replacement}});
            if (what.empty())
                what = f.replacement.empty()
                           ? std::string("remove '") + std::string(f.range.text()) + "'"
                       : f.range.size() == 0 ? "insert '" + f.replacement + "'"
                                             : "replace '" + std::string(f.range.text()) +
                                                   "' with '" + f.replacement + "'";
        }
        if (!edits.empty()) {
            // Trim an insertion's text to its first line for the title.
            if (auto nl = what.find('\n'); nl != what.npos)
                what = what.substr(0, nl) + "...'";
            out.push_back(json::Object{
                {"title", fmt::format("{}: {}", d.code.empty() ? "fix" : d.code, what)},
                {"kind", "quickfix"},
                {"isPreferred", true},
                {"diagnostics", json::Array{*lspDiag}},
                {"edit", json::Object{{"changes", json::Object{{uri, std::move(edits)}}}}},
            });
        }
        // A lint finding: suppress it on its line, with a reason to fill in.
        if (d.code.size() == 4 && d.code[0] == 'L' && d.code != "L000") {
            size_t off = size_t(a.entryOffset(d.range.begin));
            size_t lineStart = std::min(off, text.size());
            while (lineStart > 0 && text[lineStart - 1] != '\n')
                --lineStart;
            size_t indentEnd = lineStart;
            while (indentEnd < text.size() && (text[indentEnd] == ' ' || text[indentEnd] == '\t'))
                ++indentEnd;
            std::string indent(text.substr(lineStart, indentEnd - lineStart));
            Position at = loc.entryPosition(lineStart);
            Range insert{at, at};
            out.push_back(json::Object{
                {"title", fmt::format("{}: suppress this finding (supc:allow)", d.code)},
                {"kind", "quickfix"},
                {"diagnostics", json::Array{*lspDiag}},
                {"edit",
                 json::Object{{"changes",
                               json::Object{{uri, json::Array{json::Object{
                                                      {"range", toJson(insert)},
                                                      {"newText",
                                                       fmt::format("{}// supc:allow({}): REASON\n",
                                                                   indent, d.code)}}}}}}}},
            });
        }
    }
    return out;
}

} // namespace supc::lsp
