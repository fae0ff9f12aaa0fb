#include "supc/SettingsCheck.h"

namespace supc::settings {

bool checkStrategy(const ir::Setting& s, const Value* strategy, bool dynamic,
                   DiagnosticEngine& diag) {
    if (!dynamic || !strategy || strategy->isError() || strategy->enumIndex() == 0)
        return true;
    diag.error(ErrorCode::E024, s.valueRange,
               "a dynamic supervisor's strategy is always one_for_one, found '{}'",
               strategy->enumName())
        .note("children added at run time are independent of each other; use a "
              "'supervisor' for one_for_all or rest_for_one")
        .fixIt(s.valueRange, "one_for_one");
    return false;
}

bool checkIntensity(const ir::Setting& s, const Value* restarts, const Value* period,
                    DiagnosticEngine& diag) {
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

bool checkShutdown(const ir::Setting& s, const Value* timeout, DiagnosticEngine& diag) {
    if (s.shutdownMode != Shutdown::Mode::Timeout || !timeout || timeout->isError() ||
        timeout->asMilliseconds() >= 0)
        return true;
    diag.error(ErrorCode::E032, s.value->range(), "'shutdown' cannot be negative, found {}",
               timeout->str());
    return false;
}

bool checkBackoff(const ir::Setting& s, const Value* min, const Value* max, const Value* jitter,
                  DiagnosticEngine& diag) {
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

bool checkMaxChildren(const ir::Setting& s, const Value* max, DiagnosticEngine& diag) {
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

} // namespace supc::settings
