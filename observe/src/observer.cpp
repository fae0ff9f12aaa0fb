// The observer: wires the runtime's events, samples of the tree and the HTTP server together.
//
// Threads: the HTTP server's polling thread runs the routes (quick: they answer from the
// latest sample or wait for the next one without holding the thread); the sampler thread takes
// samples, writes event streams and answers requests that wait for a sample; the control thread
// (only with a token) runs terminate / restart / kill, which may block on the supervisors. None
// of them is a scheduler thread; the only code that runs on the runtime's threads is the event
// subscriber (EventLog::record plus one wake-up per batch).
#include "address.hpp"
#include "assets.hpp"
#include "event_log.hpp"
#include "http_server.hpp"
#include "json.hpp"
#include "metrics.hpp"
#include "sample.hpp"
#include "sup/observe.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <map>
#include <optional>
#include <thread>
#include <unordered_map>

namespace sup {

using namespace obs;

namespace {

using SteadyClock = std::chrono::steady_clock;
constexpr auto kHeartbeat = std::chrono::seconds(15);
constexpr auto kNever = SteadyClock::time_point::max();
constexpr auto kSettle = std::chrono::milliseconds(100); // a sample this long after events
constexpr auto kControlDeadline = std::chrono::seconds(10);
constexpr std::size_t kMaxEventsPerWrite = 5000;

std::string sse(std::string_view event, std::string_view data, std::uint64_t id = 0) {
    std::string out;
    out.reserve(data.size() + 64);
    if (id) {
        out += "id: ";
        out += std::to_string(id);
        out += '\n';
    }
    out += "event: ";
    out += event;
    out += "\ndata: ";
    out += data;
    out += "\n\n";
    return out;
}

/// A Reply that more than one thread may try to answer (the first answer wins).
class SharedReply {
public:
    explicit SharedReply(Reply r) : reply_(std::move(r)) {}
    void send(HttpResponse r) {
        std::lock_guard lock(m_);
        reply_.send(std::move(r));
    }

private:
    std::mutex m_;
    Reply reply_;
};

HttpResponse error_json(int status, std::string_view message) {
    JsonWriter w;
    w.begin_object().key("ok").value(false).key("error").value(message).end_object();
    return HttpResponse::json(status, w.take());
}

} // namespace

class ObserverImpl {
public:
    ObserverImpl(Runtime& rt, const Tree& tree, ObserveOptions o, ListenAddress a)
        : rt_(rt), root_(tree.root()), opts_(std::move(o)), address_(std::move(a)),
          log_(root_.id(), opts_.event_history),
          http_(
              [&] {
                  HttpLimits l;
                  l.max_connections = opts_.max_connections;
                  return l;
              }(),
              [this](const HttpRequest& req, Reply reply, HttpServer::Context& ctx) {
                  route(req, std::move(reply), ctx);
              },
              opts_.log_sink) {
        auto sys = std::chrono::system_clock::now().time_since_epoch();
        time_.offset_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(sys).count() -
                          std::chrono::duration_cast<std::chrono::nanoseconds>(
                              rt.clock().now().time_since_epoch())
                              .count();
        loopback_ = is_loopback_host(address_.host);
        if (opts_.title.empty())
            opts_.title = "supc observer";
    }

    ~ObserverImpl() { stop(); }

    std::optional<std::string> start() {
        // Events first, so that nothing that happens from now on is missed.
        subscription_ = rt_.events().subscribe([this](const SupervisorEvent& e) {
            // Only events the streams will carry wake the streamer: another tree's events on
            // the same runtime cost a copy at most, not a thread switch each.
            if (log_.record(e))
                wake_streamer();
        });
        // One sample at once, to learn the tree's supervisors: their events count from now on,
        // even if nobody looks before the first scrape.
        sample_requested_ = true;
        sampler_ = std::thread([this] { sampler_main(); });
        streamer_ = std::thread([this] { streamer_main(); });
        if (!opts_.control_token.empty())
            control_ = std::thread([this] { control_main(); });
        if (auto err = http_.start(address_.host, address_.port)) {
            stop();
            return err;
        }
        return std::nullopt;
    }

    void stop() {
        {
            std::lock_guard lock(m_);
            if (stopped_)
                return;
            stopped_ = true;
        }
        cv_.notify_all();
        events_cv_.notify_all();
        control_cv_.notify_all();
        http_.stop(); // answers what waits, ends streams
        if (sampler_.joinable())
            sampler_.join();
        if (streamer_.joinable())
            streamer_.join();
        if (control_.joinable())
            control_.join();
        subscription_.reset();
        // Requests still waiting for a sample or a control action get their 503 from the
        // server's stop (their Reply objects are dropped here).
        std::lock_guard lock(m_);
        waiters_.clear();
        control_queue_.clear();
    }

    std::uint16_t port() const { return http_.port(); }
    std::size_t streams() const { return http_.streams(); }
    std::string url() const {
        std::string host = address_.host;
        if (host == "0.0.0.0")
            host = "127.0.0.1";
        else if (host == "::")
            host = "::1";
        if (host.find(':') != std::string::npos)
            host = "[" + host + "]";
        return "http://" + host + ":" + std::to_string(port()) + "/";
    }

private:
    using Waiter = std::function<void(const std::shared_ptr<const Sample>&)>;

    struct Client {
        std::shared_ptr<Stream> stream;
        bool tree = false;       // the page's stream: the tree, then events and patches
        bool needs_tree = false; // its first sample has not been sent yet
    };

    struct ControlJob {
        std::string action, path;
        std::shared_ptr<SharedReply> reply;
        SteadyClock::time_point deadline;
    };

    // ------------------------------------------------------------ routes (HTTP thread)

    void route(const HttpRequest& req, Reply reply, HttpServer::Context& ctx) {
        if (loopback_) {
            auto host = req.header("Host");
            if (host && !is_loopback_host_header(*host)) {
                reply.send(HttpResponse::text(
                    403, "this observer answers requests for a loopback host name only\n"));
                return;
            }
        }
        const std::string& p = req.path;
        bool get = req.method == "GET" || req.method == "HEAD";
        if (p.rfind("/api/control/", 0) == 0) {
            if (req.method != "POST") {
                auto r = error_json(405, "control takes POST");
                r.headers.emplace_back("Allow", "POST");
                reply.send(std::move(r));
                return;
            }
            control(req, p.substr(13), std::move(reply));
            return;
        }
        if (!get) {
            auto r = HttpResponse::text(405, "method not allowed\n");
            r.headers.emplace_back("Allow", "GET, HEAD");
            reply.send(std::move(r));
            return;
        }
        if (const Asset* a = find_asset(p)) {
            HttpResponse r;
            r.content_type = std::string(a->content_type);
            r.body = std::string(a->body);
            page_headers(r);
            reply.send(std::move(r));
            return;
        }
        if (p == "/healthz") {
            reply.send(healthz());
        } else if (p == "/readyz") {
            with_sample(std::move(reply),
                        [this](const std::shared_ptr<const Sample>& s) { return readyz(*s); });
        } else if (p == "/api/tree") {
            with_sample(std::move(reply), [this](const std::shared_ptr<const Sample>& s) {
                return HttpResponse::json(200, tree_json(*s));
            });
        } else if (p == "/api/node") {
            std::string path = req.arg("path").value_or("");
            with_sample(std::move(reply), [this, path](const std::shared_ptr<const Sample>& s) {
                return node_json(*s, path);
            });
        } else if (p == "/api/events/recent") {
            reply.send(recent_json(req.arg("path").value_or(""), req.arg("limit")));
        } else if (p == "/api/events") {
            open_events(req, ctx);
        } else if (p == "/metrics") {
            with_sample(std::move(reply), [this](const std::shared_ptr<const Sample>& s) {
                HttpResponse r;
                r.content_type = MetricsWriter::content_type;
                r.body = metrics(*s);
                return r;
            });
        } else {
            reply.send(HttpResponse::text(404, "not found\n"));
        }
    }

    static void page_headers(HttpResponse& r) {
        r.headers.emplace_back("Content-Security-Policy",
                               "default-src 'none'; script-src 'self'; style-src 'self'; "
                               "img-src 'self' data:; connect-src 'self'; base-uri 'none'; "
                               "form-action 'none'; frame-ancestors 'none'");
        r.headers.emplace_back("X-Content-Type-Options", "nosniff");
        r.headers.emplace_back("Referrer-Policy", "no-referrer");
        r.headers.emplace_back("Cache-Control", "no-cache");
    }

    HttpResponse healthz() {
        if (root_.alive())
            return HttpResponse::text(200, "ok: the root supervisor is running\n");
        auto why = log_.root_exit();
        return HttpResponse::text(503, "the root supervisor has stopped (" +
                                           valid_utf8(why ? why->to_string() : "noproc") + ")\n");
    }

    HttpResponse readyz(const Sample& s) {
        std::vector<std::string> not_ready;
        if (s.ready(&not_ready))
            return HttpResponse::text(200, "ok: every child has started\n");
        std::string body = "not ready:\n";
        for (const auto& line : not_ready)
            body += "  " + valid_utf8(line) + "\n";
        return HttpResponse::text(503, body);
    }

    /// Answers with `make(sample)` from a sample as fresh as the events: the latest if nothing
    /// happened since, else the next one (taken by the sampler; the connection waits without a
    /// thread).
    template <class Make>
    void with_sample(Reply reply, Make make) {
        std::unique_lock lock(m_);
        if (latest_ && latest_->event_seq == log_.last_seq() &&
            SteadyClock::now() - latest_->taken_at < opts_.refresh / 2) {
            auto s = latest_;
            lock.unlock();
            reply.send(make(s));
            return;
        }
        auto shared = std::make_shared<SharedReply>(std::move(reply));
        waiters_.push_back(
            [shared, make](const std::shared_ptr<const Sample>& s) { shared->send(make(s)); });
        sample_requested_ = true;
        lock.unlock();
        cv_.notify_one();
    }

    void open_events(const HttpRequest& req, HttpServer::Context& ctx) {
        Client c;
        c.tree = req.arg("tree").value_or("") == "1";
        c.needs_tree = c.tree;
        // A plain stream starts with the events after Last-Event-ID (or ?since=N), if still
        // kept; the page's stream starts with the tree.
        std::string first = "retry: 2000\n\n";
        std::optional<std::string> since = req.header("Last-Event-ID");
        if (!since)
            since = req.arg("since");
        c.stream = ctx.open_stream(first);
        std::lock_guard lock(m_);
        if (!c.tree) {
            std::uint64_t from = sent_seq_;
            if (since) {
                char* end = nullptr;
                std::uint64_t n = std::strtoull(since->c_str(), &end, 10);
                if (end && *end == '\0' && n <= sent_seq_)
                    from = n;
            }
            if (from < sent_seq_)
                write_events(c.stream, from, sent_seq_);
        }
        clients_.push_back(std::move(c));
        if (clients_.back().needs_tree)
            sample_requested_ = true;
        cv_.notify_one();
    }

    /// Writes the events (from, to] to one stream (with the lock held: m_).
    void write_events(const std::shared_ptr<Stream>& s, std::uint64_t from, std::uint64_t to) {
        bool lost = false;
        std::string out;
        for (const EventRecord& r : log_.since(from, kMaxEventsPerWrite, &lost)) {
            if (r.seq > to)
                break;
            out += sse("supervisor", event_json(r), r.seq);
        }
        if (lost)
            out = sse("lost", "{}") + out;
        if (!out.empty())
            s->write(out);
    }

    // ------------------------------------------------------------ documents

    std::string event_json(const EventRecord& r) const {
        const SupervisorEvent& e = r.event;
        JsonWriter w;
        w.begin_object();
        w.key("seq").value(r.seq);
        w.key("kind").value(to_string(e.kind));
        w.key("path").value(e.path());
        w.key("supervisor").value(e.supervisor_path);
        w.key("id").value(e.child_id);
        if (e.child)
            w.key("pid").value(e.child.to_string());
        else
            w.key("pid").null();
        w.key("child_type").value(e.child_is_supervisor ? "supervisor" : "worker");
        w.key("reason").value(e.reason.to_string());
        w.key("reason_class").value(reason_class(e.reason));
        if (e.kind == EventKind::restart_delayed)
            w.key("delay_ms")
                .value(static_cast<std::int64_t>(
                    std::chrono::duration_cast<std::chrono::milliseconds>(e.delay).count()));
        w.key("at_ms").value(time_.unix_ms(e.time));
        w.end_object();
        return w.take();
    }

    void write_header(JsonWriter& w, const Sample& s) const {
        w.key("version").value(1);
        w.key("title").value(opts_.title);
        w.key("taken_ms").value(s.taken_ms);
        w.key("event_seq").value(s.event_seq);
        w.key("root_running").value(s.root_running);
        w.key("ready").value(s.ready());
        w.key("control").value(!opts_.control_token.empty());
        w.key("refresh_ms").value(static_cast<std::int64_t>(opts_.refresh.count()));
        w.key("runtime");
        write_runtime(w, s);
    }

    std::string tree_json(const Sample& s) const {
        JsonWriter w;
        w.begin_object();
        write_header(w, s);
        w.key("root");
        write_node(w, s, s.nodes[0], true);
        w.end_object();
        return w.take();
    }

    HttpResponse node_json(const Sample& s, const std::string& path) const {
        const NodeInfo* n = s.find(path);
        if (!n)
            return error_json(404, "no node at that path");
        JsonWriter w;
        w.begin_object();
        w.key("node");
        write_node(w, s, *n, false);
        w.key("events").begin_array();
        for (const EventRecord& r : log_.recent(path, 50))
            w.raw(event_json(r));
        w.end_array();
        w.end_object();
        return HttpResponse::json(200, w.take());
    }

    HttpResponse recent_json(const std::string& path, const std::optional<std::string>& limit) {
        std::size_t n = 100;
        if (limit) {
            char* end = nullptr;
            unsigned long v = std::strtoul(limit->c_str(), &end, 10);
            if (!end || *end != '\0' || v == 0 || v > opts_.event_history)
                return error_json(400, "limit is a number from 1 to the history's size");
            n = v;
        }
        JsonWriter w;
        w.begin_array();
        for (const EventRecord& r : log_.recent(path, n))
            w.raw(event_json(r));
        w.end_array();
        return HttpResponse::json(200, w.take());
    }

    std::string metrics(const Sample& s) const {
        Counters c = log_.counters();
        MetricsWriter m;
        static constexpr const char* classes[] = {"normal", "shutdown", "killed", "error"};

        m.family("supc_tree_up", "gauge", "1 while the root supervisor of the tree runs.");
        m.sample("supc_tree_up", {}, static_cast<std::uint64_t>(s.root_running ? 1 : 0));
        m.family("supc_tree_ready", "gauge",
                 "1 when every child of the tree has started (none restarting).");
        m.sample("supc_tree_ready", {}, static_cast<std::uint64_t>(s.ready() ? 1 : 0));

        m.family("supc_child_restarts_total", "counter",
                 "Restarts of a child (child_restarted events) since the observer started.");
        for (const auto& [path, cc] : c.children)
            m.sample("supc_child_restarts_total", {{"path", path}}, cc.restarts);
        m.family("supc_child_exits_total", "counter",
                 "Exits of a child on its own (child_exited), by reason class.");
        for (const auto& [path, cc] : c.children)
            for (std::size_t k = 0; k < 4; ++k)
                if (cc.exits[k])
                    m.sample("supc_child_exits_total", {{"path", path}, {"reason", classes[k]}},
                             cc.exits[k]);
        m.family("supc_child_terminations_total", "counter",
                 "Stops of a child by its supervisor (child_terminated), by reason class.");
        for (const auto& [path, cc] : c.children)
            for (std::size_t k = 0; k < 4; ++k)
                if (cc.terminations[k])
                    m.sample("supc_child_terminations_total",
                             {{"path", path}, {"reason", classes[k]}}, cc.terminations[k]);
        m.family("supc_child_start_failures_total", "counter",
                 "Failed starts of a child (start_failed events).");
        for (const auto& [path, cc] : c.children)
            if (cc.start_failures)
                m.sample("supc_child_start_failures_total", {{"path", path}}, cc.start_failures);

        m.family("supc_supervisor_give_ups_total", "counter",
                 "Times a supervisor reached its restart intensity and gave up.");
        for (const auto& [path, n] : c.give_ups)
            m.sample("supc_supervisor_give_ups_total", {{"path", path}}, n);

        m.family("supc_supervisor_children", "gauge",
                 "Children of a supervisor, by state (running, restarting, backing_off, "
                 "stopped).");
        for (const NodeInfo& n : s.nodes) {
            if (!n.is_supervisor)
                continue;
            std::map<std::string, std::uint64_t> by_state{
                {"running", 0}, {"restarting", 0}, {"backing_off", 0}, {"stopped", 0}};
            for (int k : n.children)
                ++by_state[s.nodes[static_cast<std::size_t>(k)].state];
            for (const auto& [state, count] : by_state)
                m.sample("supc_supervisor_children", {{"path", n.path}, {"state", state}}, count);
        }
        m.family("supc_supervisor_restarts_in_period", "gauge",
                 "Restarts that count towards a supervisor's intensity now.");
        for (const NodeInfo& n : s.nodes)
            if (n.is_supervisor)
                m.sample("supc_supervisor_restarts_in_period", {{"path", n.path}},
                         static_cast<std::uint64_t>(n.restarts_in_period));
        m.family("supc_supervisor_intensity", "gauge",
                 "A supervisor's restart intensity: more restarts than this within its period "
                 "and it gives up.");
        for (const NodeInfo& n : s.nodes)
            if (n.is_supervisor)
                m.sample("supc_supervisor_intensity", {{"path", n.path}},
                         static_cast<std::uint64_t>(n.intensity < 0 ? 0 : n.intensity));
        m.family("supc_supervisor_period_seconds", "gauge", "A supervisor's intensity period.");
        for (const NodeInfo& n : s.nodes)
            if (n.is_supervisor)
                m.sample("supc_supervisor_period_seconds", {{"path", n.path}},
                         static_cast<double>(n.period_ms) / 1000.0);

        m.family("supc_actor_mailbox_length", "gauge",
                 "Messages waiting in a running child's mailbox.");
        for (const NodeInfo& n : s.nodes)
            if (n.pid)
                m.sample("supc_actor_mailbox_length", {{"path", n.path}},
                         static_cast<std::uint64_t>(n.mailbox));
        m.family("supc_actors_alive", "gauge", "Actors alive in the runtime.");
        m.sample("supc_actors_alive", {}, static_cast<std::uint64_t>(s.live_actors));

        m.family("supc_scheduler_schedulers", "gauge", "Handlers the scheduler runs at once.");
        m.sample("supc_scheduler_schedulers", {},
                 static_cast<std::uint64_t>(s.scheduler.schedulers));
        m.family("supc_scheduler_threads", "gauge",
                 "OS threads the scheduler has created (replacements of blocked or stuck "
                 "threads included).");
        m.sample("supc_scheduler_threads", {}, static_cast<std::uint64_t>(s.scheduler.threads));
        m.family("supc_scheduler_idle_threads", "gauge", "Scheduler threads parked without work.");
        m.sample("supc_scheduler_idle_threads", {},
                 static_cast<std::uint64_t>(s.scheduler.idle_threads));
        m.family("supc_scheduler_run_queue_length", "gauge",
                 "Actors waiting in the scheduler's shared run queue.");
        m.sample("supc_scheduler_run_queue_length", {},
                 static_cast<std::uint64_t>(s.scheduler.run_queue));
        m.family("supc_scheduler_active_actors", "gauge",
                 "Actors runnable or running (0: the runtime is quiescent).");
        m.sample("supc_scheduler_active_actors", {},
                 static_cast<std::uint64_t>(s.scheduler.active < 0 ? 0 : s.scheduler.active));
        m.family(
            "supc_scheduler_steps_total", "counter",
            "Scheduler steps: an actor run by a scheduler thread for up to a batch of messages.");
        m.sample("supc_scheduler_steps_total", {}, s.scheduler.steps);

        m.family("supc_supervisor_events_total", "counter",
                 "Supervisor events of the tree since the observer started, by kind.");
        for (std::size_t k = 0; k < c.events_by_kind.size(); ++k)
            m.sample("supc_supervisor_events_total",
                     {{"kind", to_string(static_cast<EventKind>(k))}}, c.events_by_kind[k]);
        m.family("supc_observe_sample_seconds", "gauge",
                 "How long the observer's latest sample of the tree took.");
        m.sample("supc_observe_sample_seconds", {}, static_cast<double>(s.took.count()) / 1e6);
        m.family("supc_observe_streams", "gauge", "Event streams open (pages included).");
        m.sample("supc_observe_streams", {}, static_cast<std::uint64_t>(http_.streams()));
        return m.take();
    }

    void wake_streamer() {
        if (!events_pending_.exchange(true, std::memory_order_acq_rel)) {
            std::lock_guard lock(m_);
            events_cv_.notify_one();
        }
    }

    // ------------------------------------------------------------ the sampler thread

    /// Events go to every stream as they come (the page marks restarts at once), whatever the
    /// sampler is doing; a sample follows kSettle later with the exact figures.
    void streamer_main() {
        std::unique_lock lock(m_);
        while (true) {
            events_cv_.wait(
                lock, [&] { return stopped_ || events_pending_.load(std::memory_order_acquire); });
            if (stopped_)
                return;
            events_pending_.store(false, std::memory_order_release);
            std::uint64_t last = log_.last_seq();
            if (last > sent_seq_) {
                for (Client& c : clients_)
                    if (!c.needs_tree)
                        write_events(c.stream, sent_seq_, last);
                sent_seq_ = last;
                if (settle_at_ == kNever) {
                    settle_at_ = SteadyClock::now() + kSettle;
                    cv_.notify_one();
                }
            }
        }
    }

    /// Samples the tree while someone looks: every `refresh` (or twice as long as a sample
    /// takes, if that is longer: the observer takes at most a third of a core), kSettle after
    /// events, and at once for a request or a new page.
    void sampler_main() {
        auto next_sample = SteadyClock::now();
        auto next_heartbeat = SteadyClock::now() + kHeartbeat;
        std::unordered_map<std::string, std::string> previous; // path -> node JSON
        std::unique_lock lock(m_);
        while (!stopped_) {
            bool watched = !clients_.empty();
            bool any_tree = false;
            for (const Client& c : clients_)
                any_tree |= c.tree;
            auto wake = kNever;
            if (watched)
                wake = any_tree ? std::min({next_heartbeat, next_sample, settle_at_})
                                : next_heartbeat; // plain event streams need no samples
            auto ready = [&] {
                return stopped_ || sample_requested_ || (any_tree && settle_at_ < wake) ||
                       (!watched && !clients_.empty());
            };
            if (wake == kNever)
                cv_.wait(lock, ready);
            else
                cv_.wait_until(lock, wake, ready);
            if (stopped_)
                break;
            answer_late_controls();

            auto now = SteadyClock::now();
            any_tree = false;
            for (const Client& c : clients_)
                any_tree |= c.tree;
            bool due = sample_requested_ || (any_tree && (now >= next_sample || now >= settle_at_));
            if (due) {
                sample_requested_ = false;
                settle_at_ = kNever;
                std::uint64_t seq = log_.last_seq();
                lock.unlock();
                auto s = std::make_shared<const Sample>(
                    take_sample(rt_, root_, opts_.inspect_timeout, time_, seq));
                if (log_.learn(s->supervisors, s->dynamic_supervisors))
                    wake_streamer(); // events that waited for their supervisor
                std::string patch = any_tree ? patch_json(*s, previous) : std::string();
                std::string tree; // for streams that start now, built once
                lock.lock();
                latest_ = s;
                for (Client& c : clients_) {
                    if (!c.tree)
                        continue;
                    if (c.needs_tree) {
                        if (tree.empty())
                            tree = sse("tree", tree_json(*s));
                        c.stream->write(tree);
                        if (sent_seq_ > s->event_seq)
                            write_events(c.stream, s->event_seq, sent_seq_);
                        c.needs_tree = false;
                    } else if (!patch.empty()) {
                        c.stream->write(sse("patch", patch));
                    }
                }
                std::vector<Waiter> waiting = std::move(waiters_);
                waiters_.clear();
                lock.unlock();
                for (auto& w : waiting)
                    w(s);
                lock.lock();
                auto took = SteadyClock::now() - now;
                next_sample =
                    SteadyClock::now() + std::max<SteadyClock::duration>(opts_.refresh, 2 * took);
            }
            if (watched && SteadyClock::now() >= next_heartbeat) {
                for (Client& c : clients_)
                    c.stream->write(": keep-alive\n\n");
                next_heartbeat = SteadyClock::now() + kHeartbeat;
            }
            std::erase_if(clients_, [](const Client& c) { return c.stream->closed(); });
        }
    }

    /// The nodes that changed since the previous sample (and those gone), as a patch for the
    /// page: {"upsert": [node...], "remove": [path...], runtime figures}.
    std::string patch_json(const Sample& s, std::unordered_map<std::string, std::string>& prev) {
        std::unordered_map<std::string, std::string> now;
        now.reserve(s.nodes.size());
        JsonWriter w;
        w.begin_object();
        write_header(w, s);
        w.key("upsert").begin_array();
        for (const NodeInfo& n : s.nodes) {
            JsonWriter one;
            write_node(one, s, n, false);
            std::string json = one.take();
            auto it = prev.find(n.path);
            if (it == prev.end() || it->second != json)
                w.raw(json);
            now.emplace(n.path, std::move(json));
        }
        w.end_array();
        w.key("remove").begin_array();
        for (const auto& [path, json] : prev)
            if (!now.count(path))
                w.value(path);
        w.end_array();
        w.end_object();
        prev = std::move(now);
        return w.take();
    }

    // ------------------------------------------------------------ control

    void control(const HttpRequest& req, std::string action, Reply reply) {
        if (opts_.control_token.empty()) {
            reply.send(error_json(403, "control is off: the program did not enable it"));
            return;
        }
        auto auth = req.header("Authorization");
        std::string_view given;
        if (auth && auth->rfind("Bearer ", 0) == 0)
            given = std::string_view(*auth).substr(7);
        if (!auth || !constant_time_equal(given, opts_.control_token)) {
            auto r = error_json(401, "a control request needs Authorization: Bearer <token>");
            r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"supc observer\"");
            if (opts_.log_sink)
                opts_.log_sink("observe: refused a control request without the right token");
            reply.send(std::move(r));
            return;
        }
        if (action != "terminate" && action != "restart" && action != "kill") {
            reply.send(error_json(404, "no such action (terminate, restart, kill)"));
            return;
        }
        auto path = req.arg("path");
        if (!path || path->empty()) {
            reply.send(error_json(400, "say which child: ?path=SUPERVISOR/CHILD"));
            return;
        }
        std::lock_guard lock(m_);
        control_queue_.push_back(ControlJob{std::move(action), *path,
                                            std::make_shared<SharedReply>(std::move(reply)),
                                            SteadyClock::now() + kControlDeadline});
        control_cv_.notify_one();
    }

    void control_main() {
        std::unique_lock lock(m_);
        while (true) {
            control_cv_.wait(lock, [&] { return stopped_ || !control_queue_.empty(); });
            if (stopped_)
                return;
            ControlJob job = control_queue_.front();
            control_queue_.pop_front();
            running_control_ = job;
            lock.unlock();
            HttpResponse r = run_control(job.action, job.path);
            job.reply->send(std::move(r));
            lock.lock();
            running_control_.reset();
        }
    }

    /// A control action that takes longer than kControlDeadline (a child with a long shutdown)
    /// is answered 202 and goes on (with m_ held).
    void answer_late_controls() {
        if (running_control_ && SteadyClock::now() >= running_control_->deadline) {
            JsonWriter w;
            w.begin_object().key("ok").value(true).key("pending").value(true);
            w.key("action").value(running_control_->action);
            w.key("path").value(running_control_->path);
            w.end_object();
            running_control_->reply->send(HttpResponse::json(202, w.take()));
        }
    }

    HttpResponse run_control(const std::string& action, const std::string& path) {
        auto slash = path.rfind('/');
        std::string parent_path = slash == std::string::npos ? "" : path.substr(0, slash);
        std::string id = slash == std::string::npos ? path : path.substr(slash + 1);
        Tree tree(rt_, root_);
        Pid parent = tree.lookup(parent_path);
        if (!parent)
            return error_json(404, "no running supervisor at '" + parent_path + "'");
        std::shared_ptr<const Sample> s;
        {
            std::lock_guard lock(m_);
            s = latest_;
        }
        const NodeInfo* parent_node = s ? s->find(parent_path) : nullptr;
        bool dynamic = parent_node && parent_node->kind == "dynamic_supervisor";
        Pid child = tree.lookup(path);
        JsonWriter w;
        w.begin_object().key("ok").value(true).key("action").value(action).key("path").value(path);
        if (action == "kill") {
            if (!child)
                return error_json(409, "the child is not running");
            kill(child);
            w.key("pid").value(child.to_string());
        } else if (action == "terminate") {
            SupResult<void> r =
                dynamic ? terminate_child(parent, child) : terminate_child(parent, id);
            if (!r)
                return error_json(r.error().code == SupError::Code::not_found ? 404 : 409,
                                  r.error().to_string());
        } else { // restart
            if (dynamic)
                return error_json(409, "a dynamic supervisor's child cannot be restarted by "
                                       "id; kill it and its supervisor restarts it");
            if (child) {
                if (auto r = terminate_child(parent, id); !r)
                    return error_json(409, r.error().to_string());
            }
            SupResult<Pid> r = restart_child(parent, id);
            if (!r)
                return error_json(r.error().code == SupError::Code::not_found ? 404 : 409,
                                  r.error().to_string());
            if (r.value())
                w.key("pid").value(r.value().to_string());
        }
        w.end_object();
        return HttpResponse::json(200, w.take());
    }

    Runtime& rt_;
    Pid root_;
    ObserveOptions opts_;
    ListenAddress address_;
    bool loopback_ = true;
    TimeBase time_;
    EventLog log_;
    HttpServer http_;
    EventBus::Subscription subscription_;
    std::atomic<bool> events_pending_{false};
    std::condition_variable events_cv_;          // the streamer's
    SteadyClock::time_point settle_at_ = kNever; // a sample is due then, after events
    std::thread streamer_;

    std::mutex m_;
    std::condition_variable cv_;
    bool stopped_ = false;
    bool sample_requested_ = false;
    std::shared_ptr<const Sample> latest_;
    std::vector<Waiter> waiters_;
    std::vector<Client> clients_;
    std::uint64_t sent_seq_ = 0; // events written to the streams so far
    std::thread sampler_;

    std::condition_variable control_cv_;
    std::deque<ControlJob> control_queue_;
    std::optional<ControlJob> running_control_;
    std::thread control_;
};

// ---------------------------------------------------------------- public API

Observer::Observer() = default;
Observer::Observer(Observer&&) noexcept = default;
Observer& Observer::operator=(Observer&&) noexcept = default;
Observer::~Observer() = default;

std::uint16_t Observer::port() const {
    return impl_ ? impl_->port() : 0;
}

std::string Observer::url() const {
    return impl_ ? impl_->url() : std::string();
}

void Observer::stop() {
    if (impl_)
        impl_->stop();
}

std::size_t Observer::streams() const {
    return impl_ ? impl_->streams() : 0;
}

Result<Observer, std::string> observe(Runtime& rt, const Tree& tree, ObserveOptions options) {
    std::string error;
    auto address = parse_listen_address(options.address, &error);
    if (!address)
        return fail(error);
    if (!options.control_token.empty() && options.control_token.size() < 16)
        return fail(std::string("the control token must have at least 16 characters"));
    if (!tree.root())
        return fail(std::string("the tree has no root (it did not start)"));
    if (options.refresh.count() <= 0)
        options.refresh = std::chrono::milliseconds(1000);
    auto impl = std::make_unique<ObserverImpl>(rt, tree, std::move(options), *address);
    if (auto err = impl->start())
        return fail(*err);
    Observer o;
    o.impl_ = std::move(impl);
    return o;
}

Result<Observer, std::string> observe(Runtime& rt, const Tree& tree, std::string_view address) {
    ObserveOptions o;
    o.address = std::string(address);
    return observe(rt, tree, std::move(o));
}

Observer observe_from_env(Runtime& rt, const Tree& tree) {
    const char* where = std::getenv("SUPC_OBSERVE");
    if (!where || !*where)
        return Observer();
    ObserveOptions o;
    o.address = where;
    if (const char* token = std::getenv("SUPC_OBSERVE_TOKEN"))
        o.control_token = token;
    auto r = observe(rt, tree, std::move(o));
    if (!r) {
        std::fprintf(stderr, "supc: SUPC_OBSERVE: %s; not observing\n", r.error().c_str());
        return Observer();
    }
    std::fprintf(stderr, "supc: observing the tree at %s\n", r.value().url().c_str());
    return std::move(r.value());
}

} // namespace sup
