// What a process child's spec may say.
#include "sup/process.hpp"

#include <csignal>

namespace sup {

namespace {
bool has_nul(const std::string& s) {
    return s.find('\0') != std::string::npos;
}
std::string quoted(const std::string& s) {
    std::string q = "\"";
    for (char c : s)
        q += c == '\0' ? std::string("\\0") : std::string(1, c);
    return q + "\"";
}
std::optional<std::string> check_env_name(const std::string& n) {
    if (n.empty() || n.find('=') != std::string::npos || has_nul(n))
        return "invalid environment variable name " + quoted(n);
    return std::nullopt;
}
} // namespace

std::optional<std::string> check_process_spec(const ProcessSpec& s) {
    if (s.command.empty())
        return std::string("empty command");
    if (has_nul(s.command))
        return "command " + quoted(s.command) + " contains a NUL byte";
    if (has_nul(s.argv0))
        return std::string("argv0 contains a NUL byte");
    for (const std::string& a : s.args)
        if (has_nul(a))
            return "argument " + quoted(a) + " contains a NUL byte";
    for (const std::string& n : s.unset_env)
        if (auto e = check_env_name(n))
            return e;
    for (const auto& [n, v] : s.env) {
        if (auto e = check_env_name(n))
            return e;
        if (has_nul(v))
            return "the value of " + n + " contains a NUL byte";
    }
    if (has_nul(s.working_dir))
        return std::string("working directory contains a NUL byte");
    if (s.stop_signal < 1 || s.stop_signal > SIGRTMAX)
        return "unknown stop signal " + std::to_string(s.stop_signal);
    if (s.start_timeout < std::chrono::nanoseconds::zero())
        return std::string("negative start timeout");
    if (s.output.max_line < 16)
        return "max_line " + std::to_string(s.output.max_line) + " is below 16";
    if (s.output.max_buffered < s.output.max_line)
        return std::string("max_buffered is below max_line");
    if (!s.output.file.empty() && s.output.mode != OutputMode::log)
        return std::string("an output file needs OutputMode::log");
    if (has_nul(s.output.file))
        return std::string("output file name contains a NUL byte");
    return std::nullopt;
}

} // namespace sup
