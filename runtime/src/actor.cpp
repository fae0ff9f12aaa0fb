// What handlers can do to their own actor.
#include "access.hpp"
#include "cell.hpp"
#include "runtime_impl.hpp"
#include "sup/call.hpp"

namespace sup {

using namespace detail;

Pid ActorBase::self_pid() const {
    return cell_ ? make_pid(as_cell(cell_)) : Pid();
}

Runtime& ActorBase::runtime() const {
    return as_cell(cell_)->rt->facade;
}

Clock::time_point ActorBase::now() const {
    return as_cell(cell_)->rt->clock->now();
}

void ActorBase::stop(ExitReason reason) {
    stop_requested_ = true;
    stop_reason_ = std::move(reason);
}

std::stop_token ActorBase::stop_token() const {
    Cell* c = as_cell(cell_);
    {
        Guard<SpinLock> g(c->lock);
        if (!c->dead()) {
            Extras& x = c->ex();
            if (!x.stop) {
                x.stop.emplace();
                if (c->stop_asked)
                    x.stop->request_stop(); // no callback can be registered on it yet
            }
            return x.stop->get_token();
        }
    }
    std::stop_source gone; // dead (killed while in a handler): asked, for good
    gone.request_stop();
    return gone.get_token();
}

void ActorBase::trap_exit(bool on) {
    Cell* c = as_cell(cell_);
    Guard<SpinLock> g(c->lock);
    c->trap_exit = on;
}

bool ActorBase::trapping_exits() const {
    Cell* c = as_cell(cell_);
    Guard<SpinLock> g(c->lock);
    return c->trap_exit;
}

void ActorBase::link(const Pid& other) {
    if (other)
        link_cells(as_cell(cell_), as_cell(other.cell()));
}

void ActorBase::unlink(const Pid& other) {
    if (other)
        unlink_cells(as_cell(cell_), as_cell(other.cell()));
}

MonitorRef ActorBase::monitor(const Pid& other) {
    if (!other)
        return {};
    std::uint64_t id = monitor_cell(as_cell(cell_), as_cell(other.cell()));
    return MonitorRef{other, id};
}

bool ActorBase::demonitor(const MonitorRef& ref) {
    return ref.id && demonitor_cell(as_cell(cell_), ref.id);
}

void ActorBase::unexpected_message(const char* what) const {
    Cell* c = as_cell(cell_);
    const Logger& lg = c->rt->logger;
    if (lg.enabled(LogLevel::error))
        lg.log("=ERROR REPORT====\n  actor " + make_pid(c).to_string() + " received " + what +
               "\n");
}

namespace detail {
void PostEnvelope::run(ActorBase& a) {
    Access::message(a, std::move(msg));
}
} // namespace detail

} // namespace sup
