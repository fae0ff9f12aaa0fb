// The classes behind app.sup's worker kinds.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <sup/sup.hpp>

namespace std_e2e {

struct Get {};
struct Crash {};

class Counter : public sup::Actor<Counter> {
public:
    explicit Counter(std::int64_t start) : n_(start) {}
    std::int64_t handle_call(Get) const { return n_; }
    std::int64_t handle_call(Crash) { throw std::runtime_error("counter crashed"); }

private:
    std::int64_t n_;
};

/// A partition: answers Get with its partition number.
class Indexed : public sup::Actor<Indexed> {
public:
    explicit Indexed(std::int64_t index) : index_(index) {}
    std::int64_t handle_call(Get) const { return index_; }

private:
    std::int64_t index_;
};

} // namespace std_e2e
