#include "supc/Settings.h"

#include "supc/SettingTable.h"
#include "supc/SettingsCheck.h"
#include "supc/Value.h"

#include <fmt/format.h>
#include <iterator>
#include <string>
#include <vector>

namespace supc {

namespace {

constexpr SettingInfo kSettings[] = {
    // One row per setting, in SettingKey's order. The child and supervisor settings' values
    // in the tree, defaults and runtime fields are their rows in SettingTable.h.
    {SettingKey::Strategy, "strategy", InSupervisor | InDynamicSupervisor,
     "one_for_one, one_for_all or rest_for_one", SettingForm::Enum, strategyType, "strategy",
     settings::checkStrategy, false,
     "which children restart when one exits: itself, all, or itself and those after it"},
    {SettingKey::Intensity,
     "intensity",
     InSupervisor | InDynamicSupervisor,
     "N per DURATION, such as 3 per 5s",
     SettingForm::Intensity,
     nullptr,
     {},
     settings::checkIntensity,
     false,
     "more than N restarts within DURATION and the supervisor gives up (exits)"},
    {SettingKey::AutoShutdown, "auto_shutdown", InSupervisor | InDynamicSupervisor,
     "never, any_significant or all_significant", SettingForm::Enum, autoShutdownType,
     "auto_shutdown value", nullptr, false,
     "whether the supervisor stops when significant children exit on their own"},
    {SettingKey::Backoff,
     "backoff",
     InSupervisor | InDynamicSupervisor,
     "none or exponential(MIN, MAX) or exponential(MIN, MAX, jitter = J)",
     SettingForm::Backoff,
     nullptr,
     {},
     settings::checkBackoff,
     false,
     "a delay before each restart, growing from MIN to MAX (beyond OTP)"},
    {SettingKey::MaxChildren,
     "max_children",
     InDynamicSupervisor,
     "an int",
     SettingForm::OptionalInt,
     nullptr,
     {},
     settings::checkMaxChildren,
     false,
     "at most this many children at once; start_child fails beyond it"},
    {SettingKey::Restart, "restart", InWorkerDecl | InProgramDecl | InChild,
     "permanent, transient or temporary", SettingForm::Enum, restartType, "restart type", nullptr,
     false, "when the child is restarted: always, after an abnormal exit, or never"},
    {SettingKey::Shutdown,
     "shutdown",
     InWorkerDecl | InProgramDecl | InChild,
     "brutal_kill, infinity or a duration",
     SettingForm::Shutdown,
     nullptr,
     {},
     settings::checkShutdown,
     false,
     "how the child is stopped: killed at once, asked and waited for, or asked and killed "
     "after the duration"},
    {SettingKey::Significant,
     "significant",
     InWorkerDecl | InProgramDecl | InChild,
     "true or false",
     SettingForm::Bool,
     nullptr,
     {},
     nullptr,
     false,
     "whether its exit on its own counts for the supervisor's auto_shutdown"},
    {SettingKey::Name,
     "name",
     InWorkerDecl | InProgramDecl | InChild,
     "a string, or via(REGISTRY, KEY)",
     SettingForm::Name,
     nullptr,
     {},
     settings::checkName,
     false,
     "the name it is registered under before its init runs, at every (re)start: a name of the "
     "runtime (sup::whereis), or via(REGISTRY, KEY), a key in the std.Registry registered as "
     "REGISTRY"},
    {SettingKey::Needs,
     "needs",
     InChild,
     "a list of sibling ids",
     SettingForm::Ids,
     nullptr,
     {},
     nullptr,
     false,
     "siblings started before it that it depends on"},
    {SettingKey::Type, "type", InWorkerDecl, "worker or supervisor", SettingForm::Enum,
     childTypeType, "child type", nullptr, true,
     "whether the C++ class is a worker or supervises children of its own"},
    {SettingKey::Args,
     "args",
     InProgramDecl,
     "a list of strings",
     SettingForm::Strings,
     nullptr,
     {},
     nullptr,
     false,
     "the program's arguments, after its command"},
    {SettingKey::Env,
     "env",
     InProgramDecl,
     "a list of \"NAME=value\" strings",
     SettingForm::Strings,
     nullptr,
     {},
     nullptr,
     false,
     "environment variables set for the program, in order"},
    {SettingKey::UnsetEnv,
     "unset_env",
     InProgramDecl,
     "a list of environment variable names",
     SettingForm::Strings,
     nullptr,
     {},
     nullptr,
     false,
     "environment variables removed from what the program inherits"},
    {SettingKey::InheritEnv,
     "inherit_env",
     InProgramDecl,
     "true or false",
     SettingForm::Bool,
     nullptr,
     {},
     nullptr,
     false,
     "whether the program starts with the supervising environment"},
    {SettingKey::WorkingDir,
     "working_dir",
     InProgramDecl,
     "a string",
     SettingForm::String,
     nullptr,
     {},
     nullptr,
     false,
     "the directory the program runs in"},
    {SettingKey::StopSignal, "stop_signal", InProgramDecl, "a signal, such as SIGTERM or SIGINT",
     SettingForm::Enum, signalType, "signal", settings::checkStopSignal, false,
     "the signal that asks the program to stop, before the shutdown timeout kills it"},
    {SettingKey::Readiness, "readiness", InProgramDecl, "exec or notify", SettingForm::Enum,
     readinessType, "readiness", nullptr, false,
     "when the program counts as started: once executed, or when it sends READY=1"},
    {SettingKey::NotifySocket, "notify_socket", InProgramDecl, "path or abstract",
     SettingForm::Enum, notifySocketType, "notify socket", nullptr, false,
     "the kind of socket NOTIFY_SOCKET names, for readiness = notify"},
    {SettingKey::StartTimeout,
     "start_timeout",
     InProgramDecl,
     "a duration or infinity",
     SettingForm::Timeout,
     nullptr,
     {},
     settings::checkStartTimeout,
     false,
     "how long a start may take before it fails"},
    {SettingKey::Output, "output", InProgramDecl, "log, inherit or discard", SettingForm::Enum,
     outputModeType, "output mode", nullptr, false, "where the program's stdout and stderr go"},
    {SettingKey::OutputFile,
     "output_file",
     InProgramDecl,
     "a string",
     SettingForm::String,
     nullptr,
     {},
     nullptr,
     false,
     "a file that receives the logged lines"},
    {SettingKey::Containment, "containment", InProgramDecl, "automatic, cgroup or process_tree",
     SettingForm::Enum, containmentType, "containment", nullptr, false,
     "how the program's own children are kept and stopped with it"},
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
    const SettingInfo* s = findSetting(n);
    return s && (s->form == SettingForm::String || s->form == SettingForm::Strings ||
                 s->form == SettingForm::Name);
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

std::string settingText(bool v) {
    return v ? "true" : "false";
}
std::string settingText(const Shutdown& s) {
    switch (s.mode) {
    case Shutdown::Mode::BrutalKill:
        return "brutal_kill";
    case Shutdown::Mode::Infinity:
        return "infinity";
    case Shutdown::Mode::Timeout:
        break;
    }
    return formatDuration(s.milliseconds);
}
std::string settingText(const Intensity& i) {
    return fmt::format("{} per {}", i.restarts, formatDuration(i.periodMs));
}
std::string settingText(const Backoff& b) {
    if (!b.exponential)
        return "none";
    std::string out =
        fmt::format("exponential({}, {}", formatDuration(b.minMs), formatDuration(b.maxMs));
    if (b.jitter != 0)
        out += fmt::format(", jitter = {}", b.jitter);
    return out + ")";
}
std::string settingText(const std::optional<int64_t>& n) {
    return n ? std::to_string(*n) : std::string("unlimited");
}
std::string settingText(const ChildName& n) {
    auto quoted = [](std::string_view s) {
        std::string out = "\"";
        for (char c : s) {
            if (c == '"' || c == '\\')
                out += '\\';
            out += c;
        }
        return out + "\"";
    };
    switch (n.mode) {
    case ChildName::Mode::Local:
        return quoted(n.name);
    case ChildName::Mode::Via:
        return fmt::format("via({}, {})", quoted(n.registry), quoted(n.name));
    case ChildName::Mode::None:
        break;
    }
    return "none";
}

} // namespace supc
