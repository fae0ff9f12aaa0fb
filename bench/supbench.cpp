// supbench: the scenarios of otp_supbench.erl on the C++ runtime; prints one JSON object.
//
//   supbench [--threads N] [--repeat R] [--observe ADDR:PORT [--observe-clients N]]
//
// --observe serves a small tree of the same runtime with the observer (docs/observe.md) while
// the scenarios run, after waiting for N event streams (pages) to connect: the cost of the
// observer on, with a page open (bench/observe_cost.sh).
//
// Every scenario runs inside actors, as the Erlang one runs inside processes. Time figures
// are medians over R repetitions (default 3) of each scenario's own figure. Logging is off.
#include "sup/sup.hpp"
#ifdef SUPBENCH_OBSERVE
#include "sup/observe.hpp"
#include "sup/testing.hpp"
#endif

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <future>
#include <malloc.h>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

std::int64_t now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
        .count();
}

template <class T>
T median(std::vector<T> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

// ---------------------------------------------------------------- workers

struct Started {
    int id;
    sup::Pid pid;
};
struct Pong {};
struct Crash {};

class Sink;

/// The benchmark's worker (otp_supbench's worker_loop): reports its start to the registered
/// sink, answers pings, crashes on request.
class Worker : public sup::Actor<Worker> {
public:
    explicit Worker(int id) : id_(id) {}
    sup::InitResult init() override {
        // As start_worker/1: whereis(otp_supbench_sink) and tell it.
        if (auto sink = runtime().whereis_as<Sink>("supbench_sink"))
            sup::send(sink, Started{id_, self_pid()});
        return sup::InitResult::ok();
    }
    struct Ping {
        sup::Ref<Sink> from;
    };
    void handle_info(Ping p);
    void handle_cast(Crash) { exit(sup::ExitReason::error("crash")); }

private:
    int id_;
};

/// Receives the workers' Started messages and pongs, and runs a scenario's rounds.
class Sink : public sup::Actor<Sink> {
public:
    std::function<void(Sink&, const Started&)> on_started;
    std::function<void(Sink&)> on_pong;
    void handle_info(Started s) {
        if (on_started)
            on_started(*this, s);
    }
    void handle_info(Pong) {
        if (on_pong)
            on_pong(*this);
    }
    struct Run {
        std::function<void(Sink&)> fn;
    };
    void handle_cast(Run r) { r.fn(*this); }
    sup::Ref<Sink> me() const { return self(); }
    sup::Runtime& rt() const { return runtime(); }
};

void Worker::handle_info(Ping p) {
    sup::send(p.from, Pong{});
}

sup::SupervisorSpec bench_spec(sup::Strategy s, int n) {
    sup::SupervisorSpec spec;
    spec.flags.strategy = s;
    spec.flags.intensity = 1000000;
    spec.flags.period = 1s;
    spec.children.reserve(n);
    for (int i = 1; i <= n; ++i)
        spec.children.push_back(sup::worker<Worker>(std::to_string(i), i)
                                    .with_shutdown(sup::Shutdown::timeout(5000ms)));
    return spec;
}

sup::Ref<Sink> make_sink(sup::Runtime& rt) {
    sup::SpawnOptions o;
    o.name = "supbench_sink";
    return rt.spawn_opt<Sink>(o).value();
}

/// Runs `fn` inside the sink actor and waits for the value it delivers through `done`.
template <class T>
T run_in(const sup::Ref<Sink>& sink, std::function<void(Sink&, std::promise<T>&)> fn) {
    auto p = std::make_shared<std::promise<T>>();
    std::future<T> f = p->get_future();
    sup::cast(sink, Sink::Run{[fn, p](Sink& s) { fn(s, *p); }});
    return f.get();
}

// ---------------------------------------------------------------- scenarios

class Idle : public sup::Actor<Idle> {
public:
    void handle_cast(Crash) { stop(); }
};

double spawn_bench(sup::Runtime& rt, int n) {
    auto sink = rt.spawn<Sink>().value();
    std::vector<sup::Ref<Idle>> idle;
    idle.reserve(n);
    double per = run_in<double>(sink, [&](Sink& s, std::promise<double>& done) {
        std::int64_t t0 = now_ns();
        for (int i = 0; i < n; ++i)
            idle.push_back(s.rt().spawn<Idle>().value());
        std::int64_t t1 = now_ns();
        done.set_value(double(t1 - t0) / n);
    });
    for (auto& a : idle)
        sup::cast(a, Crash{});
    for (auto& a : idle)
        rt.wait_exit(a);
    rt.stop(sink);
    return per;
}

/// Two actors exchange messages (info both ways), as the Erlang ping-pong does.
class Ponger : public sup::Actor<Ponger> {
public:
    struct Ping {
        sup::Pid from;
    };
    void handle_info(Ping p);
};
class Pinger : public sup::Actor<Pinger> {
public:
    struct Go {
        sup::Ref<Ponger> to;
        int n;
        std::promise<double>* done;
    };
    void handle_cast(Go g) {
        go_ = g;
        left_ = g.n;
        t0_ = now_ns();
        sup::send(go_.to, Ponger::Ping{self_pid()});
    }
    void handle_info(Pong) {
        if (--left_ > 0) {
            sup::send(go_.to, Ponger::Ping{self_pid()});
        } else {
            go_.done->set_value(double(now_ns() - t0_) / go_.n);
        }
    }

private:
    Go go_{};
    int left_ = 0;
    std::int64_t t0_ = 0;
};
void Ponger::handle_info(Ping p) {
    sup::send(p.from.as<Pinger>(), Pong{});
}

double pingpong(sup::Runtime& rt, int n) {
    auto pong = rt.spawn<Ponger>().value();
    auto ping = rt.spawn<Pinger>().value();
    std::promise<double> done;
    auto f = done.get_future();
    sup::cast(ping, Pinger::Go{pong, n, &done});
    double r = f.get();
    rt.stop(ping);
    rt.stop(pong);
    return r;
}

/// call() from one actor to another (request/reply with a reply value).
class Callee : public sup::Actor<Callee> {
public:
    struct Req {};
    int handle_call(Req) { return ++n_; }

private:
    int n_ = 0;
};
double call_rtt(sup::Runtime& rt, int n) {
    auto callee = rt.spawn<Callee>().value();
    auto sink = rt.spawn<Sink>().value();
    double r = run_in<double>(sink, [&](Sink&, std::promise<double>& done) {
        std::int64_t t0 = now_ns();
        for (int i = 0; i < n; ++i)
            (void)sup::call(callee, Callee::Req{}).value();
        done.set_value(double(now_ns() - t0) / n);
    });
    rt.stop(sink);
    rt.stop(callee);
    return r;
}

/// A supervised child crashes; time until its successor has answered a ping.
double restart_latency(sup::Runtime& rt, int rounds) {
    auto sink = make_sink(rt);
    auto sup_pid = sup::start_supervisor(rt, bench_spec(sup::Strategy::one_for_one, 1)).value();
    std::vector<std::int64_t> ts;
    ts.reserve(rounds);
    sup::Pid first = sup::which_children(sup_pid).value()[0].pid;
    run_in<int>(sink, [&](Sink& s, std::promise<int>& done) {
        struct State {
            std::int64_t t0 = 0;
            sup::Pid current;
        };
        auto st = std::make_shared<State>();
        auto crash = [st](const sup::Pid& p) {
            st->t0 = now_ns();
            sup::cast(p.as<Worker>(), Crash{});
        };
        // The successor has started: ping it.
        s.on_started = [st](Sink& me, const Started& x) {
            st->current = x.pid;
            sup::send(x.pid.as<Worker>(), Worker::Ping{me.me()});
        };
        // It answered: one round done.
        s.on_pong = [&, st, crash, rounds](Sink& me) {
            ts.push_back(now_ns() - st->t0);
            if (static_cast<int>(ts.size()) == rounds) {
                me.on_started = nullptr; // (on_pong, running now, is replaced by the next run)
                done.set_value(0);
                return;
            }
            crash(st->current);
        };
        crash(first);
    });
    rt.stop(sup_pid);
    rt.stop(sink);
    std::sort(ts.begin(), ts.end());
    return double(ts[rounds / 2 - 1]); // lists:nth(N div 2, Sorted), 1-based
}

/// One of N one_for_all children crashes; time until all N have started again.
double one_for_all(sup::Runtime& rt, int n, int rounds) {
    auto sink = make_sink(rt);
    std::vector<std::int64_t> ts;
    sup::Pid sup_pid = sup::start_supervisor(rt, bench_spec(sup::Strategy::one_for_all, n)).value();
    rt.wait_quiescent(); // the sink has handled the first starts
    sup::Pid last = sup::which_children(sup_pid).value()[0].pid;
    run_in<int>(sink, [&](Sink& s, std::promise<int>& done) {
        auto t0 = std::make_shared<std::int64_t>(now_ns());
        // Children start in order: when child N has started, all N have.
        s.on_started = [&, t0, n, rounds](Sink&, const Started& st) {
            if (st.id != n || static_cast<int>(ts.size()) == rounds)
                return;
            ts.push_back(now_ns() - *t0);
            if (static_cast<int>(ts.size()) == rounds) {
                done.set_value(0);
                return;
            }
            *t0 = now_ns();
            sup::cast(st.pid.as<Worker>(), Crash{});
        };
        sup::cast(last.as<Worker>(), Crash{});
    });
    rt.stop(sup_pid);
    rt.stop(sink);
    std::sort(ts.begin(), ts.end());
    return double(ts[rounds / 2]); // lists:nth(Rounds div 2 + 1, Sorted)
}

/// Start, then shut down, a supervisor of N workers.
std::pair<double, double> tree_start_stop(sup::Runtime& rt, int n) {
    auto sink = make_sink(rt);
    auto spec = bench_spec(sup::Strategy::one_for_one, n);
    auto r = run_in<std::pair<double, double>>(
        sink, [&](Sink& s, std::promise<std::pair<double, double>>& done) {
            std::int64_t t0 = now_ns();
            sup::Pid p = sup::start_supervisor(s.rt(), std::move(spec)).value();
            std::int64_t t1 = now_ns();
            s.rt().stop(p);
            std::int64_t t2 = now_ns();
            done.set_value({double(t1 - t0) / 1e6, double(t2 - t1) / 1e6});
        });
    rt.stop(sink);
    return r;
}

double mem_per_actor(sup::Runtime& rt, int n) {
    malloc_trim(0);
    std::size_t m0 = mallinfo2().uordblks;
    std::vector<sup::Ref<Idle>> v;
    v.reserve(n);
    std::size_t vec_bytes = n * sizeof(sup::Ref<Idle>);
    for (int i = 0; i < n; ++i)
        v.push_back(rt.spawn<Idle>().value());
    std::size_t m1 = mallinfo2().uordblks;
    double per = (double(m1 - m0) - double(vec_bytes)) / n;
    for (auto& a : v)
        sup::cast(a, Crash{});
    for (auto& a : v)
        rt.wait_exit(a);
    return per;
}

} // namespace

int main(int argc, char** argv) {
    unsigned threads = 0;
    int repeat = 3;
    const char* observe_at = nullptr;
    int observe_clients = 0;
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--threads") && i + 1 < argc)
            threads = std::atoi(argv[++i]);
        else if (!std::strcmp(argv[i], "--repeat") && i + 1 < argc)
            repeat = std::atoi(argv[++i]);
        else if (!std::strcmp(argv[i], "--observe") && i + 1 < argc)
            observe_at = argv[++i];
        else if (!std::strcmp(argv[i], "--observe-clients") && i + 1 < argc)
            observe_clients = std::atoi(argv[++i]);
    }
    sup::RuntimeOptions opts;
    opts.threads = threads;
    opts.log_level = sup::LogLevel::none;
    sup::Runtime rt(opts);

#ifdef SUPBENCH_OBSERVE
    // The observed tree: a root, a one_for_all group and a pool, 12 workers.
    sup::Tree observed;
    sup::Observer observer;
    if (observe_at) {
        sup::SupervisorSpec root;
        root.children.push_back(sup::supervisor("group", [] {
            sup::SupervisorSpec g;
            g.flags.strategy = sup::Strategy::one_for_all;
            for (int i = 0; i < 2; ++i)
                g.children.push_back(sup::testing::stand_in("w" + std::to_string(i)));
            return g;
        }));
        root.children.push_back(sup::supervisor("pool", [] {
            sup::SupervisorSpec p;
            for (int i = 0; i < 10; ++i)
                p.children.push_back(sup::testing::stand_in("worker_" + std::to_string(i)));
            return p;
        }));
        observed = sup::start_tree(rt, root).value();
        auto o = sup::observe(rt, observed, observe_at);
        if (!o) {
            std::fprintf(stderr, "supbench: %s\n", o.error().c_str());
            return 1;
        }
        observer = std::move(o.value());
        std::fprintf(stderr, "supbench: observing at %s\n", observer.url().c_str());
        auto deadline = Clock::now() + 30s;
        while (observer.streams() < static_cast<std::size_t>(observe_clients)) {
            if (Clock::now() > deadline) {
                std::fprintf(stderr, "supbench: no page connected within 30 s\n");
                return 1;
            }
            std::this_thread::sleep_for(10ms); // waiting for another process: no event to await
        }
    }
#else
    if (observe_at) {
        std::fprintf(stderr, "supbench: built without the observer\n");
        return 1;
    }
    (void)observe_clients;
#endif

    auto med = [&](auto fn) {
        std::vector<double> v;
        for (int i = 0; i < repeat; ++i)
            v.push_back(fn());
        return median(v);
    };
    // Warm-up: allocator and threads.
    spawn_bench(rt, 10000);
    pingpong(rt, 10000);

    double spawn = med([&] { return spawn_bench(rt, 100000); });
    double pp = med([&] { return pingpong(rt, 200000); });
    double call = med([&] { return call_rtt(rt, 200000); });
    double rl = med([&] { return restart_latency(rt, 2001); });
    double ofa = med([&] { return one_for_all(rt, 1000, 21); });
    std::vector<double> st, sp;
    for (int i = 0; i < repeat; ++i) {
        auto [a, b] = tree_start_stop(rt, 10000);
        st.push_back(a);
        sp.push_back(b);
    }
    double mem = mem_per_actor(rt, 100000);

    std::printf("{\"runtime\":\"supc\",\"threads\":%u,\"repeat\":%d,\n", rt.threads(), repeat);
    std::printf(" \"spawn_ns\":%.1f,\n", spawn);
    std::printf(" \"pingpong_rtt_ns\":%.1f,\n", pp);
    std::printf(" \"call_rtt_ns\":%.1f,\n", call);
    std::printf(" \"restart_latency_ns_median\":%.0f,\n", rl);
    std::printf(" \"one_for_all_1000_restart_ns_median\":%.0f,\n", ofa);
    std::printf(" \"start_10k_children_ms\":%.2f, \"stop_10k_children_ms\":%.2f,\n", median(st),
                median(sp));
    std::printf(" \"bytes_per_idle_process\":%.1f}\n", mem);
    return 0;
}
