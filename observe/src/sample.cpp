#include "sample.hpp"

#include "event_log.hpp"
#include "json.hpp"

#include <cstdlib>
#include <cxxabi.h>
#include <memory>
#include <mutex>

namespace sup::obs {

std::string demangle(const std::type_info& t) {
    static std::mutex m;
    static std::unordered_map<const std::type_info*, std::string> cache;
    std::lock_guard lock(m);
    auto it = cache.find(&t);
    if (it != cache.end())
        return it->second;
    int status = 0;
    std::unique_ptr<char, void (*)(void*)> name(
        abi::__cxa_demangle(t.name(), nullptr, nullptr, &status), std::free);
    std::string out = status == 0 && name ? name.get() : t.name();
    cache.emplace(&t, out);
    return out;
}

std::int64_t TimeBase::unix_ms(Clock::time_point t) const {
    return (t.time_since_epoch().count() + offset_ns) / 1'000'000;
}

namespace {

std::int64_t ms(Clock::duration d) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
}

std::string shutdown_text(const Shutdown& s) {
    return s.to_string();
}

struct Builder {
    Runtime& rt;
    const TimeBase& time;
    Clock::time_point now;
    Sample& s;

    void fill_class(NodeInfo& n) {
        if (n.pid && n.pid.cell() && n.pid.cell()->type)
            n.actor_class = demangle(*n.pid.cell()->type);
    }

    void fill_supervisor(NodeInfo& n, const SupervisorSnapshot& snap) {
        n.is_supervisor = true;
        n.kind = snap.kind == SupervisorSnapshot::Kind::dynamic_supervisor ? "dynamic_supervisor"
                                                                           : "supervisor";
        const SupervisorFlags& f = snap.flags;
        n.strategy = to_string(f.strategy);
        n.intensity = f.intensity;
        n.period_ms = ms(f.period);
        n.restarts_in_period = snap.restarts_in_period;
        n.auto_shutdown = to_string(f.auto_shutdown);
        n.backoff = f.backoff.enabled();
        if (n.backoff) {
            n.backoff_min_ms = ms(f.backoff.min);
            n.backoff_max_ms = ms(f.backoff.max);
            n.backoff_jitter = f.backoff.jitter;
        }
        n.max_children = snap.max_children;
        if (snap.child_template) {
            n.has_template = true;
            n.template_type = to_string(snap.child_template->type);
            n.template_restart = to_string(snap.child_template->restart);
            n.template_shutdown = shutdown_text(snap.child_template->shutdown);
            n.template_significant = snap.child_template->significant;
        }
        s.supervisors.push_back(snap.pid.id());
        if (snap.kind == SupervisorSnapshot::Kind::dynamic_supervisor)
            s.dynamic_supervisors.push_back(snap.pid.id());
    }

    void add_children(int parent, const SupervisorSnapshot& snap) {
        for (const ChildSnapshot& c : snap.children) {
            int index = static_cast<int>(s.nodes.size());
            s.nodes.emplace_back();
            {
                NodeInfo& n = s.nodes.back();
                const NodeInfo& p = s.nodes[static_cast<std::size_t>(parent)];
                n.id = c.id;
                n.path = p.path.empty() ? c.id : p.path + "/" + c.id;
                n.parent = p.path;
                n.parent_index = parent;
                n.depth = p.depth + 1;
                n.pid = c.pid;
                n.type = to_string(c.type);
                n.kind = c.type == ChildType::supervisor ? "supervisor" : "worker";
                n.restart = to_string(c.restart);
                n.shutdown = shutdown_text(c.shutdown);
                n.significant = c.significant;
                n.name = c.name;
                n.restarts = c.restarts;
                if (c.last_exit) {
                    n.has_last_exit = true;
                    n.last_exit_reason = c.last_exit->reason.to_string();
                    n.last_exit_class = reason_class(c.last_exit->reason);
                    n.last_exit_ms = time.unix_ms(c.last_exit->at);
                    n.last_exit_by_supervisor = c.last_exit->by_supervisor;
                }
                switch (c.state) {
                case ChildInfo::State::running:
                    n.state = "running";
                    break;
                case ChildInfo::State::restarting:
                    if (c.restart_due && *c.restart_due > now) {
                        n.state = "backing_off";
                        n.restart_due_ms = time.unix_ms(*c.restart_due);
                    } else {
                        n.state = "restarting";
                    }
                    break;
                case ChildInfo::State::undefined:
                    n.state = "stopped";
                    break;
                }
                if (n.pid && n.state == "running") {
                    n.mailbox = rt.message_queue_len(n.pid);
                    fill_class(n);
                } else {
                    n.pid = Pid();
                }
                if (c.error)
                    n.error = c.error->to_string();
                if (c.supervisor)
                    fill_supervisor(n, *c.supervisor);
            }
            s.by_path.emplace(s.nodes[static_cast<std::size_t>(index)].path, index);
            s.nodes[static_cast<std::size_t>(parent)].children.push_back(index);
            if (c.supervisor)
                add_children(index, *c.supervisor);
        }
    }
};

} // namespace

Sample take_sample(Runtime& rt, const Pid& root, std::chrono::milliseconds timeout,
                   const TimeBase& time, std::uint64_t event_seq) {
    auto started = std::chrono::steady_clock::now();
    Sample s;
    s.event_seq = event_seq;
    InspectOptions o;
    o.timeout = timeout;
    SupResult<SupervisorSnapshot> snap = inspect(root, o);
    Builder b{rt, time, rt.clock().now(), s};
    s.nodes.emplace_back();
    NodeInfo& r = s.nodes.back();
    r.type = "supervisor";
    r.kind = "supervisor";
    if (snap) {
        s.root_running = true;
        r.pid = snap->pid;
        r.state = "running";
        r.mailbox = rt.message_queue_len(r.pid);
        b.fill_class(r);
        b.fill_supervisor(r, *snap);
    } else {
        s.root_running = false;
        r.state = "stopped";
        s.error = snap.error().to_string();
        r.error = *s.error;
    }
    s.by_path.emplace("", 0);
    if (snap)
        b.add_children(0, *snap);
    s.live_actors = rt.live_actors();
    s.scheduler = rt.scheduler_stats();
    auto end = std::chrono::steady_clock::now();
    s.taken_at = end;
    s.taken_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::system_clock::now().time_since_epoch())
                     .count();
    s.took = std::chrono::duration_cast<std::chrono::microseconds>(end - started);
    return s;
}

bool Sample::ready(std::vector<std::string>* not_ready) const {
    bool ok = root_running;
    for (const NodeInfo& n : nodes) {
        if (n.state == "restarting" || n.state == "backing_off" || !n.error.empty() ||
            (n.parent_index < 0 && n.state != "running")) {
            ok = false;
            if (not_ready && not_ready->size() < 20)
                not_ready->push_back((n.path.empty() ? "(root)" : n.path) + ": " +
                                     (n.error.empty() ? n.state : n.error));
        }
    }
    return ok;
}

const NodeInfo* Sample::find(const std::string& path) const {
    auto it = by_path.find(path);
    return it == by_path.end() ? nullptr : &nodes[static_cast<std::size_t>(it->second)];
}

void write_node(JsonWriter& w, const Sample& s, const NodeInfo& n, bool nested) {
    w.begin_object();
    w.key("path").value(n.path);
    w.key("id").value(n.id);
    if (n.parent_index >= 0)
        w.key("parent").value(n.parent);
    else
        w.key("parent").null();
    w.key("kind").value(n.kind);
    w.key("type").value(n.type);
    w.key("state").value(n.state);
    if (n.pid)
        w.key("pid").value(n.pid.to_string());
    else
        w.key("pid").null();
    if (n.actor_class.empty())
        w.key("class").null();
    else
        w.key("class").value(n.actor_class);
    if (n.parent_index >= 0) {
        w.key("restart").value(n.restart);
        w.key("shutdown").value(n.shutdown);
        w.key("significant").value(n.significant);
        // null, {"kind": "local", "name"} or {"kind": "via", "registry", "key"} (sup::to_json's)
        if (!n.name) {
            w.key("name").null();
        } else if (n.name.kind == ChildName::Kind::local) {
            w.key("name").begin_object();
            w.key("kind").value("local");
            w.key("name").value(n.name.name);
            w.end_object();
        } else {
            w.key("name").begin_object();
            w.key("kind").value("via");
            w.key("registry").value(n.name.registry);
            w.key("key").value(n.name.name);
            w.end_object();
        }
    }
    w.key("restarts").value(static_cast<std::uint64_t>(n.restarts));
    if (n.has_last_exit) {
        w.key("last_exit").begin_object();
        w.key("reason").value(n.last_exit_reason);
        w.key("class").value(n.last_exit_class);
        w.key("at_ms").value(n.last_exit_ms);
        w.key("by").value(n.last_exit_by_supervisor ? "supervisor" : "self");
        w.end_object();
    } else {
        w.key("last_exit").null();
    }
    if (n.state == "backing_off")
        w.key("restart_due_ms").value(n.restart_due_ms);
    w.key("mailbox").value(static_cast<std::uint64_t>(n.mailbox));
    if (!n.error.empty())
        w.key("error").value(n.error);
    if (n.is_supervisor) {
        w.key("supervisor").begin_object();
        w.key("strategy").value(n.strategy);
        w.key("intensity").value(n.intensity);
        w.key("period_ms").value(n.period_ms);
        w.key("restarts_in_period").value(static_cast<std::uint64_t>(n.restarts_in_period));
        w.key("auto_shutdown").value(n.auto_shutdown);
        if (n.backoff) {
            w.key("backoff").begin_object();
            w.key("min_ms").value(n.backoff_min_ms);
            w.key("max_ms").value(n.backoff_max_ms);
            w.key("jitter").value(n.backoff_jitter);
            w.end_object();
        } else {
            w.key("backoff").null();
        }
        if (n.max_children)
            w.key("max_children").value(static_cast<std::uint64_t>(*n.max_children));
        else
            w.key("max_children").null();
        if (n.has_template) {
            w.key("template").begin_object();
            w.key("type").value(n.template_type);
            w.key("restart").value(n.template_restart);
            w.key("shutdown").value(n.template_shutdown);
            w.key("significant").value(n.template_significant);
            w.end_object();
        } else {
            w.key("template").null();
        }
        std::size_t running = 0, restarting = 0, stopped = 0;
        for (int c : n.children) {
            const std::string& st = s.nodes[static_cast<std::size_t>(c)].state;
            if (st == "running")
                ++running;
            else if (st == "stopped")
                ++stopped;
            else
                ++restarting;
        }
        w.key("counts").begin_object();
        w.key("total").value(static_cast<std::uint64_t>(n.children.size()));
        w.key("running").value(static_cast<std::uint64_t>(running));
        w.key("restarting").value(static_cast<std::uint64_t>(restarting));
        w.key("stopped").value(static_cast<std::uint64_t>(stopped));
        w.end_object();
        w.end_object();
    } else {
        w.key("supervisor").null();
    }
    if (nested) {
        w.key("children").begin_array();
        for (int c : n.children)
            write_node(w, s, s.nodes[static_cast<std::size_t>(c)], true);
        w.end_array();
    }
    w.end_object();
}

void write_runtime(JsonWriter& w, const Sample& s) {
    w.begin_object();
    w.key("live_actors").value(static_cast<std::uint64_t>(s.live_actors));
    w.key("schedulers").value(static_cast<std::uint64_t>(s.scheduler.schedulers));
    w.key("threads").value(static_cast<std::uint64_t>(s.scheduler.threads));
    w.key("idle_threads").value(static_cast<std::uint64_t>(s.scheduler.idle_threads));
    w.key("run_queue").value(static_cast<std::uint64_t>(s.scheduler.run_queue));
    w.key("active").value(s.scheduler.active);
    w.key("steps").value(s.scheduler.steps);
    w.end_object();
}

} // namespace sup::obs
