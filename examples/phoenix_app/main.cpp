// phoenix_app: LANGUAGE.md's example tree (app.sup), started from the code supc generated
// (app.sup.hpp: my_app::start_MyApp), used, hurt twice, and shut down. It tells the story
// from the runtime's supervisor events: every "started", "crashed", "restarted" line below
// is an event a supervisor emitted. It never sleeps: it waits for the events it expects
// (and fails, exit status 1, if one does not come within 5 s).
//
// `phoenix_app --serve [ADDR:PORT] [--fault-interval SECONDS]` runs the tree until SIGINT or
// SIGTERM instead, hurting it on a timer (the cache, a pool worker, the connections, in turn;
// SIGUSR1: the cache now), and serves its live page, metrics and health (docs/observe.md) on
// ADDR:PORT (default 127.0.0.1:9090), with control on (a token it prints).
#include "app.sup.hpp"

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <sup/event_queue.hpp>
#include <sup/observe.hpp>

namespace {

using namespace std::chrono_literals;

// What the supervisors said, one line per event, kept by a sup::EventQueue on their threads
// and printed on the main thread (so the story is never interleaved).
class Story {
public:
    explicit Story(sup::Runtime& rt) : events_(rt) {}

    /// Prints the events so far until one matching `until` (printed too); false if none
    /// arrives within 5 s.
    bool tell_until(const sup::EventQueue::Predicate& until) {
        auto deadline = std::chrono::steady_clock::now() + 5s;
        while (true) {
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now());
            std::optional<sup::SupervisorEvent> e;
            if (left.count() > 0)
                e = events_.next(left);
            if (!e) {
                std::printf("  (the expected event did not come)\n");
                return false;
            }
            print(*e);
            if (until(*e))
                return true;
        }
    }
    /// Prints every event so far.
    void tell() {
        for (const auto& e : events_.drain())
            print(e);
    }
    /// Drops the events so far, counting them.
    std::size_t skip() { return events_.drain().size(); }

private:
    static void print(const sup::SupervisorEvent& e) {
        std::string who = e.path().empty() ? "MyApp" : e.path();
        switch (e.kind) {
        case sup::EventKind::child_started:
            std::printf("  started    %s\n", who.c_str());
            break;
        case sup::EventKind::child_restarted:
            std::printf("  restarted  %s\n", who.c_str());
            break;
        case sup::EventKind::child_exited:
            std::printf("  crashed    %s (%s)\n", who.c_str(), e.reason.to_string().c_str());
            break;
        case sup::EventKind::child_terminated:
            std::printf("  stopped    %s (%s)\n", who.c_str(), e.reason.to_string().c_str());
            break;
        default:
            std::printf("  %-10s %s (%s)\n", sup::to_string(e.kind), who.c_str(),
                        e.reason.to_string().c_str());
        }
    }

    sup::EventQueue events_;
};

template <class R>
std::string text(const sup::CallResult<R>& r) {
    return r.has_value() ? r.value() : "(" + r.error().to_string() + ")";
}

/// --serve: the tree runs, faults come on a timer, the observer serves, until SIGINT/SIGTERM.
int serve(const std::string& address, int fault_interval_s) {
    // The signals are taken synchronously by this thread (sigtimedwait): block them before the
    // runtime's and the observer's threads start, so that they inherit the mask.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    sup::Runtime rt(sup::RuntimeOptions{.log_level = sup::LogLevel::none});
    auto started = my_app::start_MyApp(rt);
    if (!started.started()) {
        std::printf("MyApp did not start: %s\n", started.reason().to_string().c_str());
        return 1;
    }
    const my_app::MyAppTree& app = started.value();
    (void)app.connections_start_child("alice");
    (void)app.connections_start_child("bob");

    // SUPC_OBSERVE, if set, made the generated start function serve already.
    sup::Observer observer;
    const char* env = std::getenv("SUPC_OBSERVE");
    std::string token;
    if (!env || !*env) {
        std::random_device random;
        char hex[33];
        for (int i = 0; i < 16; ++i)
            std::snprintf(hex + 2 * i, 3, "%02x", random() & 0xff);
        token = hex;
        sup::ObserveOptions o;
        o.address = address;
        o.control_token = token;
        o.title = "phoenix_app (MyApp)";
        auto r = sup::observe(rt, app.tree(), o);
        if (!r) {
            std::fprintf(stderr, "phoenix_app: %s\n", r.error().c_str());
            return 1;
        }
        observer = std::move(r.value());
        std::printf("observing MyApp at %s\n", observer.url().c_str());
        std::printf("  open it in a browser; control token (for kill / restart): %s\n",
                    token.c_str());
    }
    if (fault_interval_s > 0)
        std::printf("a fault every %d s (the cache, a pool worker, the connections, in turn); "
                    "SIGUSR1: the cache now; Ctrl-C stops\n",
                    fault_interval_s);
    else
        std::printf("no faults on a timer; SIGUSR1: the cache crashes; Ctrl-C stops\n");
    std::fflush(stdout);

    const std::int64_t pool = my_app::pool_size();
    int round = 0, user = 0;
    auto fault = [&](int which) {
        switch (which % 3) {
        case 0:
            sup::cast(app.services_cache(), my_app::InjectFault{"injected fault: corrupted entry"});
            break;
        case 1:
            sup::cast(app.pool_worker(1 + (round / 3) % pool),
                      my_app::InjectFault{"injected fault: bad job"});
            break;
        case 2: {
            // Connections come and go: a new user, and the oldest one leaves.
            (void)app.connections_start_child("user" + std::to_string(++user));
            if (auto children = sup::which_children(app.connections());
                children && children.value().size() > 4)
                (void)sup::terminate_child(app.connections(), children.value().back().pid);
            break;
        }
        }
    };
    timespec wait{fault_interval_s > 0 ? fault_interval_s : 3600, 0};
    while (true) {
        int sig = sigtimedwait(&signals, nullptr, &wait);
        if (sig == SIGINT || sig == SIGTERM)
            break;
        if (sig == SIGUSR1)
            fault(0);
        else if (sig < 0 && fault_interval_s > 0)
            fault(round++);
    }
    observer.stop();
    auto reason = app.stop();
    std::printf("MyApp stopped (%s)\n", reason ? reason->to_string().c_str() : "timeout");
    return reason && reason->is_shutdown() ? 0 : 1;
}

} // namespace

int main(int argc, char** argv) {
    if (argc > 1 && std::strcmp(argv[1], "--serve") == 0) {
        std::string address = "127.0.0.1:9090";
        int interval = 4;
        for (int i = 2; i < argc; ++i) {
            if (std::strcmp(argv[i], "--fault-interval") == 0 && i + 1 < argc)
                interval = std::atoi(argv[++i]);
            else if (argv[i][0] != '-')
                address = argv[i];
            else {
                std::fprintf(stderr, "usage: phoenix_app [--serve [ADDR:PORT] "
                                     "[--fault-interval SECONDS]]\n");
                return 64;
            }
        }
        return serve(address, interval);
    }
    // Crash reports would repeat what the story says: the runtime's logger stays quiet.
    sup::Runtime rt(sup::RuntimeOptions{.log_level = sup::LogLevel::none});
    Story story(rt);
    const std::size_t actors_before = rt.live_actors(); // the runtime's own

    std::printf("== starting MyApp (pool_size = %lld, from $POOL_SIZE or 10) ==\n",
                static_cast<long long>(my_app::pool_size()));
    auto started = my_app::start_MyApp(rt);
    if (!started.started()) {
        std::printf("MyApp did not start: %s\n", started.reason().to_string().c_str());
        return 1;
    }
    const my_app::MyAppTree& app = started.value();
    story.tell();
    auto counts = sup::count_children(app.root());
    std::printf("MyApp is up: %zu children under the root\n\n", counts ? counts.value().active : 0);

    std::printf("== using it ==\n");
    std::printf("  endpoint:    %s\n", text(sup::call(app.endpoint(), my_app::Describe{})).c_str());
    std::printf("  repo:        user 1 is %s\n",
                text(sup::call(app.repo(), my_app::FindUser{1})).c_str());
    sup::cast(app.services_cache(), my_app::Put{"user:1", "alice"});
    auto cached = sup::call(app.services_cache(), my_app::Get{"user:1"});
    std::printf("  cache:       user:1 -> %s\n",
                cached.has_value() && cached.value() ? cached.value()->c_str() : "(nothing)");
    std::printf("  mailer:      %s\n",
                text(sup::call(app.services_mailer(), my_app::SendMail{"alice"})).c_str());
    std::printf("  pool:        %s\n", text(sup::call(app.pool_worker(2), my_app::Job{7})).c_str());
    for (const char* user : {"alice", "bob"}) {
        auto conn = app.connections_start_child(user);
        std::printf("  connections: %s\n",
                    conn.has_value() ? text(sup::call(conn.value().as<my_app::UserConnection>(),
                                                      my_app::Describe{}))
                                           .c_str()
                                     : conn.error().to_string().c_str());
    }
    story.tell(); // the two connections' start events

    std::printf("\n== fault 1: the cache crashes (Services is one_for_all) ==\n");
    sup::cast(app.services_cache(), my_app::InjectFault{"injected fault: corrupted entry"});
    bool ok = story.tell_until(sup::restarted("services/mailer"));
    cached = sup::call(app.services_cache(), my_app::Get{"user:1"});
    std::printf("  the new cache: user:1 -> %s\n", cached.has_value() && cached.value()
                                                       ? cached.value()->c_str()
                                                       : "(nothing: it started empty)");

    std::printf("\n== fault 2: pool worker 2 crashes (WorkerPool is one_for_one) ==\n");
    sup::cast(app.pool_worker(2), my_app::InjectFault{"injected fault: bad job"});
    ok = story.tell_until(sup::restarted("pool/worker_2")) && ok;
    std::printf("  pool:        %s\n", text(sup::call(app.pool_worker(2), my_app::Job{8})).c_str());
    std::printf("  worker 1 was not touched: %s\n",
                text(sup::call(app.pool_worker(1), my_app::Describe{})).c_str());

    std::printf("\n== final state ==\n");
    if (auto children = sup::which_children(app.root()); children.has_value())
        for (const auto& c : children.value())
            std::printf("  %-12s %s\n", c.id.c_str(),
                        c.state == sup::ChildInfo::State::running ? "running" : "not running");

    std::printf("\n== shutdown ==\n");
    auto reason = app.stop();
    std::size_t stopped = story.skip();
    std::printf("  MyApp stopped (%s): %zu supervisor events, children stopped last-first\n",
                reason ? reason->to_string().c_str() : "timeout", stopped);
    rt.wait_quiescent();
    std::size_t left = rt.live_actors() - actors_before;
    std::printf("  actors of MyApp still alive: %zu\n", left);
    return ok && reason && reason->is_shutdown() && left == 0 ? 0 : 1;
}
