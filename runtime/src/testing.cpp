// The test kit (sup/testing.hpp).
#include "sup/testing.hpp"

#include <sstream>

namespace sup::testing {

// ---------------------------------------------------------------- EventLog

EventLog::EventLog(Runtime& rt) {
    sub_ = rt.events().subscribe([this](const SupervisorEvent& e) { record(e); });
}

void EventLog::record(const SupervisorEvent& e) {
    {
        std::lock_guard<std::mutex> l(m_);
        events_.push_back(e);
    }
    cv_.notify_all();
}

std::vector<SupervisorEvent> EventLog::events() const {
    std::lock_guard<std::mutex> l(m_);
    return events_;
}

std::size_t EventLog::size() const {
    std::lock_guard<std::mutex> l(m_);
    return events_.size();
}

void EventLog::clear() {
    std::lock_guard<std::mutex> l(m_);
    events_.clear();
}

std::string EventLog::line(const SupervisorEvent& e) {
    std::string s = to_string(e.kind);
    switch (e.kind) {
    case EventKind::child_started:
    case EventKind::child_restarted:
    case EventKind::child_ignored:
    case EventKind::give_up:
    case EventKind::auto_shutdown:
        s += " " + e.child_id;
        break;
    case EventKind::child_exited:
    case EventKind::child_terminated:
    case EventKind::shutdown_error:
    case EventKind::start_failed:
        s += " " + e.child_id + " " + e.reason.to_string();
        break;
    case EventKind::restart_delayed:
        s +=
            " " + e.child_id + " " +
            std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(e.delay).count()) +
            "ms";
        break;
    case EventKind::supervisor_stopped:
        s += " " + e.reason.to_string();
        break;
    }
    return s;
}

std::vector<std::string> EventLog::lines(const Pid& sup) const {
    std::lock_guard<std::mutex> l(m_);
    std::vector<std::string> out;
    for (const SupervisorEvent& e : events_)
        if (!sup || e.supervisor == sup)
            out.push_back(line(e));
    return out;
}

std::size_t EventLog::find(const Predicate& pred, std::size_t from) const {
    std::lock_guard<std::mutex> l(m_);
    for (std::size_t i = from; i < events_.size(); ++i)
        if (pred(events_[i]))
            return i;
    return events_.size();
}

SupervisorEvent EventLog::wait_for(const Predicate& pred, std::string_view what,
                                   std::chrono::milliseconds timeout, std::size_t from) {
    std::unique_lock<std::mutex> l(m_);
    std::size_t i = from;
    auto found = [&] {
        for (; i < events_.size(); ++i)
            if (pred(events_[i]))
                return true;
        return false;
    };
    if (!cv_.wait_for(l, timeout, found)) {
        std::ostringstream msg;
        msg << "timed out after " << timeout.count() << " ms waiting for " << what
            << "; events so far:";
        if (events_.empty())
            msg << " none";
        for (const SupervisorEvent& e : events_)
            msg << "\n  " << e.supervisor_name << ": " << line(e);
        throw WaitTimeout(msg.str());
    }
    return events_[i];
}

SupervisorEvent EventLog::wait_for(EventKind kind, std::string_view child_id,
                                   std::chrono::milliseconds timeout, std::size_t from) {
    std::string what = std::string(to_string(kind)) + " of child '" + std::string(child_id) + "'";
    return wait_for(
        [&](const SupervisorEvent& e) { return e.kind == kind && e.child_id == child_id; }, what,
        timeout, from);
}

// ---------------------------------------------------------------- Supervised

namespace {
std::pair<std::string_view, std::string_view> split_last(std::string_view path) {
    std::size_t slash = path.rfind('/');
    if (slash == std::string_view::npos)
        return {std::string_view(), path};
    return {path.substr(0, slash), path.substr(slash + 1)};
}
} // namespace

Supervised::Supervised(Runtime& rt, SupervisorSpec spec)
    : rt_(&rt), log_(std::make_unique<EventLog>(rt)) {
    auto r = start_tree(rt, std::move(spec));
    if (!r.started())
        throw std::runtime_error("start_supervised failed: " +
                                 (r.ignored() ? std::string("ignore") : r.reason().to_string()));
    tree_ = r.value();
}

Supervised::Supervised(Runtime& rt, DynamicSupervisorSpec spec)
    : rt_(&rt), log_(std::make_unique<EventLog>(rt)) {
    auto r = start_tree(rt, std::move(spec));
    if (!r.started())
        throw std::runtime_error("start_supervised failed: " +
                                 (r.ignored() ? std::string("ignore") : r.reason().to_string()));
    tree_ = r.value();
}

Supervised::~Supervised() {
    const Pid& root = tree_.root();
    if (!root || !root.alive())
        return;
    rt_->stop(root, ExitReason::shutdown(), Clock::duration::zero());
    if (!rt_->wait_exit_real(root, default_timeout)) {
        sup::kill(root);
        rt_->wait_exit_real(root, default_timeout);
    }
}

ExitReason Supervised::stop(std::chrono::milliseconds timeout) {
    const Pid& root = tree_.root();
    rt_->stop(root, ExitReason::shutdown(), Clock::duration::zero());
    auto r = rt_->wait_exit_real(root, timeout);
    if (!r)
        throw WaitTimeout("timed out after " + std::to_string(timeout.count()) +
                          " ms waiting for the tree to stop");
    return *r;
}

Pid Supervised::child(std::string_view path) const {
    Pid p = tree_.lookup(path);
    if (!p)
        throw std::runtime_error("no running child at '" + std::string(path) + "'");
    return p;
}

std::vector<ChildInfo> Supervised::which_children(std::string_view path) const {
    auto r = sup::which_children(path.empty() ? tree_.root() : child(path));
    if (!r)
        throw std::runtime_error("which_children: " + r.error().to_string());
    return *r;
}

ChildCounts Supervised::count_children(std::string_view path) const {
    auto r = sup::count_children(path.empty() ? tree_.root() : child(path));
    if (!r)
        throw std::runtime_error("count_children: " + r.error().to_string());
    return *r;
}

Pid Supervised::kill_and_await_restart(std::string_view path, std::chrono::milliseconds timeout) {
    Pid old = child(path);
    sup::kill(old);
    return await_restart(path, old, timeout);
}

Pid Supervised::await_restart(std::string_view path, const Pid& old,
                              std::chrono::milliseconds timeout) {
    auto [parent_path, id] = split_last(path);
    Pid parent = parent_path.empty() ? tree_.root() : child(parent_path);
    // Look only after the start of `old`, so that an earlier start does not count.
    std::size_t from = log_->find([&](const SupervisorEvent& e) {
        return (e.kind == EventKind::child_started || e.kind == EventKind::child_restarted) &&
               e.child == old;
    });
    if (from == log_->size())
        from = 0;
    SupervisorEvent e = log_->wait_for(
        [&](const SupervisorEvent& x) {
            return (x.kind == EventKind::child_started || x.kind == EventKind::child_restarted) &&
                   x.supervisor == parent && x.child_id == id && x.child != old;
        },
        "the restart of '" + std::string(path) + "'", timeout, from);
    return e.child;
}

ExitReason Supervised::await_exit(const Pid& pid, std::chrono::milliseconds timeout) {
    auto r = rt_->wait_exit_real(pid, timeout);
    if (!r)
        throw WaitTimeout("timed out after " + std::to_string(timeout.count()) +
                          " ms waiting for " + pid.to_string() + " to exit");
    return *r;
}

// ---------------------------------------------------------------- StandIn

StandIn::StandIn(std::shared_ptr<Control> control) : control_(std::move(control)) {}

InitResult StandIn::init() {
    if (control_) {
        int n = control_->fail_starts.load();
        while (n > 0 && !control_->fail_starts.compare_exchange_weak(n, n - 1)) {
        }
        if (n > 0)
            return InitResult::stop(ExitReason::error(control_->fail_reason));
        ++control_->starts;
    }
    return InitResult::ok();
}

bool StandIn::on_shutdown_request(const ExitReason&) {
    return !(control_ && control_->hang);
}

void StandIn::handle_cast(Crash c) {
    exit(ExitReason::error(std::move(c.reason)));
}

void StandIn::handle_cast(Hang) {
    if (!control_)
        control_ = std::make_shared<Control>();
    control_->hang = true;
}

ChildSpec stand_in(std::string id, std::shared_ptr<StandIn::Control> control) {
    return worker<StandIn>(std::move(id), std::move(control));
}

ChildTemplate dynamic_stand_in(std::shared_ptr<StandIn::Control> control) {
    return dynamic_worker<StandIn>(std::move(control));
}

} // namespace sup::testing
