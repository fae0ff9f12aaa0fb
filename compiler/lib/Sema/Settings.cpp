#include "supc/Settings.h"

#include <iterator>
#include <string>
#include <vector>

namespace supc {

namespace {

constexpr SettingInfo kSettings[] = {
    {SettingKey::Strategy, "strategy", InSupervisor | InDynamicSupervisor,
     "one_for_one, one_for_all or rest_for_one"},
    {SettingKey::Intensity, "intensity", InSupervisor | InDynamicSupervisor,
     "N per DURATION, such as 3 per 5s"},
    {SettingKey::AutoShutdown, "auto_shutdown", InSupervisor | InDynamicSupervisor,
     "never, any_significant or all_significant"},
    {SettingKey::Backoff, "backoff", InSupervisor | InDynamicSupervisor,
     "none or exponential(MIN, MAX) or exponential(MIN, MAX, jitter = J)"},
    {SettingKey::MaxChildren, "max_children", InDynamicSupervisor, "an int"},
    {SettingKey::Restart, "restart", InWorkerDecl | InProgramDecl | InChild,
     "permanent, transient or temporary"},
    {SettingKey::Shutdown, "shutdown", InWorkerDecl | InProgramDecl | InChild,
     "brutal_kill, infinity or a duration"},
    {SettingKey::Significant, "significant", InWorkerDecl | InProgramDecl | InChild,
     "true or false"},
    {SettingKey::Needs, "needs", InChild, "a list of sibling ids"},
    {SettingKey::Type, "type", InWorkerDecl, "worker or supervisor"},
    {SettingKey::Args, "args", InProgramDecl, "a list of strings"},
    {SettingKey::Env, "env", InProgramDecl, "a list of \"NAME=value\" strings"},
    {SettingKey::UnsetEnv, "unset_env", InProgramDecl, "a list of environment variable names"},
    {SettingKey::InheritEnv, "inherit_env", InProgramDecl, "true or false"},
    {SettingKey::WorkingDir, "working_dir", InProgramDecl, "a string"},
    {SettingKey::StopSignal, "stop_signal", InProgramDecl, "a signal, such as SIGTERM or SIGINT"},
    {SettingKey::Readiness, "readiness", InProgramDecl, "exec or notify"},
    {SettingKey::NotifySocket, "notify_socket", InProgramDecl, "path or abstract"},
    {SettingKey::StartTimeout, "start_timeout", InProgramDecl, "a duration or infinity"},
    {SettingKey::Output, "output", InProgramDecl, "log, inherit or discard"},
    {SettingKey::OutputFile, "output_file", InProgramDecl, "a string"},
    {SettingKey::Containment, "containment", InProgramDecl, "automatic, cgroup or process_tree"},
};

// Linux's signals 1..31 (x86, arm, riscv: the generic numbering), by number.
constexpr std::string_view kSignals[] = {
    "SIGHUP",  "SIGINT",    "SIGQUIT", "SIGILL",   "SIGTRAP", "SIGABRT", "SIGBUS",  "SIGFPE",
    "SIGKILL", "SIGUSR1",   "SIGSEGV", "SIGUSR2",  "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT",
    "SIGCHLD", "SIGCONT",   "SIGSTOP", "SIGTSTP",  "SIGTTIN", "SIGTTOU", "SIGURG",  "SIGXCPU",
    "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO",   "SIGPWR",  "SIGSYS"};

} // namespace

std::string_view name(Strategy s) {
    switch (s) {
    case Strategy::OneForOne:
        return "one_for_one";
    case Strategy::OneForAll:
        return "one_for_all";
    case Strategy::RestForOne:
        return "rest_for_one";
    }
    return "one_for_one";
}
std::string_view name(RestartType r) {
    switch (r) {
    case RestartType::Permanent:
        return "permanent";
    case RestartType::Transient:
        return "transient";
    case RestartType::Temporary:
        return "temporary";
    }
    return "permanent";
}
std::string_view name(AutoShutdown a) {
    switch (a) {
    case AutoShutdown::Never:
        return "never";
    case AutoShutdown::AnySignificant:
        return "any_significant";
    case AutoShutdown::AllSignificant:
        return "all_significant";
    }
    return "never";
}
std::string_view name(ChildType t) {
    return t == ChildType::Worker ? "worker" : "supervisor";
}

const Type* strategyType() {
    static const Type* t = Type::enumOf({"one_for_one", "one_for_all", "rest_for_one"});
    return t;
}
const Type* restartType() {
    static const Type* t = Type::enumOf({"permanent", "transient", "temporary"});
    return t;
}
const Type* autoShutdownType() {
    static const Type* t = Type::enumOf({"never", "any_significant", "all_significant"});
    return t;
}
const Type* childTypeType() {
    static const Type* t = Type::enumOf({"worker", "supervisor"});
    return t;
}

const Type* readinessType() {
    static const Type* t = Type::enumOf({"exec", "notify"});
    return t;
}
const Type* notifySocketType() {
    static const Type* t = Type::enumOf({"path", "abstract"});
    return t;
}
const Type* outputModeType() {
    static const Type* t = Type::enumOf({"log", "inherit", "discard"});
    return t;
}
const Type* containmentType() {
    static const Type* t = Type::enumOf({"automatic", "cgroup", "process_tree"});
    return t;
}
const Type* signalType() {
    static const Type* t =
        Type::enumOf(std::vector<std::string>(std::begin(kSignals), std::end(kSignals)));
    return t;
}
int signalNumber(std::string_view n) {
    for (size_t i = 0; i < std::size(kSignals); ++i)
        if (kSignals[i] == n)
            return int(i) + 1;
    return 0;
}
bool signalCanStop(std::string_view n) {
    for (std::string_view s :
         {"SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGCONT", "SIGCHLD", "SIGURG", "SIGWINCH"})
        if (s == n)
            return false;
    return signalNumber(n) != 0;
}

std::string_view name(Readiness r) {
    return r == Readiness::Exec ? "exec" : "notify";
}
std::string_view name(NotifySocket n) {
    return n == NotifySocket::Path ? "path" : "abstract";
}
std::string_view name(OutputMode o) {
    return o == OutputMode::Log ? "log" : o == OutputMode::Inherit ? "inherit" : "discard";
}
std::string_view name(Containment c) {
    return c == Containment::Automatic ? "automatic"
           : c == Containment::Cgroup  ? "cgroup"
                                       : "process_tree";
}

bool isProgramStringSetting(std::string_view n) {
    return n == "args" || n == "env" || n == "unset_env" || n == "working_dir" ||
           n == "output_file";
}

std::span<const SettingInfo> allSettings() {
    return kSettings;
}

const SettingInfo* findSetting(std::string_view n) {
    for (const auto& s : kSettings)
        if (s.name == n)
            return &s;
    return nullptr;
}

const SettingInfo& info(SettingKey key) {
    return kSettings[static_cast<size_t>(key)];
}

} // namespace supc
