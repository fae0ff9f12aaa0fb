// One sample of the observed tree, flattened: every node (the root supervisor and each child,
// in depth-first start order) with its settings as the spec resolved them and its live state,
// taken with sup::inspect plus the runtime's mailbox lengths and scheduler figures. Immutable
// once built; the observer keeps the latest and serves documents from it.
#pragma once

#include "sup/inspect.hpp"
#include "sup/runtime.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace sup::obs {

class JsonWriter;

struct NodeInfo {
    std::string path; ///< "" for the root
    std::string id;   ///< the child id ("" for the root)
    std::string parent;
    int parent_index = -1;
    std::vector<int> children; // indexes, in start order
    int depth = 0;

    Pid pid;                 ///< the running incarnation, or empty
    std::string kind;        ///< worker, supervisor, dynamic_supervisor
    std::string type;        ///< the declared child type: worker or supervisor
    std::string actor_class; ///< the running actor's C++ class, demangled ("" if unknown)
    std::string state;       ///< running, restarting, backing_off, stopped

    // Settings (a child's; the root has none)
    std::string restart;  ///< permanent, transient, temporary
    std::string shutdown; ///< brutal_kill, infinity, or milliseconds
    bool significant = false;
    ChildName name; ///< what it registers under at each start (none: unnamed)

    // Live figures
    std::uint32_t restarts = 0;
    bool has_last_exit = false;
    std::string last_exit_reason;
    std::string last_exit_class;
    std::int64_t last_exit_ms = 0; ///< Unix time in milliseconds
    bool last_exit_by_supervisor = false;
    std::int64_t restart_due_ms = 0; ///< backing off: when the restart is due
    std::size_t mailbox = 0;
    std::string error; ///< a supervisor that did not answer the sample: noproc, timeout

    // Supervisors
    bool is_supervisor = false;
    std::string strategy;
    int intensity = 0;
    std::int64_t period_ms = 0;
    std::size_t restarts_in_period = 0;
    std::string auto_shutdown;
    bool backoff = false;
    std::int64_t backoff_min_ms = 0, backoff_max_ms = 0;
    double backoff_jitter = 0;
    std::optional<std::size_t> max_children;
    bool has_template = false;
    std::string template_type, template_restart, template_shutdown;
    bool template_significant = false;
};

struct Sample {
    std::vector<NodeInfo> nodes; // nodes[0] is the root
    std::unordered_map<std::string, int> by_path;
    bool root_running = false;
    std::optional<std::string> error; ///< the root could not be inspected (noproc, timeout)
    std::int64_t taken_ms = 0;        ///< Unix time
    std::chrono::steady_clock::time_point taken_at{};
    std::chrono::microseconds took{};
    std::uint64_t event_seq = 0; ///< events up to this one were recorded before the sample
    std::size_t live_actors = 0;
    SchedulerStats scheduler;
    std::vector<std::uint64_t> supervisors; // pid ids
    std::vector<std::uint64_t> dynamic_supervisors;

    /// Every child started: the root runs, and no node is restarting, backing off, or unknown
    /// (stopped children were stopped on purpose: terminate_child or an ignored start).
    bool ready(std::vector<std::string>* not_ready = nullptr) const;
    const NodeInfo* find(const std::string& path) const;
};

/// Converts the runtime's clock to Unix time (fixed when the observer starts).
struct TimeBase {
    std::int64_t offset_ns = 0; // system_clock - runtime clock
    std::int64_t unix_ms(Clock::time_point t) const;
};

/// Takes a sample of the tree rooted at `root`.
Sample take_sample(Runtime& rt, const Pid& root, std::chrono::milliseconds timeout,
                   const TimeBase& time, std::uint64_t event_seq);

/// The node as JSON (docs/observe.md, "Node"): its fields, then its children when `nested`.
void write_node(JsonWriter& w, const Sample& s, const NodeInfo& n, bool nested);
/// The runtime's figures as a JSON object.
void write_runtime(JsonWriter& w, const Sample& s);

/// The C++ name of a type, demangled.
std::string demangle(const std::type_info& t);

} // namespace sup::obs
