// A small streaming JSON writer: indentation, commas, and strings escaped so that the output is
// always valid JSON in valid UTF-8 whatever bytes the strings hold.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sup::detail {

class JsonWriter {
public:
    /// `indent` spaces per level; 0 writes one line without spaces.
    explicit JsonWriter(int indent) : indent_(indent < 0 ? 0 : indent) {}

    void begin_object() { open('{'); }
    void end_object() { close('}'); }
    void begin_array() { open('['); }
    void end_array() { close(']'); }
    /// The key of the next value, inside an object.
    void key(std::string_view k);

    void string(std::string_view s);
    void null();
    void boolean(bool b);
    void integer(std::int64_t v);
    void unsigned_integer(std::uint64_t v);
    /// Finite numbers in their shortest exact form; null for NaN and infinities.
    void number(double v);
    /// A duration in milliseconds: an integer when whole, else a decimal with up to 6 digits.
    void milliseconds(std::chrono::nanoseconds d);

    const std::string& text() const { return out_; }
    std::string take() { return std::move(out_); }

    /// `s` as a JSON string literal (quotes included): '"', '\\' and control characters
    /// escaped, each byte that is not part of valid UTF-8 replaced by U+FFFD.
    static void quote(std::string& out, std::string_view s);

private:
    void open(char c);
    void close(char c);
    void before_value();
    void newline();

    struct Level {
        bool empty = true;
    };
    std::string out_;
    std::vector<Level> levels_;
    bool after_key_ = false;
    int indent_;
};

} // namespace sup::detail
