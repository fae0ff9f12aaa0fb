// Result<T, E>: a value or an error the caller can test (std::expected is C++23).
#pragma once

#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

namespace sup {

/// Thrown by Result::value() on an error; inside a handler it crashes the actor with the error's
/// text as reason, as an unhandled failed gen_server:call does in OTP.
class BadResultAccess : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

namespace detail {
template <class E>
std::string describe_error(const E& e) {
    if constexpr (requires { e.to_string(); })
        return e.to_string();
    else
        return "error";
}
} // namespace detail

template <class E>
struct Unexpected {
    E error;
};
template <class E>
Unexpected<std::decay_t<E>> fail(E&& e) {
    return {std::forward<E>(e)};
}

template <class T, class E>
class [[nodiscard]] Result {
public:
    template <class U = T>
    requires std::is_constructible_v<T, U&&> &&
        (!std::is_same_v<std::remove_cvref_t<U>, Result>)Result(U&& v)
        : v_(std::in_place_index<0>, std::forward<U>(v)) {}
    template <class G>
    Result(Unexpected<G> u) : v_(std::in_place_index<1>, std::move(u.error)) {}

    bool has_value() const { return v_.index() == 0; }
    explicit operator bool() const { return has_value(); }

    T& value() & {
        check();
        return std::get<0>(v_);
    }
    const T& value() const& {
        check();
        return std::get<0>(v_);
    }
    /// On a temporary, the value is moved out (as a prvalue, not a reference into the
    /// temporary): `for (auto& c : sup::which_children(x).value())` is safe.
    T value() && {
        check();
        return std::get<0>(std::move(v_));
    }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T operator*() && { return std::move(*this).value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    template <class U>
    T value_or(U&& d) const& {
        return has_value() ? std::get<0>(v_) : static_cast<T>(std::forward<U>(d));
    }

    const E& error() const& { return std::get<1>(v_); }
    E& error() & { return std::get<1>(v_); }
    E error() && { return std::get<1>(std::move(v_)); }

private:
    void check() const {
        if (!has_value())
            throw BadResultAccess(detail::describe_error(std::get<1>(v_)));
    }
    std::variant<T, E> v_;
};

template <class E>
class [[nodiscard]] Result<void, E> {
public:
    Result() = default;
    template <class G>
    Result(Unexpected<G> u) : err_(std::move(u.error)), ok_(false) {}

    bool has_value() const { return ok_; }
    explicit operator bool() const { return ok_; }
    void value() const {
        if (!ok_)
            throw BadResultAccess(detail::describe_error(err_));
    }
    const E& error() const { return err_; }

private:
    E err_{};
    bool ok_ = true;
};

} // namespace sup
