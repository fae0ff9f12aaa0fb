// SUPC_SCHEDULERS (sup/schedulers.hpp).
#include "sup/schedulers.hpp"

#include <cstdlib>
#include <string_view>
#include <thread>

namespace sup {

namespace {
/// `s` for a one-line message: printable ASCII as it is, other bytes as \xNN.
std::string printable(std::string_view s) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    for (unsigned char c : s) {
        if (c >= 0x20 && c < 0x7F && c != '\\') {
            out += static_cast<char>(c);
        } else {
            out += "\\x";
            out += hex[c >> 4];
            out += hex[c & 0xF];
        }
    }
    return out;
}
} // namespace

SchedulerCount scheduler_count(const char* text, unsigned hardware) {
    SchedulerCount out;
    out.threads = hardware ? hardware : 1;
    if (!text)
        return out;
    std::string_view s = text;
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    unsigned long long n = 0;
    bool ok = !s.empty();
    for (char c : s) {
        if (c < '0' || c > '9' || n > max_schedulers) {
            ok = false;
            break;
        }
        n = n * 10 + static_cast<unsigned>(c - '0');
    }
    if (ok && n >= 1 && n <= max_schedulers) {
        out.threads = static_cast<unsigned>(n);
        return out;
    }
    out.warning = "SUPC_SCHEDULERS='" + printable(text) + "' is not a whole number from 1 to " +
                  std::to_string(max_schedulers) + "; using " + std::to_string(out.threads) +
                  " (one per hardware thread)";
    return out;
}

SchedulerCount default_schedulers() {
    return scheduler_count(std::getenv("SUPC_SCHEDULERS"), std::thread::hardware_concurrency());
}

} // namespace sup
