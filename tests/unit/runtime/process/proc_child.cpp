// A program the process-child tests run: it performs its arguments in order, so that each test
// scripts the behaviour it needs (exit codes, signals, output, readiness, descendants) with no
// sleeping: where it must wait, it waits for a signal the test sends.
//
//   proc_child print hello exit 3          prints "hello", exits with status 3
//   proc_child trap 15 ready pause         ignores SIGTERM (and says so), READY=1, waits
//
// Actions: exit N | raise SIG | print TEXT | eprint TEXT | partial TEXT | lines N | flood BYTES |
// longline N | ctrl | close-stdout | trap SIG | exit-on SIG N | wait-usr1 | ready | status TEXT |
// fork N | daemon | leave-group | pause | env NAME | cwd | args | fds | sigstate
// (trap SIG: the signal is caught, reported on stderr as "got signal N, ignoring it", and
// ignored; exit-on SIG N: caught, reported, and the program exits with status N.)
// Built without sanitizers: it is the program under supervision, not the code under test.
#include <cerrno>
#include <csignal>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <string>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

void out(int fd, const std::string& s) {
    std::size_t off = 0;
    while (off < s.size()) {
        ssize_t n = write(fd, s.data() + off, s.size() - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;
        off += static_cast<std::size_t>(n);
    }
}

void say(const std::string& s) {
    out(1, s + "\n");
}

void sd_notify(const std::string& msg) {
    const char* e = std::getenv("NOTIFY_SOCKET");
    if (!e || !*e) {
        out(2, "proc_child: no NOTIFY_SOCKET\n");
        std::exit(90);
    }
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    std::string name = e;
    socklen_t len;
    if (name[0] == '@') {
        a.sun_path[0] = 0;
        std::memcpy(a.sun_path + 1, name.data() + 1, name.size() - 1);
        len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name.size());
    } else {
        std::memcpy(a.sun_path, name.data(), name.size());
        len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name.size() + 1);
    }
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || sendto(fd, msg.data(), msg.size(), 0, reinterpret_cast<sockaddr*>(&a), len) < 0) {
        out(2, std::string("proc_child: sd_notify: ") + std::strerror(errno) + "\n");
        std::exit(91);
    }
    close(fd);
}

void report_signal(int sig, const char* what) { // async-signal-safe
    char m[64] = "got signal ";
    std::size_t n = std::strlen(m);
    if (sig >= 10)
        m[n++] = static_cast<char>('0' + sig / 10);
    m[n++] = static_cast<char>('0' + sig % 10);
    m[n++] = ',';
    m[n++] = ' ';
    for (const char* p = what; *p && n < sizeof m - 2; ++p)
        m[n++] = *p;
    m[n++] = '\n';
    ssize_t r = write(2, m, n);
    (void)r;
}

void on_trapped(int sig) {
    report_signal(sig, "ignoring it");
}

int g_exit_status[65];
void on_exit_signal(int sig) {
    report_signal(sig, "exiting");
    _exit(g_exit_status[sig]);
}

[[noreturn]] void pause_forever() {
    for (;;)
        pause();
}

void wait_signal(int sig) {
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, sig);
    sigprocmask(SIG_BLOCK, &s, nullptr);
    int got = 0;
    while (sigwait(&s, &got) != 0 || got != sig) {
    }
}

/// Forks a child that runs `body`, and returns once it has started (a pipe says so).
template <class F>
pid_t fork_started(F body) {
    int p[2];
    if (pipe(p) < 0)
        std::exit(92);
    pid_t pid = fork();
    if (pid < 0) {
        out(2, std::string("proc_child: fork: ") + std::strerror(errno) + "\n");
        std::exit(93);
    }
    if (pid == 0) {
        close(p[0]);
        body(p[1]);
        _exit(0);
    }
    close(p[1]);
    char b;
    while (read(p[0], &b, 1) < 0 && errno == EINTR) {
    }
    close(p[0]);
    return pid;
}

void started(int fd) {
    char b = 1;
    ssize_t r = write(fd, &b, 1);
    (void)r;
    close(fd);
}

} // namespace

int main(int argc, char** argv) {
    // A SIGUSR1 sent between the exec and wait-usr1 is not lost (nor fatal): blocked from the
    // start. (The test sends it once the child is ready: READY=1 comes after this.)
    for (int i = 1; i < argc; ++i)
        if (std::string(argv[i]) == "wait-usr1") {
            sigset_t s;
            sigemptyset(&s);
            sigaddset(&s, SIGUSR1);
            sigprocmask(SIG_BLOCK, &s, nullptr);
        }
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) {
                out(2, "proc_child: " + a + " needs an argument\n");
                std::exit(99);
            }
            return argv[++i];
        };
        if (a == "exit") {
            std::exit(std::atoi(next().c_str()));
        } else if (a == "raise") {
            int sig = std::atoi(next().c_str());
            struct rlimit none {};
            setrlimit(RLIMIT_CORE, &none); // no core files from the tests
            signal(sig, SIG_DFL);
            sigset_t s;
            sigemptyset(&s);
            sigaddset(&s, sig);
            sigprocmask(SIG_UNBLOCK, &s, nullptr);
            raise(sig);
            pause_forever();
        } else if (a == "print") {
            say(next());
        } else if (a == "eprint") {
            out(2, next() + "\n");
        } else if (a == "partial") {
            out(1, next());
        } else if (a == "lines") {
            int n = std::atoi(next().c_str());
            std::string buf;
            for (int k = 1; k <= n; ++k) {
                buf += "line " + std::to_string(k) + "\n";
                if (buf.size() > 60000) {
                    out(1, buf);
                    buf.clear();
                }
            }
            out(1, buf);
        } else if (a == "flood") {
            long bytes = std::atol(next().c_str());
            std::string line(99, 'x');
            line += '\n';
            std::string chunk;
            while (chunk.size() < 65536)
                chunk += line;
            for (long done = 0; done < bytes; done += static_cast<long>(chunk.size()))
                out(1, chunk);
        } else if (a == "longline") {
            out(1, std::string(static_cast<std::size_t>(std::atol(next().c_str())), 'a') + "\n");
        } else if (a == "ctrl") {
            out(1, "red\x1b[31mtext\tend\r\n");
        } else if (a == "close-stdout") {
            close(1);
        } else if (a == "trap") {
            signal(std::atoi(next().c_str()), on_trapped);
        } else if (a == "exit-on") {
            int sig = std::atoi(next().c_str());
            g_exit_status[sig] = std::atoi(next().c_str());
            signal(sig, on_exit_signal);
        } else if (a == "wait-usr1") {
            wait_signal(SIGUSR1);
        } else if (a == "ready") {
            sd_notify("READY=1");
        } else if (a == "status") {
            sd_notify("STATUS=" + next());
        } else if (a == "fork") {
            int n = std::atoi(next().c_str());
            for (int k = 0; k < n; ++k)
                fork_started([](int fd) {
                    started(fd);
                    pause_forever();
                });
        } else if (a == "daemon") {
            // The classic double fork: the intermediate leaves the session and exits; the
            // daemon is orphaned (reparented to the nearest subreaper or init).
            int p[2];
            if (pipe(p) < 0)
                return 92;
            pid_t mid = fork();
            if (mid == 0) {
                close(p[0]);
                setsid();
                if (fork() == 0) {
                    started(p[1]);
                    pause_forever();
                }
                _exit(0);
            }
            close(p[1]);
            waitpid(mid, nullptr, 0);
            char b;
            while (read(p[0], &b, 1) < 0 && errno == EINTR) {
            }
            close(p[0]);
        } else if (a == "leave-group") {
            fork_started([](int fd) {
                setpgid(0, 0);
                started(fd);
                pause_forever();
            });
        } else if (a == "pause") {
            pause_forever();
        } else if (a == "env") {
            std::string n = next();
            const char* v = std::getenv(n.c_str());
            say(v ? n + "=" + v : n + " unset");
        } else if (a == "cwd") {
            char buf[4096];
            say(getcwd(buf, sizeof buf) ? buf : "?");
        } else if (a == "args") {
            std::string s;
            for (int k = 0; k < argc; ++k)
                s += std::string(k ? " " : "") + argv[k];
            say(s);
        } else if (a == "fds") {
            // Open descriptors besides 0, 1, 2 (and the one reading the directory).
            std::string s = "fds:";
            DIR* d = opendir("/proc/self/fd");
            int self = d ? dirfd(d) : -1;
            while (dirent* de = d ? readdir(d) : nullptr) {
                int fd = std::atoi(de->d_name);
                if (de->d_name[0] != '.' && fd > 2 && fd != self)
                    s += " " + std::to_string(fd);
            }
            if (d)
                closedir(d);
            say(s);
        } else if (a == "sigstate") {
            sigset_t blocked;
            sigprocmask(SIG_BLOCK, nullptr, &blocked);
            int nblocked = 0, nignored = 0;
            for (int s = 1; s < 32; ++s) {
                if (sigismember(&blocked, s))
                    ++nblocked;
                struct sigaction sa {};
                sigaction(s, nullptr, &sa);
                if (sa.sa_handler == SIG_IGN)
                    ++nignored;
            }
            say("blocked " + std::to_string(nblocked) + " ignored " + std::to_string(nignored));
        } else {
            out(2, "proc_child: unknown action " + a + "\n");
            return 98;
        }
    }
    return 0;
}
