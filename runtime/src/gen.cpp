// Support for generated code (sup/gen.hpp).
#include "sup/gen.hpp"

#include "live_runtimes.hpp"
#include "sup/detail/core.hpp"
#include "sup/extension.hpp"
#include "sup/schedulers.hpp"

#include <atomic>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>

namespace sup::gen {

namespace {

// ---------------------------------------------------------------- warnings

std::mutex& sink_mutex() {
    static std::mutex m;
    return m;
}
std::function<void(std::string_view)>& sink() {
    static std::function<void(std::string_view)> s;
    return s;
}

void warn(const std::string& line) {
    std::lock_guard lock(sink_mutex());
    if (sink()) {
        sink()(line);
        return;
    }
    std::fprintf(stderr, "%s\n", line.c_str());
    std::fflush(stderr);
}

// ---------------------------------------------------------------- parsing, as supc does
// (compiler/lib/Elab/Elaborator.cpp, parseEnvValue): the two must agree, and the lit test
// tests/lit/compile/env-parsing.test runs the same inputs through both.

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n'))
        s.remove_suffix(1);
    return s;
}

// Digits with '_' between them (not first or last), as an integer literal in a spec.
bool parse_digits(std::string_view s, std::int64_t& out) {
    if (s.empty() || s.front() == '_' || s.back() == '_')
        return false;
    std::uint64_t v = 0;
    for (char c : s) {
        if (c == '_')
            continue;
        if (c < '0' || c > '9')
            return false;
        if (v > (std::uint64_t(INT64_MAX) - std::uint64_t(c - '0')) / 10)
            return false;
        v = v * 10 + std::uint64_t(c - '0');
    }
    out = std::int64_t(v);
    return true;
}

std::optional<std::int64_t> parse_int(std::string_view text) {
    std::string_view s = trim(text);
    bool negative = !s.empty() && s.front() == '-';
    if (negative)
        s.remove_prefix(1);
    std::int64_t v = 0;
    if (!parse_digits(s, v))
        return std::nullopt;
    return negative ? -v : v;
}

std::optional<std::int64_t> parse_duration_ms(std::string_view text) {
    std::string_view s = trim(text);
    std::size_t i = 0;
    while (i < s.size() && ((s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
        ++i;
    std::int64_t v = 0;
    if (!parse_digits(s.substr(0, i), v))
        return std::nullopt;
    std::string_view unit = s.substr(i);
    std::int64_t factor = unit == "ms"  ? 1
                          : unit == "s" ? 1000
                          : unit == "m" ? 60'000
                          : unit == "h" ? 3'600'000
                                        : 0;
    if (factor == 0 || v > INT64_MAX / factor)
        return std::nullopt;
    return v * factor;
}

// As a spec writes a duration: 5s, 1500ms, 2m, 1h.
std::string format_duration(std::int64_t ms) {
    if (ms != 0 && ms % 3'600'000 == 0)
        return std::to_string(ms / 3'600'000) + "h";
    if (ms != 0 && ms % 60'000 == 0)
        return std::to_string(ms / 60'000) + "m";
    if (ms != 0 && ms % 1000 == 0)
        return std::to_string(ms / 1000) + "s";
    return std::to_string(ms) + "ms";
}

void warn_unparsable(const char* var, const char* text, const char* what,
                     const std::string& fallback) {
    warn(std::string("supc: ") + var + "='" + text + "' is not " + what + "; using the default " +
         fallback);
}

thread_local Runtime* scope_runtime = nullptr;

} // namespace

std::int64_t env_int(const char* var, std::int64_t fallback) {
    const char* text = std::getenv(var);
    if (!text)
        return fallback;
    if (auto v = parse_int(text))
        return *v;
    warn_unparsable(var, text, "an int", std::to_string(fallback));
    return fallback;
}

std::chrono::milliseconds env_duration(const char* var, std::chrono::milliseconds fallback) {
    const char* text = std::getenv(var);
    if (!text)
        return fallback;
    if (auto v = parse_duration_ms(text))
        return std::chrono::milliseconds(*v);
    warn_unparsable(var, text, "a duration (such as 500ms, 5s, 2m, 1h)",
                    format_duration(fallback.count()));
    return fallback;
}

std::string env_string(const char* var, std::string fallback) {
    const char* text = std::getenv(var);
    return text ? std::string(text) : std::move(fallback);
}

bool env_bool(const char* var, bool fallback) {
    const char* text = std::getenv(var);
    if (!text)
        return fallback;
    std::string_view s = trim(text);
    if (s == "true")
        return true;
    if (s == "false")
        return false;
    warn_unparsable(var, text, "a bool (true or false)", fallback ? "true" : "false");
    return fallback;
}

void set_warning_sink(std::function<void(std::string_view)> s) {
    std::lock_guard lock(sink_mutex());
    sink() = std::move(s);
}

std::int64_t schedulers() {
    if (Runtime* rt = ext::current_runtime())
        return rt->threads();
    if (scope_runtime)
        return scope_runtime->threads();
    // A spec built before it is handed to a runtime (the test kit's Supervised(rt, App_spec()))
    // counts the runtime's schedulers when there is no doubt which runtime that is.
    if (auto threads = detail::sole_runtime_threads())
        return *threads;
    return default_schedulers().threads; // what a runtime started now would have
}

RuntimeScope::RuntimeScope(Runtime& rt) : previous_(scope_runtime) {
    scope_runtime = &rt;
}
RuntimeScope::~RuntimeScope() {
    scope_runtime = previous_;
}

Strategy to_strategy(std::string_view name) {
    if (name == "one_for_one")
        return Strategy::one_for_one;
    if (name == "one_for_all")
        return Strategy::one_for_all;
    if (name == "rest_for_one")
        return Strategy::rest_for_one;
    throw std::invalid_argument("supc: unknown strategy '" + std::string(name) + "'");
}

Restart to_restart(std::string_view name) {
    if (name == "permanent")
        return Restart::permanent;
    if (name == "transient")
        return Restart::transient;
    if (name == "temporary")
        return Restart::temporary;
    throw std::invalid_argument("supc: unknown restart type '" + std::string(name) + "'");
}

AutoShutdown to_auto_shutdown(std::string_view name) {
    if (name == "never")
        return AutoShutdown::never;
    if (name == "any_significant")
        return AutoShutdown::any_significant;
    if (name == "all_significant")
        return AutoShutdown::all_significant;
    throw std::invalid_argument("supc: unknown auto_shutdown '" + std::string(name) + "'");
}

std::optional<std::size_t> to_max_children(std::int64_t n) {
    if (n < 0)
        throw std::invalid_argument("supc: max_children cannot be negative, found " +
                                    std::to_string(n));
    return std::size_t(n);
}

std::optional<std::size_t> to_max_children(const std::optional<std::int64_t>& n) {
    if (!n)
        return std::nullopt;
    return to_max_children(*n);
}

int to_intensity(std::int64_t n) {
    if (n < 0 || n > INT_MAX)
        throw std::invalid_argument("supc: intensity out of range: " + std::to_string(n));
    return int(n);
}

ChildSpec child_of(std::string id, const ChildTemplate& kind) {
    ChildSpec s;
    s.id = std::move(id);
    s.start = [start = kind.start](StartContext& ctx) { return start(ctx, StartArgs()); };
    s.settings() = kind.settings();
    return s;
}

// ---------------------------------------------------------------- the started hook

namespace {
std::atomic<StartedHook> started_hook{nullptr};
} // namespace

StartedHook set_started_hook(StartedHook hook) {
    return started_hook.exchange(hook);
}

std::shared_ptr<void> run_started_hook(Runtime& rt, const Tree& tree) {
    if (StartedHook hook = started_hook.load())
        return hook(rt, tree);
    static std::atomic<bool> warned{false};
    const char* observe = std::getenv("SUPC_OBSERVE");
    if (observe && *observe && !warned.exchange(true))
        warn("supc: SUPC_OBSERVE is set, but this program was built without the observe "
             "component (supc_generate(... NO_OBSERVE), or no supc::observe_env): not observing");
    return nullptr;
}

ChildSpec& with_intensity(ChildSpec& child, int intensity, std::chrono::nanoseconds period) {
    child.start = [inner = std::move(child.start), intensity, period](StartContext& ctx) {
        ctx.give_intensity(intensity, period);
        return inner(ctx);
    };
    return child;
}

} // namespace sup::gen
