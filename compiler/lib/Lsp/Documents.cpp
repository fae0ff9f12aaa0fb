#include "supc/lsp/Documents.h"

#include "supc/Checker.h"

#include <algorithm>
#include <cctype>

namespace supc::lsp {

namespace {
// The length of the UTF-8 sequence starting with byte `c` (1 for a stray byte: an
// invalid sequence counts one unit per byte, as editors show it).
size_t seqLength(unsigned char c) {
    if (c < 0x80)
        return 1;
    if ((c >> 5) == 0x6)
        return 2;
    if ((c >> 4) == 0xE)
        return 3;
    if ((c >> 3) == 0x1E)
        return 4;
    return 1;
}
} // namespace

LineTable::LineTable(std::string_view text) : text_(text) {
    starts_.push_back(0);
    for (size_t i = 0; i < text.size(); ++i)
        if (text[i] == '\n')
            starts_.push_back(i + 1);
}

size_t LineTable::offset(Position pos, PositionEncoding enc) const {
    if (pos.line >= starts_.size())
        return text_.size();
    size_t begin = starts_[pos.line];
    bool last = pos.line + 1 == starts_.size();
    size_t end = last ? text_.size() : starts_[pos.line + 1] - 1; // at its '\n'
    if (!last && end > begin && text_[end - 1] == '\r')
        --end;
    if (enc == PositionEncoding::Utf8) {
        // Not inside a character: an edit there would leave the text ill-formed.
        size_t o = std::min(begin + pos.character, end);
        while (o > begin && o < text_.size() &&
               (static_cast<unsigned char>(text_[o]) & 0xC0) == 0x80)
            --o;
        return o;
    }
    size_t i = begin;
    uint32_t units = 0;
    while (i < end && units < pos.character) {
        size_t len = std::min(seqLength(static_cast<unsigned char>(text_[i])), end - i);
        units += len == 4 ? 2 : 1;
        i += len;
    }
    return i;
}

Position LineTable::position(size_t offset, PositionEncoding enc) const {
    offset = std::min(offset, text_.size());
    auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
    uint32_t line = uint32_t(it - starts_.begin() - 1);
    size_t begin = starts_[line];
    if (enc == PositionEncoding::Utf8)
        return {line, uint32_t(offset - begin)};
    uint32_t units = 0;
    for (size_t i = begin; i < offset;) {
        size_t len = std::min(seqLength(static_cast<unsigned char>(text_[i])), offset - i);
        units += len == 4 ? 2 : 1;
        i += len;
    }
    return {line, units};
}

bool applyChange(std::string& text, const TextChange& change, PositionEncoding enc) {
    if (!change.range) {
        text = change.text;
        return true;
    }
    LineTable lines(text);
    size_t b = lines.offset(change.range->start, enc), e = lines.offset(change.range->end, enc);
    if (e < b)
        return false;
    text.replace(b, e - b, change.text);
    return true;
}

Document& DocumentStore::open(const std::string& uri, std::string text, int64_t version) {
    Document& d = docs_[uri];
    d.uri = uri;
    std::string path = uriToPath(uri);
    d.path = path.empty() ? path : canonicalSpecPath(path);
    d.text = std::move(text);
    d.version = version;
    d.generation = ++generation_;
    return d;
}

bool DocumentStore::change(const std::string& uri, int64_t version,
                           const std::vector<TextChange>& changes, PositionEncoding enc) {
    auto it = docs_.find(uri);
    if (it == docs_.end())
        return false;
    Document& d = it->second;
    bool ok = true;
    for (const auto& c : changes)
        if (!applyChange(d.text, c, enc)) {
            ok = false;
            break;
        }
    d.version = version;
    d.generation = ++generation_;
    return ok;
}

void DocumentStore::close(const std::string& uri) {
    docs_.erase(uri);
}

Document* DocumentStore::find(const std::string& uri) {
    auto it = docs_.find(uri);
    return it == docs_.end() ? nullptr : &it->second;
}

const Document* DocumentStore::findByPath(const std::string& canonicalPath) const {
    for (const auto& [uri, d] : docs_)
        if (!d.path.empty() && d.path == canonicalPath)
            return &d;
    return nullptr;
}

std::string uriToPath(std::string_view uri) {
    constexpr std::string_view scheme = "file://";
    if (uri.substr(0, scheme.size()) != scheme)
        return {};
    uri.remove_prefix(scheme.size());
    // file://host/path: only the local host (empty or "localhost") is a path here.
    if (uri.substr(0, 9) == "localhost")
        uri.remove_prefix(9);
    if (uri.empty() || uri.front() != '/')
        return {};
    std::string out;
    for (size_t i = 0; i < uri.size(); ++i) {
        char c = uri[i];
        if (c == '%') {
            auto hex = [](char h) -> int {
                if (h >= '0' && h <= '9')
                    return h - '0';
                if (h >= 'a' && h <= 'f')
                    return h - 'a' + 10;
                if (h >= 'A' && h <= 'F')
                    return h - 'A' + 10;
                return -1;
            };
            int hi = i + 1 < uri.size() ? hex(uri[i + 1]) : -1;
            int lo = i + 2 < uri.size() ? hex(uri[i + 2]) : -1;
            if (hi < 0 || lo < 0)
                return {};
            char decoded = char(hi * 16 + lo);
            if (decoded == '\0')
                return {};
            out += decoded;
            i += 2;
        } else {
            out += c;
        }
    }
    return out;
}

std::string pathToUri(std::string_view path) {
    std::string out = "file://";
    static const char* digits = "0123456789ABCDEF";
    for (char c : path) {
        auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') {
            out += c;
        } else {
            out += '%';
            out += digits[u >> 4];
            out += digits[u & 15];
        }
    }
    return out;
}

} // namespace supc::lsp
