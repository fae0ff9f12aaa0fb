// A snapshot of a running supervision tree: OTP's which_children, get_childspec and
// count_children in one call, recursively (docs/runtime.md, "Inspect a running tree").
//
//   sup::SupResult<sup::SupervisorSnapshot> s = sup::inspect(tree.root());
//   for (const sup::ChildSnapshot& c : s->children)       // in start order
//       std::printf("%s %s %s\n", c.id.c_str(), sup::to_string(c.restart),
//                   c.shutdown.to_string().c_str());
//   std::string json = sup::to_json(*s);                    // the documented JSON shape
//
// Safe from any thread (an actor's handler, main, a test) while the tree runs: each supervisor
// answers one request between two of its own steps, and the whole walk is bounded by a timeout
// in real time. A dead supervisor gives noproc at once, one that does not answer in time
// gives timeout.
//
// The structs are read by field name; fields are added over time (live state such as restart
// counts), never renamed or removed: do not initialise them positionally.
#pragma once

#include "sup/clock.hpp"
#include "sup/exit_reason.hpp"
#include "sup/pid.hpp"
#include "sup/spec.hpp"
#include "sup/supervisor.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sup {

struct SupervisorSnapshot;

/// A dynamic supervisor's child template: the settings every child it starts gets.
struct TemplateSnapshot {
    ChildType type = ChildType::worker;
    Restart restart = Restart::permanent;
    /// The effective shutdown (defaults applied).
    Shutdown shutdown = Shutdown::timeout(std::chrono::milliseconds(5000));
    bool significant = false;
};

/// One child as its supervisor sees it (OTP's which_children entry and child spec).
struct ChildSnapshot {
    /// The child id (a dynamic supervisor's children: their start sequence number, "1", "2"...).
    std::string id;
    /// The running incarnation; empty while the child is not running (restarting, or kept
    /// without a process after terminate_child or an ignored start).
    Pid pid;
    ChildInfo::State state = ChildInfo::State::undefined;
    /// The declared child type (OTP's child_type).
    ChildType type = ChildType::worker;
    Restart restart = Restart::permanent;
    /// The effective shutdown (defaults applied: 5000 ms for workers, infinity for supervisors).
    Shutdown shutdown = Shutdown::timeout(std::chrono::milliseconds(5000));
    bool significant = false;
    /// The name the child registered under at its last start: its spec's `name`, or the one its
    /// start function gave it with StartContext::set_name (a dynamic child's via key from its
    /// start arguments; a generated partition's "slot_{index}"). Before any start, its spec's.
    /// None when unnamed.
    ChildName name;
    /// The child's own snapshot when the running child is a supervisor (static or dynamic,
    /// whatever its declared type) and the walk was recursive; else null.
    std::shared_ptr<const SupervisorSnapshot> supervisor;
    /// Why `supervisor` is null for a running supervisor child: it stopped before it was asked
    /// (noproc) or did not answer within the walk's timeout (timeout).
    std::optional<SupError> error;

    // Live state: what the supervisor knows of the child beyond OTP's state.

    /// Starts of the child after its first one: after its exits, as a sibling (one_for_all,
    /// rest_for_one), retries, restart_child. Counted while the supervisor keeps the child
    /// (its child_restarted events).
    std::uint32_t restarts = 0;
    /// How the child last stopped: on its own (child_exited) or stopped by its supervisor
    /// (child_terminated, as a sibling of a crashed child or by terminate_child).
    struct Exit {
        ExitReason reason;
        Clock::time_point at{}; ///< the runtime's clock
        bool by_supervisor = false;
    };
    /// Unset until the child first stops.
    std::optional<Exit> last_exit;
    /// Backoff: while the child waits for a delayed restart (state restarting, after a
    /// restart_delayed event), when the restart is due (the runtime's clock).
    std::optional<Clock::time_point> restart_due;
};

/// A supervisor: its flags and its children in start order (OTP's order of start, not
/// which_children's newest first).
struct SupervisorSnapshot {
    enum class Kind : unsigned char { supervisor, dynamic_supervisor };
    Kind kind = Kind::supervisor;
    Pid pid;
    /// The name it is registered under (SupervisorSpec::name), or empty.
    std::string name;
    /// Its path from the root of its tree: child ids joined by '/', "" for a root.
    std::string path;
    /// strategy, intensity and period, auto_shutdown, backoff (Backoff::enabled() false: none).
    SupervisorFlags flags;
    /// Dynamic supervisors: the limit of start_child (nullopt: none).
    std::optional<std::size_t> max_children;
    /// Dynamic supervisors: the template of their children.
    std::optional<TemplateSnapshot> child_template;
    std::vector<ChildSnapshot> children;

    // Live state.

    /// The restarts that count towards the intensity when it answered (OTP's add_restart
    /// window): "2 of 3 in 5 s" is restarts_in_period = 2 with flags.intensity = 3 and
    /// flags.period = 5 s; one more than the intensity and it gives up.
    std::size_t restarts_in_period = 0;
    /// The runtime's clock when it answered.
    Clock::time_point taken_at{};
};

struct InspectOptions {
    /// The bound of the whole walk, in real time whatever the runtime's clock.
    std::chrono::milliseconds timeout{5000};
    /// Also inspect the children that are supervisors, and theirs.
    bool recursive = true;
};

/// The snapshot of the supervisor `sup` (static or dynamic) and, recursively, of its children
/// that are supervisors. Errors: noproc (dead or empty pid), timeout (it did not answer within
/// options.timeout), invalid_spec with detail "not a supervisor". A child supervisor that dies
/// or does not answer in time is reported in its ChildSnapshot::error; the rest is returned.
/// Each supervisor is described at the moment it answers: a nested level may be a little
/// newer than its parent's.
SupResult<SupervisorSnapshot> inspect(const Pid& sup, InspectOptions options = {});

struct JsonOptions {
    /// Spaces per level; 0 writes everything on one line.
    int indent = 2;
};

/// The snapshot as JSON (docs/runtime.md, "Inspect a running tree", has the shape): durations
/// in milliseconds, strings escaped, always valid UTF-8 (invalid bytes in an id become
/// U+FFFD).
std::string to_json(const SupervisorSnapshot& snapshot, JsonOptions options = {});

const char* to_string(SupervisorSnapshot::Kind k);
const char* to_string(ChildInfo::State s);

} // namespace sup
