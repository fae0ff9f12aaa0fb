// A streaming JSON writer for the observer's documents (docs/observe.md has their shapes).
// Strings are always valid UTF-8 (an invalid byte becomes U+FFFD) and '<', '>', '&' and the
// line separators U+2028/U+2029 are written as \u escapes, so a document is safe wherever it is
// pasted.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sup::obs {

/// Appends `s` as a JSON string literal, quotes included.
void append_json_string(std::string& out, std::string_view s);

/// Valid UTF-8 for `s`: each byte that is not part of a well-formed sequence becomes U+FFFD.
std::string valid_utf8(std::string_view s);

class JsonWriter {
public:
    JsonWriter& begin_object();
    JsonWriter& end_object();
    JsonWriter& begin_array();
    JsonWriter& end_array();
    /// The next value's key (inside an object).
    JsonWriter& key(std::string_view k);
    JsonWriter& value(std::string_view s);
    JsonWriter& value(const char* s) { return value(std::string_view(s)); }
    JsonWriter& value(const std::string& s) { return value(std::string_view(s)); }
    JsonWriter& value(bool b);
    JsonWriter& value(std::int64_t n);
    JsonWriter& value(std::uint64_t n);
    JsonWriter& value(int n) { return value(static_cast<std::int64_t>(n)); }
    JsonWriter& value(unsigned n) { return value(static_cast<std::uint64_t>(n)); }
    JsonWriter& value(double d);
    JsonWriter& null();
    /// Writes `json` (a complete JSON value) as the next value.
    JsonWriter& raw(std::string_view json);

    const std::string& str() const { return out_; }
    std::string take() { return std::move(out_); }

private:
    void separate();
    std::string out_;
    std::vector<bool> first_; // per open container: no element yet
    bool after_key_ = false;
};

} // namespace sup::obs
