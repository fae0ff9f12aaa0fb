// The life of an actor: start (init), message processing, stop, death, kill.
#include "cell.hpp"

#include "access.hpp"
#include "runtime_impl.hpp"
#include "timers.hpp"

#include <exception>

namespace sup::detail {

namespace {
constexpr int kBatch = 64; // messages per scheduling step before yielding the thread
constexpr int kMaxInlineDepth = 16;

/// An exit signal delivered as a message to an actor that traps exits.
struct ExitSignalEnvelope final : Envelope {
    ExitSignal sig;
    explicit ExitSignalEnvelope(ExitSignal s) : Envelope(EnvKind::exit_signal), sig(std::move(s)) {}
    void run(ActorBase& a) override { Access::exit_signal(a, std::move(sig)); }
};

/// A request from the parent (or Runtime::stop) to stop.
struct ShutdownEnvelope final : Envelope {
    ExitReason reason;
    explicit ShutdownEnvelope(ExitReason r)
        : Envelope(EnvKind::shutdown_request), reason(std::move(r)) {}
    void run(ActorBase& a) override {
        if (a.on_shutdown_request(reason)) {
            Access::stop_requested(a) = true;
            Access::stop_reason(a) = reason;
        }
    }
};

void log_crash(Cell* c, const ExitReason& why) {
    const Logger& lg = c->rt->logger;
    if (!lg.enabled(LogLevel::error))
        return;
    lg.log("=CRASH REPORT====\n  actor " + make_pid(c).to_string() +
           " terminating\n  reason: " + why.to_string() + "\n");
}
} // namespace

ThreadState& tls() {
    thread_local ThreadState ts;
    return ts;
}

Pid make_pid(Cell* c) {
    c->retain();
    return Access::adopt(c);
}

void destroy_cell(CellHeader* h) noexcept {
    Cell* c = as_cell(h);
    delete c->exit_reason;
    delete c;
}

bool cell_alive(const CellHeader* h) noexcept {
    return !static_cast<const Cell*>(h)->dead();
}

ExitReason cell_exit_reason(CellHeader* h) {
    Cell* c = as_cell(h);
    return c->dead() ? *c->exit_reason : ExitReason::normal();
}

Cell* to_cell(CellHeader* h) noexcept {
    return as_cell(h);
}
CellHeader* current_cell() noexcept {
    return tls().current;
}
RuntimeImpl* current_runtime() noexcept {
    ThreadState& ts = tls();
    return ts.current ? ts.current->rt : nullptr;
}
RuntimeImpl* runtime_of(CellHeader* h) noexcept {
    return as_cell(h)->rt;
}

bool may_run_inline(RuntimeImpl* rt) noexcept {
    ThreadState& ts = tls();
    if (ts.inline_depth >= kMaxInlineDepth)
        return false;
    if (ts.worker)
        return rt->sched.owns(ts.worker);
    return !rt->deterministic;
}

bool enqueue(Cell* c, Envelope* e) noexcept {
    bool wake = false;
    bool dead = false;
    {
        Guard<SpinLock> g(c->lock);
        if (c->life.load(std::memory_order_relaxed) == Life::dead) {
            dead = true;
        } else {
            e->next = nullptr;
            if (c->tail)
                c->tail->next = e;
            else
                c->head = e;
            c->tail = e;
            if (c->sched == Sched::idle) {
                c->sched = Sched::scheduled;
                c->rt->sched.active_inc();
                wake = true;
            }
        }
    }
    if (dead) {
        e->fail(nullptr);
        delete e;
        return false;
    }
    if (wake) {
        c->retain();
        c->rt->sched.schedule(c);
    }
    return true;
}

bool deliver(CellHeader* to, Envelope* e) noexcept {
    return enqueue(as_cell(to), e);
}

bool enqueue_continuation(Cell* c, Envelope* e) noexcept {
    bool dead = false;
    {
        Guard<SpinLock> g(c->lock);
        if (c->life.load(std::memory_order_relaxed) == Life::dead) {
            dead = true;
        } else {
            // After the continuations at the front (few: a handler's own), before the rest.
            e->kind = EnvKind::continuation;
            Envelope** at = &c->head;
            while (*at && (*at)->kind == EnvKind::continuation)
                at = &(*at)->next;
            e->next = *at;
            *at = e;
            if (!e->next)
                c->tail = e;
            // Only the actor itself adds continuations: it is running (or in init), so it
            // is neither idle nor in a run queue, and picks this up when its handler returns.
        }
    }
    if (dead) {
        e->fail(nullptr);
        delete e;
        return false;
    }
    return true;
}

void deliver_continuation(CellHeader* self, Envelope* e) noexcept {
    enqueue_continuation(as_cell(self), e);
}

void request_stop(Cell* c) noexcept {
    std::optional<std::stop_source> src;
    {
        Guard<SpinLock> g(c->lock);
        if (c->stop_asked)
            return;
        c->stop_asked = true;
        if (c->extras && c->extras->stop)
            src = *c->extras->stop;
    }
    // Outside the lock: request_stop runs the stop callbacks registered on this thread.
    if (src)
        src->request_stop();
}

bool try_claim(Cell* c) noexcept {
    Guard<SpinLock> g(c->lock);
    if (c->sched != Sched::idle || c->life.load(std::memory_order_relaxed) != Life::alive ||
        c->head || c->pending_exit)
        return false;
    c->sched = Sched::running;
    ThreadState& ts = tls();
    c->runner = ts.worker;
    c->runner_step = ts.worker ? ts.worker->step.load(std::memory_order_relaxed) : 0;
    c->rt->sched.active_inc();
    return true;
}

void release_claim(Cell* c) noexcept {
    bool again = false;
    bool died = false;
    {
        Guard<SpinLock> g(c->lock);
        c->runner = nullptr;
        if (c->life.load(std::memory_order_relaxed) == Life::dead) {
            died = true; // stays running until its object is gone (see run_step)
        } else if (c->head || c->pending_exit) {
            c->sched = Sched::scheduled;
            again = true;
        } else {
            c->sched = Sched::idle;
        }
    }
    if (died) {
        destroy_object(c); // if a kill came after the caller's last look
        {
            Guard<SpinLock> g(c->lock);
            c->sched = Sched::idle;
        }
        c->rt->sched.active_dec();
    } else if (again) {
        c->retain();
        c->rt->sched.schedule(c);
    } else {
        c->rt->sched.active_dec();
    }
}

bool process(Cell* c, Envelope* e, ExitReason& why) noexcept {
    CompletionBase* call = e->completion();
    {
        Guard<SpinLock> g(c->lock);
        if (c->life.load(std::memory_order_relaxed) == Life::dead) {
            // Killed since it was dequeued: the handler does not run.
            e->fail(c->exit_reason);
            return false;
        }
        if (call) {
            call->retain();
            c->current_call = call;
        }
    }
    ActorBase& a = *c->obj;
    Access::stop_requested(a) = false;
    bool crashed = false;
    try {
        e->run(a);
    } catch (const ExitException& x) {
        why = x.reason;
        crashed = true;
    } catch (const std::exception& x) {
        why = ExitReason::error(x.what());
        crashed = true;
    } catch (...) {
        why = ExitReason::error("unknown exception");
        crashed = true;
    }
    if (call) {
        bool mine = false;
        {
            Guard<SpinLock> g(c->lock);
            if (c->current_call == call) {
                c->current_call = nullptr;
                mine = true;
            }
        }
        if (mine) {
            // The caller of a crashing handler gets the crash reason (a no-op if it replied).
            if (crashed)
                call->fail(&why);
            call->release();
        }
    }
    if (crashed)
        return true;
    if (Access::stop_requested(a)) {
        why = Access::stop_reason(a);
        return true;
    }
    return false;
}

void exit_actor(Cell* c, ExitReason why, bool run_terminate) noexcept {
    if (run_terminate && !c->dead() && c->obj) {
        try {
            c->obj->terminate(why);
        } catch (const ExitException& x) {
            why = x.reason;
        } catch (const std::exception& x) {
            why = ExitReason::error(x.what());
        } catch (...) {
            why = ExitReason::error("unknown exception in terminate");
        }
    }
    if (why.is_error() && !c->dead())
        log_crash(c, why);
    finalize(c, why);
    destroy_object(c);
}

bool finalize(Cell* c, const ExitReason& why) noexcept {
    Envelope* mail;
    CompletionBase* cur;
    ExitReason* pend;
    Extras* ex;
    std::optional<std::stop_source> stop;
    {
        Guard<SpinLock> g(c->lock);
        if (c->life.load(std::memory_order_relaxed) == Life::dead)
            return false;
        c->exit_reason = new ExitReason(why);
        c->life.store(Life::dead, std::memory_order_release);
        mail = c->head;
        c->head = c->tail = nullptr;
        cur = c->current_call;
        c->current_call = nullptr;
        pend = c->pending_exit;
        c->pending_exit = nullptr;
        ex = c->extras;
        c->extras = nullptr;
        if (!c->stop_asked && ex && ex->stop)
            stop = *ex->stop;
        c->stop_asked = true;
    }
    // A handler still running (killed while stuck) sees its stop_token requested.
    if (stop)
        stop->request_stop();
    delete pend;
    // Callers waiting on queued requests learn of the death at once.
    while (mail) {
        Envelope* n = mail->next;
        mail->fail(&why);
        delete mail;
        mail = n;
    }
    if (cur) {
        cur->fail(&why);
        cur->release();
    }
    if (ex)
        notify_death(c, ex, why);
    c->rt->live_remove(c); // drops the live reference
    return true;
}

void destroy_object(Cell* c) noexcept {
    ActorBase* o = c->obj;
    c->obj = nullptr;
    delete o;
}

void kill_cell(Cell* c, const ExitReason& why) noexcept {
    c->retain();
    if (finalize(c, why)) {
        bool claimed = false;
        Worker* runner = nullptr;
        std::uint64_t step = 0;
        {
            Guard<SpinLock> g(c->lock);
            if (c->sched == Sched::idle) {
                c->sched = Sched::running;
                claimed = true;
            } else if (c->sched == Sched::running) {
                runner = c->runner;
                step = c->runner_step;
            }
        }
        // Its handler may be stuck: another thread takes the place of the one running it.
        if (runner && runner != tls().worker)
            c->rt->sched.compensate(runner, step);
        // Idle: the object goes now. Scheduled: the thread that dequeues it destroys it.
        // Running: the thread running its handler destroys it when the handler returns.
        if (claimed) {
            c->rt->sched.active_inc();
            destroy_object(c);
            {
                Guard<SpinLock> g(c->lock);
                c->sched = Sched::idle;
            }
            c->rt->sched.active_dec();
        }
    }
    c->release();
}

void exit_signal(Cell* to, Cell* from, const ExitReason& why) noexcept {
    enum { none, as_message, as_shutdown, as_pending } action = none;
    bool wake = false;
    {
        Guard<SpinLock> g(to->lock);
        if (to->life.load(std::memory_order_relaxed) == Life::dead)
            return;
        bool from_parent = from && to->extras && to->extras->parent == from;
        if (from_parent) {
            action = as_shutdown; // gen_server: the parent's exit stops it, terminate runs
        } else if (to->trap_exit) {
            action = as_message;
        } else if (why.is_normal()) {
            return;
        } else if (!to->pending_exit) {
            action = as_pending;
            to->pending_exit = new ExitReason(why);
            if (to->sched == Sched::idle) {
                to->sched = Sched::scheduled;
                to->rt->sched.active_inc();
                wake = true;
            }
        }
    }
    if (action == as_shutdown)
        shutdown_request(to, why);
    else if (action == as_pending)
        request_stop(to); // it stops once its current handler returns
    else if (action == as_message)
        enqueue(to, new ExitSignalEnvelope(ExitSignal{from ? make_pid(from) : Pid(), why}));
    if (wake) {
        to->retain();
        to->rt->sched.schedule(to);
    }
}

bool shutdown_request(Cell* to, const ExitReason& why) noexcept {
    if (!enqueue(to, new ShutdownEnvelope(why)))
        return false;
    // Asked now, while its current handler (a long one) may still run: it may notice.
    request_stop(to);
    return true;
}

bool shutdown_inline(Cell* c, const ExitReason& why, bool& asked) noexcept {
    asked = false;
    if (!may_run_inline(c->rt) || !try_claim(c))
        return c->dead();
    asked = true;
    request_stop(c);
    {
        CurrentScope scope(c);
        ShutdownEnvelope e(why);
        ExitReason r;
        bool stop = process(c, &e, r);
        if (stop && !c->dead())
            exit_actor(c, std::move(r), true);
        if (c->dead())
            destroy_object(c);
    }
    release_claim(c);
    return c->dead();
}

void run_step(Cell* c) noexcept {
    ThreadState& ts = tls();
    Scheduler& s = c->rt->sched;
    {
        Guard<SpinLock> g(c->lock);
        c->sched = Sched::running;
        c->runner = ts.worker;
        c->runner_step = ts.worker ? ts.worker->step.load(std::memory_order_relaxed) : 0;
    }
    bool gone = false;
    {
        CurrentScope scope(c);
        for (int i = 0; i < kBatch; ++i) {
            if (c->dead()) {
                gone = true;
                break;
            }
            Envelope* e = nullptr;
            ExitReason* pend = nullptr;
            {
                Guard<SpinLock> g(c->lock);
                if (c->pending_exit) {
                    pend = c->pending_exit;
                    c->pending_exit = nullptr;
                } else if (c->head) {
                    e = c->head;
                    c->head = e->next;
                    if (!c->head)
                        c->tail = nullptr;
                }
            }
            if (pend) {
                ExitReason r = std::move(*pend);
                delete pend;
                exit_actor(c, std::move(r), true);
                gone = true;
                break;
            }
            if (!e)
                break;
            ExitReason why;
            bool stop = process(c, e, why);
            delete e;
            if (c->dead()) {
                gone = true;
                break;
            }
            if (stop) {
                exit_actor(c, std::move(why), true);
                gone = true;
                break;
            }
        }
        if (gone || c->dead()) {
            destroy_object(c);
            gone = true;
        }
    }
    if (gone) {
        {
            Guard<SpinLock> g(c->lock);
            c->sched = Sched::idle;
            c->runner = nullptr;
        }
        s.active_dec();
        c->release();
        return;
    }
    // Killed after the last look above: kill_cell saw it running and left its object to this
    // thread, so it must not go idle with it (the object, and whatever it holds, would leak).
    bool again = false;
    bool died = false;
    {
        Guard<SpinLock> g(c->lock);
        c->runner = nullptr;
        if (c->life.load(std::memory_order_relaxed) == Life::dead) {
            died = true;
        } else {
            again = c->head || c->pending_exit;
            c->sched = again ? Sched::scheduled : Sched::idle;
        }
    }
    if (died) {
        destroy_object(c);
        {
            Guard<SpinLock> g(c->lock);
            c->sched = Sched::idle;
        }
        s.active_dec();
        c->release();
        return;
    }
    if (again) {
        s.schedule(c); // the queue's reference carries over
    } else {
        s.active_dec();
        c->release();
    }
}

namespace {
/// The first half of a call: runs `e` on this thread when the callee is idle (the caller would
/// only wait), else enqueues it. `replied` unless the call failed at once.
CallOutcome send_call(Cell* c, Envelope* e) noexcept {
    ThreadState& ts = tls();
    if (ts.current == c) {
        delete e;
        return CallOutcome::calling_self;
    }
    if (c->dead()) {
        e->fail(nullptr);
        delete e;
        return CallOutcome::noproc;
    }
    RuntimeImpl* rt = c->rt;
    if (may_run_inline(rt) && try_claim(c)) {
        // The callee is idle and we would only wait: run its handler here.
        {
            CurrentScope scope(c);
            ExitReason why;
            bool stop = process(c, e, why);
            delete e;
            if (stop && !c->dead())
                exit_actor(c, std::move(why), true);
            if (c->dead())
                destroy_object(c);
        }
        release_claim(c);
    } else if (!enqueue(c, e)) {
        return CallOutcome::noproc;
    }
    return CallOutcome::replied;
}
} // namespace

CallOutcome call(CellHeader* h, Envelope* e, CompletionBase* reply,
                 Clock::duration timeout) noexcept {
    Cell* c = as_cell(h);
    CallOutcome sent = send_call(c, e);
    if (sent != CallOutcome::replied)
        return sent;
    RuntimeImpl* rt = c->rt;
    CompletionBase::State st = reply->state();
    if (st != CompletionBase::done) {
        bool infinite = timeout == Clock::duration::max();
        Clock::time_point deadline{};
        if (!infinite) {
            Clock::time_point now = rt->clock->now();
            infinite = timeout > Clock::time_point::max() - now;
            if (!infinite)
                deadline = now + timeout;
        }
        st = reply->wait(rt, deadline, infinite);
    }
    return st == CompletionBase::done ? CallOutcome::replied : CallOutcome::timeout;
}

CallOutcome call_until(CellHeader* h, Envelope* e, CompletionBase* reply,
                       std::chrono::steady_clock::time_point deadline) noexcept {
    Cell* c = as_cell(h);
    CallOutcome sent = send_call(c, e);
    if (sent != CallOutcome::replied)
        return sent;
    CompletionBase::State st = reply->state();
    if (st != CompletionBase::done)
        st = reply->wait_real(c->rt, deadline);
    return st == CompletionBase::done ? CallOutcome::replied : CallOutcome::timeout;
}

void reply_dropped(CompletionBase* reply, CellHeader* callee) noexcept {
    Cell* c = callee ? as_cell(callee) : nullptr;
    if (c && c->dead()) {
        reply->fail(c->exit_reason);
        return;
    }
    if (c && std::uncaught_exceptions() > 0) {
        // The handler is crashing: the crash fails the call with its reason.
        Guard<SpinLock> g(c->lock);
        if (c->current_call == reply)
            return;
    }
    reply->drop();
}

StartOutcome start_actor(RuntimeImpl* rt, ActorBase* obj, const std::type_info& type,
                         ActorTraits traits, const SpawnOptions& o) noexcept {
    ThreadState& ts = tls();
    StartOutcome out;
    Cell* parent = nullptr;
    if (o.link) {
        parent = ts.current;
        if (!parent) {
            delete obj;
            out.reason = ExitReason::error("spawn_link outside an actor");
            return out;
        }
    }
    if (!rt || rt->stopped()) {
        delete obj;
        out.reason = ExitReason::error("runtime stopped");
        return out;
    }
    if (rt->deterministic && !(ts.worker && rt->sched.owns(ts.worker))) {
        // Deterministic mode: actor code runs on the scheduler thread only.
        bool ran = false;
        rt->run_in_actor([&] {
            ran = true;
            out = start_actor(rt, obj, type, traits, o);
        });
        if (!ran) {
            delete obj;
            out.status = StartOutcome::error;
            out.reason = ExitReason::error("runtime stopped");
        }
        return out;
    }

    Cell* c = new Cell;
    c->rt = rt;
    c->obj = obj;
    c->type = &type;
    c->stops_at_once = traits.stops_at_once;
    c->id = rt->new_id();
    Access::cell(*obj) = c;
    c->retain();            // ours, besides the live list's
    rt->sched.active_inc(); // running: claimed by this thread for init
    rt->live_add(c);

    if (!o.name.empty() && !rt->registry.add(o.name, c)) {
        out.status = StartOutcome::error;
        out.reason = ExitReason::error("already_started");
        out.pid = rt->registry.find(o.name);
        finalize(c, ExitReason::normal());
        destroy_object(c);
        release_claim(c);
        c->release();
        return out;
    }
    if (parent) {
        link_cells(parent, c);
        Guard<SpinLock> g(c->lock);
        c->ex().parent = parent;
        parent->retain();
    }

    {
        CurrentScope scope(c);
        bool failed = false;
        ExitReason why;
        InitResult r = InitResult::ok();
        try {
            if (o.before_init) {
                if (std::optional<ExitReason> refused = o.before_init()) {
                    failed = true;
                    why = std::move(*refused);
                }
            }
            if (!failed)
                r = obj->init();
        } catch (const ExitException& x) {
            failed = true;
            why = x.reason;
        } catch (const std::exception& x) {
            failed = true;
            why = ExitReason::error(x.what());
        } catch (...) {
            failed = true;
            why = ExitReason::error("unknown exception in init");
        }
        if (!failed && r.kind() == InitResult::Kind::stop) {
            failed = true;
            why = r.reason();
        }
        bool ignored = !failed && r.kind() == InitResult::Kind::ignore;
        if (c->dead()) {
            out.status = StartOutcome::error;
            out.reason = *c->exit_reason;
            destroy_object(c);
        } else if (failed || ignored) {
            // No exit signal reaches the parent: the start result reports the failure.
            if (parent)
                unlink_cells(parent, c);
            finalize(c, ignored ? ExitReason::normal() : why);
            destroy_object(c);
            out.status = ignored ? StartOutcome::ignore : StartOutcome::error;
            out.reason = why;
        } else {
            c->life.store(Life::alive, std::memory_order_release);
            out.status = StartOutcome::ok;
            out.pid = make_pid(c);
        }
    }
    release_claim(c);
    c->release();
    return out;
}

} // namespace sup::detail
