// Supervisors with Erlang/OTP's semantics (supervisor.erl), plus Elixir's DynamicSupervisor and
// a restart backoff.
//
//   sup::SupervisorSpec spec;
//   spec.flags.strategy = sup::Strategy::one_for_all;
//   spec.flags.intensity = 3;
//   spec.flags.period = std::chrono::seconds(5);
//   spec.children.push_back(sup::worker<Cache>("cache", std::chrono::seconds(60)));
//   spec.children.push_back(sup::worker<Mailer>("mailer").with_shutdown(sup::Shutdown::brutal_kill()));
//   auto tree = sup::start_tree(rt, spec).value();
//   ...
//   tree.stop();
//
// Run-time API (supervisor:start_child/2 etc.) returns SupResult values with OTP's cases.
#pragma once

#include "sup/actor.hpp"
#include "sup/exit_reason.hpp"
#include "sup/pid.hpp"
#include "sup/result.hpp"
#include "sup/runtime.hpp"
#include "sup/spec.hpp"

#include <any>
#include <chrono>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <typeinfo>
#include <utility>
#include <vector>

namespace sup {

static_assert(std::is_same_v<Clock::duration, std::chrono::nanoseconds>,
              "sup/spec.hpp spells Clock::duration as std::chrono::nanoseconds");

/// Extra start arguments of a dynamic child (supervisor:start_child(Sup, ExtraArgs)).
class StartArgs {
public:
    StartArgs() = default;
    template <class... A>
    static StartArgs of(A&&... a) {
        StartArgs s;
        s.value_ = std::tuple<std::decay_t<A>...>(std::forward<A>(a)...);
        return s;
    }
    bool empty() const { return !value_.has_value(); }
    const std::any& value() const { return value_; }

private:
    std::any value_;
};
template <class... A>
StartArgs args(A&&... a) {
    return StartArgs::of(std::forward<A>(a)...);
}

/// A class that starts itself as a child, linked to its parent (a C++ class that is a
/// supervisor, such as the standard library's Pool): it declares
///   static sup::StartResult<sup::Pid> start_link(sup::StartContext&, Args...);
template <class T, class... A>
concept StartsItself = requires(StartContext& ctx, A&&... args) {
    { T::start_link(ctx, std::forward<A>(args)...) } -> std::convertible_to<StartResult<Pid>>;
};

/// What a start function may do: start its child linked to the supervisor.
class StartContext {
public:
    /// Spawns T(args...) linked to the supervisor; its init runs before this returns.
    template <class T, class... A>
    StartResult<Pid> spawn_link(A&&... args) {
        return spawn_link_opt<T>(SpawnOptions{}, std::forward<A>(args)...);
    }
    /// As spawn_link, with options (a name, a hook that runs before init).
    template <class T, class... A>
    StartResult<Pid> spawn_link_opt(SpawnOptions options, A&&... args) {
        options.link = true;
        if (auto refused = take_name(options))
            return StartResult<Pid>::make_failed(std::move(*refused));
        auto r =
            detail::spawn_with<T>(detail::current_runtime(), options, std::forward<A>(args)...);
        if (r.started())
            return StartResult<Pid>::make_started(std::move(r.value()));
        if (r.ignored())
            return StartResult<Pid>::make_ignored();
        return StartResult<Pid>::make_failed(r.reason());
    }
    /// Starts T as the child: T::start_link(*this, args...) when T declares one (StartsItself),
    /// else spawn_link<T>(args...). worker<T> and dynamic_worker<T> start their children so.
    template <class T, class... A>
    StartResult<Pid> start(A&&... args) {
        if constexpr (StartsItself<T, A...>)
            return T::start_link(*this, std::forward<A>(args)...);
        else
            return spawn_link<T>(std::forward<A>(args)...);
    }
    /// Start the child as a supervisor: with the restart intensity given to this context
    /// (give_intensity), if any, instead of the spec's.
    StartResult<Pid> start_supervisor(SupervisorSpec spec);
    StartResult<Pid> start_dynamic_supervisor(DynamicSupervisorSpec spec);
    /// The restart intensity a spec gives a child that a C++ class starts as a supervisor
    /// (`child tasks = std.TaskSupervisor { intensity = 10 per 1s; }`: generated code calls
    /// this through sup::gen::with_intensity before the class's start_link runs); the next
    /// start_supervisor / start_dynamic_supervisor of this context uses it.
    void give_intensity(int intensity, std::chrono::nanoseconds period) {
        intensity_ = intensity;
        period_ = period;
    }
    const std::string& child_id() const { return *id_; }
    /// The path of the child being started from the root of the tree ("services/cache").
    std::string path() const { return parent_path_->empty() ? *id_ : *parent_path_ + "/" + *id_; }
    Runtime& runtime() const;
    /// The name the child being started registers under before its init (its spec's `name`,
    /// or what set_name gave). The first actor this context starts (spawn_link,
    /// start_supervisor, ...) takes it; a start function that starts its actor any other way
    /// fails the start of a named child ({name_not_registered, Name}).
    const ChildName& name() const { return own_name_ ? *own_name_ : *name_; }
    /// Names the child being started instead: for a template whose children's names depend on
    /// their start arguments (a via-key from an argument). Call it before starting the actor.
    void set_name(ChildName name) { own_name_ = std::move(name); }

private:
    friend struct detail::Access;
    StartContext(const std::string& id, const std::string& parent_path, const ChildName* name)
        : id_(&id), parent_path_(&parent_path), name_(name ? name : &no_name_) {}
    /// Gives the child's name, once, to the actor about to be started (SpawnOptions::name, or a
    /// before_init hook that registers a via-name); a reason refuses the start.
    std::optional<ExitReason> take_name(SpawnOptions& options);
    void apply_given(SupervisorFlags& flags) {
        if (intensity_ < 0)
            return;
        flags.intensity = intensity_;
        flags.period = period_;
        intensity_ = -1;
    }
    const std::string* id_;
    const std::string* parent_path_;
    const ChildName* name_;
    std::optional<ChildName> own_name_;
    bool name_taken_ = false;
    static const ChildName no_name_;
    int intensity_ = -1; // none given
    std::chrono::nanoseconds period_{};
};

/// A worker child: T(args...) with copies of `args` for each (re)start; or, when T declares
/// `static StartResult<Pid> start_link(StartContext&, Args...)`, T::start_link(ctx, args...)
/// (a C++ class that starts itself, e.g. as a supervisor: set the spec's type accordingly).
template <class T, class... A>
ChildSpec worker(std::string id, A&&... args) {
    ChildSpec s;
    s.id = std::move(id);
    s.start = [... a = std::decay_t<A>(std::forward<A>(args))](StartContext& ctx) {
        return ctx.template start<T>(a...);
    };
    return s;
}

/// A dynamic worker template: T(fixed..., extra...) where `extra` are the start_child
/// arguments, of types Extra... (checked at start: a mismatch fails the start). As worker<T>,
/// uses T::start_link(ctx, fixed..., extra...) when T declares one.
template <class T, class... Extra, class... Fixed>
ChildTemplate dynamic_worker(Fixed&&... fixed) {
    ChildTemplate t;
    t.start = [... f = std::decay_t<Fixed>(std::forward<Fixed>(fixed))](
                  StartContext& ctx, const StartArgs& extra) -> StartResult<Pid> {
        if constexpr (sizeof...(Extra) == 0) {
            if (!extra.empty() && !std::any_cast<std::tuple<>>(&extra.value()))
                return StartResult<Pid>::make_failed(ExitReason::error("bad start arguments"));
            return ctx.template start<T>(f...);
        } else {
            auto* tup = std::any_cast<std::tuple<Extra...>>(&extra.value());
            if (!tup)
                return StartResult<Pid>::make_failed(ExitReason::error("bad start arguments"));
            return std::apply([&](const Extra&... e) { return ctx.template start<T>(f..., e...); },
                              *tup);
        }
    };
    t.extra_args = &typeid(std::tuple<Extra...>);
    return t;
}

// ---------------------------------------------------------------- run-time API

struct SupError {
    enum class Code : unsigned char {
        not_found,          ///< no child with that id (or pid)
        running,            ///< restart_child/delete_child: the child is running
        restarting,         ///< restart_child/delete_child: the child is being restarted
        already_present,    ///< start_child: the id exists, without a process
        already_started,    ///< start_child: the id exists and runs (`pid`)
        start_failed,       ///< the child's start failed (`reason`)
        max_children,       ///< dynamic: the limit is reached
        simple_one_for_one, ///< not valid for a dynamic supervisor (OTP's error name)
        invalid_spec,       ///< the child spec is invalid (`detail`)
        noproc,             ///< the supervisor is dead
        timeout,            ///< inspect: the supervisor did not answer in time
    };
    Code code = Code::not_found;
    ExitReason reason;
    Pid pid;
    std::string detail;
    std::string to_string() const;
    bool operator==(Code c) const { return code == c; }
};
template <class T>
using SupResult = Result<T, SupError>;

struct ChildInfo {
    enum class State : unsigned char { running, restarting, undefined };
    /// The id (dynamic children: their start sequence number as text).
    std::string id;
    Pid pid; // empty unless running
    State state = State::undefined;
    ChildType type = ChildType::worker;
};

struct ChildCounts {
    std::size_t specs = 0, active = 0, supervisors = 0, workers = 0;
    friend bool operator==(const ChildCounts&, const ChildCounts&) = default;
};

/// A root supervisor, not linked to anyone (start_link's {ok, Pid}).
StartResult<Pid> start_supervisor(Runtime& rt, SupervisorSpec spec);
StartResult<Pid> start_dynamic_supervisor(Runtime& rt, DynamicSupervisorSpec spec);

/// Adds a child at the end and starts it. An ok result with an empty Pid means the child's init
/// returned ignore ({ok, undefined}).
SupResult<Pid> start_child(const Pid& sup, ChildSpec spec);
/// Dynamic supervisor: starts a child from the template with extra arguments.
SupResult<Pid> start_child(const Pid& dynamic_sup, StartArgs extra = {});
/// Stops the child; its spec is kept unless temporary. Ok if it was not running.
SupResult<void> terminate_child(const Pid& sup, std::string_view id);
/// Dynamic supervisor: stops the child with that pid.
SupResult<void> terminate_child(const Pid& dynamic_sup, const Pid& child);
SupResult<Pid> restart_child(const Pid& sup, std::string_view id);
SupResult<void> delete_child(const Pid& sup, std::string_view id);
/// Newest first, as OTP.
SupResult<std::vector<ChildInfo>> which_children(const Pid& sup);
SupResult<ChildCounts> count_children(const Pid& sup);
SupResult<ChildSpec> get_childspec(const Pid& sup, std::string_view id);
/// Dynamic supervisor: the template, as the spec of the child with that pid.
SupResult<ChildSpec> get_childspec(const Pid& dynamic_sup, const Pid& child);
/// OTP's check_childspecs/2: ok, or invalid_spec with the first problem.
SupResult<void> check_childspecs(const std::vector<ChildSpec>& specs,
                                 AutoShutdown auto_shutdown = AutoShutdown::never);

/// A started supervision tree.
class Tree {
public:
    Tree() = default;
    Tree(Runtime& rt, Pid root) : rt_(&rt), root_(std::move(root)) {}
    const Pid& root() const { return root_; }
    /// The runtime it runs on (null for an empty tree).
    Runtime* runtime() const { return rt_; }
    /// The running child at `path` (child ids joined by '/'; "" is the root), or an empty Pid.
    Pid lookup(std::string_view path) const;
    /// Shuts the tree down as its parent would and waits; the root's exit reason (nullopt on
    /// timeout).
    std::optional<ExitReason> stop(Clock::duration timeout = Clock::duration::max()) const;

private:
    Runtime* rt_ = nullptr;
    Pid root_;
};
StartResult<Tree> start_tree(Runtime& rt, SupervisorSpec spec);
StartResult<Tree> start_tree(Runtime& rt, DynamicSupervisorSpec spec);

} // namespace sup
