// proc_bench_child: the supervised program of bench/supervisord_compare.sh, the same for supc
// and supervisord.
//
//   proc_bench_child [SOCKET]
//
// At the start of main it reads CLOCK_MONOTONIC (one clock for every process of the machine)
// and, given SOCKET, sends "PID NANOSECONDS" to that Unix datagram socket (procbench probe);
// then it waits, doing nothing, until a signal ends it. A crash is a SIGSEGV the probe sends:
// no core file is written (RLIMIT_CORE 0), so that the time measured is the supervisor's.
#include <csignal>
#include <cstdio>
#include <cstring>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char** argv) {
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    rlimit no_core = {0, 0};
    setrlimit(RLIMIT_CORE, &no_core);
    if (argc > 1) {
        sockaddr_un a;
        memset(&a, 0, sizeof a);
        a.sun_family = AF_UNIX;
        if (strlen(argv[1]) >= sizeof a.sun_path)
            return 2;
        strcpy(a.sun_path, argv[1]);
        int s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        char msg[64];
        int n = snprintf(msg, sizeof msg, "%d %lld", static_cast<int>(getpid()),
                         static_cast<long long>(ts.tv_sec) * 1000000000LL + ts.tv_nsec);
        if (s < 0 || sendto(s, msg, static_cast<size_t>(n), 0, reinterpret_cast<sockaddr*>(&a),
                            sizeof a) != n)
            return 3;
        close(s);
    }
    for (;;)
        pause();
}
