// Result and StartResult on temporaries: the value is moved out, never a reference into the
// temporary (`for (auto& c : sup::which_children(x).value())` must not dangle).
#include "sup/result.hpp"
#include "sup/supervisor.hpp"
#include "sup/testing.hpp"
#include "sup_helpers.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <type_traits>
#include <vector>

using namespace std::chrono_literals;

namespace {
struct Err {
    std::string to_string() const { return "boom"; }
};
using R = sup::Result<std::vector<std::string>, Err>;
R make(bool ok) {
    if (ok)
        return std::vector<std::string>{"a long string that lives on the heap", "b"};
    return sup::fail(Err{});
}
} // namespace

// By value on an rvalue, by reference on an lvalue.
static_assert(std::is_same_v<decltype(std::declval<R>().value()), std::vector<std::string>>);
static_assert(std::is_same_v<decltype(*std::declval<R>()), std::vector<std::string>>);
static_assert(std::is_same_v<decltype(std::declval<R&>().value()), std::vector<std::string>&>);
static_assert(std::is_same_v<decltype(std::declval<R>().error()), Err>);
using S = sup::StartResult<std::vector<int>>;
static_assert(std::is_same_v<decltype(std::declval<S>().value()), std::vector<int>>);
static_assert(std::is_same_v<decltype(*std::declval<S>()), std::vector<int>>);
static_assert(std::is_same_v<decltype(std::declval<S&>().value()), std::vector<int>&>);

TEST_CASE("Result: a range-for over a temporary's value sees live elements") {
    std::string joined;
    for (const std::string& s : make(true).value()) // the temporary dies before the loop body
        joined += s + ";";
    REQUIRE(joined == "a long string that lives on the heap;b;");
    std::size_t n = 0;
    for (const std::string& s : *make(true))
        n += s.size();
    REQUIRE(n == 37);
    REQUIRE_THROWS_AS(make(false).value(), sup::BadResultAccess);
}

TEST_CASE("Result: which_children(...).value() in a range-for, as OTP users write it") {
    sup::Runtime rt(sup::RuntimeOptions{.threads = 1});
    test::Kid a{"a"}, b{"b"};
    sup::testing::Supervised tree(
        rt, test::sup_spec(sup::Strategy::one_for_one, 5, 10s, {a.spec(), b.spec()}));
    std::vector<std::string> ids;
    for (const auto& c : sup::which_children(tree.pid()).value())
        ids.push_back(c.id);
    REQUIRE(ids.size() == 2);
}

TEST_CASE("StartResult: a temporary's value is moved out") {
    auto started = [] { return S::make_started(std::vector<int>{1, 2, 3}); };
    int sum = 0;
    for (int x : started().value())
        sum += x;
    REQUIRE(sum == 6);
    REQUIRE_THROWS_AS(S::make_ignored().value(), sup::BadResultAccess);
}
