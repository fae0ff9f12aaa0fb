#include "Protocol.h"

#include "supc/TextEscape.h"

namespace supc::lsp {

namespace json = llvm::json;

const LineTable& Locator::table(unsigned buffer) {
    auto& t = tables_[buffer];
    if (!t)
        t = std::make_unique<LineTable>(a_.sm.getMemoryBuffer(buffer)->getBuffer());
    return *t;
}

std::optional<Range> Locator::range(SourceRange r) {
    if (!r.isValid())
        return std::nullopt;
    unsigned id = a_.sm.FindBufferContainingLoc(r.begin);
    if (id == 0)
        return std::nullopt;
    const llvm::MemoryBuffer* b = a_.sm.getMemoryBuffer(id);
    size_t begin = size_t(r.begin.getPointer() - b->getBufferStart());
    size_t end = r.end.isValid() && r.end.getPointer() >= r.begin.getPointer() &&
                         r.end.getPointer() <= b->getBufferEnd()
                     ? size_t(r.end.getPointer() - b->getBufferStart())
                     : begin;
    const LineTable& t = table(id);
    return Range{t.position(begin, ctx_.encoding), t.position(end, ctx_.encoding)};
}

std::string Locator::uriOf(llvm::SMLoc loc) {
    unsigned id = a_.sm.FindBufferContainingLoc(loc);
    if (id == a_.entryBuffer)
        return ctx_.uriOf(a_.path);
    if (a_.program)
        for (const auto& m : a_.program->modules)
            if (m->bufferId == id)
                return ctx_.uriOf(m->canonicalPath);
    return ctx_.uriOf(a_.sm.getMemoryBuffer(id)->getBufferIdentifier().str());
}

std::optional<json::Value> Locator::location(SourceRange r) {
    auto rg = range(r);
    if (!rg)
        return std::nullopt;
    return json::Object{{"uri", uriOf(r.begin)}, {"range", toJson(*rg)}};
}

size_t Locator::entryOffset(Position p) {
    return table(a_.entryBuffer).offset(p, ctx_.encoding);
}

Position Locator::entryPosition(size_t offset) {
    return table(a_.entryBuffer).position(offset, ctx_.encoding);
}

json::Value toJson(const Position& p) {
    return json::Object{{"line", int64_t(p.line)}, {"character", int64_t(p.character)}};
}

json::Value toJson(const Range& r) {
    return json::Object{{"start", toJson(r.start)}, {"end", toJson(r.end)}};
}

std::optional<Position> positionFrom(const json::Value* v) {
    const json::Object* o = v ? v->getAsObject() : nullptr;
    if (!o)
        return std::nullopt;
    auto line = o->getInteger("line"), ch = o->getInteger("character");
    if (!line || !ch || *line < 0 || *ch < 0 || *line > UINT32_MAX || *ch > UINT32_MAX)
        return std::nullopt;
    return Position{uint32_t(*line), uint32_t(*ch)};
}

std::optional<Range> rangeFrom(const json::Value* v) {
    const json::Object* o = v ? v->getAsObject() : nullptr;
    if (!o)
        return std::nullopt;
    auto s = positionFrom(o->get("start")), e = positionFrom(o->get("end"));
    if (!s || !e)
        return std::nullopt;
    return Range{*s, *e};
}

std::optional<json::Value> toLspDiagnostic(const Diagnostic& d, Locator& loc) {
    std::optional<Range> range;
    if (d.range.isValid())
        range = loc.range(d.range);
    if (!range)
        range = Range{}; // about the whole file: its first character
    int severity = d.severity == Severity::Error     ? 1
                   : d.severity == Severity::Warning ? 2
                   : d.severity == Severity::Note    ? 3
                                                     : 4;
    // Editors show the message as it is: supc's escaping for terminals is not needed,
    // but JSON must be valid UTF-8 (toValidUtf8 replaces ill-formed sequences).
    std::string message = toValidUtf8(d.message);
    json::Array related;
    for (const auto& n : d.notes) {
        std::optional<json::Value> where = n.range.isValid() ? loc.location(n.range) : std::nullopt;
        if (where)
            related.push_back(
                json::Object{{"location", std::move(*where)}, {"message", toValidUtf8(n.message)}});
        else
            message += "\nnote: " + toValidUtf8(n.message);
    }
    json::Object out{{"range", toJson(*range)},
                     {"severity", severity},
                     {"source", "supc"},
                     {"message", std::move(message)}};
    if (!d.code.empty())
        out["code"] = d.code;
    if (!related.empty())
        out["relatedInformation"] = std::move(related);
    return json::Value(std::move(out));
}

} // namespace supc::lsp
