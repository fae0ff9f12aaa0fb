// The supervisor actors (static and dynamic) and what they share. Read supervisor.cpp next to
// OTP's supervisor.erl: the same steps, in the same order, with the same names where possible.
#pragma once

#include "backoff.hpp"
#include "child_list.hpp"
#include "restart_intensity.hpp"
#include "sup/call.hpp"
#include "sup/events.hpp"
#include "sup/inspect.hpp"
#include "sup/supervisor.hpp"

#include <list>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace sup::detail {

struct Cell;
class RuntimeImpl;

// Requests of the run-time API (supervisor:start_child/2 etc.).
struct StartChildReq {
    ChildSpec spec;
};
struct StartDynamicChildReq {
    StartArgs args;
};
struct TerminateChildReq {
    std::string id;
};
struct TerminateDynamicChildReq {
    Pid pid;
};
struct RestartChildReq {
    std::string id;
};
struct DeleteChildReq {
    std::string id;
};
struct WhichChildrenReq {};
struct CountChildrenReq {};
struct GetChildspecReq {
    std::string id;
};
struct GetDynamicChildspecReq {
    Pid pid;
};
/// sup::inspect: this supervisor's level of the snapshot (children's subtrees left empty).
struct InspectReq {};
/// OTP's try_again_restart: cast to itself after a failed restart, so that requests already
/// queued (a shutdown, a terminate_child) are handled before the next attempt.
struct TryAgainRestart {
    std::string id;
};
/// Backoff: the delayed (re)start of a child.
struct DelayedRestart {
    std::string id;
    std::uint64_t gen;
};

/// What both kinds of supervisor share: identity, intensity, backoff, reports, starting a child.
class SupervisorCore {
public:
    SupervisorCore(const SupervisorFlags& flags, std::string name, std::string path);
    /// Binds to the supervisor actor (in init).
    void bind(Cell* self);

    /// Starts a child from its start function (OTP's do_start_child_i): exceptions and
    /// non-linked pids are handled here. Reports child_started or child_ignored.
    StartResult<Pid> start(const std::string& id, const StartFn& fn, const ChildSpec& spec,
                           bool restart);
    /// Records a restart; false when the intensity is exceeded (then reports give_up).
    bool add_restart(const ChildSpec& spec, const std::string& id, const Pid& pid);
    /// Stops a child and reports child_terminated (and shutdown_error if unexpected); the
    /// child's exit reason, or nullopt if the supervisor was killed meanwhile (then it must do
    /// nothing more).
    std::optional<ExitReason> terminate(const std::string& id, const Pid& pid,
                                        const ChildSpec& spec);

    void report(EventKind kind, const std::string& id, const Pid& child, const ChildSpec* spec,
                const ExitReason& reason = {}, bool restart = false, Clock::duration delay = {});
    Clock::time_point now() const;

    SupervisorFlags flags;
    RestartIntensity intensity;
    BackoffRng rng;
    std::string name; // registered name, or the pid as text
    std::string path; // from the root of the tree
    Cell* self = nullptr;
    RuntimeImpl* rt = nullptr;
};

class SupervisorActor final : public Actor<SupervisorActor> {
public:
    explicit SupervisorActor(SupervisorSpec spec, std::string path = {});
    InitResult init() override;
    void terminate(const ExitReason& reason) override;

    // The run-time API.
    SupResult<Pid> handle_call(StartChildReq r);
    SupResult<void> handle_call(TerminateChildReq r);
    SupResult<Pid> handle_call(RestartChildReq r);
    SupResult<void> handle_call(DeleteChildReq r);
    std::vector<ChildInfo> handle_call(WhichChildrenReq);
    ChildCounts handle_call(CountChildrenReq);
    SupResult<ChildSpec> handle_call(GetChildspecReq r);
    SupervisorSnapshot handle_call(InspectReq);
    // Wrong kind of supervisor.
    SupResult<Pid> handle_call(StartDynamicChildReq);
    SupResult<void> handle_call(TerminateDynamicChildReq);
    SupResult<ChildSpec> handle_call(GetDynamicChildspecReq);

    /// A child exited (the supervisor traps exits).
    void handle_info(ExitSignal s);
    void handle_cast(TryAgainRestart r);
    void handle_info(DelayedRestart r);

private:
    // Restarts (OTP's do_restart/3, restart/2, restart/3).
    void do_restart(Child& child, const ExitReason& reason);
    void restart(Child& child);
    std::vector<Child*> affected_by(Child& child);
    void terminate_phase(Child& child, std::vector<Child*>& affected);
    std::optional<std::string> start_phase(Child& child, std::vector<Child*>& affected);
    std::optional<std::string> restart_one_for_one(Child& child);
    std::optional<std::string> restart_multiple_children(Child& child);
    void delay_restart(Child& child);
    void do_auto_shutdown(const ChildSpec& spec);

    // Children.
    /// Starts children in order; stops at the first failure (its id and reason).
    bool start_children(std::vector<Child*>& children, bool restart, std::string* failed_id,
                        ExitReason* why);
    /// Stops children in the given (reverse start) order; drops temporary ones.
    void terminate_children(std::vector<Child*>& children);
    /// False if the supervisor was killed meanwhile.
    bool do_terminate(Child& child);
    void del_child(Child& child);
    std::vector<Child*> all_children();

    SupervisorSpec spec_;
    SupervisorCore core_;
    ChildList children_;
    std::uint64_t delay_gen_ = 0;
};

class DynamicSupervisorActor final : public Actor<DynamicSupervisorActor> {
public:
    explicit DynamicSupervisorActor(DynamicSupervisorSpec spec, std::string path = {});
    InitResult init() override;
    void terminate(const ExitReason& reason) override;

    SupResult<Pid> handle_call(StartDynamicChildReq r);
    SupResult<void> handle_call(TerminateDynamicChildReq r);
    std::vector<ChildInfo> handle_call(WhichChildrenReq);
    ChildCounts handle_call(CountChildrenReq);
    SupResult<ChildSpec> handle_call(GetDynamicChildspecReq r);
    SupervisorSnapshot handle_call(InspectReq);
    // Not valid for a dynamic supervisor (OTP: {error, simple_one_for_one}).
    SupResult<Pid> handle_call(StartChildReq);
    SupResult<void> handle_call(TerminateChildReq);
    SupResult<Pid> handle_call(RestartChildReq);
    SupResult<void> handle_call(DeleteChildReq);
    SupResult<ChildSpec> handle_call(GetChildspecReq);

    void handle_info(ExitSignal s);
    void handle_cast(TryAgainRestart r);
    void handle_info(DelayedRestart r);

private:
    struct DynChild {
        std::uint64_t seq;
        std::string id; // seq as text
        Pid pid;
        bool restarting = false;
        StartArgs args; // not kept for temporary children
        unsigned backoff_count = 0;
        Clock::time_point started_at{};
        std::uint64_t delay_gen = 0;
        ChildLive live; // restarts, last exit (sup::inspect)
    };
    using List = std::list<DynChild>;

    void do_restart(List::iterator child, const ExitReason& reason);
    void restart(List::iterator child);
    void try_start(List::iterator child);
    void remove(List::iterator child);
    void do_auto_shutdown();
    ChildSpec as_spec(const std::string& id) const;

    DynamicSupervisorSpec spec_;
    SupervisorCore core_;
    ChildSpec template_spec_; // the template as a spec, for reports
    List children_;
    std::unordered_map<CellHeader*, List::iterator> by_pid_;
    std::unordered_map<std::string, List::iterator> by_id_;
    std::size_t restarting_ = 0;
    std::uint64_t next_seq_ = 1;
    std::uint64_t next_seq_gen_ = 0;
};

/// Validation shared by init and start_child (OTP's check_childspec/2, check_flags/1).
std::optional<std::string> check_childspec(const ChildSpec& spec, AutoShutdown auto_shutdown);
std::optional<std::string> check_flags(const SupervisorFlags& flags);

} // namespace sup::detail
