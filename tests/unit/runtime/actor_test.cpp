#include <catch2/catch.hpp>

#include "sup/sup.hpp"

namespace {
struct Get {};
struct Add {
    int n;
};
class Counter : public sup::Actor<Counter> {
public:
    explicit Counter(int start) : n_(start) {}
    int handle_call(Get) { return n_; }
    void handle_cast(Add a) { n_ += a.n; }

private:
    int n_;
};
} // namespace

TEST_CASE("smoke: spawn, cast, call") {
    sup::Runtime rt({.threads = 2, .log_level = sup::LogLevel::none});
    auto c = rt.spawn<Counter>(40).value();
    sup::cast(c, Add{2});
    REQUIRE(sup::call(c, Get{}).value() == 42);
}
