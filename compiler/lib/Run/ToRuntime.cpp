// A program's process in the runtime's type (ToRuntime.h).
#include "supc/ToRuntime.h"

#include <algorithm>
#include <climits>

namespace supc {

using std::chrono::milliseconds;

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
