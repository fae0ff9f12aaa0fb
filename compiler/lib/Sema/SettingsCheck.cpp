#include "supc/SettingsCheck.h"

namespace supc::settings {

bool checkStrategy(const ir::Setting& s, const SettingValues& v, DiagnosticEngine& diag) {
    const Value* strategy = v.value;
    if (!v.dynamic || !strategy || strategy->isError() || strategy->enumIndex() == 0)
        return true;
    diag.error(ErrorCode::E024, s.valueRange,
               "a dynamic supervisor's strategy is always one_for_one, found '{}'",
               strategy->enumName())
        .note("children added at run time are independent of each other; use a "
              "'supervisor' for one_for_all or rest_for_one")
        .fixIt(s.valueRange, "one_for_one");
    return false;
}

bool checkIntensity(const ir::Setting& s, const SettingValues& v, DiagnosticEngine& diag) {
    const Value* restarts = v.value;
    const Value* period = v.period;
    bool ok = true;
    if (restarts && !restarts->isError() && restarts->asInt() < 0) {
        diag.error(ErrorCode::E022, s.value->range(),
                   "the restart count of 'intensity' cannot be negative, found {}",
                   restarts->asInt())
            .note("0 means: give up at the first crash");
        ok = false;
    }
    if (period && !period->isError() && period->asMilliseconds() <= 0) {
        diag.error(ErrorCode::E022, s.period->range(),
                   "the period of 'intensity' must be longer than 0, found {}", period->str());
        ok = false;
    }
    return ok;
}

bool checkShutdown(const ir::Setting& s, const SettingValues& v, DiagnosticEngine& diag) {
    const Value* timeout = v.value;
    if (s.shutdownMode != Shutdown::Mode::Timeout || !timeout || timeout->isError() ||
        timeout->asMilliseconds() >= 0)
        return true;
    diag.error(ErrorCode::E032, s.value->range(), "'shutdown' cannot be negative, found {}",
               timeout->str());
    return false;
}

bool checkNameText(std::string_view text, SourceRange at, std::string_view role,
                   DiagnosticEngine& diag) {
    if (text.empty()) {
        auto b = diag.error(ErrorCode::E048, at, "a {} cannot be empty", role);
        if (role == "name")
            b.note("leave 'name' out for a child without a registered name");
        return false;
    }
    for (char c : text) {
        auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7f) {
            diag.error(ErrorCode::E048, at, "a {} cannot contain control characters (found {})",
                       role, fmt::format("\\x{:02x}", u));
            return false;
        }
    }
    if (text.size() > kMaxNameLength) {
        diag.error(ErrorCode::E048, at, "a {} is at most {} bytes long; this one is {}", role,
                   kMaxNameLength, text.size());
        return false;
    }
    return true;
}

bool checkName(const ir::Setting& s, const SettingValues& v, DiagnosticEngine& diag) {
    if (s.strings.empty())
        return true;
    bool ok = true;
    if (v.value && v.value->type()->kind() == TypeKind::String)
        ok &= checkNameText(v.value->asString(), s.strings.back().range, s.via ? "via key" : "name",
                            diag);
    if (s.via && v.period && v.period->type()->kind() == TypeKind::String)
        ok &= checkNameText(v.period->asString(), s.strings.front().range, "registry name", diag);
    return ok;
}

bool checkBackoff(const ir::Setting& s, const SettingValues& v, DiagnosticEngine& diag) {
    const Value* min = v.value;
    const Value* max = v.period;
    const Value* jitter = v.jitter;
    if (!s.exponential)
        return true;
    bool ok = true;
    auto known = [](const Value* v) { return v && !v->isError(); };
    if (known(min) && min->asMilliseconds() <= 0) {
        diag.error(ErrorCode::E032, s.value->range(),
                   "the minimum backoff must be longer than 0, found {}", min->str());
        ok = false;
    } else if (known(min) && known(max) && min->asMilliseconds() > max->asMilliseconds()) {
        diag.error(ErrorCode::E032, s.valueRange,
                   "the minimum backoff {} is longer than the maximum {}", min->str(), max->str())
            .fixIt(SourceRange::join(s.value->range(), s.period->range()),
                   std::string(s.period->range().text()) + ", " +
                       std::string(s.value->range().text()));
        ok = false;
    }
    if (s.jitter && known(jitter) && !(jitter->asDecimal() >= 0 && jitter->asDecimal() <= 1)) {
        diag.error(ErrorCode::E032, s.jitter->range(), "'jitter' must be between 0 and 1, found {}",
                   jitter->str());
        ok = false;
    }
    return ok;
}

bool checkMaxChildren(const ir::Setting& s, const SettingValues& v, DiagnosticEngine& diag) {
    const Value* max = v.value;
    if (!max || max->isError() || max->isNone() || max->asInt() >= 0)
        return true;
    diag.error(ErrorCode::E032, s.value->range(), "'max_children' cannot be negative, found {}",
               max->asInt());
    return false;
}

bool checkChildId(std::string_view id, SourceRange at, std::string_view role,
                  DiagnosticEngine& diag) {
    if (ir::isValidChildId(id))
        return true;
    diag.error(ErrorCode::E038, at, "'{}' is not a valid {}", id, role)
        .note("ids are made of letters, digits, '_', '-' and '.'");
    return false;
}

bool checkCommand(std::string_view command, SourceRange at, DiagnosticEngine& diag) {
    if (command.find_first_not_of(" \t\n") != std::string_view::npos)
        return true;
    diag.error(ErrorCode::E046, at, "the command of a program is empty")
        .note("name the program to run: a path (\"/usr/bin/web-server\") or a name looked up "
              "in PATH (\"web-server\")");
    return false;
}

bool checkEnvName(std::string_view name, SourceRange at, std::string_view role,
                  DiagnosticEngine& diag) {
    bool ok = !name.empty() && !(name[0] >= '0' && name[0] <= '9');
    for (char c : name)
        ok &=
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (ok)
        return true;
    diag.error(ErrorCode::E046, at, "'{}' is not a valid environment variable name in {}", name,
               role)
        .note("names are made of letters, digits and '_', and do not start with a digit");
    return false;
}

bool checkEnvEntry(std::string_view entry, SourceRange at, std::string_view& name,
                   DiagnosticEngine& diag) {
    size_t eq = entry.find('=');
    if (eq == std::string_view::npos) {
        diag.error(ErrorCode::E046, at, "'env' entry '{}' has no '='", entry)
            .note("write each entry as \"NAME=value\" (\"NAME=\" for an empty value); to "
                  "remove a variable, name it in 'unset_env'");
        return false;
    }
    if (!checkEnvName(entry.substr(0, eq), at, "'env'", diag))
        return false;
    name = entry.substr(0, eq);
    return true;
}

bool checkNotEmpty(std::string_view value, SourceRange at, std::string_view setting,
                   DiagnosticEngine& diag) {
    if (!value.empty())
        return true;
    diag.error(ErrorCode::E046, at, "'{}' is empty", setting)
        .note(fmt::format("leave '{}' out for the default", setting));
    return false;
}

bool checkProgramString(SettingKey key, std::string_view value, SourceRange at,
                        DiagnosticEngine& diag) {
    std::string_view name;
    switch (key) {
    case SettingKey::Env:
        return checkEnvEntry(value, at, name, diag);
    case SettingKey::UnsetEnv:
        return checkEnvName(value, at, "'unset_env'", diag);
    case SettingKey::WorkingDir:
        return checkNotEmpty(value, at, "working_dir", diag);
    case SettingKey::OutputFile:
        return checkNotEmpty(value, at, "output_file", diag);
    default:
        return true;
    }
}

bool checkStopSignal(const ir::Setting& s, const SettingValues& v, DiagnosticEngine& diag) {
    const Value* signal = v.value;
    if (!signal || signal->isError() || signalCanStop(signal->enumName()))
        return true;
    diag.error(ErrorCode::E046, s.valueRange, "{} cannot ask a program to stop", signal->enumName())
        .note("by default it stops (suspends) a process or is ignored; use SIGTERM (the "
              "default), SIGINT, SIGQUIT, SIGHUP, or a signal the program handles");
    return false;
}

bool checkStartTimeout(const ir::Setting& s, const SettingValues& v, DiagnosticEngine& diag) {
    const Value* timeout = v.value;
    if (s.shutdownMode != Shutdown::Mode::Timeout || !timeout || timeout->isError() ||
        timeout->asMilliseconds() > 0)
        return true;
    diag.error(ErrorCode::E046, s.value->range(), "'start_timeout' must be longer than 0, found {}",
               timeout->str())
        .note("write 'infinity' to wait as long as it takes");
    return false;
}

} // namespace supc::settings
