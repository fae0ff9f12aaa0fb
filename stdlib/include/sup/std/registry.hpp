// Elixir's Registry: a local key-value store of actors. With unique keys a key names at most one
// actor (name lookups, via-names); with duplicate keys a key names any number of them (pub/sub:
// dispatch to everyone under a key). An entry disappears when the actor that registered it dies
// (the registry monitors it). `partitions` shards the table and the monitoring over that many
// partition actors, for concurrency.
//
//   auto reg = rt.spawn<sup::std_lib::Registry>("duplicate", 4).value();   // or a child spec
//   // in an actor's handler:
//   sup::std_lib::Registry::register_key(reg, "room:42");                 // self() under the key
//   sup::std_lib::Registry::publish(reg, "room:42", Said{"hello"});       // to each
//   handle_info(sup::Message) for (auto& e : sup::std_lib::Registry::lookup(reg, "room:42")) ...
//
// Via-names: a child whose every (re)start registers the new incarnation under a key, reached
// through the name whatever its current pid:
//
//   spec.children.push_back(sup::std_lib::via_worker<Room>("room", sup::std_lib::via("rooms",
//   "42"), 42)); sup::std_lib::call<Room>(sup::std_lib::via("rooms", "42"), Join{...});   // noproc
//   if none
//
// Lookups, dispatch and registration read and write the shared table directly (under a lock
// per partition) on the caller's thread; they do not message the registry. docs/stdlib.md.
#pragma once

#include "sup/call.hpp"
#include "sup/runtime.hpp"
#include "sup/supervisor.hpp"

#include <any>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sup::std_lib {

namespace detail {
class RegistryTable;
}

/// Names a registry: by its pid (one incarnation), or by the name it was started with (resolved
/// at each use, so it reaches a restarted registry). A bare name is resolved in the calling
/// actor's runtime; outside actors give the runtime too.
class RegistryRef {
public:
    RegistryRef(Pid pid) : pid_(std::move(pid)) {}
    RegistryRef(std::string name) : name_(std::move(name)) {}
    RegistryRef(const char* name) : name_(name) {}
    RegistryRef(Runtime& rt, std::string name) : name_(std::move(name)), rt_(&rt) {}

    /// The registry's current pid, or an empty Pid.
    Pid resolve() const;
    /// The name, or the pid as text.
    std::string to_string() const;

private:
    Pid pid_;
    std::string name_;
    Runtime* rt_ = nullptr;
};

/// A via-name: `key` in a unique registry (Elixir's {:via, Registry, {registry, key}}).
struct Via {
    RegistryRef registry;
    std::string key;
};
inline Via via(RegistryRef registry, std::string key) {
    return Via{std::move(registry), std::move(key)};
}

/// One registration: the actor and the value it registered with.
struct RegistryEntry {
    Pid pid;
    std::any value;

    /// The value if it holds a T, else null.
    template <class T>
    const T* value_as() const {
        return std::any_cast<T>(&value);
    }
};

struct RegistryError {
    enum class Code : unsigned char {
        already_registered, ///< unique key held by a live actor (`pid`)
        noproc,             ///< the registry is dead, or not found under its name
        not_an_actor,       ///< registration is for the calling actor: called outside actors
        not_unique,         ///< the operation needs a unique registry (via-names, update_value)
        not_found,          ///< update_value: the key is not the calling actor's
    };
    Code code = Code::noproc;
    Pid pid;
    std::string to_string() const;
    bool operator==(Code c) const { return code == c; }
};
template <class T>
using RegistryResult = Result<T, RegistryError>;

/// The registry actor. std.sup's std.Registry(keys, partitions, name) is this class:
/// Registry(keys, partitions, name). It starts `partitions` partition actors, linked to it,
/// that monitor the registered actors and remove their entries when they die.
class Registry : public Actor<Registry> {
public:
    /// `keys`: "unique" or "duplicate"; `partitions` >= 1; with a `name`, the registry registers
    /// itself under it in the runtime (rt.whereis(name)), so RegistryRef(name) finds it after a
    /// restart. Anything else fails the start.
    explicit Registry(std::string keys = "unique", std::int64_t partitions = 1,
                      std::optional<std::string> name = std::nullopt);
    ~Registry() override;

    // ---------------------------------------------------------------- API (any thread)

    /// Registers the calling actor under `key` with `value` (Registry.register/3). Unique keys:
    /// already_registered (with the holder) if a live actor holds the key, the calling one
    /// included; a dead holder not yet cleaned up is replaced. Duplicate keys: always ok, also
    /// several times under the same key.
    static RegistryResult<void> register_key(const RegistryRef& registry, std::string key,
                                             std::any value = {});
    /// Removes the calling actor's entries under `key` (Registry.unregister/2).
    static RegistryResult<void> unregister(const RegistryRef& registry, std::string_view key);
    /// The live entries under `key`, in no particular order (empty for a dead registry).
    static std::vector<RegistryEntry> lookup(const RegistryRef& registry, std::string_view key);
    /// The keys `pid` is registered under (duplicates repeat).
    static std::vector<std::string> keys(const RegistryRef& registry, const Pid& pid);
    /// The number of entries. An actor that just died counts until its partition has processed
    /// the monitor's down message.
    static std::size_t count(const RegistryRef& registry);
    /// Calls `fn` with the live entries under `key`, once per partition that has some, on the
    /// calling thread (Registry.dispatch/3); the number of entries dispatched to.
    static std::size_t dispatch(const RegistryRef& registry, std::string_view key,
                                const std::function<void(const std::vector<RegistryEntry>&)>& fn);
    /// Posts a copy of `msg` to every actor under `key` (sup::post: it arrives in
    /// handle_info(sup::Message&&)); the number of actors it was delivered to.
    template <class M>
    static std::size_t publish(const RegistryRef& registry, std::string_view key, const M& msg) {
        std::size_t n = 0;
        dispatch(registry, key, [&](const std::vector<RegistryEntry>& entries) {
            for (const RegistryEntry& e : entries)
                n += sup::post(e.pid, msg) ? 1 : 0;
        });
        return n;
    }
    /// Unique registries: replaces the calling actor's value under `key` with fn(old value);
    /// returns {new, old} (Registry.update_value/3); not_found if the key is not the caller's.
    static RegistryResult<std::pair<std::any, std::any>>
    update_value(const RegistryRef& registry, std::string_view key,
                 const std::function<std::any(const std::any&)>& fn);
    /// The live actor under a via-name, or an empty Pid (Registry.whereis_name/1).
    static Pid whereis_name(const Via& name);
    /// Whether the registry has unique keys; noproc if it is dead.
    static RegistryResult<bool> unique(const RegistryRef& registry);
    /// Its number of partitions; noproc if it is dead.
    static RegistryResult<std::int64_t> partitions(const RegistryRef& registry);

private:
    InitResult init() override;
    void terminate(const ExitReason& reason) override;

    std::shared_ptr<detail::RegistryTable> table_;
    std::optional<std::string> name_;
    std::string keys_;
    std::int64_t partitions_;
};

/// A child spec whose every (re)start registers the new actor under `name` before its init (as
/// OTP's start with {via, Registry, ...}): T(args...) is reached through the name whatever its
/// current pid. The start fails with "already_started" if a live actor holds the key, and with
/// "noproc" if the registry is not running.
template <class T, class... A>
ChildSpec via_worker(std::string id, Via name, A&&... args);

/// A dynamic child template registering each child under key_of(extra...), where `extra` are
/// its start_child arguments (of types Extra...): T(fixed..., extra...).
template <class T, class... Extra, class KeyOf, class... Fixed>
ChildTemplate via_dynamic_worker(RegistryRef registry, KeyOf key_of, Fixed&&... fixed);

/// The Registry as OTP's via module: a child spec's `name` may be a key in a unique registry
/// (sup::ChildName::via(registry_via(), "rooms", "room:42"), or via_name), registered before
/// its init at every (re)start and released when it dies (the registry monitors it).
const ViaModule& registry_via();
/// A child's via-name: `key` in the unique Registry registered as `registry`.
inline ChildName via_name(std::string registry, std::string key) {
    return ChildName::via(registry_via(), std::move(registry), std::move(key));
}

/// Resolves a via-name to a typed handle (empty if nobody is registered or the class is not T).
template <class T>
Ref<T> whereis_as(const Via& name) {
    return Registry::whereis_name(name).template as<T>();
}
/// sup::call through a via-name: noproc if nobody (alive) is registered under it.
template <class T, class M>
CallResult<reply_t<T, M>> call(const Via& name, M&& msg, Clock::duration timeout) {
    return sup::call(whereis_as<T>(name), std::forward<M>(msg), timeout);
}
template <class T, class M>
CallResult<reply_t<T, M>> call(const Via& name, M&& msg) {
    return sup::call(whereis_as<T>(name), std::forward<M>(msg));
}
/// sup::cast through a via-name: false if nobody is registered under it.
template <class T, class M>
bool cast(const Via& name, M&& msg) {
    return sup::cast(whereis_as<T>(name), std::forward<M>(msg));
}
/// sup::send through a via-name.
template <class T, class M>
bool send(const Via& name, M&& msg) {
    return sup::send(whereis_as<T>(name), std::forward<M>(msg));
}

// ---------------------------------------------------------------- implementation

namespace detail {
/// The before_init hook of a via-named start: registers sup::self() under the name.
std::function<std::optional<ExitReason>()> register_via(Via name);
} // namespace detail

template <class T, class... A>
ChildSpec via_worker(std::string id, Via name, A&&... args) {
    ChildSpec s;
    s.id = std::move(id);
    s.start = [name = std::move(name),
               ... a = std::decay_t<A>(std::forward<A>(args))](StartContext& ctx) {
        SpawnOptions o;
        o.before_init = detail::register_via(name);
        return ctx.template spawn_link_opt<T>(std::move(o), a...);
    };
    return s;
}

template <class T, class... Extra, class KeyOf, class... Fixed>
ChildTemplate via_dynamic_worker(RegistryRef registry, KeyOf key_of, Fixed&&... fixed) {
    static_assert(sizeof...(Extra) > 0, "the key comes from the start_child arguments");
    ChildTemplate t;
    t.start = [registry = std::move(registry), key_of = std::move(key_of),
               ... f = std::decay_t<Fixed>(std::forward<Fixed>(fixed))](
                  StartContext& ctx, const StartArgs& extra) -> StartResult<Pid> {
        auto* tup = std::any_cast<std::tuple<Extra...>>(&extra.value());
        if (!tup)
            return StartResult<Pid>::make_failed(ExitReason::error("bad start arguments"));
        return std::apply(
            [&](const Extra&... e) {
                SpawnOptions o;
                o.before_init = detail::register_via(Via{registry, std::string(key_of(e...))});
                return ctx.template spawn_link_opt<T>(std::move(o), f..., e...);
            },
            *tup);
    };
    t.extra_args = &typeid(std::tuple<Extra...>);
    return t;
}

} // namespace sup::std_lib
