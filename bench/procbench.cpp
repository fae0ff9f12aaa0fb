// procbench: process children, supc against supervisord (bench/supervisord_compare.sh).
//
//   procbench supervise --children N -- PROGRAM ARGS...
//       A supc tree (one_for_one, intensity 1000000 per second) of N process children running
//       PROGRAM ARGS (the runtime's process-child API: sup::process); runs until SIGTERM or
//       SIGINT, then stops the tree in order and exits 0.
//   procbench crash --socket PATH [--samples N] -- SUPERVISOR ARGS...
//       Binds a datagram socket at PATH, starts SUPERVISOR (which supervises one
//       proc_bench_child PATH), and N times: sends the running child SIGSEGV and waits for its
//       successor's "PID TIME" (CLOCK_MONOTONIC at the top of its main). Prints the times from
//       the crash to the successor running: median, p99, min, max (JSON).
//   procbench idle --socket PATH --children N [--seconds S] -- SUPERVISOR ARGS...
//       Starts SUPERVISOR (N proc_bench_child PATH), waits for N children to run, then S seconds
//       (default 10). Prints the supervisor's CPU time (user + system) to start them and while
//       they idle, and its RSS then (JSON). "The supervisor" is SUPERVISOR's process and its
//       descendants that are not the supervised children (supc's guardian).
//
// Both probes stop SUPERVISOR with SIGTERM at the end and wait for it.
#include "sup/sup.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <poll.h>
#include <set>
#include <sstream>
#include <string>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <thread>
#include <time.h>
#include <tuple>
#include <unistd.h>
#include <vector>

namespace {

using namespace std::chrono_literals;

[[noreturn]] void die(const std::string& what) {
    std::fprintf(stderr, "procbench: %s\n", what.c_str());
    std::exit(1);
}

std::int64_t mono_ns() {
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<std::int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

// ---------------------------------------------------------------- supervise

int supervise(int n, std::vector<std::string> program) {
    // SIGTERM and SIGINT are taken by sigwait below: blocked before any thread exists.
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, nullptr);

    sup::RuntimeOptions opts;
    opts.log_level = sup::LogLevel::error; // as supervisord, it reports each crash
    sup::Runtime rt(opts);
    sup::SupervisorSpec spec;
    spec.flags.strategy = sup::Strategy::one_for_one;
    spec.flags.intensity = 1000000;
    spec.flags.period = 1s;
    sup::ProcessSpec child(program[0],
                           std::vector<std::string>(program.begin() + 1, program.end()));
    for (int i = 0; i < n; ++i)
        spec.children.push_back(sup::process("c" + std::to_string(i), child));
    sup::StartResult<sup::Tree> tree = sup::start_tree(rt, std::move(spec));
    if (!tree.started())
        die("the tree did not start: " + tree.reason().to_string());
    int sig = 0;
    sigwait(&stop, &sig);
    tree.value().stop();
    return 0;
}

// ---------------------------------------------------------------- probes

struct Probe {
    int sock = -1;
    std::string path;
    pid_t supervisor = -1;

    Probe(const std::string& p, const std::vector<std::string>& cmd) : path(p) {
        sockaddr_un a{};
        a.sun_family = AF_UNIX;
        if (path.size() >= sizeof a.sun_path)
            die("socket path too long: " + path);
        std::strcpy(a.sun_path, path.c_str());
        unlink(path.c_str());
        sock = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (sock < 0 || bind(sock, reinterpret_cast<sockaddr*>(&a), sizeof a) < 0)
            die("socket " + path + ": " + std::strerror(errno));
        supervisor = fork();
        if (supervisor < 0)
            die(std::string("fork: ") + std::strerror(errno));
        if (supervisor == 0) {
            dup2(2, 1); // stdout is the figures'; what the supervisor prints goes to stderr
            std::vector<char*> argv;
            for (const std::string& s : cmd)
                argv.push_back(const_cast<char*>(s.c_str()));
            argv.push_back(nullptr);
            execvp(argv[0], argv.data());
            std::fprintf(stderr, "procbench: %s: %s\n", argv[0], std::strerror(errno));
            _exit(127);
        }
    }

    /// The next "PID TIME" within `timeout`; pid 0 if none came.
    std::pair<pid_t, std::int64_t> next(std::chrono::milliseconds timeout) {
        pollfd p{sock, POLLIN, 0};
        std::int64_t deadline = mono_ns() + timeout.count() * 1000000;
        for (;;) {
            int left = static_cast<int>((deadline - mono_ns()) / 1000000);
            if (left < 0)
                return {0, 0};
            int r = poll(&p, 1, left);
            if (r < 0 && errno == EINTR)
                continue;
            if (r <= 0)
                return {0, 0};
            char buf[128];
            ssize_t n = recv(sock, buf, sizeof buf - 1, 0);
            if (n <= 0)
                continue;
            buf[n] = 0;
            long long pid = 0, t = 0;
            if (std::sscanf(buf, "%lld %lld", &pid, &t) == 2)
                return {static_cast<pid_t>(pid), t};
        }
    }

    ~Probe() {
        if (supervisor > 0) {
            kill(supervisor, SIGTERM);
            int status = 0;
            for (int i = 0; i < 3000; ++i) { // 30 s at most, then SIGKILL
                if (waitpid(supervisor, &status, WNOHANG) == supervisor) {
                    supervisor = -1;
                    break;
                }
                std::this_thread::sleep_for(10ms);
            }
            if (supervisor > 0) {
                kill(supervisor, SIGKILL);
                waitpid(supervisor, &status, 0);
            }
        }
        close(sock);
        unlink(path.c_str());
    }
};

std::int64_t pct(std::vector<std::int64_t> v, double p) {
    std::sort(v.begin(), v.end());
    std::size_t i = static_cast<std::size_t>(p * static_cast<double>(v.size()) + 0.999999);
    return v[std::min(v.size() - 1, i == 0 ? 0 : i - 1)];
}

int crash(const std::string& socket, int samples, const std::vector<std::string>& cmd) {
    Probe probe(socket, cmd);
    auto [pid, t] = probe.next(30s);
    if (pid == 0)
        die("the child did not start within 30 s");
    std::vector<std::int64_t> lat;
    for (int i = 0; i < samples; ++i) {
        // A quiet moment between crashes, the same for both supervisors.
        std::this_thread::sleep_for(20ms);
        std::int64_t t0 = mono_ns();
        if (kill(pid, SIGSEGV) < 0)
            die(std::string("kill: ") + std::strerror(errno));
        pid_t old = pid;
        do {
            std::tie(pid, t) = probe.next(30s);
            if (pid == 0)
                die("no successor within 30 s of sample " + std::to_string(i));
        } while (pid == old);
        lat.push_back(t - t0);
    }
    std::printf("{\"samples\": %d, \"median_us\": %.1f, \"p99_us\": %.1f, \"min_us\": %.1f, "
                "\"max_us\": %.1f}\n",
                samples, pct(lat, 0.5) / 1e3, pct(lat, 0.99) / 1e3,
                *std::min_element(lat.begin(), lat.end()) / 1e3,
                *std::max_element(lat.begin(), lat.end()) / 1e3);
    return 0;
}

struct Usage {
    double cpu_ms = 0;
    long rss_kib = 0;
};

/// CPU time and RSS of `root` and its descendants, except `skip`.
Usage usage_of(pid_t root, const std::set<pid_t>& skip) {
    std::map<pid_t, pid_t> parent;
    std::map<pid_t, Usage> each;
    long tick = sysconf(_SC_CLK_TCK);
    for (const auto& e : std::filesystem::directory_iterator("/proc")) {
        std::string name = e.path().filename();
        if (name.empty() || !std::isdigit(static_cast<unsigned char>(name[0])))
            continue;
        pid_t pid = std::atoi(name.c_str());
        std::ifstream st(e.path() / "stat");
        std::string line;
        if (!std::getline(st, line))
            continue;
        std::size_t close = line.rfind(')');
        if (close == std::string::npos)
            continue;
        std::istringstream rest(line.substr(close + 2));
        std::vector<std::string> f{std::istream_iterator<std::string>(rest), {}};
        if (f.size() < 22)
            continue;
        // fields from 3 on: state ppid ... utime (14) stime (15) ... rss (24)
        parent[pid] = std::atoi(f[1].c_str());
        Usage u;
        u.cpu_ms = (std::atof(f[11].c_str()) + std::atof(f[12].c_str())) * 1000.0 / tick;
        u.rss_kib = std::atol(f[21].c_str()) * (sysconf(_SC_PAGESIZE) / 1024);
        each[pid] = u;
    }
    Usage total;
    for (auto& [pid, u] : each) {
        if (skip.count(pid))
            continue;
        bool mine = false;
        for (pid_t p = pid, steps = 0; p > 1 && steps < 1000; ++steps) {
            if (p == root) {
                mine = true;
                break;
            }
            auto it = parent.find(p);
            if (it == parent.end())
                break;
            p = it->second;
        }
        if (mine) {
            total.cpu_ms += u.cpu_ms;
            total.rss_kib += u.rss_kib;
        }
    }
    return total;
}

int idle(const std::string& socket, int n, int seconds, const std::vector<std::string>& cmd) {
    Probe probe(socket, cmd);
    std::set<pid_t> children;
    while (static_cast<int>(children.size()) < n) {
        pid_t pid = probe.next(60s).first;
        if (pid == 0)
            die("only " + std::to_string(children.size()) + " children ran within 60 s");
        children.insert(pid);
    }
    Usage started = usage_of(probe.supervisor, children);
    std::this_thread::sleep_for(std::chrono::seconds(seconds));
    Usage after = usage_of(probe.supervisor, children);
    std::printf("{\"children\": %d, \"start_cpu_ms\": %.0f, \"idle_seconds\": %d, "
                "\"idle_cpu_ms\": %.0f, \"rss_kib\": %ld}\n",
                n, started.cpu_ms, seconds, after.cpu_ms - started.cpu_ms, after.rss_kib);
    return 0;
}

[[noreturn]] void usage() {
    std::fprintf(stderr,
                 "usage: procbench supervise --children N -- PROGRAM ARGS...\n"
                 "       procbench crash --socket PATH [--samples N] -- SUPERVISOR ARGS...\n"
                 "       procbench idle --socket PATH --children N [--seconds S] -- SUPERVISOR "
                 "ARGS...\n");
    std::exit(64);
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 2)
        usage();
    std::string mode = argv[1];
    std::string socket;
    int children = 1, samples = 200, seconds = 10;
    std::vector<std::string> cmd;
    for (int i = 2; i < argc; ++i) {
        std::string a = argv[i];
        auto value = [&] {
            if (i + 1 >= argc)
                usage();
            return std::string(argv[++i]);
        };
        if (a == "--") {
            cmd.assign(argv + i + 1, argv + argc);
            break;
        }
        if (a == "--socket")
            socket = value();
        else if (a == "--children")
            children = std::atoi(value().c_str());
        else if (a == "--samples")
            samples = std::atoi(value().c_str());
        else if (a == "--seconds")
            seconds = std::atoi(value().c_str());
        else
            usage();
    }
    if (cmd.empty() || children < 1 || samples < 1 || seconds < 0)
        usage();
    if (mode == "supervise")
        return supervise(children, cmd);
    if (socket.empty())
        usage();
    if (mode == "crash")
        return crash(socket, samples, cmd);
    if (mode == "idle")
        return idle(socket, children, seconds, cmd);
    usage();
}
