// The pool: a dispatcher that checks workers out and in (poolboy's protocol), the workers'
// supervisor, and short-lived job actors for submitted jobs.
#include "sup/std/pool.hpp"

#include "sup/extension.hpp"
#include "sup/std/partition_supervisor.hpp" // detail::child_from_template

#include <algorithm>
#include <atomic>
#include <deque>
#include <mutex>
#include <optional>
#include <unordered_map>

namespace sup::std_lib {

namespace detail {
/// Shared by the pool's start functions and its dispatcher: where to announce a worker.
struct PoolShared {
    std::mutex m;
    Ref<PoolDispatcher> dispatcher;

    void set_dispatcher(Ref<PoolDispatcher> d) {
        std::lock_guard l(m);
        dispatcher = std::move(d);
    }
    void worker_up(std::int64_t index, const Pid& pid) {
        Ref<PoolDispatcher> d;
        {
            std::lock_guard l(m);
            d = dispatcher;
        }
        sup::send(d, PoolDispatcher::WorkerUp{index, pid});
    }
};
} // namespace detail

namespace {

std::uint64_t next_ticket() {
    static std::atomic<std::uint64_t> n{0};
    return ++n;
}

/// Runs one submitted job on the worker it was given, then checks the worker in.
class PoolJob : public Actor<PoolJob> {
public:
    struct Run {};
    PoolJob(std::function<void(const Pid&)> job, Pid worker, Ref<PoolDispatcher> dispatcher,
            std::uint64_t ticket)
        : job_(std::move(job)), worker_(std::move(worker)), dispatcher_(std::move(dispatcher)),
          ticket_(ticket) {}

    void handle_info(Run) {
        try {
            job_(worker_);
        } catch (...) {
            sup::cast(dispatcher_, PoolDispatcher::Checkin{ticket_});
            throw;
        }
        sup::cast(dispatcher_, PoolDispatcher::Checkin{ticket_});
        stop(ExitReason::normal());
    }

private:
    InitResult init() override {
        sup::send(self(), Run{});
        return InitResult::ok();
    }
    std::function<void(const Pid&)> job_;
    Pid worker_;
    Ref<PoolDispatcher> dispatcher_;
    std::uint64_t ticket_;
};

Ref<PoolDispatcher> dispatcher_of(const Pid& pool) {
    auto children = sup::which_children(pool);
    if (!children)
        return {};
    for (const ChildInfo& c : children.value())
        if (c.id == "dispatcher")
            return c.pid.as<PoolDispatcher>();
    return {};
}

CallError noproc() {
    return CallError{CallError::Code::noproc, {}};
}

} // namespace

// ---------------------------------------------------------------- the dispatcher

struct PoolDispatcher::State {
    struct Slot {
        Pid worker; // empty while restarting
        MonitorRef monitor;
        std::optional<std::uint64_t> ticket; // busy with this ticket
        bool listed = false;                 // in `idle`
    };
    struct Waiter {
        std::uint64_t ticket;
        ReplyTo<Pid> reply;                  // run / transaction
        std::function<void(const Pid&)> job; // submit
    };
    struct Ticket {
        Pid caller;                      // monitored while it holds tickets (actors only)
        std::optional<std::size_t> slot; // the worker it got, if any
    };
    struct Caller {
        MonitorRef monitor;
        std::size_t tickets = 0;
    };

    std::shared_ptr<detail::PoolShared> shared;
    std::vector<Slot> slots;
    std::deque<std::size_t> idle; // FIFO: the worker idle the longest goes first
    std::deque<Waiter> queue;
    std::unordered_map<std::uint64_t, Ticket> tickets;
    std::unordered_map<Pid, Caller> callers;
};

PoolDispatcher::PoolDispatcher(std::shared_ptr<detail::PoolShared> shared, std::int64_t size)
    : st_(std::make_unique<State>()) {
    st_->shared = std::move(shared);
    st_->slots.resize(static_cast<std::size_t>(std::max<std::int64_t>(size, 0)));
}

PoolDispatcher::~PoolDispatcher() = default;

InitResult PoolDispatcher::init() {
    st_->shared->set_dispatcher(self());
    return InitResult::ok();
}

void PoolDispatcher::handle_call(Checkout c, ReplyTo<Pid> reply) {
    State::Ticket t;
    if (c.caller) {
        auto [it, fresh] = st_->callers.try_emplace(c.caller);
        if (fresh)
            it->second.monitor = monitor(c.caller);
        ++it->second.tickets;
        t.caller = c.caller;
    }
    st_->tickets.emplace(c.ticket, std::move(t));
    st_->queue.push_back(State::Waiter{c.ticket, std::move(reply), nullptr});
    serve();
}

void PoolDispatcher::handle_cast(Submit s) {
    st_->tickets.emplace(s.ticket, State::Ticket{});
    st_->queue.push_back(State::Waiter{s.ticket, ReplyTo<Pid>(), std::move(s.job)});
    serve();
}

void PoolDispatcher::handle_cast(Checkin c) {
    finish(c.ticket);
}

void PoolDispatcher::handle_cast(Cancel c) {
    finish(c.ticket);
}

PoolStatus PoolDispatcher::handle_call(Status) {
    PoolStatus s;
    s.size = static_cast<std::int64_t>(st_->slots.size());
    for (const auto& slot : st_->slots) {
        if (!slot.worker)
            ++s.restarting;
        else if (slot.ticket)
            ++s.busy;
        else
            ++s.idle;
    }
    s.queued = static_cast<std::int64_t>(st_->queue.size());
    return s;
}

std::vector<Pid> PoolDispatcher::handle_call(Workers) {
    std::vector<Pid> out;
    for (const auto& slot : st_->slots)
        out.push_back(slot.worker);
    return out;
}

void PoolDispatcher::handle_info(WorkerUp w) {
    if (w.index < 0 || static_cast<std::size_t>(w.index) >= st_->slots.size())
        return;
    auto i = static_cast<std::size_t>(w.index);
    State::Slot& slot = st_->slots[i];
    if (slot.worker)
        demonitor(slot.monitor);
    vacate(i);
    slot.worker = w.pid;
    slot.monitor = monitor(w.pid);
    make_idle(i);
    serve();
}

void PoolDispatcher::handle_info(Down d) {
    for (std::size_t i = 0; i < st_->slots.size(); ++i) {
        State::Slot& slot = st_->slots[i];
        if (slot.worker && slot.monitor == d.ref) {
            // The job's caller learns of the crash from its own call; its checkin is ignored.
            vacate(i);
            slot.worker = Pid();
            return;
        }
    }
    auto c = st_->callers.find(d.pid);
    if (c == st_->callers.end() || !(c->second.monitor == d.ref))
        return;
    // A caller died holding tickets: free its workers, drop its requests.
    std::vector<std::uint64_t> its;
    for (const auto& [id, t] : st_->tickets)
        if (t.caller == d.pid)
            its.push_back(id);
    for (std::uint64_t id : its)
        finish(id);
}

void PoolDispatcher::serve() {
    while (!st_->queue.empty()) {
        std::optional<std::size_t> i;
        while (!st_->idle.empty() && !i) {
            std::size_t k = st_->idle.front();
            st_->idle.pop_front();
            st_->slots[k].listed = false;
            if (st_->slots[k].worker && !st_->slots[k].ticket)
                i = k;
        }
        if (!i)
            return;
        State::Waiter w = std::move(st_->queue.front());
        st_->queue.pop_front();
        State::Slot& slot = st_->slots[*i];
        slot.ticket = w.ticket;
        st_->tickets[w.ticket].slot = *i;
        if (w.job) {
            auto job = runtime().spawn<PoolJob>(std::move(w.job), slot.worker, self(), w.ticket);
            if (!job) // the runtime is stopping
                finish(w.ticket);
        } else {
            w.reply.reply(slot.worker);
        }
    }
}

void PoolDispatcher::finish(std::uint64_t ticket) {
    auto it = st_->tickets.find(ticket);
    if (it == st_->tickets.end())
        return;
    State::Ticket t = std::move(it->second);
    st_->tickets.erase(it);
    if (t.slot) {
        State::Slot& slot = st_->slots[*t.slot];
        if (slot.ticket == ticket) {
            slot.ticket.reset();
            if (slot.worker)
                make_idle(*t.slot);
        }
    } else {
        std::erase_if(st_->queue, [&](const State::Waiter& w) { return w.ticket == ticket; });
    }
    if (t.caller) {
        auto c = st_->callers.find(t.caller);
        if (c != st_->callers.end() && --c->second.tickets == 0) {
            demonitor(c->second.monitor);
            st_->callers.erase(c);
        }
    }
    serve();
}

void PoolDispatcher::vacate(std::size_t i) {
    State::Slot& slot = st_->slots[i];
    if (slot.ticket) {
        auto t = st_->tickets.find(*slot.ticket);
        if (t != st_->tickets.end())
            t->second.slot.reset();
        slot.ticket.reset();
    }
}

void PoolDispatcher::make_idle(std::size_t i) {
    if (!st_->slots[i].listed) {
        st_->slots[i].listed = true;
        st_->idle.push_back(i);
    }
}

// ---------------------------------------------------------------- the pool

SupervisorSpec Pool::spec(const ChildTemplate& of, std::int64_t size) {
    auto shared = std::make_shared<detail::PoolShared>();
    SupervisorSpec s;
    s.flags.strategy = Strategy::rest_for_one;
    s.flags.intensity = 3;
    s.flags.period = std::chrono::seconds(5);
    s.children.push_back(sup::worker<PoolDispatcher>("dispatcher", shared, size));
    s.children.push_back(sup::supervisor("workers", [of, size, shared] {
        SupervisorSpec w;
        w.flags.strategy = Strategy::one_for_one;
        w.flags.intensity = static_cast<int>(std::max<std::int64_t>(3, size));
        w.flags.period = std::chrono::seconds(5);
        for (std::int64_t i = 0; i < size; ++i) {
            ChildSpec c = detail::child_from_template(of, std::to_string(i), i);
            c.start = [start = std::move(c.start), shared, i](StartContext& ctx) {
                StartResult<Pid> r = start(ctx);
                if (r.started())
                    shared->worker_up(i, r.value());
                return r;
            };
            w.children.push_back(std::move(c));
        }
        return w;
    }));
    return s;
}

namespace {
std::optional<ExitReason> check(const ChildTemplate& of, std::int64_t size) {
    if (!of.start)
        return ExitReason::error("the pool's worker template has no start function");
    if (size < 1)
        return ExitReason::error("size must be a positive integer, found " + std::to_string(size));
    return std::nullopt;
}
} // namespace

StartResult<Pid> Pool::start_link(StartContext& ctx, ChildTemplate of, std::int64_t size) {
    if (auto bad = check(of, size))
        return StartResult<Pid>::make_failed(*bad);
    return ctx.start_supervisor(spec(of, size));
}

StartResult<Pid> Pool::start(Runtime& rt, ChildTemplate of, std::int64_t size) {
    if (auto bad = check(of, size))
        return StartResult<Pid>::make_failed(*bad);
    return sup::start_supervisor(rt, spec(of, size));
}

ChildSpec Pool::child_spec(std::string id, ChildTemplate of, std::int64_t size) {
    return sup::worker<Pool>(std::move(id), std::move(of), size).with_type(ChildType::supervisor);
}

Result<void, CallError>
Pool::detail_with_worker(const Pid& pool, Clock::duration timeout,
                         const std::function<void(const Pid&, Clock::duration)>& fn) {
    Ref<PoolDispatcher> d = dispatcher_of(pool);
    if (!d)
        return sup::fail(noproc());
    Clock& clock = ext::runtime_of(d)->clock();
    bool infinite = timeout == Clock::duration::max();
    Clock::time_point start = clock.now();
    std::uint64_t ticket = next_ticket();
    CallResult<Pid> w = sup::call(d, PoolDispatcher::Checkout{ticket, sup::self()}, timeout);
    if (!w) {
        // The request may still be queued, or a worker may have been assigned to it after
        // the timeout: either way the dispatcher must forget it.
        sup::cast(d, PoolDispatcher::Cancel{ticket});
        return sup::fail(w.error());
    }
    struct Checkin {
        Ref<PoolDispatcher>& d;
        std::uint64_t ticket;
        ~Checkin() { sup::cast(d, PoolDispatcher::Checkin{ticket}); }
    } checkin{d, ticket};
    Clock::duration left =
        infinite ? timeout : std::max(Clock::duration::zero(), timeout - (clock.now() - start));
    fn(w.value(), left);
    return {};
}

Result<void, CallError> Pool::detail_submit(const Pid& pool, std::function<void(const Pid&)> job) {
    Ref<PoolDispatcher> d = dispatcher_of(pool);
    if (!d || !sup::cast(d, PoolDispatcher::Submit{next_ticket(), std::move(job)}))
        return sup::fail(noproc());
    return {};
}

CallResult<PoolStatus> Pool::status(const Pid& pool) {
    Ref<PoolDispatcher> d = dispatcher_of(pool);
    if (!d)
        return sup::fail(noproc());
    return sup::call(d, PoolDispatcher::Status{});
}

CallResult<std::vector<Pid>> Pool::workers(const Pid& pool) {
    Ref<PoolDispatcher> d = dispatcher_of(pool);
    if (!d)
        return sup::fail(noproc());
    return sup::call(d, PoolDispatcher::Workers{});
}

} // namespace sup::std_lib
