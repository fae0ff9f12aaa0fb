// sup::inspect: asks each supervisor of a tree for its level of the snapshot, from the calling
// thread, within one real-time deadline. The supervisors never wait for one another (a
// supervisor blocked on its child would deadlock with a child blocked on it): the walk does.
#include "sup/inspect.hpp"

#include "cell.hpp"
#include "supervisor.hpp"

namespace sup {

using namespace detail;

namespace {

using Deadline = std::chrono::steady_clock::time_point;

SupError sup_error(SupError::Code code, std::string detail) {
    SupError e;
    e.code = code;
    e.detail = std::move(detail);
    return e;
}

template <class A>
SupResult<SupervisorSnapshot> ask(const Ref<A>& sup, Deadline deadline) {
    auto* slot = new CallSlot<SupervisorSnapshot>();
    auto* env = new CallEnvelope<A, InspectReq, SupervisorSnapshot>(InspectReq{}, slot);
    CallOutcome out = call_until(sup.cell(), env, slot, deadline);
    SupResult<SupervisorSnapshot> r = fail(sup_error(SupError::Code::timeout, "timeout"));
    if (out == CallOutcome::replied) {
        CallResult<SupervisorSnapshot> reply = slot->take();
        if (reply)
            r = std::move(reply.value());
        else
            r = fail(sup_error(SupError::Code::noproc, reply.error().to_string()));
    } else if (out == CallOutcome::noproc) {
        r = fail(sup_error(SupError::Code::noproc, "noproc"));
    } else if (out == CallOutcome::calling_self) {
        r = fail(sup_error(SupError::Code::noproc, "calling_self"));
    }
    slot->release();
    return r;
}

bool is_supervisor(const Pid& p) {
    const std::type_info* t = p ? p.cell()->type : nullptr;
    return t && (*t == typeid(SupervisorActor) || *t == typeid(DynamicSupervisorActor));
}

SupResult<SupervisorSnapshot> ask_any(const Pid& sup, Deadline deadline) {
    if (!sup)
        return fail(sup_error(SupError::Code::noproc, "noproc"));
    if (auto s = sup.as<SupervisorActor>())
        return ask(s, deadline);
    if (auto d = sup.as<DynamicSupervisorActor>())
        return ask(d, deadline);
    if (!sup.alive())
        return fail(sup_error(SupError::Code::noproc, "noproc"));
    return fail(sup_error(SupError::Code::invalid_spec, "not a supervisor"));
}

void walk(SupervisorSnapshot& s, Deadline deadline) {
    for (ChildSnapshot& c : s.children) {
        if (!is_supervisor(c.pid))
            continue;
        SupResult<SupervisorSnapshot> sub = ask_any(c.pid, deadline);
        if (!sub) {
            c.error = sub.error();
            continue;
        }
        walk(sub.value(), deadline);
        c.supervisor = std::make_shared<const SupervisorSnapshot>(std::move(sub.value()));
    }
}

} // namespace

SupResult<SupervisorSnapshot> inspect(const Pid& sup, InspectOptions options) {
    Deadline now = std::chrono::steady_clock::now();
    auto room = std::chrono::duration_cast<std::chrono::milliseconds>(Deadline::max() - now);
    Deadline deadline = options.timeout >= room ? Deadline::max() : now + options.timeout;
    SupResult<SupervisorSnapshot> r = ask_any(sup, deadline);
    if (r && options.recursive)
        walk(r.value(), deadline);
    return r;
}

const char* to_string(SupervisorSnapshot::Kind k) {
    return k == SupervisorSnapshot::Kind::supervisor ? "supervisor" : "dynamic_supervisor";
}

const char* to_string(ChildInfo::State s) {
    switch (s) {
    case ChildInfo::State::running:
        return "running";
    case ChildInfo::State::restarting:
        return "restarting";
    case ChildInfo::State::undefined:
        return "undefined";
    }
    return "?";
}

} // namespace sup
