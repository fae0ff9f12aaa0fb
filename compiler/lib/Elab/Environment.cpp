#include "supc/Elaborator.h"

#include <cstdlib>
#include <thread>

namespace supc {

namespace {

class ProcessEnvironment final : public Environment {
public:
    std::optional<std::string> get(const std::string& name) const override {
        if (const char* v = std::getenv(name.c_str()))
            return std::string(v);
        return std::nullopt;
    }
    int64_t schedulers() const override {
        // SUPC_SCHEDULERS pins the count (reproducible dumps); else one per hardware thread.
        if (const char* v = std::getenv("SUPC_SCHEDULERS")) {
            char* end = nullptr;
            long n = std::strtol(v, &end, 10);
            if (end && *end == '\0' && n > 0)
                return n;
        }
        unsigned n = std::thread::hardware_concurrency();
        return n ? int64_t(n) : 1;
    }
};

class DefaultsEnvironment final : public Environment {
public:
    std::optional<std::string> get(const std::string&) const override { return std::nullopt; }
    int64_t schedulers() const override { return Environment::real().schedulers(); }
};

} // namespace

Environment::~Environment() = default;

const Environment& Environment::real() {
    static ProcessEnvironment env;
    return env;
}

const Environment& Environment::defaults() {
    static DefaultsEnvironment env;
    return env;
}

std::optional<std::string> MapEnvironment::get(const std::string& name) const {
    auto it = vars.find(name);
    if (it == vars.end())
        return std::nullopt;
    return it->second;
}

} // namespace supc
