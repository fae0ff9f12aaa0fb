// Helpers of the process-child tests: the helper programs, the runtime's log captured, and the
// process table checked directly (/proc and pidfds, independent of the runtime's own scanning).
#pragma once

#include "sup/sup.hpp"
#include "sup/testing.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <dirent.h>
#include <fcntl.h>
#include <fstream>
#include <functional>
#include <mutex>
#include <poll.h>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <sys/syscall.h>
#include <unistd.h>
#include <vector>

namespace ptest {

using namespace std::chrono_literals;

inline const std::string child_bin = PROC_CHILD;
inline const std::string host_bin = PROC_HOST;

/// A spec that runs the helper program with `args` (see proc_child.cpp).
inline sup::ProcessSpec child(std::vector<std::string> args) {
    return sup::ProcessSpec(child_bin, std::move(args));
}

/// A child that is ready (READY=1) once it waits for SIGUSR1, then does `then`: a test may
/// signal it as soon as its start returns.
inline sup::ProcessSpec on_usr1(std::vector<std::string> then) {
    std::vector<std::string> args{"ready", "wait-usr1"};
    args.insert(args.end(), then.begin(), then.end());
    return child(std::move(args)).with_readiness(sup::Readiness::notify);
}

/// The runtime's log, captured: one entry per report or output line.
class LogCapture {
public:
    std::function<void(std::string_view)> sink() {
        return [this](std::string_view s) {
            {
                std::lock_guard<std::mutex> l(m_);
                lines_.emplace_back(s);
            }
            cv_.notify_all();
        };
    }
    std::vector<std::string> lines() const {
        std::lock_guard<std::mutex> l(m_);
        return lines_;
    }
    /// Waits until an entry contains `text`; false after `timeout`.
    bool wait_for(std::string_view text, std::chrono::milliseconds timeout = 10s) const {
        std::unique_lock<std::mutex> l(m_);
        return cv_.wait_for(l, timeout, [&] { return find_locked(text) >= 0; });
    }
    /// Waits until at least `n` entries contain `text`.
    bool wait_count(std::string_view text, std::size_t n,
                    std::chrono::milliseconds timeout = 10s) const {
        std::unique_lock<std::mutex> l(m_);
        std::size_t seen = 0, found = 0; // look at each entry once
        return cv_.wait_for(l, timeout, [&] {
            for (; seen < lines_.size(); ++seen)
                if (lines_[seen].find(text) != std::string::npos)
                    ++found;
            return found >= n;
        });
    }
    std::size_t count(std::string_view text) const {
        std::lock_guard<std::mutex> l(m_);
        return count_locked(text);
    }
    bool has(std::string_view text) const {
        std::lock_guard<std::mutex> l(m_);
        return find_locked(text) >= 0;
    }
    /// Entries containing `text`, in order.
    std::vector<std::string> matching(std::string_view text) const {
        std::lock_guard<std::mutex> l(m_);
        std::vector<std::string> v;
        for (const std::string& s : lines_)
            if (s.find(text) != std::string::npos)
                v.push_back(s);
        return v;
    }

private:
    long find_locked(std::string_view text) const {
        for (std::size_t i = 0; i < lines_.size(); ++i)
            if (lines_[i].find(text) != std::string::npos)
                return static_cast<long>(i);
        return -1;
    }
    std::size_t count_locked(std::string_view text) const {
        std::size_t n = 0;
        for (const std::string& s : lines_)
            if (s.find(text) != std::string::npos)
                ++n;
        return n;
    }
    mutable std::mutex m_;
    mutable std::condition_variable cv_;
    std::vector<std::string> lines_;
};

/// A log sink that blocks until released: the log "does not keep up".
class BlockedLog {
public:
    std::function<void(std::string_view)> sink() {
        return [this](std::string_view s) {
            std::unique_lock<std::mutex> l(m_);
            cv_.wait(l, [&] { return open_; });
            lines_.emplace_back(s);
        };
    }
    void release() {
        {
            std::lock_guard<std::mutex> l(m_);
            open_ = true;
        }
        cv_.notify_all();
    }
    std::vector<std::string> lines() const {
        std::lock_guard<std::mutex> l(m_);
        return lines_;
    }

private:
    mutable std::mutex m_;
    std::condition_variable cv_;
    bool open_ = false;
    std::vector<std::string> lines_;
};

inline sup::RuntimeOptions options(LogCapture& log, sup::LogLevel level = sup::LogLevel::error) {
    sup::RuntimeOptions o;
    o.threads = 2;
    o.log_level = level;
    o.log_sink = log.sink();
    return o;
}

inline std::string unique_marker() {
    std::random_device rd;
    return "m" + std::to_string(getpid()) + "-" + std::to_string(rd()) + std::to_string(rd());
}

struct ProcStat {
    char state = '?';
    int ppid = 0, pgrp = 0, session = 0;
};

/// A /proc file's contents ("" if it cannot be read).
inline std::string read_file(const std::string& path) {
    std::string text;
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return text;
    char buf[8192];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0)
        text.append(buf, static_cast<std::size_t>(n));
    close(fd);
    return text;
}

inline bool read_stat(int pid, ProcStat& st) {
    std::string text = read_file("/proc/" + std::to_string(pid) + "/stat");
    std::size_t close = text.rfind(')');
    if (close == std::string::npos || close + 2 >= text.size())
        return false;
    return std::sscanf(text.c_str() + close + 2, "%c %d %d %d", &st.state, &st.ppid, &st.pgrp,
                       &st.session) == 4;
}

/// Alive: it exists and is not a zombie.
inline bool alive(int pid) {
    ProcStat st;
    return read_stat(pid, st) && st.state != 'Z' && st.state != 'X';
}

/// Processes alive now whose environment has SUPC_TEST_MARKER=marker.
inline std::vector<int> marked(const std::string& marker) {
    std::vector<int> out;
    std::string entry = std::string(1, '\0') + "SUPC_TEST_MARKER=" + marker + '\0';
    DIR* d = opendir("/proc");
    while (dirent* de = d ? readdir(d) : nullptr) {
        int pid = std::atoi(de->d_name);
        if (pid <= 0)
            continue;
        std::string env = '\0' + read_file("/proc/" + std::to_string(pid) + "/environ");
        if (env.back() != '\0')
            env += '\0';
        if (env.find(entry) != std::string::npos && alive(pid))
            out.push_back(pid);
    }
    if (d)
        closedir(d);
    return out;
}

/// Waits (pidfds, no sleeping) until every process in `pids` has exited; those still alive
/// after `timeout`.
inline std::vector<int> wait_dead(const std::vector<int>& pids,
                                  std::chrono::milliseconds timeout = 10s) {
    std::vector<pollfd> fds;
    std::vector<int> which;
    for (int pid : pids) {
        int fd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
        if (fd >= 0) {
            fds.push_back(pollfd{fd, POLLIN, 0});
            which.push_back(pid);
        }
    }
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        bool all = true;
        for (pollfd& p : fds)
            if (!(p.revents & POLLIN))
                all = false;
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (all || left.count() <= 0)
            break;
        std::vector<pollfd> pending;
        for (pollfd& p : fds)
            if (!(p.revents & POLLIN))
                pending.push_back(pollfd{p.fd, POLLIN, 0});
        poll(pending.data(), pending.size(), static_cast<int>(left.count()));
        for (pollfd& q : pending)
            for (pollfd& p : fds)
                if (p.fd == q.fd)
                    p.revents |= q.revents;
    }
    std::vector<int> left;
    for (std::size_t i = 0; i < fds.size(); ++i) {
        if (!(fds[i].revents & POLLIN) && alive(which[i]))
            left.push_back(which[i]);
        close(fds[i].fd);
    }
    return left;
}

inline int os_pid(const sup::Pid& p) {
    auto i = sup::process_info(p);
    return i ? i.value().os_pid : 0;
}

/// Whether process children can have cgroups here (tested once, through the API).
inline bool cgroups_available() {
    static const bool yes = [] {
        sup::RuntimeOptions o;
        o.threads = 1;
        o.log_level = sup::LogLevel::none;
        sup::Runtime rt(o);
        sup::SupervisorSpec s;
        s.children.push_back(
            sup::process("probe", child({"exit", "0"}).with_containment(sup::Containment::cgroup))
                .with_restart(sup::Restart::temporary));
        auto t = sup::start_tree(rt, s);
        bool ok = t.started();
        if (ok)
            t.value().stop();
        return ok;
    }();
    return yes;
}

/// The containments to run a test under: process_tree always, cgroup where available.
inline std::vector<sup::Containment> containments() {
    std::vector<sup::Containment> v{sup::Containment::process_tree};
    if (cgroups_available())
        v.push_back(sup::Containment::cgroup);
    else
        std::fprintf(stderr, "note: cgroup v2 is not writable here; cgroup cases skipped\n");
    return v;
}

inline const char* name(sup::Containment c) {
    return c == sup::Containment::cgroup ? "cgroup" : "process_tree";
}

} // namespace ptest
