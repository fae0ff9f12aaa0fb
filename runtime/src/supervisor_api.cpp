// The run-time API (supervisor:start_child/2 and friends) and the spec builders.
#include "access.hpp"
#include "cell.hpp"
#include "runtime_impl.hpp"
#include "supervisor.hpp"

#include <unordered_set>

namespace sup {

using namespace detail;

const char* to_string(Strategy s) {
    switch (s) {
    case Strategy::one_for_one:
        return "one_for_one";
    case Strategy::one_for_all:
        return "one_for_all";
    case Strategy::rest_for_one:
        return "rest_for_one";
    }
    return "?";
}
const char* to_string(Restart r) {
    switch (r) {
    case Restart::permanent:
        return "permanent";
    case Restart::transient:
        return "transient";
    case Restart::temporary:
        return "temporary";
    }
    return "?";
}
const char* to_string(ChildType t) {
    return t == ChildType::worker ? "worker" : "supervisor";
}
const char* to_string(AutoShutdown a) {
    switch (a) {
    case AutoShutdown::never:
        return "never";
    case AutoShutdown::any_significant:
        return "any_significant";
    case AutoShutdown::all_significant:
        return "all_significant";
    }
    return "?";
}

std::string Shutdown::to_string() const {
    switch (kind_) {
    case Kind::brutal_kill:
        return "brutal_kill";
    case Kind::infinity:
        return "infinity";
    case Kind::timeout:
        return std::to_string(timeout_.count());
    }
    return "?";
}

std::string SupError::to_string() const {
    switch (code) {
    case Code::not_found:
        return "not_found";
    case Code::running:
        return "running";
    case Code::restarting:
        return "restarting";
    case Code::already_present:
        return "already_present";
    case Code::already_started:
        return "{already_started," + pid.to_string() + "}";
    case Code::start_failed:
        return reason.to_string();
    case Code::max_children:
        return "max_children";
    case Code::simple_one_for_one:
        return "simple_one_for_one";
    case Code::invalid_spec:
        return detail;
    case Code::noproc:
        return "noproc";
    case Code::timeout:
        return "timeout";
    }
    return "?";
}

// ---------------------------------------------------------------- starting supervisors

namespace {
template <class A, class Spec>
StartResult<Pid> spawn_supervisor(RuntimeImpl* rt, bool link, Spec spec, std::string path = {},
                                  StartContext* ctx = nullptr) {
    SpawnOptions o;
    o.name = spec.name;
    o.link = link;
    if (ctx) {
        // The child's name (a supervisor child: sup::supervisor(...).with_name(...)).
        if (auto refused = Access::take_name(*ctx, o))
            return StartResult<Pid>::make_failed(std::move(*refused));
        spec.name = o.name;
    }
    auto r = spawn_with<A>(rt, o, std::move(spec), std::move(path));
    if (r.started())
        return StartResult<Pid>::make_started(r.value());
    if (r.ignored())
        return StartResult<Pid>::make_ignored();
    return StartResult<Pid>::make_failed(r.reason());
}
} // namespace

StartResult<Pid> StartContext::start_supervisor(SupervisorSpec spec) {
    apply_given(spec.flags);
    return spawn_supervisor<SupervisorActor>(current_runtime(), true, std::move(spec), path(),
                                             this);
}

StartResult<Pid> StartContext::start_dynamic_supervisor(DynamicSupervisorSpec spec) {
    apply_given(spec.flags);
    return spawn_supervisor<DynamicSupervisorActor>(current_runtime(), true, std::move(spec),
                                                    path(), this);
}

const ChildName StartContext::no_name_{};

std::optional<ExitReason> StartContext::take_name(SpawnOptions& o) {
    const ChildName& n = name();
    if (!n || name_taken_)
        return std::nullopt;
    name_taken_ = true;
    if (n.kind == ChildName::Kind::local) {
        // An actor has one registered name: a start function that names its actor itself
        // (SpawnOptions::name) cannot also give it the child's.
        if (!o.name.empty() && o.name != n.name)
            return ExitReason::error("{name_conflict," + n.name + "," + o.name + "}");
        o.name = n.name;
        return std::nullopt;
    }
    if (!n.module || !n.module->register_name)
        return ExitReason::error("{invalid_name," + n.to_string() + "}");
    // As OTP's gen:start registers a via-name: in the new process, before its init.
    o.before_init = [n, then = std::move(o.before_init)]() -> std::optional<ExitReason> {
        if (std::optional<std::string> refused = n.module->register_name(n.registry, n.name))
            return ExitReason::error(*refused);
        return then ? then() : std::nullopt;
    };
    return std::nullopt;
}

Runtime& StartContext::runtime() const {
    return current_runtime()->facade;
}

StartResult<Pid> start_supervisor(Runtime& rt, SupervisorSpec spec) {
    return spawn_supervisor<SupervisorActor>(impl_of(rt), false, std::move(spec));
}

StartResult<Pid> start_dynamic_supervisor(Runtime& rt, DynamicSupervisorSpec spec) {
    return spawn_supervisor<DynamicSupervisorActor>(impl_of(rt), false, std::move(spec));
}

ChildSpec supervisor(std::string id, std::function<SupervisorSpec()> build) {
    ChildSpec s;
    s.id = std::move(id);
    s.type = ChildType::supervisor;
    s.start = [build = std::move(build)](StartContext& ctx) {
        return ctx.start_supervisor(build());
    };
    return s;
}

ChildSpec dynamic_supervisor(std::string id, std::function<DynamicSupervisorSpec()> build) {
    ChildSpec s;
    s.id = std::move(id);
    s.type = ChildType::supervisor;
    s.start = [build = std::move(build)](StartContext& ctx) {
        return ctx.start_dynamic_supervisor(build());
    };
    return s;
}

// ---------------------------------------------------------------- run-time API

namespace {
template <class R>
SupResult<R> noproc(const CallError& e) {
    return fail(SupError{SupError::Code::noproc, e.reason, {}, e.to_string()});
}

/// Calls the supervisor with `req`, whatever its kind (the handlers of the wrong kind answer
/// with OTP's errors).
template <class R, class Req>
SupResult<R> sup_call(const Pid& sup, Req req) {
    if (!sup)
        return fail(SupError{SupError::Code::noproc, {}, {}, "noproc"});
    if (auto s = sup.as<SupervisorActor>()) {
        auto r = sup::call(s, std::move(req), sup::infinity);
        if (!r)
            return noproc<R>(r.error());
        return std::move(r).value();
    }
    if (auto d = sup.as<DynamicSupervisorActor>()) {
        auto r = sup::call(d, std::move(req), sup::infinity);
        if (!r)
            return noproc<R>(r.error());
        return std::move(r).value();
    }
    if (!sup.alive())
        return fail(SupError{SupError::Code::noproc, {}, {}, "noproc"});
    return fail(SupError{SupError::Code::invalid_spec, {}, {}, "not a supervisor"});
}

template <class R, class Req>
SupResult<R> sup_query(const Pid& sup, Req req) {
    if (!sup)
        return fail(SupError{SupError::Code::noproc, {}, {}, "noproc"});
    if (auto s = sup.as<SupervisorActor>()) {
        auto r = sup::call(s, req, sup::infinity);
        if (!r)
            return noproc<R>(r.error());
        return std::move(r).value();
    }
    if (auto d = sup.as<DynamicSupervisorActor>()) {
        auto r = sup::call(d, req, sup::infinity);
        if (!r)
            return noproc<R>(r.error());
        return std::move(r).value();
    }
    if (!sup.alive())
        return fail(SupError{SupError::Code::noproc, {}, {}, "noproc"});
    return fail(SupError{SupError::Code::invalid_spec, {}, {}, "not a supervisor"});
}
} // namespace

SupResult<Pid> start_child(const Pid& sup, ChildSpec spec) {
    return sup_call<Pid>(sup, StartChildReq{std::move(spec)});
}
SupResult<Pid> start_child(const Pid& sup, StartArgs extra) {
    return sup_call<Pid>(sup, StartDynamicChildReq{std::move(extra)});
}
SupResult<void> terminate_child(const Pid& sup, std::string_view id) {
    return sup_call<void>(sup, TerminateChildReq{std::string(id)});
}
SupResult<void> terminate_child(const Pid& sup, const Pid& child) {
    return sup_call<void>(sup, TerminateDynamicChildReq{child});
}
SupResult<Pid> restart_child(const Pid& sup, std::string_view id) {
    return sup_call<Pid>(sup, RestartChildReq{std::string(id)});
}
SupResult<void> delete_child(const Pid& sup, std::string_view id) {
    return sup_call<void>(sup, DeleteChildReq{std::string(id)});
}
SupResult<std::vector<ChildInfo>> which_children(const Pid& sup) {
    return sup_query<std::vector<ChildInfo>>(sup, WhichChildrenReq{});
}
SupResult<ChildCounts> count_children(const Pid& sup) {
    return sup_query<ChildCounts>(sup, CountChildrenReq{});
}
SupResult<ChildSpec> get_childspec(const Pid& sup, std::string_view id) {
    return sup_call<ChildSpec>(sup, GetChildspecReq{std::string(id)});
}
SupResult<ChildSpec> get_childspec(const Pid& sup, const Pid& child) {
    return sup_call<ChildSpec>(sup, GetDynamicChildspecReq{child});
}

SupResult<void> check_childspecs(const std::vector<ChildSpec>& specs, AutoShutdown auto_shutdown) {
    std::unordered_set<std::string> ids;
    for (const ChildSpec& s : specs) {
        if (auto e = check_childspec(s, auto_shutdown))
            return fail(SupError{SupError::Code::invalid_spec, {}, {}, *e});
        if (!ids.insert(s.id).second)
            return fail(SupError{
                SupError::Code::invalid_spec, {}, {}, "{duplicate_child_name," + s.id + "}"});
    }
    return {};
}

// ---------------------------------------------------------------- Tree

Pid Tree::lookup(std::string_view path) const {
    Pid cur = root_;
    while (!path.empty() && cur) {
        std::size_t slash = path.find('/');
        std::string_view seg = path.substr(0, slash);
        path = slash == std::string_view::npos ? std::string_view() : path.substr(slash + 1);
        auto kids = which_children(cur);
        if (!kids)
            return Pid();
        Pid next;
        for (const ChildInfo& k : *kids)
            if (k.id == seg)
                next = k.pid;
        cur = next;
    }
    return cur;
}

std::optional<ExitReason> Tree::stop(Clock::duration timeout) const {
    if (!rt_ || !root_)
        return ExitReason::error("noproc");
    return rt_->stop(root_, ExitReason::shutdown(), timeout);
}

StartResult<Tree> start_tree(Runtime& rt, SupervisorSpec spec) {
    auto r = start_supervisor(rt, std::move(spec));
    if (r.started())
        return StartResult<Tree>::make_started(Tree(rt, r.value()));
    if (r.ignored())
        return StartResult<Tree>::make_ignored();
    return StartResult<Tree>::make_failed(r.reason());
}

StartResult<Tree> start_tree(Runtime& rt, DynamicSupervisorSpec spec) {
    auto r = start_dynamic_supervisor(rt, std::move(spec));
    if (r.started())
        return StartResult<Tree>::make_started(Tree(rt, r.value()));
    if (r.ignored())
        return StartResult<Tree>::make_ignored();
    return StartResult<Tree>::make_failed(r.reason());
}

} // namespace sup
