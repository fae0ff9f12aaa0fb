// The types a supervision tree's spec is made of: strategies, restart and shutdown settings,
// child specs, supervisor specs, dynamic child templates (sup/supervisor.hpp has the rest of
// the supervisor API: StartContext, worker<T>, the run-time calls, Tree). This header is
// light on purpose: it is what code that only builds specs (the C++ that `supc compile`
// generates, through sup/gen_spec.hpp) has to parse, so it includes no actor or runtime
// machinery; start results and pids are only named here.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <typeinfo>
#include <vector>

namespace sup {

class Pid;
class Runtime;
template <class R>
class StartResult;
class StartContext;
class StartArgs;

enum class Strategy : unsigned char { one_for_one, one_for_all, rest_for_one };
enum class Restart : unsigned char { permanent, transient, temporary };
enum class ChildType : unsigned char { worker, supervisor };
enum class AutoShutdown : unsigned char { never, any_significant, all_significant };

const char* to_string(Strategy s);
const char* to_string(Restart r);
const char* to_string(ChildType t);
const char* to_string(AutoShutdown a);

/// How a supervisor stops a child: brutal_kill, a timeout (ask, then kill when it expires),
/// or infinity (ask and wait).
class Shutdown {
public:
    enum class Kind : unsigned char { brutal_kill, timeout, infinity };
    static Shutdown brutal_kill() { return Shutdown(Kind::brutal_kill, {}); }
    static Shutdown timeout(std::chrono::milliseconds t) { return Shutdown(Kind::timeout, t); }
    static Shutdown infinity() { return Shutdown(Kind::infinity, {}); }
    Kind kind() const { return kind_; }
    std::chrono::milliseconds timeout() const { return timeout_; }
    /// "brutal_kill", "infinity" or the timeout in milliseconds.
    std::string to_string() const;
    friend bool operator==(const Shutdown&, const Shutdown&) = default;

private:
    Shutdown(Kind k, std::chrono::milliseconds t) : kind_(k), timeout_(t) {}
    Kind kind_ = Kind::timeout;
    std::chrono::milliseconds timeout_{5000};
};

/// Beyond OTP: a delay before each restart, growing exponentially. The k-th consecutive restart
/// of a child waits min(max, min * 2^(k-1)), scaled by (1 + jitter * u) with u uniform in
/// [-1, 1] and clamped to [min, max]. k goes back to 0 when the child had stayed up for at least
/// the supervisor's period. Restarts still count towards the intensity when they are decided
/// (at the exit), as in OTP. The jitter uses a pseudo-random sequence seeded by `seed`, so runs
/// are reproducible.
struct Backoff {
    std::chrono::nanoseconds min{};
    std::chrono::nanoseconds max{};
    double jitter = 0.0;
    std::uint64_t seed = 0x5eed;
    bool enabled() const { return max > std::chrono::nanoseconds::zero(); }
    static Backoff none() { return {}; }
    static Backoff exponential(std::chrono::nanoseconds min, std::chrono::nanoseconds max,
                               double jitter = 0.0) {
        Backoff b;
        b.min = min;
        b.max = max;
        b.jitter = jitter;
        return b;
    }
};

struct SupervisorFlags {
    Strategy strategy = Strategy::one_for_one;
    /// More than `intensity` restarts within `period` and the supervisor gives up. OTP's
    /// defaults (1 per 5 s); .sup files default to Elixir's 3 per 5 s.
    int intensity = 1;
    std::chrono::nanoseconds period = std::chrono::seconds(5); // a Clock::duration
    AutoShutdown auto_shutdown = AutoShutdown::never;
    Backoff backoff;
};

/// A registry of via-names: what OTP's {via, Module, Name} calls Module. The standard library's
/// Registry is one (sup::std_lib::registry_via(), sup/std/registry.hpp).
struct ViaModule {
    /// Its name in messages ("Registry").
    const char* name = "";
    /// Registers the calling actor (the child being started, before its init runs) under `key`
    /// in the registry whose registered name is `registry`, in the caller's runtime. An error
    /// text fails the start with it ("already_started", "noproc", ...).
    std::optional<std::string> (*register_name)(std::string_view registry,
                                                std::string_view key) = nullptr;
    /// The live actor under `key` in that registry of `rt`, or an empty Pid.
    Pid (*whereis_name)(Runtime& rt, std::string_view registry, std::string_view key) = nullptr;
};

/// A child's name, registered before its init runs, released when it dies and taken again by
/// each restart (OTP's start_link({local, Name}, ...) or ({via, Module, Name}, ...)): none, a
/// name of the runtime's registry (Runtime::whereis, sup::whereis_as), or a key in a via
/// registry whose own registered name is `registry`.
struct ChildName {
    enum class Kind : unsigned char { none, local, via };
    Kind kind = Kind::none;
    /// local: the name; via: the key.
    std::string name;
    /// via: the registered name of the registry, and its module.
    std::string registry;
    const ViaModule* module = nullptr;

    static ChildName local(std::string name) {
        ChildName n;
        n.kind = Kind::local;
        n.name = std::move(name);
        return n;
    }
    static ChildName via(const ViaModule& module, std::string registry, std::string key) {
        ChildName n;
        n.kind = Kind::via;
        n.name = std::move(key);
        n.registry = std::move(registry);
        n.module = &module;
        return n;
    }
    explicit operator bool() const { return kind != Kind::none; }
    /// "cache", "{via,Registry,{rooms,room:1}}", or "undefined".
    std::string to_string() const {
        switch (kind) {
        case Kind::local:
            return name;
        case Kind::via:
            return std::string("{via,") + (module ? module->name : "?") + ",{" + registry + "," +
                   name + "}}";
        case Kind::none:
            break;
        }
        return "undefined";
    }
    friend bool operator==(const ChildName&, const ChildName&) = default;
};

/// Starts a child linked to the supervisor (OTP's start MFA): started(pid), ignored (OTP's
/// ignore) or failed(reason).
using StartFn = std::function<StartResult<Pid>(StartContext&)>;

/// A child's settings: how its supervisor restarts, stops and counts it. One struct shared by
/// ChildSpec and ChildTemplate (and so by every child a template makes), copied as a whole: a
/// new child setting is a field here and its builder in ChildSettingsBuilders, nothing else.
struct ChildSettings {
    Restart restart = Restart::permanent;
    /// Defaults to 5000 ms for workers and infinity for supervisors, as in OTP.
    std::optional<Shutdown> shutdown;
    ChildType type = ChildType::worker;
    /// With auto_shutdown: this child's exit on its own may shut the supervisor down.
    bool significant = false;
    /// Registered before its init, at every (re)start; none by default.
    ChildName name;

    Shutdown effective_shutdown() const {
        if (shutdown)
            return *shutdown;
        return type == ChildType::supervisor ? Shutdown::infinity()
                                             : Shutdown::timeout(std::chrono::milliseconds(5000));
    }
    /// The settings alone (to copy them from a template to a spec: `s.settings() = t.settings()`).
    ChildSettings& settings() { return *this; }
    const ChildSettings& settings() const { return *this; }
    friend bool operator==(const ChildSettings&, const ChildSettings&) = default;
};

/// The `with_...` builders of ChildSettings, returning the spec they are called on (ChildSpec
/// or ChildTemplate), so that `worker<T>("id").with_restart(...)` stays a ChildSpec.
template <class Self>
struct ChildSettingsBuilders : ChildSettings {
    Self& with_restart(Restart r) {
        restart = r;
        return self();
    }
    Self& with_shutdown(Shutdown s) {
        shutdown = s;
        return self();
    }
    Self& with_type(ChildType t) {
        type = t;
        return self();
    }
    Self& with_significant(bool s = true) {
        significant = s;
        return self();
    }
    Self& with_name(ChildName n) {
        name = std::move(n);
        return self();
    }
    /// A name of the runtime's registry (ChildName::local).
    Self& with_name(std::string n) { return with_name(ChildName::local(std::move(n))); }
    Self& with_name(const char* n) { return with_name(ChildName::local(n)); }
    /// All settings at once (a template's, for a child made from it).
    Self& with_settings(const ChildSettings& s) {
        settings() = s;
        return self();
    }

private:
    Self& self() { return static_cast<Self&>(*this); }
};

struct ChildSpec : ChildSettingsBuilders<ChildSpec> {
    std::string id;
    StartFn start;
};

struct SupervisorSpec {
    SupervisorFlags flags;
    std::vector<ChildSpec> children;
    /// Registers the supervisor under this name (optional).
    std::string name;
};

using DynamicStartFn = std::function<StartResult<Pid>(StartContext&, const StartArgs&)>;

/// The one child template of a dynamic supervisor: each child it starts gets these settings.
struct ChildTemplate : ChildSettingsBuilders<ChildTemplate> {
    DynamicStartFn start;
    /// The type of the extra start arguments `start` expects, std::tuple<Extra...>, when known
    /// (dynamic_worker sets it): lets a component that starts children from a template (the
    /// standard library's Pool, PartitionSupervisor) decide what to pass.
    const std::type_info* extra_args = nullptr;
};

/// OTP's simple_one_for_one / Elixir's DynamicSupervisor: children added at run time from one
/// template, always one_for_one.
struct DynamicSupervisorSpec {
    SupervisorFlags flags;
    ChildTemplate child;
    /// start_child fails with max_children beyond this (restarting children count).
    std::optional<std::size_t> max_children;
    std::string name;
};

/// A supervisor child whose spec `build` makes at each (re)start.
ChildSpec supervisor(std::string id, std::function<SupervisorSpec()> build);
ChildSpec dynamic_supervisor(std::string id, std::function<DynamicSupervisorSpec()> build);

} // namespace sup
