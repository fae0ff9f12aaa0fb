// The runtime's state behind sup::Runtime.
#pragma once

#include "cell.hpp"
#include "scheduler.hpp"
#include "sup/events.hpp"
#include "sup/runtime.hpp"
#include "sup/schedulers.hpp"

#include <array>
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <typeinfo>
#include <unordered_map>
#include <vector>

namespace sup::detail {

/// Implemented by runtimes so that a virtual clock can wait for them to settle.
class QuiescenceSource {
public:
    virtual void wait_quiescent() = 0;

protected:
    ~QuiescenceSource() = default;
};

/// Registered names (erlang:register/2).
class Registry {
public:
    bool add(const std::string& name, Cell* c);
    /// Removes `name` if it still designates `c` (at death).
    void remove_if(const std::string& name, Cell* c);
    bool remove(std::string_view name);
    Pid find(std::string_view name) const;
    std::vector<std::string> names() const;

private:
    mutable std::mutex m_;
    std::unordered_map<std::string, Cell*> map_;
};

class Logger {
public:
    Logger(LogLevel level, std::function<void(std::string_view)> sink);
    bool enabled(LogLevel l) const { return l != LogLevel::none && l <= level_; }
    void log(const std::string& report) const;

private:
    LogLevel level_;
    std::function<void(std::string_view)> sink_;
    mutable std::mutex m_;
};

/// Libraries' per-runtime state (sup/extension.hpp): made on first use, destroyed with the
/// runtime after its actors, newest first.
class ExtensionStates {
public:
    ExtensionStates() = default;
    ExtensionStates(const ExtensionStates&) = delete;
    ExtensionStates& operator=(const ExtensionStates&) = delete;
    ~ExtensionStates() { clear(); }
    void* get(const std::type_info& type, void* (*make)(), void (*destroy)(void*) noexcept);
    void clear() noexcept;

private:
    struct Entry {
        const std::type_info* type;
        void* object;
        void (*destroy)(void*) noexcept;
    };
    std::mutex m_;
    std::vector<Entry> entries_; // in the order they were made
};

class Executor;

class RuntimeImpl final : public QuiescenceSource {
public:
    RuntimeImpl(Runtime& facade, RuntimeOptions opts);
    ~RuntimeImpl();
    void start();
    void shutdown();
    bool stopped() const { return shut_down_.load(std::memory_order_acquire); }

    void wait_quiescent() override { sched.wait_quiescent(); }

    void live_add(Cell* c);
    void live_remove(Cell* c);
    std::size_t live_count() const { return live_.load(std::memory_order_relaxed); }
    std::uint64_t new_id() { return next_id_.fetch_add(1, std::memory_order_relaxed); }
    std::uint64_t new_monitor_id() { return next_monitor_.fetch_add(1, std::memory_order_relaxed); }

    /// Runs `fn` inside an internal actor and waits (deterministic mode: threads that are not
    /// scheduler threads never run actor code).
    void run_in_actor(const std::function<void()>& fn);

    Runtime& facade;
    RuntimeOptions opts;
    /// The scheduler threads: options.threads, else SUPC_SCHEDULERS or one per hardware thread.
    SchedulerCount schedulers;
    std::shared_ptr<Clock> clock;
    Scheduler sched;
    Registry registry;
    EventBus events;
    Logger logger;
    bool deterministic;
    /// Cleared by ~RuntimeImpl once the actors are gone.
    ExtensionStates extension_states;

private:
    struct Shard {
        std::mutex m;
        Cell* head = nullptr;
    };
    std::array<Shard, 16> shards_;
    std::atomic<std::size_t> live_{0};
    std::atomic<std::uint64_t> next_id_{1};
    std::atomic<std::uint64_t> next_monitor_{1};
    Pid executor_;
    std::atomic<bool> shut_down_{false};
};

} // namespace sup::detail
