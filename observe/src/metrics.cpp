#include "metrics.hpp"

#include "json.hpp"

#include <cmath>
#include <cstdio>

namespace sup::obs {

std::string escape_label_value(std::string_view v) {
    std::string s = valid_utf8(v);
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

std::string escape_help(std::string_view v) {
    std::string s = valid_utf8(v);
    std::string out;
    for (char c : s) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

void MetricsWriter::family(std::string_view name, std::string_view type, std::string_view help) {
    out_ += "# HELP ";
    out_ += name;
    out_ += ' ';
    out_ += escape_help(help);
    out_ += "\n# TYPE ";
    out_ += name;
    out_ += ' ';
    out_ += type;
    out_ += '\n';
}

void MetricsWriter::labels(std::initializer_list<Label> labels) {
    if (labels.size() == 0)
        return;
    out_ += '{';
    bool first = true;
    for (const auto& [k, v] : labels) {
        if (!first)
            out_ += ',';
        first = false;
        out_ += k;
        out_ += "=\"";
        out_ += escape_label_value(v);
        out_ += '"';
    }
    out_ += '}';
}

void MetricsWriter::sample(std::string_view name, std::initializer_list<Label> l, double value) {
    out_ += name;
    labels(l);
    out_ += ' ';
    if (std::isnan(value))
        out_ += "NaN";
    else if (std::isinf(value))
        out_ += value > 0 ? "+Inf" : "-Inf";
    else {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.17g", value);
        out_ += buf;
    }
    out_ += '\n';
}

void MetricsWriter::sample(std::string_view name, std::initializer_list<Label> l,
                           std::uint64_t value) {
    out_ += name;
    labels(l);
    out_ += ' ';
    out_ += std::to_string(value);
    out_ += '\n';
}

} // namespace sup::obs
