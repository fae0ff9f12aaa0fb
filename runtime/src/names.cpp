// Typed lookups of registered names (sup/names.hpp).
#include "sup/names.hpp"

#include "sup/extension.hpp"

#include <cstdlib>
#include <cxxabi.h>
#include <memory>

namespace sup {

std::string NameError::to_string() const {
    switch (code) {
    case Code::not_registered:
        return "no actor is registered as '" + name + "'";
    case Code::wrong_type:
        return "'" + name + "' is a " + actual + ", not a " + expected;
    case Code::no_runtime:
        return "looking up '" + name + "' outside actors needs a runtime";
    }
    return "?";
}

namespace detail {

std::string type_name(const std::type_info& t) {
    int status = 0;
    std::unique_ptr<char, void (*)(void*)> s(
        abi::__cxa_demangle(t.name(), nullptr, nullptr, &status), std::free);
    return status == 0 && s ? std::string(s.get()) : std::string(t.name());
}

NameError name_error(const Pid& pid, std::string name, const std::type_info& expected) {
    NameError e;
    e.name = std::move(name);
    if (!pid)
        return e;
    e.code = NameError::Code::wrong_type;
    e.expected = type_name(expected);
    const std::type_info* actual = pid.cell() ? pid.cell()->type : nullptr;
    e.actual = actual ? type_name(*actual) : "process without a class";
    e.pid = pid;
    return e;
}

Pid whereis_name(Runtime& rt, const ChildName& name) {
    switch (name.kind) {
    case ChildName::Kind::local:
        return rt.whereis(name.name);
    case ChildName::Kind::via:
        if (name.module && name.module->whereis_name)
            return name.module->whereis_name(rt, name.registry, name.name);
        return Pid();
    case ChildName::Kind::none:
        break;
    }
    return Pid();
}

Runtime* caller_runtime() noexcept {
    return ext::current_runtime();
}

} // namespace detail

} // namespace sup
