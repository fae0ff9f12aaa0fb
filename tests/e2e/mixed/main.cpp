// Starts the generated mixed tree (mixed.sup) and checks the programs against the spec in the
// process table: each runs with its interpolated arguments and environment, beside the C++
// worker; a program killed by SIGSEGV restarts the whole one_for_all group (the C++ worker
// too); a dynamic child gets its start argument; a stop leaves no process behind.
#include "mixed.sup.hpp"

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <dirent.h>
#include <fstream>
#include <iterator>
#include <mutex>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace {
int failures = 0;
void expect(bool ok, const std::string& what) {
    std::printf("%s: %s\n", ok ? "ok" : "FAILED", what.c_str());
    if (!ok)
        ++failures;
}

// NUL-separated fields of /proc/PID/FILE.
std::vector<std::string> procFields(int pid, const char* file) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/" + file, std::ios::binary);
    std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::vector<std::string> out;
    std::string cur;
    for (char c : all) {
        if (c == '\0') {
            out.push_back(cur);
            cur.clear();
        } else {
            cur += c;
        }
    }
    return out;
}

bool has(const std::vector<std::string>& v, const std::string& s) {
    for (const auto& x : v)
        if (x == s)
            return true;
    return false;
}

bool hasPrefix(const std::vector<std::string>& v, const std::string& prefix) {
    for (const auto& x : v)
        if (x.rfind(prefix, 0) == 0)
            return true;
    return false;
}

// Processes (any user's we can read) whose environment carries the test's marker.
std::vector<int> marked() {
    std::vector<int> out;
    DIR* d = opendir("/proc");
    if (!d)
        return out;
    while (dirent* e = readdir(d)) {
        int pid = std::atoi(e->d_name);
        if (pid > 0 && hasPrefix(procFields(pid, "environ"), "SUPC_E2E_MIXED=e2e-mixed"))
            out.push_back(pid);
    }
    closedir(d);
    return out;
}

int osPid(const sup::Pid& child) {
    auto info = sup::process_info(child);
    return info.has_value() ? info.value().os_pid : 0;
}
} // namespace

int main() {
    sup::Runtime rt(sup::RuntimeOptions{.threads = 2});
    // The supervisors' events, to wait for (bounded) instead of sleeping.
    std::mutex m;
    std::condition_variable cv;
    std::vector<sup::SupervisorEvent> events;
    auto sub = rt.events().subscribe([&](const sup::SupervisorEvent& e) {
        std::lock_guard<std::mutex> l(m);
        events.push_back(e);
        cv.notify_all();
    });
    auto count = [&](sup::EventKind kind, const std::string& path) {
        int n = 0;
        for (const auto& e : events)
            n += e.kind == kind && e.path() == path;
        return n;
    };
    auto restarts = [&](const std::string& path) {
        return count(sup::EventKind::child_restarted, path);
    };
    auto exitReason = [&](const std::string& path) {
        std::lock_guard<std::mutex> l(m);
        for (const auto& e : events)
            if (e.kind == sup::EventKind::child_exited && e.path() == path)
                return e.reason.to_string();
        return std::string("none");
    };
    auto waitFor = [&](auto pred) {
        std::unique_lock<std::mutex> l(m);
        return cv.wait_for(l, std::chrono::seconds(20), pred);
    };
    auto started = mixed::start_Mixed(rt);
    if (!started.started()) {
        std::printf("FAILED: start_Mixed: %s\n", started.reason().to_string().c_str());
        return 1;
    }
    const mixed::MixedTree& tree = started.value();

    auto starts = sup::call(tree.counter(), mixed::Count{});
    expect(starts.has_value() && starts.value() == 1, "the C++ worker started once");

    int a = osPid(tree.a()), b = osPid(tree.b());
    expect(a > 0 && b > 0,
           "both programs run (os pids " + std::to_string(a) + ", " + std::to_string(b) + ")");
    auto aArgs = procFields(a, "cmdline");
    expect(aArgs == std::vector<std::string>{"sleep", "100"}, "a runs `sleep 100`");
    auto bArgs = procFields(b, "cmdline");
    expect(bArgs == std::vector<std::string>{"sleep", "200"}, "b runs `sleep 200`");
    auto aEnv = procFields(a, "environ"), bEnv = procFields(b, "environ");
    expect(has(aEnv, "SUPC_E2E_MIXED=e2e-mixed-a") && has(aEnv, "MODE=quiet"),
           "a's environment: interpolated label, the default mode");
    expect(has(bEnv, "SUPC_E2E_MIXED=e2e-mixed-b") && has(bEnv, "MODE=loud"),
           "b's environment: its own label and mode");
    expect(!hasPrefix(aEnv, "HOME="), "HOME unset (unset_env)");

    // Every other setting: its own environment only, its working directory.
    int f = osPid(tree.full());
    const char* dir = std::getenv("SUPC_E2E_MIXED_DIR");
    auto fEnv = procFields(f, "environ");
    expect(f > 0 && dir && has(fEnv, "FULL_X=1") && has(fEnv, std::string("Y=") + dir) &&
               !hasPrefix(fEnv, "PATH=") && !hasPrefix(fEnv, "HOME="),
           "full: its own environment only (inherit_env = false), names interpolated");
    char cwd[4096] = {};
    ssize_t n =
        dir ? readlink(("/proc/" + std::to_string(f) + "/cwd").c_str(), cwd, sizeof cwd - 1) : -1;
    char want[4096] = {};
    expect(n > 0 && dir && realpath(dir, want) && std::string(cwd) == want,
           "full: runs in its working_dir (" + std::string(cwd) + ")");
    expect(osPid(tree.patient()) > 0, "patient runs (start_timeout = infinity)");

    // A dynamic child: its label comes with start_child.
    auto job = tree.jobs_start_child("x");
    expect(job.has_value(), "a job started");
    int j = job.has_value() ? osPid(job.value()) : 0;
    auto jArgs = procFields(j, "cmdline");
    expect(jArgs == std::vector<std::string>{"sleep", "300"} &&
               has(procFields(j, "environ"), "SUPC_E2E_MIXED=e2e-mixed-job-x"),
           "the job runs with its start argument interpolated");

    // SIGSEGV kills a: one_for_all restarts the group, the C++ worker included.
    ::kill(a, SIGSEGV);
    bool restarted = waitFor([&] { return restarts("counter") >= 1 && restarts("a") >= 1; });
    auto c = sup::call(tree.counter(), mixed::Count{});
    int a2 = osPid(tree.a());
    expect(restarted && c.has_value() && c.value() == 2 && a2 > 0 && a2 != a,
           "a killed by SIGSEGV: the group restarted, the C++ worker too");
    expect(exitReason("a") == "{signal,SIGSEGV}", "a's exit reason: " + exitReason("a"));

    auto reason = tree.stop();
    expect(reason.has_value(), "the tree stopped");
    auto left = marked();
    expect(left.empty(),
           "no program left running after the stop (" + std::to_string(left.size()) + " found)");
    return failures == 0 ? 0 : 1;
}
