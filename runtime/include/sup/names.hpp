// Typed lookups of registered names: the actor under a name as the class the caller expects,
// or an error that says what is there instead. A lookup never hands out a Ref<T> to an actor
// of another class (a wrong type is an error value, not undefined behaviour).
//
//   auto cache = sup::whereis_as<Cache>("cache");          // in an actor: its runtime
//   if (!cache) log(cache.error().to_string());             // "'cache' is a Db, not a Cache"
//   sup::call(cache.value(), Get{"k"});
//   auto room = sup::whereis_as<Room>(rt, child_name);      // any sup::ChildName, via ones too
#pragma once

#include "sup/pid.hpp"
#include "sup/result.hpp"
#include "sup/runtime.hpp"
#include "sup/spec.hpp"

#include <string>
#include <string_view>
#include <typeinfo>

namespace sup {

struct NameError {
    enum class Code : unsigned char {
        not_registered, ///< no live actor under the name
        wrong_type,     ///< an actor of another class (`actual`) is registered under it
        no_runtime,     ///< called outside actors without a runtime
    };
    Code code = Code::not_registered;
    /// The name as ChildName::to_string writes it.
    std::string name;
    /// wrong_type: the class asked for and the class found (demangled), and the actor.
    std::string expected, actual;
    Pid pid;
    /// "no actor is registered as 'cache'", "'cache' is a my_app::Db, not a my_app::Cache"
    std::string to_string() const;
    bool operator==(Code c) const { return code == c; }
};
template <class T>
using NameResult = Result<Ref<T>, NameError>;

namespace detail {
/// The demangled name of a class.
std::string type_name(const std::type_info& t);
/// The lookup's answer for `pid`, found under `name`, expected to be a `T` (`expected`).
NameError name_error(const Pid& pid, std::string name, const std::type_info& expected);
/// The live actor under `name` in `rt` (a via-name through its module), or an empty Pid.
Pid whereis_name(Runtime& rt, const ChildName& name);
/// The calling actor's runtime, or null outside actors.
Runtime* caller_runtime() noexcept;
} // namespace detail

/// The actor under `name` as a T: not_registered if none lives, wrong_type if its class is not
/// exactly T.
template <class T>
NameResult<T> whereis_as(Runtime& rt, const ChildName& name) {
    Pid pid = detail::whereis_name(rt, name);
    if (Ref<T> ref = pid.template as<T>())
        return ref;
    return fail(detail::name_error(pid, name.to_string(), typeid(T)));
}
template <class T>
NameResult<T> whereis_as(Runtime& rt, std::string_view name) {
    return whereis_as<T>(rt, ChildName::local(std::string(name)));
}
/// From an actor: in its runtime (no_runtime elsewhere).
template <class T>
NameResult<T> whereis_as(const ChildName& name) {
    Runtime* rt = detail::caller_runtime();
    if (!rt)
        return fail(NameError{NameError::Code::no_runtime, name.to_string(), {}, {}, {}});
    return whereis_as<T>(*rt, name);
}
template <class T>
NameResult<T> whereis_as(std::string_view name) {
    return whereis_as<T>(ChildName::local(std::string(name)));
}

} // namespace sup
