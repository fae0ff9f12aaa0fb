// Elixir's Registry over a shared, sharded table.
//
// As in Elixir, each registration is written in two places: the pid table of the registering
// actor's partition (hash of the pid), whose partition actor monitors that actor and removes its
// entries when it dies, and the key table of the key's partition (hash of the key for unique
// registries, of the pid for duplicate ones). Callers read and write the tables directly, under
// one lock per table; they never wait for the partition actors. Never two locks at once.
#include "sup/std/registry.hpp"

#include "sup/extension.hpp"
#include "sup/std/hash.hpp"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>
#include <unordered_set>

namespace sup::std_lib {

namespace detail {

class RegistryTable;

/// A runtime's registries by pid id, so that a Pid (or a name) reaches its table without a
/// message. One per runtime (sup::ext::runtime_state): pid ids are unique within a runtime only.
struct RegistryDirectory {
    std::mutex m;
    std::unordered_map<std::uint64_t, std::weak_ptr<RegistryTable>> tables;
};

class RegistryTable {
public:
    RegistryTable(bool unique, std::size_t n)
        : unique(unique), n(n), keys(new KeyShard[n]), pids(new PidShard[n]) {}

    const bool unique;
    const std::size_t n;
    Pid owner;                              // the Registry actor; set before `open`
    std::vector<Pid> partitions;            // the partition actors; set before `open`
    RegistryDirectory* directory = nullptr; // its runtime's; set before `open`
    std::atomic<bool> open{false};

    struct KeyShard {
        mutable std::shared_mutex m;
        std::unordered_map<std::string, std::vector<RegistryEntry>> map;
        std::size_t entries = 0;
    };
    struct PidShard {
        std::mutex m;
        std::unordered_map<Pid, std::vector<std::string>> map; // actor -> its keys
    };
    std::unique_ptr<KeyShard[]> keys;
    std::unique_ptr<PidShard[]> pids;

    bool alive() const { return open.load(std::memory_order_acquire) && owner.alive(); }
    std::size_t pid_partition(const Pid& p) const { return p.id() % n; }
    std::size_t key_partition(std::string_view key, const Pid& p) const {
        return unique ? static_cast<std::size_t>(partition_of(key, static_cast<std::int64_t>(n)))
                      : pid_partition(p);
    }

    /// Removes `pid`'s entries under `key` from the key table; the number removed.
    std::size_t erase_entries(std::string_view key, const Pid& pid) {
        KeyShard& s = keys[key_partition(key, pid)];
        std::unique_lock l(s.m);
        auto it = s.map.find(std::string(key));
        if (it == s.map.end())
            return 0;
        auto& v = it->second;
        std::size_t before = v.size();
        std::erase_if(v, [&](const RegistryEntry& e) { return e.pid == pid; });
        std::size_t removed = before - v.size();
        s.entries -= removed;
        if (v.empty())
            s.map.erase(it);
        return removed;
    }

    /// `pid` died: forget it and every entry it had.
    void remove_pid(const Pid& pid) {
        std::vector<std::string> its_keys;
        {
            PidShard& s = pids[pid_partition(pid)];
            std::lock_guard l(s.m);
            auto it = s.map.find(pid);
            if (it == s.map.end())
                return;
            its_keys = std::move(it->second);
            s.map.erase(it);
        }
        std::sort(its_keys.begin(), its_keys.end());
        its_keys.erase(std::unique(its_keys.begin(), its_keys.end()), its_keys.end());
        for (const std::string& k : its_keys)
            erase_entries(k, pid);
    }

    /// The live entries of one key shard under `key`.
    std::vector<RegistryEntry> live_entries(std::size_t shard, std::string_view key) const {
        std::vector<RegistryEntry> out;
        const KeyShard& s = keys[shard];
        std::shared_lock l(s.m);
        auto it = s.map.find(std::string(key));
        if (it == s.map.end())
            return out;
        for (const RegistryEntry& e : it->second)
            if (e.pid.alive())
                out.push_back(e);
        return out;
    }
};

} // namespace detail

namespace {

using detail::RegistryTable;

/// Monitors the actors registered in one pid partition and cleans up after them.
class RegistryPartition : public Actor<RegistryPartition> {
public:
    struct Watch {
        Pid pid;
    };
    explicit RegistryPartition(std::shared_ptr<RegistryTable> table) : table_(std::move(table)) {}
    void handle_cast(Watch w) {
        if (watched_.insert(w.pid).second)
            monitor(w.pid);
    }
    void handle_info(Down d) {
        watched_.erase(d.pid);
        table_->remove_pid(d.pid);
    }

private:
    std::shared_ptr<RegistryTable> table_;
    std::unordered_set<Pid> watched_;
};

using detail::RegistryDirectory;

std::shared_ptr<RegistryTable> table_of(const Pid& registry) {
    if (!registry.alive()) // a dead registry has no live table (and its runtime may be gone)
        return nullptr;
    // One cached registry per thread. A live table holds its owner's pid, whose cell cannot be
    // reused meanwhile: the same pid is the same registry.
    thread_local std::weak_ptr<RegistryTable> cached;
    if (auto t = cached.lock(); t && t->owner == registry)
        return t;
    RegistryDirectory& dir = ext::runtime_state<RegistryDirectory>(*ext::runtime_of(registry));
    std::shared_ptr<RegistryTable> t;
    {
        std::lock_guard l(dir.m);
        auto it = dir.tables.find(registry.id());
        if (it != dir.tables.end())
            t = it->second.lock();
    }
    if (t)
        cached = t;
    return t;
}

/// The live table of `ref`, or null.
std::shared_ptr<RegistryTable> live_table(const RegistryRef& ref) {
    auto t = table_of(ref.resolve());
    return t && t->alive() ? t : nullptr;
}

RegistryError error(RegistryError::Code c, Pid pid = {}) {
    RegistryError e;
    e.code = c;
    e.pid = std::move(pid);
    return e;
}

} // namespace

// ---------------------------------------------------------------- RegistryRef, errors

Pid RegistryRef::resolve() const {
    if (pid_ || name_.empty())
        return pid_;
    if (rt_)
        return rt_->whereis(name_);
    Runtime* rt = ext::current_runtime();
    return rt ? rt->whereis(name_) : Pid();
}

std::string RegistryRef::to_string() const {
    return name_.empty() ? pid_.to_string() : name_;
}

std::string RegistryError::to_string() const {
    switch (code) {
    case Code::already_registered:
        return "already_registered " + pid.to_string();
    case Code::noproc:
        return "noproc";
    case Code::not_an_actor:
        return "not_an_actor";
    case Code::not_unique:
        return "not_unique";
    case Code::not_found:
        return "not_found";
    }
    return "registry error";
}

// ---------------------------------------------------------------- the actor

Registry::Registry(std::string keys, std::int64_t partitions, std::optional<std::string> name)
    : name_(std::move(name)), keys_(std::move(keys)), partitions_(partitions) {}

Registry::~Registry() {
    if (!table_)
        return;
    table_->open.store(false, std::memory_order_release);
    RegistryDirectory& dir = *table_->directory;
    std::lock_guard l(dir.m);
    auto it = dir.tables.find(table_->owner.id());
    if (it != dir.tables.end() && it->second.lock() == table_)
        dir.tables.erase(it);
}

InitResult Registry::init() {
    if (keys_ != "unique" && keys_ != "duplicate")
        return InitResult::stop(
            ExitReason::error("keys must be unique or duplicate, found '" + keys_ + "'"));
    if (partitions_ < 1)
        return InitResult::stop(ExitReason::error("partitions must be a positive integer, found " +
                                                  std::to_string(partitions_)));
    if (name_ && !runtime().register_name(*name_, self_pid()))
        return InitResult::stop(ExitReason::error("already_started"));
    auto table =
        std::make_shared<RegistryTable>(keys_ == "unique", static_cast<std::size_t>(partitions_));
    for (std::int64_t i = 0; i < partitions_; ++i) {
        auto p = sup::spawn_link<RegistryPartition>(table);
        if (!p)
            return InitResult::stop(p.reason());
        table->partitions.push_back(std::move(p.value()));
    }
    table->owner = self_pid();
    table->directory = &ext::runtime_state<RegistryDirectory>(runtime());
    table->open.store(true, std::memory_order_release);
    table_ = std::move(table);
    std::lock_guard l(table_->directory->m);
    table_->directory->tables[self_pid().id()] = table_;
    return InitResult::ok();
}

void Registry::terminate(const ExitReason&) {
    if (table_)
        table_->open.store(false, std::memory_order_release);
}

// ---------------------------------------------------------------- the API

RegistryResult<void> Registry::register_key(const RegistryRef& registry, std::string key,
                                            std::any value) {
    Pid self = sup::self();
    if (!self)
        return sup::fail(error(RegistryError::Code::not_an_actor));
    auto t = live_table(registry);
    if (!t)
        return sup::fail(error(RegistryError::Code::noproc));

    // The pid table first: whatever happens next, the partition can clean up.
    std::size_t pp = t->pid_partition(self);
    bool first = false;
    {
        RegistryTable::PidShard& s = t->pids[pp];
        std::lock_guard l(s.m);
        auto [it, inserted] = s.map.try_emplace(self);
        first = inserted;
        it->second.push_back(key);
    }
    if (first)
        sup::cast(t->partitions[pp].as<RegistryPartition>(), RegistryPartition::Watch{self});

    Pid holder;
    {
        RegistryTable::KeyShard& s = t->keys[t->key_partition(key, self)];
        std::unique_lock l(s.m);
        auto& entries = s.map[key];
        if (t->unique && !entries.empty()) {
            if (entries.front().pid.alive()) {
                holder = entries.front().pid;
            } else { // a dead holder whose down message is not processed yet: replace it
                s.entries -= entries.size();
                entries.clear();
            }
        }
        if (!holder) {
            entries.push_back(RegistryEntry{self, std::move(value)});
            ++s.entries;
        }
    }
    if (holder) {
        RegistryTable::PidShard& s = t->pids[pp];
        std::lock_guard l(s.m);
        auto it = s.map.find(self);
        if (it != s.map.end()) {
            auto& ks = it->second;
            auto k = std::find(ks.rbegin(), ks.rend(), key);
            if (k != ks.rend())
                ks.erase(std::next(k).base());
        }
        return sup::fail(error(RegistryError::Code::already_registered, holder));
    }
    // Killed while registering (a kill does not stop a running handler): its cleanup may have
    // run before the entry was written.
    if (!self.alive())
        t->erase_entries(key, self);
    return {};
}

RegistryResult<void> Registry::unregister(const RegistryRef& registry, std::string_view key) {
    Pid self = sup::self();
    if (!self)
        return sup::fail(error(RegistryError::Code::not_an_actor));
    auto t = live_table(registry);
    if (!t)
        return sup::fail(error(RegistryError::Code::noproc));
    t->erase_entries(key, self);
    RegistryTable::PidShard& s = t->pids[t->pid_partition(self)];
    std::lock_guard l(s.m);
    auto it = s.map.find(self);
    if (it != s.map.end()) // the actor stays monitored: it may register again
        std::erase(it->second, std::string(key));
    return {};
}

std::vector<RegistryEntry> Registry::lookup(const RegistryRef& registry, std::string_view key) {
    auto t = live_table(registry);
    if (!t)
        return {};
    if (t->unique)
        return t->live_entries(t->key_partition(key, Pid()), key);
    std::vector<RegistryEntry> out;
    for (std::size_t i = 0; i < t->n; ++i) {
        auto part = t->live_entries(i, key);
        out.insert(out.end(), std::make_move_iterator(part.begin()),
                   std::make_move_iterator(part.end()));
    }
    return out;
}

std::vector<std::string> Registry::keys(const RegistryRef& registry, const Pid& pid) {
    auto t = live_table(registry);
    if (!t || !pid.alive())
        return {};
    RegistryTable::PidShard& s = t->pids[t->pid_partition(pid)];
    std::lock_guard l(s.m);
    auto it = s.map.find(pid);
    return it == s.map.end() ? std::vector<std::string>{} : it->second;
}

std::size_t Registry::count(const RegistryRef& registry) {
    auto t = live_table(registry);
    if (!t)
        return 0;
    std::size_t n = 0;
    for (std::size_t i = 0; i < t->n; ++i) {
        std::shared_lock l(t->keys[i].m);
        n += t->keys[i].entries;
    }
    return n;
}

std::size_t Registry::dispatch(const RegistryRef& registry, std::string_view key,
                               const std::function<void(const std::vector<RegistryEntry>&)>& fn) {
    auto t = live_table(registry);
    if (!t)
        return 0;
    std::size_t n = 0;
    auto one = [&](std::size_t shard) {
        auto entries = t->live_entries(shard, key); // copied: fn runs without the lock
        if (!entries.empty()) {
            n += entries.size();
            fn(entries);
        }
    };
    if (t->unique)
        one(t->key_partition(key, Pid()));
    else
        for (std::size_t i = 0; i < t->n; ++i)
            one(i);
    return n;
}

RegistryResult<std::pair<std::any, std::any>>
Registry::update_value(const RegistryRef& registry, std::string_view key,
                       const std::function<std::any(const std::any&)>& fn) {
    Pid self = sup::self();
    if (!self)
        return sup::fail(error(RegistryError::Code::not_an_actor));
    auto t = live_table(registry);
    if (!t)
        return sup::fail(error(RegistryError::Code::noproc));
    if (!t->unique)
        return sup::fail(error(RegistryError::Code::not_unique));
    RegistryTable::KeyShard& s = t->keys[t->key_partition(key, self)];
    std::any old;
    {
        std::shared_lock l(s.m);
        auto it = s.map.find(std::string(key));
        if (it == s.map.end() || it->second.empty() || it->second.front().pid != self)
            return sup::fail(error(RegistryError::Code::not_found));
        old = it->second.front().value;
    }
    std::any fresh = fn(old); // outside the lock: fn may use the registry
    {
        // Only the key's holder, the calling actor, changes or removes its entry.
        std::unique_lock l(s.m);
        auto it = s.map.find(std::string(key));
        if (it == s.map.end() || it->second.empty() || it->second.front().pid != self)
            return sup::fail(error(RegistryError::Code::not_found));
        it->second.front().value = fresh;
    }
    return std::pair<std::any, std::any>(std::move(fresh), std::move(old));
}

Pid Registry::whereis_name(const Via& name) {
    auto t = live_table(name.registry);
    if (!t || !t->unique)
        return {};
    auto entries = t->live_entries(t->key_partition(name.key, Pid()), name.key);
    return entries.empty() ? Pid() : entries.front().pid;
}

RegistryResult<bool> Registry::unique(const RegistryRef& registry) {
    auto t = live_table(registry);
    if (!t)
        return sup::fail(error(RegistryError::Code::noproc));
    return t->unique;
}

RegistryResult<std::int64_t> Registry::partitions(const RegistryRef& registry) {
    auto t = live_table(registry);
    if (!t)
        return sup::fail(error(RegistryError::Code::noproc));
    return static_cast<std::int64_t>(t->n);
}

namespace detail {
namespace {
// The via module's calls: the registry by its registered name, in the caller's runtime (the
// child being started) or in `rt`.
std::optional<std::string> via_register(std::string_view registry, std::string_view key) {
    if (std::optional<ExitReason> refused =
            register_via(Via{RegistryRef(std::string(registry)), std::string(key)})())
        return refused->to_string();
    return std::nullopt;
}
Pid via_whereis(Runtime& rt, std::string_view registry, std::string_view key) {
    return Registry::whereis_name(Via{RegistryRef(rt, std::string(registry)), std::string(key)});
}
} // namespace

std::function<std::optional<ExitReason>()> register_via(Via name) {
    return [name = std::move(name)]() -> std::optional<ExitReason> {
        auto unique = Registry::unique(name.registry);
        if (!unique)
            return ExitReason::error("noproc");
        if (!unique.value())
            return ExitReason::error("via-names need a registry with unique keys");
        auto r = Registry::register_key(name.registry, name.key);
        if (r)
            return std::nullopt;
        if (r.error().code == RegistryError::Code::already_registered)
            return ExitReason::error("already_started");
        return ExitReason::error(r.error().to_string());
    };
}
} // namespace detail

const ViaModule& registry_via() {
    static const ViaModule module{"Registry", detail::via_register, detail::via_whereis};
    return module;
}

} // namespace sup::std_lib
