#include "supc/Elaborator.h"

#include <cstdlib>
#include <llvm/Support/raw_ostream.h>
#include <mutex>
#include <sup/schedulers.hpp>

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
        // As the runtime counts them (sup/schedulers.hpp): SUPC_SCHEDULERS pins the count
        // (reproducible dumps), else one per hardware thread. An unusable value is said once.
        sup::SchedulerCount n = sup::default_schedulers();
        if (!n.warning.empty()) {
            static std::once_flag said;
            std::call_once(said, [&] {
                llvm::errs() << "supc: warning: " << n.warning << "\n";
                llvm::errs().flush();
            });
        }
        return n.threads;
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
