// Actors shared by the standard library's tests.
#pragma once

#include "helpers.hpp" // the runtime tests' Recorder, Latch, quiet(), virtual_time()
#include "sup/std/std.hpp"
#include "sup/testing.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace stdtest {

using namespace std::chrono_literals;
using Lines = std::vector<std::string>;

/// Holds calls until opened: whoever calls Wait blocks (on the runtime's clock, so the runtime
/// counts it as idle and can become quiescent) until the test calls Open.
class Gate : public sup::Actor<Gate> {
public:
    struct Wait {
        using reply_type = int;
    };
    struct Open {};
    struct Waiting {};
    void handle_call(Wait, sup::ReplyTo<int> r) {
        if (open_)
            r.reply(1);
        else
            waiting_.push_back(std::move(r));
    }
    std::size_t handle_call(Open) {
        open_ = true;
        std::size_t n = waiting_.size();
        for (auto& r : waiting_)
            r.reply(1);
        waiting_.clear();
        return n;
    }
    std::size_t handle_call(Waiting) { return waiting_.size(); }

private:
    bool open_ = false;
    std::vector<sup::ReplyTo<int>> waiting_;
};

inline void pass(const sup::Ref<Gate>& gate) {
    (void)sup::call(gate, Gate::Wait{}, sup::infinity);
}

/// A counter: Get, Add, and Crash (the handler throws).
class Counter : public sup::Actor<Counter> {
public:
    struct Get {};
    struct Add {
        int n;
    };
    struct Crash {};
    Counter() = default;
    explicit Counter(int start) : n_(start) {}
    int handle_call(Get) const { return n_; }
    int handle_call(Add a) { return n_ += a.n; }
    int handle_call(Crash) { throw std::runtime_error("counter crashed"); }
    void handle_cast(Add a) { n_ += a.n; }

private:
    int n_ = 0;
};

/// Records what it is posted (strings) and knows its index when a component passes one.
class Member : public sup::Actor<Member> {
public:
    struct Index {};
    Member() = default;
    explicit Member(std::int64_t index) : index_(index) {}
    Member(test::Recorder* r, std::string name) : r_(r), name_(std::move(name)) {}
    std::int64_t handle_call(Index) const { return index_; }
    /// Runs a function in this actor (register, unregister, ...).
    struct Do {
        std::function<std::string()> fn;
    };
    std::string handle_call(Do d) { return d.fn(); }
    void handle_info(sup::Message m) {
        if (auto* s = m.get_if<std::string>(); s && r_)
            r_->add(name_ + " got " + *s);
    }

private:
    test::Recorder* r_ = nullptr;
    std::string name_;
    std::int64_t index_ = -1;
};

/// Runs `fn` inside `actor` and returns what it returns.
inline std::string in(const sup::Ref<Member>& actor, std::function<std::string()> fn) {
    return sup::call(actor, Member::Do{std::move(fn)}).value();
}

} // namespace stdtest

// Readable failures for the structs tests compare.
namespace Catch {
template <>
struct StringMaker<sup::ChildCounts> {
    static std::string convert(const sup::ChildCounts& c) {
        return "{specs " + std::to_string(c.specs) + ", active " + std::to_string(c.active) +
               ", supervisors " + std::to_string(c.supervisors) + ", workers " +
               std::to_string(c.workers) + "}";
    }
};
template <>
struct StringMaker<sup::std_lib::PoolStatus> {
    static std::string convert(const sup::std_lib::PoolStatus& s) {
        return "{size " + std::to_string(s.size) + ", idle " + std::to_string(s.idle) + ", busy " +
               std::to_string(s.busy) + ", restarting " + std::to_string(s.restarting) +
               ", queued " + std::to_string(s.queued) + "}";
    }
};
} // namespace Catch
