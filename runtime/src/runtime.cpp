// sup::Runtime and its parts: the name registry, the logger, the live-actor list, shutdown.
#include "access.hpp"
#include "live_runtimes.hpp"
#include "runtime_impl.hpp"
#include "sup/call.hpp"

#include <algorithm>
#include <cstdio>
#include <mutex>
#include <optional>
#include <vector>

namespace sup::detail {

// ---------------------------------------------------------------- Registry

bool Registry::add(const std::string& name, Cell* c) {
    std::lock_guard<std::mutex> l(m_);
    if (map_.count(name))
        return false;
    {
        Guard<SpinLock> g(c->lock);
        if (c->life.load(std::memory_order_relaxed) == Life::dead)
            return false;
        if (c->extras && !c->extras->name.empty())
            return false; // one name per actor
        c->ex().name = name;
    }
    map_.emplace(name, c);
    return true;
}

void Registry::remove_if(const std::string& name, Cell* c) {
    std::lock_guard<std::mutex> l(m_);
    auto it = map_.find(name);
    if (it != map_.end() && it->second == c)
        map_.erase(it);
}

bool Registry::remove(std::string_view name) {
    std::lock_guard<std::mutex> l(m_);
    auto it = map_.find(std::string(name));
    if (it == map_.end())
        return false;
    Cell* c = it->second;
    {
        Guard<SpinLock> g(c->lock);
        if (c->extras)
            c->extras->name.clear();
    }
    map_.erase(it);
    return true;
}

Pid Registry::find(std::string_view name) const {
    std::lock_guard<std::mutex> l(m_);
    auto it = map_.find(std::string(name));
    if (it == map_.end())
        return Pid();
    return make_pid(it->second);
}

std::vector<std::string> Registry::names() const {
    std::lock_guard<std::mutex> l(m_);
    std::vector<std::string> v;
    for (auto& [n, c] : map_)
        v.push_back(n);
    return v;
}

// ---------------------------------------------------------------- Logger

Logger::Logger(LogLevel level, std::function<void(std::string_view)> sink)
    : level_(level), sink_(std::move(sink)) {}

void Logger::log(const std::string& report) const {
    std::lock_guard<std::mutex> l(m_);
    if (sink_) {
        sink_(report);
    } else {
        std::fputs(report.c_str(), stderr);
        std::fflush(stderr);
    }
}

// ---------------------------------------------------------------- Executor

/// Runs closures inside an actor (deterministic mode: start actors from outside threads).
class Executor final : public Actor<Executor> {
public:
    struct Run {
        const std::function<void()>* fn;
    };
    void handle_call(Run r) { (*r.fn)(); }
};

// ---------------------------------------------------------------- RuntimeImpl

namespace {
SchedulerCount scheduler_count_for(const RuntimeOptions& o) {
    if (o.deterministic || o.threads > 0)
        return SchedulerCount{o.deterministic ? 1u : o.threads, {}};
    return default_schedulers();
}
} // namespace

RuntimeImpl::RuntimeImpl(Runtime& f, RuntimeOptions o)
    : facade(f), opts(std::move(o)), schedulers(scheduler_count_for(opts)),
      clock(opts.clock ? opts.clock : std::make_shared<RealClock>()),
      sched(*this, schedulers.threads, opts.deterministic), logger(opts.log_level, opts.log_sink),
      deterministic(opts.deterministic) {}

RuntimeImpl::~RuntimeImpl() {
    shutdown();
    extension_states.clear(); // after the actors, which may use them to the end
}

void RuntimeImpl::start() {
    if (!schedulers.warning.empty() && logger.enabled(LogLevel::error))
        logger.log("=WARNING REPORT====\n    " + schedulers.warning + "\n");
    clock->attach(this);
    // The internal actor first, from this thread, before any scheduler thread exists.
    bool det = deterministic;
    deterministic = false;
    executor_ = spawn_with<Executor>(this, SpawnOptions{}).value();
    deterministic = det;
    sched.start();
}

void RuntimeImpl::run_in_actor(const std::function<void()>& fn) {
    Ref<Executor> ex = executor_.as<Executor>();
    (void)sup::call(ex, Executor::Run{&fn}, sup::infinity);
}

void RuntimeImpl::live_add(Cell* c) {
    Shard& s = shards_[c->id % shards_.size()];
    std::lock_guard<std::mutex> l(s.m);
    c->live_prev = nullptr;
    c->live_next = s.head;
    if (s.head)
        s.head->live_prev = c;
    s.head = c;
    live_.fetch_add(1, std::memory_order_relaxed);
}

void RuntimeImpl::live_remove(Cell* c) {
    {
        Shard& s = shards_[c->id % shards_.size()];
        std::lock_guard<std::mutex> l(s.m);
        if (c->live_prev)
            c->live_prev->live_next = c->live_next;
        else
            s.head = c->live_next;
        if (c->live_next)
            c->live_next->live_prev = c->live_prev;
        c->live_prev = c->live_next = nullptr;
        live_.fetch_sub(1, std::memory_order_relaxed);
    }
    c->release(); // the live list's reference
}

void RuntimeImpl::shutdown() {
    if (shut_down_.exchange(true))
        return;
    // Kill whatever is left (no terminate), until nothing is left: a handler still running may
    // start actors.
    for (int round = 0; live_count() > 0; ++round) {
        std::vector<Cell*> cells;
        for (Shard& s : shards_) {
            std::lock_guard<std::mutex> l(s.m);
            for (Cell* c = s.head; c; c = c->live_next) {
                c->retain();
                cells.push_back(c);
            }
        }
        for (Cell* c : cells) {
            kill_cell(c, ExitReason::killed());
            c->release();
        }
        if (live_count() > 0)
            sched.wait_quiescent_for(std::chrono::milliseconds(10));
    }
    sched.wait_quiescent();
    sched.stop();
    clock->detach(this);
    executor_ = Pid();
}

Clock& clock_of(RuntimeImpl* rt) noexcept {
    return *rt->clock;
}
Clock::duration default_call_timeout(RuntimeImpl* rt) noexcept {
    return rt->opts.call_timeout;
}
RuntimeImpl* impl_of(Runtime& rt) noexcept {
    return rt.impl_.get();
}

} // namespace sup::detail

namespace sup {

using namespace detail;

namespace {
// The runtimes alive in the process, for schedulers() outside actors (detail::
// sole_runtime_threads). Function-local statics: runtimes may be made during static
// initialisation.
std::mutex& live_mutex() {
    static std::mutex m;
    return m;
}
std::vector<const Runtime*>& live_runtimes() {
    static std::vector<const Runtime*> v;
    return v;
}
} // namespace

std::optional<unsigned> detail::sole_runtime_threads() {
    std::lock_guard lock(live_mutex());
    if (live_runtimes().size() != 1)
        return std::nullopt;
    return live_runtimes().front()->threads(); // under the lock: ~Runtime waits for it
}

Runtime::Runtime(RuntimeOptions options)
    : impl_(std::make_unique<RuntimeImpl>(*this, std::move(options))) {
    impl_->start();
    std::lock_guard lock(live_mutex());
    live_runtimes().push_back(this);
}

Runtime::~Runtime() {
    {
        std::lock_guard lock(live_mutex());
        auto& v = live_runtimes();
        v.erase(std::remove(v.begin(), v.end(), this), v.end());
    }
    impl_->shutdown();
}

void Runtime::shutdown() {
    impl_->shutdown();
}

bool Runtime::register_name(std::string name, const Pid& pid) {
    if (!pid || name.empty())
        return false;
    return impl_->registry.add(name, as_cell(pid.cell()));
}

bool Runtime::unregister_name(std::string_view name) {
    return impl_->registry.remove(name);
}

Pid Runtime::whereis(std::string_view name) const {
    return impl_->registry.find(name);
}

std::vector<std::string> Runtime::registered() const {
    return impl_->registry.names();
}

namespace {
std::optional<ExitReason> await_exit(RuntimeImpl* rt, const Pid& pid, bool request,
                                     const ExitReason& reason, Clock::duration timeout,
                                     const std::chrono::milliseconds* real) {
    if (!pid)
        return ExitReason::error("noproc");
    Cell* c = as_cell(pid.cell());
    auto* w = new ExitWait;
    std::uint64_t id = watch_cell(c, w);
    if (request)
        shutdown_request(c, reason);
    CompletionBase::State st;
    if (real) {
        st = w->wait_real(rt, std::chrono::steady_clock::now() + *real);
    } else {
        bool infinite = timeout == Clock::duration::max();
        Clock::time_point deadline{};
        if (!infinite) {
            Clock::time_point now = rt->clock->now();
            infinite = timeout > Clock::time_point::max() - now;
            if (!infinite)
                deadline = now + timeout;
        }
        st = w->wait(rt, deadline, infinite);
    }
    if (st == CompletionBase::done) {
        ExitReason r = w->reason;
        w->release();
        return r;
    }
    unwatch_cell(c, id);
    w->release();
    return std::nullopt;
}
} // namespace

std::optional<ExitReason> Runtime::stop(const Pid& pid, ExitReason reason,
                                        Clock::duration timeout) {
    return await_exit(impl_.get(), pid, true, reason, timeout, nullptr);
}

std::optional<ExitReason> Runtime::wait_exit(const Pid& pid, Clock::duration timeout) {
    return await_exit(impl_.get(), pid, false, {}, timeout, nullptr);
}

std::optional<ExitReason> Runtime::wait_exit_real(const Pid& pid,
                                                  std::chrono::milliseconds timeout) {
    return await_exit(impl_.get(), pid, false, {}, {}, &timeout);
}

Clock& Runtime::clock() const {
    return *impl_->clock;
}
VirtualClock* Runtime::virtual_clock() const {
    return impl_->clock->is_virtual() ? static_cast<VirtualClock*>(impl_->clock.get()) : nullptr;
}
void Runtime::wait_quiescent() {
    impl_->sched.wait_quiescent();
}
bool Runtime::wait_quiescent_for(std::chrono::milliseconds t) {
    return impl_->sched.wait_quiescent_for(t);
}
EventBus& Runtime::events() {
    return impl_->events;
}
unsigned Runtime::threads() const {
    return impl_->sched.threads();
}
bool Runtime::deterministic() const {
    return impl_->deterministic;
}
std::size_t Runtime::live_actors() const {
    return impl_->live_count();
}

SchedulerStats Runtime::scheduler_stats() const {
    return impl_->sched.stats();
}

std::size_t Runtime::message_queue_len(const Pid& pid) const {
    if (!pid)
        return 0;
    Cell* c = as_cell(pid.cell());
    Guard<SpinLock> g(c->lock);
    std::size_t n = 0;
    for (Envelope* e = c->head; e; e = e->next)
        ++n;
    return n;
}

bool exit(const Pid& pid, ExitReason reason) {
    if (!pid || !pid.alive())
        return false;
    Cell* c = as_cell(pid.cell());
    exit_signal(c, tls().current, reason);
    return true;
}

void kill(const Pid& pid) {
    if (!pid || !pid.alive())
        return;
    Cell* c = as_cell(pid.cell());
    RuntimeImpl* rt = c->rt;
    ThreadState& ts = tls();
    if (rt->deterministic && !(ts.worker && rt->sched.owns(ts.worker))) {
        rt->run_in_actor([&] { kill_cell(c, ExitReason::killed()); });
        return;
    }
    kill_cell(c, ExitReason::killed());
}

Pid self() {
    Cell* c = tls().current;
    return c ? make_pid(c) : Pid();
}

bool link(const Pid& pid) {
    Cell* c = tls().current;
    if (!c || !pid)
        return false;
    link_cells(c, as_cell(pid.cell()));
    return true;
}

bool unlink(const Pid& pid) {
    Cell* c = tls().current;
    if (!c || !pid)
        return false;
    unlink_cells(c, as_cell(pid.cell()));
    return true;
}

} // namespace sup
