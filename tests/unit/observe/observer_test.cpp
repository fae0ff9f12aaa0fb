// The observer beside a running tree, over real HTTP: the documents, the event stream, health,
// control and its token, and hostile clients that must not reach the runtime's schedulers.
#include "http_client.hpp"
#include "sup/observe.hpp"
#include "sup/testing.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <thread>

using namespace std::chrono_literals;
using sup::obs::test::RawConnection;
using sup::obs::test::request;
using sup::testing::StandIn;

namespace {

sup::RuntimeOptions quiet() {
    sup::RuntimeOptions o;
    o.threads = 2;
    o.log_level = sup::LogLevel::none;
    return o;
}

/// root (one_for_one, 3 per 5 s): services (one_for_all: a, b), conns (dynamic).
sup::SupervisorSpec app(int root_intensity = 3) {
    sup::SupervisorSpec root;
    root.flags.intensity = root_intensity;
    root.children.push_back(sup::supervisor("services", [] {
        sup::SupervisorSpec s;
        s.flags.strategy = sup::Strategy::one_for_all;
        s.flags.intensity = 3;
        s.children.push_back(sup::testing::stand_in("a"));
        s.children.push_back(sup::testing::stand_in("b"));
        return s;
    }));
    root.children.push_back(sup::dynamic_supervisor("conns", [] {
        sup::DynamicSupervisorSpec d;
        d.child = sup::testing::dynamic_stand_in().with_restart(sup::Restart::temporary);
        return d;
    }));
    return root;
}

sup::Observer serve(sup::Runtime& rt, const sup::Tree& tree, std::string token = {}) {
    sup::ObserveOptions o;
    o.address = "127.0.0.1:0";
    o.control_token = std::move(token);
    o.refresh = 200ms;
    auto r = sup::observe(rt, tree, o);
    REQUIRE(r);
    return std::move(r.value());
}

void crash(const sup::Pid& p, std::string why = "crash") {
    sup::cast(p.as<StandIn>(), StandIn::Crash{std::move(why)});
}

bool contains(const std::string& s, std::string_view what) {
    return s.find(what) != std::string::npos;
}

} // namespace

TEST_CASE("observe: the tree as JSON, health, readiness and metrics") {
    sup::Runtime rt(quiet());
    sup::testing::Supervised tree(rt, app());
    sup::start_child(tree.child("conns")).value();
    sup::Observer o = serve(rt, sup::Tree(rt, tree.pid()));
    REQUIRE(o.port() != 0);
    REQUIRE(o.url() == "http://127.0.0.1:" + std::to_string(o.port()) + "/");

    auto t = request(o.port(), "GET", "/api/tree");
    REQUIRE(t);
    REQUIRE(t->status == 200);
    REQUIRE(contains(t->headers, "content-type: application/json"));
    CHECK(contains(t->body, R"("path":"services/a")"));
    CHECK(contains(t->body, R"("path":"conns/1")"));
    CHECK(contains(t->body, R"("kind":"dynamic_supervisor")"));
    CHECK(contains(t->body, R"("strategy":"one_for_all")"));
    CHECK(contains(t->body, R"("class":"sup::testing::StandIn")"));
    CHECK(contains(t->body, R"("root_running":true)"));

    auto h = request(o.port(), "GET", "/healthz");
    REQUIRE(h);
    CHECK(h->status == 200);
    auto r = request(o.port(), "GET", "/readyz");
    REQUIRE(r);
    CHECK(r->status == 200);
    auto m = request(o.port(), "GET", "/metrics");
    REQUIRE(m);
    CHECK(m->status == 200);
    CHECK(contains(m->headers, "text/plain; version=0.0.4"));
    CHECK(contains(m->body, "supc_tree_up 1\n"));
    CHECK(contains(m->body, "supc_supervisor_children{path=\"services\",state=\"running\"} 2\n"));
    CHECK(contains(m->body, "supc_actor_mailbox_length{path=\"services/a\"} 0\n"));

    auto page = request(o.port(), "GET", "/");
    REQUIRE(page);
    CHECK(page->status == 200);
    CHECK(
        contains(page->headers, "content-security-policy: default-src 'none'; script-src 'self'"));
    CHECK(contains(page->body, "<script src=\"/app.js\""));
    auto js = request(o.port(), "GET", "/app.js");
    REQUIRE(js);
    CHECK(js->status == 200);
    auto node = request(o.port(), "GET", "/api/node?path=services%2Fb");
    REQUIRE(node);
    CHECK(node->status == 200);
    CHECK(contains(node->body, R"("path":"services/b")"));
    auto none = request(o.port(), "GET", "/api/node?path=nope");
    REQUIRE(none);
    CHECK(none->status == 404);
    auto post = request(o.port(), "POST", "/api/tree");
    REQUIRE(post);
    CHECK(post->status == 405);
}

TEST_CASE("observe: a crash reaches an open event stream, then the tree and the counters") {
    sup::Runtime rt(quiet());
    sup::testing::Supervised tree(rt, app());
    sup::Observer o = serve(rt, sup::Tree(rt, tree.pid()));
    RawConnection page(o.port());
    REQUIRE(page.send("GET /api/events?tree=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
    REQUIRE(page.read_until("event: tree", 10s));
    sup::Pid a = tree.child("services/a");
    crash(a, "injected");
    REQUIRE(page.read_until(R"("kind":"child_restarted","path":"services/a")", 10s));
    REQUIRE(page.read_until(R"("restarts":1)", 10s)); // the patch with the new count
    CHECK(contains(page.received(), R"("kind":"child_exited","path":"services/a")"));
    CHECK(contains(page.received(), R"("reason":"injected","reason_class":"error")"));

    auto m = request(o.port(), "GET", "/metrics");
    REQUIRE(m);
    CHECK(contains(m->body, "supc_child_restarts_total{path=\"services/a\"} 1\n"));
    CHECK(contains(m->body, "supc_child_restarts_total{path=\"services/b\"} 1\n"));
    CHECK(contains(m->body, "supc_child_exits_total{path=\"services/a\",reason=\"error\"} 1\n"));
    CHECK(contains(m->body,
                   "supc_child_terminations_total{path=\"services/b\",reason=\"shutdown\"} 1\n"));
    CHECK(contains(m->body, "supc_supervisor_restarts_in_period{path=\"services\"} 1\n"));
    auto recent = request(o.port(), "GET", "/api/events/recent?path=services%2Fa&limit=5");
    REQUIRE(recent);
    CHECK(contains(recent->body, R"("kind":"child_restarted")"));
}

TEST_CASE("observe: health and readiness flip when the root gives up") {
    sup::Runtime rt(quiet());
    sup::SupervisorSpec spec;
    spec.flags.intensity = 0; // the first crash is one too many
    spec.children.push_back(sup::testing::stand_in("only"));
    sup::Tree tree = sup::start_tree(rt, spec).value();
    sup::Observer o = serve(rt, tree);
    REQUIRE(request(o.port(), "GET", "/healthz")->status == 200);
    REQUIRE(request(o.port(), "GET", "/readyz")->status == 200);
    crash(tree.lookup("only"));
    REQUIRE(rt.wait_exit_real(tree.root(), 10s));
    auto h = request(o.port(), "GET", "/healthz");
    REQUIRE(h);
    CHECK(h->status == 503);
    CHECK(contains(h->body, "the root supervisor has stopped (shutdown)"));
    auto r = request(o.port(), "GET", "/readyz");
    REQUIRE(r);
    CHECK(r->status == 503);
    auto m = request(o.port(), "GET", "/metrics");
    REQUIRE(m);
    CHECK(contains(m->body, "supc_tree_up 0\n"));
    CHECK(contains(m->body, "supc_supervisor_give_ups_total{path=\"\"} 1\n"));
}

TEST_CASE("observe: control needs the program's consent and the token") {
    sup::Runtime rt(quiet());
    sup::testing::Supervised tree(rt, app());
    SECTION("read-only by default") {
        sup::Observer o = serve(rt, sup::Tree(rt, tree.pid()));
        auto r = request(o.port(), "POST", "/api/control/kill?path=services%2Fa",
                         "Authorization: Bearer 0123456789abcdef\r\n");
        REQUIRE(r);
        CHECK(r->status == 403);
    }
    SECTION("with a token") {
        const std::string token = "0123456789abcdef0123";
        sup::Observer o = serve(rt, sup::Tree(rt, tree.pid()), token);
        sup::Pid a = tree.child("services/a");
        auto none = request(o.port(), "POST", "/api/control/kill?path=services%2Fa");
        REQUIRE(none);
        CHECK(none->status == 401);
        CHECK(contains(none->headers, "www-authenticate: bearer"));
        auto wrong = request(o.port(), "POST", "/api/control/kill?path=services%2Fa",
                             "Authorization: Bearer 0123456789abcdef0124\r\n");
        REQUIRE(wrong);
        CHECK(wrong->status == 401);
        auto get = request(o.port(), "GET", "/api/control/kill?path=services%2Fa",
                           "Authorization: Bearer " + token + "\r\n");
        REQUIRE(get);
        CHECK(get->status == 405);
        CHECK(tree.child("services/a") == a); // nothing happened

        auto kill = request(o.port(), "POST", "/api/control/kill?path=services%2Fa",
                            "Authorization: Bearer " + token + "\r\n");
        REQUIRE(kill);
        CHECK(kill->status == 200);
        sup::Pid fresh = tree.await_restart("services/a", a);
        auto term = request(o.port(), "POST", "/api/control/terminate?path=services%2Fb",
                            "Authorization: Bearer " + token + "\r\n");
        REQUIRE(term);
        CHECK(term->status == 200);
        CHECK_FALSE(sup::Tree(rt, tree.pid()).lookup("services/b"));
        auto restart = request(o.port(), "POST", "/api/control/restart?path=services%2Fb",
                               "Authorization: Bearer " + token + "\r\n");
        REQUIRE(restart);
        CHECK(restart->status == 200);
        CHECK(sup::Tree(rt, tree.pid()).lookup("services/b"));
        auto missing = request(o.port(), "POST", "/api/control/restart?path=services%2Fzz",
                               "Authorization: Bearer " + token + "\r\n");
        REQUIRE(missing);
        CHECK(missing->status == 404);
        CHECK(tree.child("services/a") == fresh);
    }
    SECTION("a token too short is refused") {
        sup::ObserveOptions o;
        o.address = "127.0.0.1:0";
        o.control_token = "short";
        auto r = sup::observe(rt, sup::Tree(rt, tree.pid()), o);
        REQUIRE_FALSE(r);
        CHECK(contains(r.error(), "at least 16 characters"));
    }
}

TEST_CASE("observe: bad addresses, and requests for another host name, are refused") {
    sup::Runtime rt(quiet());
    sup::testing::Supervised tree(rt, app());
    auto bad = sup::observe(rt, sup::Tree(rt, tree.pid()), "nowhere");
    REQUIRE_FALSE(bad);
    CHECK(contains(bad.error(), "invalid address 'nowhere'"));
    sup::Observer o = serve(rt, sup::Tree(rt, tree.pid()));
    auto taken =
        sup::observe(rt, sup::Tree(rt, tree.pid()), "127.0.0.1:" + std::to_string(o.port()));
    REQUIRE_FALSE(taken);
    CHECK(contains(taken.error(), "cannot listen on 127.0.0.1:"));
    // A page of attacker.example whose DNS points at 127.0.0.1 (DNS rebinding) is refused.
    RawConnection c(o.port());
    c.send("GET /api/tree HTTP/1.1\r\nHost: attacker.example:" + std::to_string(o.port()) +
           "\r\nConnection: close\r\n\r\n");
    REQUIRE(c.read_to_close(10s));
    auto r = sup::obs::test::parse_response(c.received());
    REQUIRE(r);
    CHECK(r->status == 403);
}

namespace {
/// Counts rounds of a ping-pong between two actors: proof that the schedulers run.
class Ponger : public sup::Actor<Ponger> {
public:
    explicit Ponger(std::atomic<long>* rounds) : rounds_(rounds) {}
    struct Ball {
        sup::Ref<Ponger> back;
    };
    void handle_info(Ball b) {
        rounds_->fetch_add(1, std::memory_order_relaxed);
        if (!stopping_)
            sup::send(b.back, Ball{self()});
    }
    struct Halt {};
    void handle_cast(Halt) { stopping_ = true; }

private:
    std::atomic<long>* rounds_;
    bool stopping_ = false;
};

bool progresses(const std::atomic<long>& rounds) {
    long from = rounds.load();
    auto deadline = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < deadline) {
        if (rounds.load() > from + 1000)
            return true;
        std::this_thread::yield();
    }
    return false;
}
} // namespace

TEST_CASE("observe: hostile clients never reach the schedulers; the program goes on") {
    std::atomic<long> rounds{0};
    sup::Runtime rt(quiet());
    sup::testing::Supervised tree(rt, app());
    sup::Observer o = serve(rt, sup::Tree(rt, tree.pid()));
    auto p1 = rt.spawn<Ponger>(&rounds).value();
    auto p2 = rt.spawn<Ponger>(&rounds).value();
    sup::send(p1, Ponger::Ball{p2});
    REQUIRE(progresses(rounds));

    std::vector<std::unique_ptr<RawConnection>> hostile;
    for (int i = 0; i < 60; ++i) { // slow clients, holding connections
        hostile.push_back(std::make_unique<RawConnection>(o.port()));
        hostile.back()->send("GET /api/tree HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
    }
    for (int i = 0; i < 5; ++i) { // pages that never read their stream
        hostile.push_back(std::make_unique<RawConnection>(o.port()));
        hostile.back()->send("GET /api/events?tree=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    }
    {
        RawConnection huge(o.port()); // a head far beyond the limit
        huge.send("GET /metrics HTTP/1.1\r\n");
        std::string line = "X-Big: " + std::string(4000, 'h') + "\r\n";
        for (int i = 0; i < 100 && huge.send(line); ++i) {
        }
    }
    for (int i = 0; i < 10; ++i) {
        RawConnection junk(o.port());
        junk.send("\x01\x02\x03 / HTTP/1.1\r\n\r\n");
    }
    // Restarts go on meanwhile, and so do the schedulers.
    sup::Pid a = tree.child("services/a");
    crash(a);
    tree.await_restart("services/a", a);
    REQUIRE(progresses(rounds));
    // And the observer still answers (the slow clients hold no thread).
    auto h = request(o.port(), "GET", "/healthz");
    REQUIRE(h);
    CHECK(h->status == 200);
    hostile.clear();
    sup::cast(p1, Ponger::Halt{});
    sup::cast(p2, Ponger::Halt{});
}

TEST_CASE("observe: stopping with a page open and a request waiting is clean") {
    sup::Runtime rt(quiet());
    sup::testing::Supervised tree(rt, app());
    auto o = std::make_unique<sup::Observer>(serve(rt, sup::Tree(rt, tree.pid())));
    RawConnection page(o->port());
    page.send("GET /api/events?tree=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    REQUIRE(page.read_until("event: tree", 10s));
    o.reset();
    REQUIRE(page.read_until("\r\n0\r\n\r\n", 10s)); // the stream ended
    // Events after the observer went: nobody listens, nothing breaks.
    sup::Pid a = tree.child("services/a");
    crash(a);
    tree.await_restart("services/a", a);
}
