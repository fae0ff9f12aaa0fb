// The supervisor actors, static and dynamic. Read supervisor.cpp and dynamic_supervisor.cpp
// next to OTP's supervisor.erl: the same steps, in the same order, under the same names; each
// actor keeps its whole state in one State (OTP's #state{}: supervisor_state.hpp, plus its
// children); what OTP does not have (restart backoff) sits in sections marked "beyond OTP".
#pragma once

#include "child_list.hpp"
#include "sup/call.hpp"
#include "sup/inspect.hpp"
#include "sup/supervisor.hpp"
#include "supervisor_state.hpp"

#include <cstdint>
#include <list>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace sup::detail {

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
/// Beyond OTP (backoff): the delayed (re)start of a child.
struct DelayedRestart {
    std::string id;
    std::uint64_t delay;
};

/// one_for_one, one_for_all, rest_for_one (supervisor.cpp).
class SupervisorActor final : public Actor<SupervisorActor> {
public:
    explicit SupervisorActor(SupervisorSpec spec, std::string path = {});
    /// init/1
    InitResult init() override;
    /// terminate/2
    void terminate(const ExitReason& reason) override;

    // The run-time API (handle_call/3).
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

    /// handle_info({'EXIT', Pid, Reason}): a child exited (the supervisor traps exits).
    void handle_info(ExitSignal s);
    /// handle_cast({try_again_restart, Id})
    void handle_cast(TryAgainRestart r);
    /// Beyond OTP (backoff).
    void handle_info(DelayedRestart r);

private:
    /// OTP's #state{}, with the children as {Ids, Db}.
    struct State : SupState {
        State(SupervisorSpec spec, std::string path);
        /// The child specs init/1 was given, until init_children takes them.
        std::vector<ChildSpec> start_spec;
        ChildList children;
    };

    // init/1
    InitResult init_children();
    std::optional<std::string> check_startspec();

    // Exits and restarts.
    void restart_child(Child& child, const ExitReason& reason);
    void do_restart(Child& child, const ExitReason& reason);
    void restart(Child& child);
    /// restart/3, one clause per strategy: the id to try again when a start failed.
    std::optional<std::string> restart_one_for_one(Child& child);
    std::optional<std::string> restart_rest_for_one(Child& child);
    std::optional<std::string> restart_one_for_all(Child& child);
    std::optional<std::string> restart_multiple_children(Child& child,
                                                         std::vector<Child*> children);
    std::optional<std::string> start_restarted_children(std::vector<Child*>& children);
    void try_again_restart(const std::string& id);
    void do_auto_shutdown(const ChildSpec& spec);

    // Children.
    bool start_children(std::vector<Child*>& children, bool restart, std::string* failed_id,
                        ExitReason* why);
    void terminate_children(std::vector<Child*>& children);
    bool do_terminate(Child& child);
    void del_child(Child& child);
    std::vector<Child*> split_child(Child& child);
    std::vector<Child*> all_children();

    // Beyond OTP: backoff.
    void delay_restart(Child& child);
    std::vector<Child*> restart_group(Child& child);

    State state_;
};

/// simple_one_for_one / Elixir's DynamicSupervisor (dynamic_supervisor.cpp).
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
    /// One dynamic child (OTP keeps its pid and, unless temporary, its extra arguments).
    struct DynChild {
        std::uint64_t seq;
        std::string id; // seq as text
        Pid pid;
        bool restarting = false;               // OTP's {restarting, OldPid}: the old pid is kept
        StartArgs args;                        // not kept for temporary children
        ChildLive live;                        // restarts, last exit (sup::inspect)
        ChildBackoff backoff;                  // beyond OTP
        std::unique_ptr<ChildName> given_name; // as in Child (child_list.hpp)
    };
    using List = std::list<DynChild>;

    /// OTP's #state{} of a simple_one_for_one supervisor.
    struct State : SupState {
        State(DynamicSupervisorSpec spec, std::string path);
        /// The one child spec, and the same as a ChildSpec (reports, get_childspec).
        ChildTemplate child;
        ChildSpec child_spec;
        std::optional<std::size_t> max_children;
        /// dynamics: the children in start order, by pid and by id.
        List dynamics;
        std::unordered_map<CellHeader*, List::iterator> by_pid;
        std::unordered_map<std::string, List::iterator> by_id;
        /// How many are restarting.
        std::size_t restarting = 0;
        std::uint64_t next_seq = 1;
    };

    void restart_child(List::iterator child, const ExitReason& reason);
    void do_restart(List::iterator child, const ExitReason& reason);
    void restart(List::iterator child);
    void restart_simple_one_for_one(List::iterator child);
    void do_auto_shutdown();
    bool terminate_dynamic_children();
    bool try_start(List::iterator child);
    void dyn_erase(List::iterator child);
    static ChildSpec as_spec(const ChildTemplate& t);

    // Beyond OTP: backoff.
    void delay_restart(List::iterator child);

    State state_;
};

} // namespace sup::detail
