// The Prometheus text exposition format (version 0.0.4): families with # HELP and # TYPE,
// samples with labels. Label values are escaped as the format says (backslash, double quote and
// line feed) and made valid UTF-8; HELP texts escape backslash and line feed.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace sup::obs {

std::string escape_label_value(std::string_view v);
std::string escape_help(std::string_view v);

using Label = std::pair<std::string_view, std::string_view>;

class MetricsWriter {
public:
    /// Starts a family: every sample of `name` must follow before the next family.
    void family(std::string_view name, std::string_view type, std::string_view help);
    void sample(std::string_view name, std::initializer_list<Label> labels, double value);
    void sample(std::string_view name, std::initializer_list<Label> labels, std::uint64_t value);
    const std::string& str() const { return out_; }
    std::string take() { return std::move(out_); }

    static constexpr const char* content_type = "text/plain; version=0.0.4; charset=utf-8";

private:
    void labels(std::initializer_list<Label> labels);
    std::string out_;
};

} // namespace sup::obs
