// The checked tree's settings in the runtime's types (ToRuntime.h).
#include "supc/ToRuntime.h"

#include <algorithm>
#include <climits>

namespace supc {

using std::chrono::milliseconds;

sup::Restart toRuntime(RestartType r) {
    switch (r) {
    case RestartType::Permanent:
        return sup::Restart::permanent;
    case RestartType::Transient:
        return sup::Restart::transient;
    case RestartType::Temporary:
        return sup::Restart::temporary;
    }
    return sup::Restart::permanent;
}

sup::Shutdown toRuntime(const Shutdown& s) {
    switch (s.mode) {
    case Shutdown::Mode::BrutalKill:
        return sup::Shutdown::brutal_kill();
    case Shutdown::Mode::Infinity:
        return sup::Shutdown::infinity();
    case Shutdown::Mode::Timeout:
        return sup::Shutdown::timeout(milliseconds(s.milliseconds));
    }
    return sup::Shutdown::infinity();
}

sup::SupervisorFlags toRuntime(const SupervisorSettings& s) {
    sup::SupervisorFlags f;
    switch (s.strategy.value) {
    case Strategy::OneForOne:
        f.strategy = sup::Strategy::one_for_one;
        break;
    case Strategy::OneForAll:
        f.strategy = sup::Strategy::one_for_all;
        break;
    case Strategy::RestForOne:
        f.strategy = sup::Strategy::rest_for_one;
        break;
    }
    f.intensity = int(std::clamp<int64_t>(s.intensity.value.restarts, 0, INT_MAX));
    f.period = milliseconds(s.intensity.value.periodMs);
    switch (s.autoShutdown.value) {
    case AutoShutdown::Never:
        f.auto_shutdown = sup::AutoShutdown::never;
        break;
    case AutoShutdown::AnySignificant:
        f.auto_shutdown = sup::AutoShutdown::any_significant;
        break;
    case AutoShutdown::AllSignificant:
        f.auto_shutdown = sup::AutoShutdown::all_significant;
        break;
    }
    const Backoff& b = s.backoff.value;
    if (b.exponential)
        f.backoff =
            sup::Backoff::exponential(milliseconds(b.minMs), milliseconds(b.maxMs), b.jitter);
    return f;
}

sup::ProcessSpec toRuntime(const ProgramSpec& p) {
    sup::ProcessSpec s(p.command, p.args);
    s.inherit_env = p.inheritEnv;
    s.unset_env = p.unsetEnv;
    s.env = p.env;
    s.working_dir = p.workingDir;
    s.stop_signal = p.stopSignalNumber;
    s.readiness = p.readiness == Readiness::Notify ? sup::Readiness::notify : sup::Readiness::exec;
    s.notify_socket = p.notifySocket == NotifySocket::Abstract ? sup::NotifySocket::abstract
                                                               : sup::NotifySocket::path;
    s.start_timeout = p.startTimeoutMs ? std::chrono::nanoseconds(milliseconds(*p.startTimeoutMs))
                                       : std::chrono::nanoseconds::max();
    switch (p.output) {
    case OutputMode::Log:
        s.output.mode = sup::OutputMode::log;
        break;
    case OutputMode::Inherit:
        s.output.mode = sup::OutputMode::inherit;
        break;
    case OutputMode::Discard:
        s.output.mode = sup::OutputMode::discard;
        break;
    }
    s.output.file = p.outputFile;
    switch (p.containment) {
    case Containment::Automatic:
        s.containment = sup::Containment::automatic;
        break;
    case Containment::Cgroup:
        s.containment = sup::Containment::cgroup;
        break;
    case Containment::ProcessTree:
        s.containment = sup::Containment::process_tree;
        break;
    }
    return s;
}

} // namespace supc
