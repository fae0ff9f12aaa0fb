// The C++ worker beside the programs: counts its starts (a one_for_all restart after a
// program's crash starts it again).
#pragma once

#include <atomic>
#include <sup/sup.hpp>

namespace mixed {

inline std::atomic<int> counter_starts{0};

struct Count {};

class Counter : public sup::Actor<Counter> {
public:
    Counter() { ++counter_starts; }
    int handle_call(Count) { return counter_starts.load(); }
};

} // namespace mixed
