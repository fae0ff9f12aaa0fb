// Splitting a child's output stream into lines: bounded (a line longer than the limit is cut
// and marked), safe to print (control bytes are escaped, so a child cannot rewrite the log's
// terminal or forge a line), and complete at end of stream (a last line without a newline).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sup::detail::proc {

struct Line {
    std::string text;
    bool truncated = false;
};

class LineSplitter {
public:
    /// Lines longer than `max_line` bytes (before escaping) are cut there.
    explicit LineSplitter(std::size_t max_line) : max_(max_line) {}

    /// Appends the complete lines in `data` to `out`; keeps the rest for later.
    void feed(std::string_view data, std::vector<Line>& out);
    /// End of stream: a pending partial line, if any, becomes a line.
    void finish(std::vector<Line>& out);

    /// The text of a line as the log shows it: control bytes (but tab) as \xHH, a trailing
    /// carriage return removed, and a cut line marked "...[N bytes cut]".
    static std::string printable(std::string_view raw, std::uint64_t cut);

private:
    void emit(std::vector<Line>& out);
    std::size_t max_;
    std::string partial_;
    std::uint64_t cut_ = 0; // bytes of the current line dropped beyond max_
};

} // namespace sup::detail::proc
