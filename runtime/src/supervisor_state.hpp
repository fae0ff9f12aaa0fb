// OTP's #state{} record and the steps both kinds of supervisor share (supervisor.erl's
// do_start_child, add_restart, shutdown, report_error / report_progress, check_childspec,
// check_flags). Each supervisor actor keeps one State: this common part plus its children.
#pragma once

#include "backoff.hpp"
#include "restart_intensity.hpp"
#include "sup/events.hpp"
#include "sup/supervisor.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace sup::detail {

struct Cell;
class RuntimeImpl;

/// What every supervisor knows (OTP's #state{} without the children, which each kind keeps in
/// its own shape: a static supervisor's {Ids, Db}, a dynamic supervisor's dynamics).
struct SupState {
    SupState(const SupervisorFlags& flags, std::string name, std::string path);

    /// Binds to the supervisor actor (in init/1, before anything else).
    void bind(Cell* self);

    // ---------------------------------------------------------------- the steps both share

    /// do_start_child/2: starts a child from its start function; exceptions and pids that are
    /// not linked to the supervisor are handled here. Reports child_started (or
    /// child_restarted), child_ignored or start_failed. When a child starts, `given` (if not
    /// null) becomes the name its start function gave with StartContext::set_name, or null when
    /// it registered under its spec's name (most children: nothing is copied).
    StartResult<Pid> do_start_child(const std::string& id, const StartFn& fn, const ChildSpec& spec,
                                    bool restart, std::unique_ptr<ChildName>* given = nullptr);
    /// add_restart/1: records a restart; false when the intensity is exceeded (then it has
    /// reported reached_max_restart_intensity: give_up).
    bool add_restart(const ChildSpec& spec, const std::string& id, const Pid& pid);
    /// do_terminate/2 for a running child: shutdown/1 (child_shutdown.hpp), then
    /// child_terminated and, if the exit reason is not the expected one, shutdown_error. The
    /// child's exit reason, or nullopt if the supervisor was killed meanwhile (then it must do
    /// nothing more).
    std::optional<ExitReason> shutdown(const std::string& id, const Pid& pid,
                                       const ChildSpec& spec);
    /// report_error/4 and report_progress/2: the event, and OTP's report when the log level
    /// asks for it. Nothing once the supervisor is dead.
    void report(EventKind kind, const std::string& id, const Pid& child, const ChildSpec* spec,
                const ExitReason& reason = {}, bool restart = false, Clock::duration delay = {});
    Clock::time_point now() const;

    // ---------------------------------------------------------------- the record

    Cell* self = nullptr;
    RuntimeImpl* rt = nullptr;
    /// The name it is registered under (SupervisorSpec::name), or empty.
    std::string registered_name;
    /// OTP's name: {local,Name}, or the pid as text (set by bind).
    std::string name;
    /// Its path from the root of the tree (sup::inspect, events).
    std::string path;
    /// strategy, intensity, period, auto_shutdown; backoff is beyond OTP.
    SupervisorFlags flags;
    /// OTP's restarts: the restart times within the period.
    RestartIntensity restarts;
    /// Beyond OTP: the jitter's random sequence and the pending delayed restarts.
    SupervisorBackoff backoff;
};

/// check_childspec/2 (one child spec; the auto_shutdown flag it must agree with).
std::optional<std::string> check_childspec(const ChildSpec& spec, AutoShutdown auto_shutdown);
/// check_flags/1 (and the backoff's bounds, beyond OTP).
std::optional<std::string> check_flags(const SupervisorFlags& flags);

} // namespace sup::detail
