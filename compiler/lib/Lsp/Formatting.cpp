// textDocument/formatting: the `supc fmt` layout, as the smallest single edit.
#include "Protocol.h"
#include "supc/Format.h"

#include <llvm/Support/MemoryBuffer.h>

namespace supc::lsp {

namespace json = llvm::json;

json::Value formatting(const std::string& path, const std::string& text, PositionEncoding enc) {
    llvm::SourceMgr sm;
    CollectingDiagnosticConsumer sink;
    DiagnosticEngine diag(sm, sink);
    unsigned id =
        sm.AddNewSourceBuffer(llvm::MemoryBuffer::getMemBufferCopy(text, path), llvm::SMLoc());
    FormatResult r = formatBuffer(id, diag);
    if (r.status != FormatResult::Status::Formatted)
        return nullptr; // syntax errors: the diagnostics say where
    const std::string& f = r.text;
    if (f == text)
        return json::Array{};
    // One edit covering what differs: the common prefix and suffix stay, so the editor
    // keeps its cursor and marks outside the change.
    size_t prefix = 0;
    while (prefix < text.size() && prefix < f.size() && text[prefix] == f[prefix])
        ++prefix;
    size_t suffix = 0;
    while (suffix < text.size() - prefix && suffix < f.size() - prefix &&
           text[text.size() - 1 - suffix] == f[f.size() - 1 - suffix])
        ++suffix;
    // Keep the edit on whole UTF-8 characters.
    auto cont = [](char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; };
    while (prefix > 0 && (cont(text[prefix]) || (prefix < f.size() && cont(f[prefix]))))
        --prefix;
    while (suffix > 0 && (cont(text[text.size() - suffix]) || cont(f[f.size() - suffix])))
        --suffix;
    LineTable lines(text);
    Range range{lines.position(prefix, enc), lines.position(text.size() - suffix, enc)};
    return json::Array{json::Object{
        {"range", toJson(range)},
        {"newText", f.substr(prefix, f.size() - prefix - suffix)},
    }};
}

} // namespace supc::lsp
