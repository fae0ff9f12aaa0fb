// sup::to_json(SupervisorSnapshot): the shape documented in docs/runtime.md ("Inspect a running
// tree"). Keys come in a fixed order; new keys may be added, existing ones never change.
#include "json_writer.hpp"
#include "sup/inspect.hpp"

namespace sup {

using detail::JsonWriter;

namespace {

void pid_or_null(JsonWriter& w, const Pid& p) {
    if (p)
        w.string(p.to_string());
    else
        w.null();
}

void shutdown(JsonWriter& w, const Shutdown& s) {
    if (s.kind() == Shutdown::Kind::timeout)
        w.integer(s.timeout().count());
    else
        w.string(s.to_string());
}

// null; {"kind": "local", "name": N}; {"kind": "via", "registry": R, "key": K} (the shape of
// `supc dump`'s name).
void child_name(JsonWriter& w, const ChildName& n) {
    if (!n) {
        w.null();
        return;
    }
    w.begin_object();
    w.key("kind");
    if (n.kind == ChildName::Kind::local) {
        w.string("local");
        w.key("name");
        w.string(n.name);
    } else {
        w.string("via");
        w.key("registry");
        w.string(n.registry);
        w.key("key");
        w.string(n.name);
    }
    w.end_object();
}

void backoff(JsonWriter& w, const Backoff& b) {
    if (!b.enabled()) {
        w.null();
        return;
    }
    w.begin_object();
    w.key("kind");
    w.string("exponential");
    w.key("min_ms");
    w.milliseconds(b.min);
    w.key("max_ms");
    w.milliseconds(b.max);
    w.key("jitter");
    w.number(b.jitter);
    w.key("seed");
    w.unsigned_integer(b.seed);
    w.end_object();
}

/// The keys of a supervisor node after "id", "pid" and "kind" (and a child's own keys, whose
/// "name" says a supervisor child's name: only the root's is written here).
void supervisor_keys(JsonWriter& w, const SupervisorSnapshot& s, bool root);

void child(JsonWriter& w, const ChildSnapshot& c, Clock::time_point taken_at) {
    w.begin_object();
    w.key("id");
    w.string(c.id);
    w.key("pid");
    pid_or_null(w, c.pid);
    w.key("kind");
    w.string(c.supervisor ? to_string(c.supervisor->kind) : to_string(c.type));
    w.key("state");
    w.string(to_string(c.state));
    w.key("child_type");
    w.string(to_string(c.type));
    w.key("restart");
    w.string(to_string(c.restart));
    w.key("shutdown");
    shutdown(w, c.shutdown);
    w.key("significant");
    w.boolean(c.significant);
    w.key("name");
    child_name(w, c.name);
    w.key("restarts");
    w.unsigned_integer(c.restarts);
    w.key("last_exit");
    if (c.last_exit) {
        w.begin_object();
        w.key("reason");
        w.string(c.last_exit->reason.to_string());
        w.key("by");
        w.string(c.last_exit->by_supervisor ? "supervisor" : "self");
        w.key("ms_ago");
        w.milliseconds(taken_at - c.last_exit->at);
        w.end_object();
    } else {
        w.null();
    }
    if (c.restart_due) {
        w.key("restart_in_ms");
        w.milliseconds(*c.restart_due - taken_at);
    }
    if (c.supervisor)
        supervisor_keys(w, *c.supervisor, false);
    if (c.error) {
        w.key("error");
        w.string(c.error->to_string());
    }
    w.end_object();
}

void supervisor_keys(JsonWriter& w, const SupervisorSnapshot& s, bool root) {
    if (root) {
        w.key("name");
        if (s.name.empty())
            w.null();
        else
            w.string(s.name);
    }
    w.key("path");
    w.string(s.path);
    w.key("strategy");
    w.string(to_string(s.flags.strategy));
    w.key("intensity");
    w.integer(s.flags.intensity);
    w.key("period_ms");
    w.milliseconds(s.flags.period);
    w.key("auto_shutdown");
    w.string(to_string(s.flags.auto_shutdown));
    w.key("backoff");
    backoff(w, s.flags.backoff);
    w.key("restarts_in_period");
    w.unsigned_integer(s.restarts_in_period);
    if (s.kind == SupervisorSnapshot::Kind::dynamic_supervisor) {
        w.key("max_children");
        if (s.max_children)
            w.unsigned_integer(*s.max_children);
        else
            w.null();
        if (s.child_template) {
            const TemplateSnapshot& t = *s.child_template;
            w.key("template");
            w.begin_object();
            w.key("child_type");
            w.string(to_string(t.type));
            w.key("restart");
            w.string(to_string(t.restart));
            w.key("shutdown");
            shutdown(w, t.shutdown);
            w.key("significant");
            w.boolean(t.significant);
            w.end_object();
        }
    }
    w.key("children");
    w.begin_array();
    for (const ChildSnapshot& c : s.children)
        child(w, c, s.taken_at);
    w.end_array();
}

} // namespace

std::string to_json(const SupervisorSnapshot& s, JsonOptions options) {
    JsonWriter w(options.indent);
    w.begin_object();
    w.key("id");
    w.null();
    w.key("pid");
    pid_or_null(w, s.pid);
    w.key("kind");
    w.string(to_string(s.kind));
    supervisor_keys(w, s, true);
    w.end_object();
    return w.take();
}

} // namespace sup
