#include "supc/DiagnosticEngine.h"

#include <llvm/Support/JSON.h>
#include <llvm/Support/WithColor.h>
#include <llvm/Support/raw_ostream.h>

namespace supc {

namespace {

llvm::SourceMgr::DiagKind toDiagKind(Severity s) {
    switch (s) {
    case Severity::Error: return llvm::SourceMgr::DK_Error;
    case Severity::Warning: return llvm::SourceMgr::DK_Warning;
    case Severity::Note: return llvm::SourceMgr::DK_Note;
    case Severity::Remark: return llvm::SourceMgr::DK_Remark;
    }
    return llvm::SourceMgr::DK_Error;
}

std::string label(const Diagnostic& d) {
    std::string out(severityName(d.severity));
    if (!d.code.empty()) out += "[" + d.code + "]";
    return out;
}

// The part of a range that lies on the caret's line (SourceMgr draws only that part).
llvm::SMRange clipToLine(SourceRange r) {
    const char* b = r.begin.getPointer();
    const char* e = r.end.getPointer();
    if (!e || e <= b) return {r.begin, r.begin};
    for (const char* p = b; p < e; ++p)
        if (*p == '\n' || *p == '\r') return {r.begin, llvm::SMLoc::getFromPointer(p)};
    return r.toSMRange();
}

} // namespace

void TextDiagnosticPrinter::handle(const Diagnostic& d, const llvm::SourceMgr& sm) {
    auto printLabel = [&](const Diagnostic& diag) {
        if (colors_) {
            auto color = diag.severity == Severity::Error     ? llvm::raw_ostream::RED
                         : diag.severity == Severity::Warning ? llvm::raw_ostream::MAGENTA
                                                              : llvm::raw_ostream::BLACK;
            os_.changeColor(color, /*bold=*/true);
        }
        os_ << label(diag) << ": ";
        if (colors_) os_.resetColor();
    };

    if (!d.range.isValid()) {
        os_ << (d.file.empty() ? std::string("supc") : d.file) << ": ";
        printLabel(d);
        os_ << d.message << "\n";
    } else if (!d.showSnippet) {
        auto loc = presumedLocation(sm, d.range.begin);
        os_ << loc.file << ":" << loc.line << ":" << loc.column << ": ";
        printLabel(d);
        os_ << d.message << "\n";
    } else {
        std::vector<llvm::SMFixIt> fixits;
        for (const auto& f : d.fixIts)
            if (f.range.isValid()) fixits.emplace_back(f.range.toSMRange(), f.replacement);
        llvm::SMRange range = clipToLine(d.range);
        std::vector<llvm::SMRange> ranges;
        if (range.Start != range.End) ranges.push_back(range);
        auto msg = sm.GetMessage(d.range.begin, toDiagKind(d.severity),
                                 label(d) + ": " + d.message, ranges, fixits);
        msg.print(nullptr, os_, colors_, /*ShowKindLabel=*/false);
    }

    for (const auto& n : d.notes) {
        if (n.range.isValid()) {
            llvm::SMRange range = clipToLine(n.range);
            std::vector<llvm::SMRange> ranges;
            if (range.Start != range.End) ranges.push_back(range);
            sm.GetMessage(n.range.begin, llvm::SourceMgr::DK_Note, n.message, ranges)
                .print(nullptr, os_, colors_, /*ShowKindLabel=*/true);
        } else {
            if (colors_) os_.changeColor(llvm::raw_ostream::BLACK, true);
            os_ << "note: ";
            if (colors_) os_.resetColor();
            os_ << n.message << "\n";
        }
    }
    os_.flush();
}

namespace {

void writeLocation(llvm::json::OStream& j, const llvm::SourceMgr& sm, SourceRange r,
                   const std::string& fallbackFile) {
    auto b = presumedLocation(sm, r.begin);
    if (!b.isValid()) {
        if (!fallbackFile.empty()) j.attribute("file", fallbackFile);
        return;
    }
    auto e = presumedLocation(sm, r.end.isValid() ? r.end : r.begin);
    j.attribute("file", b.file);
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
                j.attribute("message", d.message);
                writeLocation(j, sm, d.range, d.file);
                j.attributeArray("notes", [&] {
                    for (const auto& n : d.notes)
                        j.object([&] {
                            j.attribute("message", n.message);
                            writeLocation(j, sm, n.range, "");
                        });
                });
                j.attributeArray("fixits", [&] {
                    for (const auto& f : d.fixIts)
                        j.object([&] {
                            writeLocation(j, sm, f.range, "");
                            j.attribute("replacement", f.replacement);
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
