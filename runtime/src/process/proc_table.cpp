#include "process/proc_table.hpp"

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

namespace sup::detail::proc {

namespace {
/// Reads a small /proc file whole (they are generated; one read may not return all).
bool slurp(const char* path, std::string& out, std::size_t limit) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    out.clear();
    char buf[4096];
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        out.append(buf, static_cast<std::size_t>(n));
        if (out.size() > limit)
            break;
    }
    close(fd);
    return true;
}

template <class T>
bool field(std::string_view& s, T& v) {
    while (!s.empty() && s.front() == ' ')
        s.remove_prefix(1);
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc())
        return false;
    s.remove_prefix(static_cast<std::size_t>(p - s.data()));
    return true;
}

bool skip(std::string_view& s, int n) {
    for (int i = 0; i < n; ++i) {
        while (!s.empty() && s.front() == ' ')
            s.remove_prefix(1);
        std::size_t sp = s.find(' ');
        if (sp == std::string_view::npos)
            return false;
        s.remove_prefix(sp);
    }
    return true;
}
} // namespace

std::optional<ProcEntry> read_proc(pid_t pid) {
    char path[64];
    std::snprintf(path, sizeof path, "/proc/%d/stat", static_cast<int>(pid));
    std::string text;
    if (!slurp(path, text, 4096))
        return std::nullopt;
    // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime
    // stime cutime cstime priority nice threads itrealvalue starttime ...; comm may hold ')'.
    std::size_t close = text.rfind(')');
    if (close == std::string::npos || close + 2 >= text.size())
        return std::nullopt;
    std::string_view s(text);
    s.remove_prefix(close + 2);
    ProcEntry e;
    e.pid = pid;
    e.state = s.front();
    s.remove_prefix(1);
    int ppid = 0, pgrp = 0, session = 0;
    if (!field(s, ppid) || !field(s, pgrp) || !field(s, session))
        return std::nullopt;
    // tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime priority nice
    // threads itrealvalue: 15 fields, then starttime.
    if (!skip(s, 15) || !field(s, e.start_time))
        return std::nullopt;
    e.ppid = ppid;
    e.pgrp = pgrp;
    e.session = session;
    return e;
}

std::vector<ProcEntry> list_procs() {
    std::vector<ProcEntry> v;
    DIR* d = opendir("/proc");
    if (!d)
        return v;
    while (dirent* de = readdir(d)) {
        const char* n = de->d_name;
        if (*n < '0' || *n > '9')
            continue;
        int pid = 0;
        auto [p, ec] = std::from_chars(n, n + std::strlen(n), pid);
        if (ec != std::errc() || *p)
            continue;
        if (std::optional<ProcEntry> e = read_proc(pid))
            v.push_back(*e);
    }
    closedir(d);
    return v;
}

bool environ_has(pid_t pid, std::string_view entry) {
    char path[64];
    std::snprintf(path, sizeof path, "/proc/%d/environ", static_cast<int>(pid));
    std::string text;
    if (!slurp(path, text, 1 << 20) || text.empty())
        return false;
    std::string_view s(text);
    while (!s.empty()) {
        std::size_t z = s.find('\0');
        std::string_view e = s.substr(0, z);
        if (e == entry)
            return true;
        if (z == std::string_view::npos)
            break;
        s.remove_prefix(z + 1);
    }
    return false;
}

} // namespace sup::detail::proc
