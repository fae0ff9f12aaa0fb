// Signal names both ways, for exit reasons ({signal,SIGSEGV}) and for specs ("TERM").
#include "sup/process.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <csignal>

namespace sup {

namespace {
struct Named {
    const char* name; // without "SIG"
    int number;
};
constexpr Named kSignals[] = {
    {"HUP", SIGHUP},   {"INT", SIGINT},       {"QUIT", SIGQUIT}, {"ILL", SIGILL},
    {"TRAP", SIGTRAP}, {"ABRT", SIGABRT},     {"BUS", SIGBUS},   {"FPE", SIGFPE},
    {"KILL", SIGKILL}, {"USR1", SIGUSR1},     {"SEGV", SIGSEGV}, {"USR2", SIGUSR2},
    {"PIPE", SIGPIPE}, {"ALRM", SIGALRM},     {"TERM", SIGTERM}, {"STKFLT", SIGSTKFLT},
    {"CHLD", SIGCHLD}, {"CONT", SIGCONT},     {"STOP", SIGSTOP}, {"TSTP", SIGTSTP},
    {"TTIN", SIGTTIN}, {"TTOU", SIGTTOU},     {"URG", SIGURG},   {"XCPU", SIGXCPU},
    {"XFSZ", SIGXFSZ}, {"VTALRM", SIGVTALRM}, {"PROF", SIGPROF}, {"WINCH", SIGWINCH},
    {"IO", SIGIO},     {"PWR", SIGPWR},       {"SYS", SIGSYS},   {"IOT", SIGABRT},
    {"POLL", SIGIO},   {"CLD", SIGCHLD},
};

std::optional<int> parse_int(std::string_view s) {
    int v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size())
        return std::nullopt;
    return v;
}
} // namespace

std::string signal_name(int sig) {
    for (const Named& n : kSignals)
        if (n.number == sig)
            return std::string("SIG") + n.name;
    if (sig >= SIGRTMIN && sig <= SIGRTMAX)
        return sig == SIGRTMIN ? std::string("SIGRTMIN")
                               : "SIGRTMIN+" + std::to_string(sig - SIGRTMIN);
    return "SIG" + std::to_string(sig);
}

std::optional<int> signal_number(std::string_view name) {
    if (name.empty())
        return std::nullopt;
    if (std::isdigit(static_cast<unsigned char>(name[0]))) {
        std::optional<int> n = parse_int(name);
        if (n && *n >= 1 && *n <= SIGRTMAX)
            return n;
        return std::nullopt;
    }
    std::string up(name);
    std::transform(up.begin(), up.end(), up.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    std::string_view u = up;
    if (u.substr(0, 3) == "SIG")
        u.remove_prefix(3);
    if (!u.empty() && std::isdigit(static_cast<unsigned char>(u[0]))) // "SIG32", as signal_name
        return signal_number(u);
    for (const Named& n : kSignals)
        if (u == n.name)
            return n.number;
    if (u.substr(0, 5) == "RTMIN") {
        std::string_view rest = u.substr(5);
        if (rest.empty())
            return SIGRTMIN;
        if (rest[0] != '+')
            return std::nullopt;
        std::optional<int> k = parse_int(rest.substr(1));
        if (k && *k >= 0 && SIGRTMIN + *k <= SIGRTMAX)
            return SIGRTMIN + *k;
        return std::nullopt;
    }
    if (u.substr(0, 5) == "RTMAX") {
        std::string_view rest = u.substr(5);
        if (rest.empty())
            return SIGRTMAX;
        if (rest[0] != '-')
            return std::nullopt;
        std::optional<int> k = parse_int(rest.substr(1));
        if (k && *k >= 0 && SIGRTMAX - *k >= SIGRTMIN)
            return SIGRTMAX - *k;
        return std::nullopt;
    }
    return std::nullopt;
}

} // namespace sup
