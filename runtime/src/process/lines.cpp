#include "process/lines.hpp"

namespace sup::detail::proc {

std::string LineSplitter::printable(std::string_view raw, std::uint64_t cut) {
    if (!raw.empty() && raw.back() == '\r' && cut == 0)
        raw.remove_suffix(1);
    static const char hex[] = "0123456789abcdef";
    std::string s;
    s.reserve(raw.size() + 16);
    for (char ch : raw) {
        auto u = static_cast<unsigned char>(ch);
        if ((u < 0x20 && u != '\t') || u == 0x7f) {
            s += "\\x";
            s += hex[u >> 4];
            s += hex[u & 15];
        } else {
            s += ch;
        }
    }
    if (cut)
        s += "...[" + std::to_string(cut) + " bytes cut]";
    return s;
}

void LineSplitter::emit(std::vector<Line>& out) {
    out.push_back(Line{printable(partial_, cut_), cut_ != 0});
    partial_.clear();
    cut_ = 0;
}

void LineSplitter::feed(std::string_view data, std::vector<Line>& out) {
    while (!data.empty()) {
        std::size_t nl = data.find('\n');
        std::string_view part = nl == std::string_view::npos ? data : data.substr(0, nl);
        std::size_t room = max_ > partial_.size() ? max_ - partial_.size() : 0;
        if (part.size() <= room) {
            partial_.append(part);
        } else {
            partial_.append(part.substr(0, room));
            cut_ += part.size() - room;
        }
        if (nl == std::string_view::npos)
            return;
        emit(out);
        data.remove_prefix(nl + 1);
    }
}

void LineSplitter::finish(std::vector<Line>& out) {
    if (!partial_.empty() || cut_)
        emit(out);
}

} // namespace sup::detail::proc
