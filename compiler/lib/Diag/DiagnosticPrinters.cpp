#include "supc/DiagnosticEngine.h"
#include "supc/TextEscape.h"

#include <llvm/Support/JSON.h>
#include <llvm/Support/raw_ostream.h>

namespace supc {

namespace {

std::string label(const Diagnostic& d) {
    std::string out(severityName(d.severity));
    if (!d.code.empty())
        out += "[" + d.code + "]";
    return out;
}

// The display width of `s` shown from column `startColumn` (see appendShownLine).
size_t displayWidth(std::string_view s, size_t startColumn = 0) {
    std::string ignored;
    size_t col = startColumn;
    appendShownLine(s, ignored, col);
    return col;
}

std::string renderLine(std::string_view s) {
    std::string out;
    size_t col = 0;
    appendShownLine(s, out, col);
    return out;
}

// Lines longer than this are shown as a window around the caret.
constexpr size_t kMaxShownLine = 160;

struct Snippet {
    std::string line;  // the shown part of the source line
    std::string caret; // "   ^~~~"
    std::string fixit; // replacement text under the caret line, if any
};

// The source line of `r.begin`, a caret under it and `~` under the rest of the range on
// that line, and the first fix-it on that line. Columns are display columns
// (appendShownLine).
Snippet makeSnippet(const llvm::SourceMgr& sm, SourceRange r, const std::vector<FixIt>& fixits) {
    Snippet out;
    unsigned id = sm.FindBufferContainingLoc(r.begin);
    if (!id)
        return out;
    const llvm::MemoryBuffer* buf = sm.getMemoryBuffer(id);
    const char* bufStart = buf->getBufferStart();
    const char* bufEnd = buf->getBufferEnd();
    const char* at = r.begin.getPointer();
    const char* lineStart = at;
    while (lineStart > bufStart && lineStart[-1] != '\n' && lineStart[-1] != '\r')
        --lineStart;
    const char* lineEnd = at;
    while (lineEnd < bufEnd && *lineEnd != '\n' && *lineEnd != '\r')
        ++lineEnd;
    const char* rangeEnd = r.end.getPointer();
    if (!rangeEnd || rangeEnd < at)
        rangeEnd = at;
    if (rangeEnd > lineEnd)
        rangeEnd = lineEnd;

    // Window: the whole line when short, else around the caret (on UTF-8 boundaries).
    const char* from = lineStart;
    const char* to = lineEnd;
    std::string prefix, suffix;
    if (size_t(lineEnd - lineStart) > kMaxShownLine) {
        from = std::max(lineStart, at - 60);
        while (from > lineStart && (static_cast<unsigned char>(*from) & 0xC0) == 0x80)
            --from;
        to = std::min(lineEnd, from + kMaxShownLine);
        while (to < lineEnd && (static_cast<unsigned char>(*to) & 0xC0) == 0x80)
            ++to;
        if (rangeEnd > to)
            rangeEnd = to;
        if (from > lineStart)
            prefix = "...";
        if (to < lineEnd)
            suffix = "...";
    }
    std::string_view shown(from, size_t(to - from));
    out.line = prefix + renderLine(shown) + suffix;
    size_t caretCol = prefix.size() + displayWidth(std::string_view(from, size_t(at - from)));
    size_t endCol = prefix.size() + displayWidth(std::string_view(from, size_t(rangeEnd - from)));
    out.caret = std::string(caretCol, ' ') + "^";
    if (endCol > caretCol + 1)
        out.caret += std::string(endCol - caretCol - 1, '~');
    for (const auto& f : fixits) {
        const char* fb = f.range.begin.getPointer();
        if (!fb || fb < from || fb > to)
            continue;
        size_t col = prefix.size() + displayWidth(std::string_view(from, size_t(fb - from)));
        out.fixit = std::string(col, ' ') + escapeForTerminal(f.replacement);
        break;
    }
    return out;
}

} // namespace

void TextDiagnosticPrinter::handle(const Diagnostic& d, const llvm::SourceMgr& sm) {
    auto printLabel = [&](Severity severity, const std::string& text) {
        if (colors_) {
            auto color = severity == Severity::Error     ? llvm::raw_ostream::RED
                         : severity == Severity::Warning ? llvm::raw_ostream::MAGENTA
                                                         : llvm::raw_ostream::BLACK;
            os_.changeColor(color, /*bold=*/true);
        }
        os_ << text << ": ";
        if (colors_)
            os_.resetColor();
    };
    auto printMessage = [&](const std::string& message) {
        if (colors_)
            os_.changeColor(llvm::raw_ostream::SAVEDCOLOR, /*bold=*/true);
        os_ << escapeForTerminal(message);
        if (colors_)
            os_.resetColor();
        os_ << "\n";
    };
    auto printLocated = [&](Severity severity, const std::string& text, const std::string& message,
                            SourceRange range, const std::vector<FixIt>& fixits, bool snippet) {
        auto loc = presumedLocation(sm, range.begin);
        if (colors_)
            os_.changeColor(llvm::raw_ostream::SAVEDCOLOR, /*bold=*/true);
        os_ << escapeForTerminal(loc.file) << ":" << loc.line << ":" << loc.column << ": ";
        if (colors_)
            os_.resetColor();
        printLabel(severity, text);
        printMessage(message);
        if (!snippet)
            return;
        Snippet s = makeSnippet(sm, range, fixits);
        os_ << s.line << "\n";
        if (colors_)
            os_.changeColor(llvm::raw_ostream::GREEN, /*bold=*/true);
        os_ << s.caret;
        if (colors_)
            os_.resetColor();
        os_ << "\n";
        if (!s.fixit.empty()) {
            if (colors_)
                os_.changeColor(llvm::raw_ostream::GREEN);
            os_ << s.fixit;
            if (colors_)
                os_.resetColor();
            os_ << "\n";
        }
    };

    if (!d.range.isValid()) {
        os_ << (d.file.empty() ? std::string("supc") : escapeForTerminal(d.file)) << ": ";
        printLabel(d.severity, label(d));
        printMessage(d.message);
    } else {
        printLocated(d.severity, label(d), d.message, d.range, d.fixIts, d.showSnippet);
    }
    for (const auto& n : d.notes) {
        if (n.range.isValid()) {
            printLocated(Severity::Note, "note", n.message, n.range, {}, true);
        } else {
            printLabel(Severity::Note, "note");
            os_ << escapeForTerminal(n.message) << "\n";
        }
    }
    os_.flush();
}

namespace {

void writeLocation(llvm::json::OStream& j, const llvm::SourceMgr& sm, SourceRange r,
                   const std::string& fallbackFile) {
    auto b = presumedLocation(sm, r.begin);
    if (!b.isValid()) {
        if (!fallbackFile.empty())
            j.attribute("file", toValidUtf8(fallbackFile));
        return;
    }
    auto e = presumedLocation(sm, r.end.isValid() ? r.end : r.begin);
    j.attribute("file", toValidUtf8(b.file));
    j.attribute("line", int64_t(b.line));
    j.attribute("column", int64_t(b.column));
    j.attribute("end_line", int64_t(e.line));
    j.attribute("end_column", int64_t(e.column));
}

} // namespace

void JsonDiagnosticPrinter::handle(const Diagnostic& d, const llvm::SourceMgr&) {
    diags_.push_back(d);
}

void JsonDiagnosticPrinter::finish(const llvm::SourceMgr& sm) {
    llvm::json::OStream j(os_, 2);
    j.array([&] {
        for (const auto& d : diags_) {
            j.object([&] {
                j.attribute("severity", std::string(severityName(d.severity)));
                j.attribute("code", d.code);
                j.attribute("message", toValidUtf8(d.message));
                writeLocation(j, sm, d.range, d.file);
                j.attributeArray("notes", [&] {
                    for (const auto& n : d.notes)
                        j.object([&] {
                            j.attribute("message", toValidUtf8(n.message));
                            writeLocation(j, sm, n.range, "");
                        });
                });
                j.attributeArray("fixits", [&] {
                    for (const auto& f : d.fixIts)
                        j.object([&] {
                            writeLocation(j, sm, f.range, "");
                            j.attribute("replacement", toValidUtf8(f.replacement));
                        });
                });
            });
        }
    });
    os_ << "\n";
    os_.flush();
    diags_.clear();
}

} // namespace supc
