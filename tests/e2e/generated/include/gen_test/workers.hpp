// The classes behind tree.sup's and parts.sup's worker kinds: they record what they were
// constructed with, so that main.cpp can check the generated code passed the spec's values.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <sup/sup.hpp>
#include <vector>

namespace gen_test {

struct Describe {};

class Greeter : public sup::Actor<Greeter> {
public:
    Greeter(std::string name, std::chrono::milliseconds every, bool loud,
            std::vector<std::string> tags, std::optional<std::int64_t> limit, std::string mode)
        : text_(name + " every=" + std::to_string(every.count()) +
                "ms loud=" + (loud ? "yes" : "no") + " tags=" + std::to_string(tags.size()) +
                " limit=" + (limit ? std::to_string(*limit) : "none") + " mode=" + mode) {}
    std::string handle_call(Describe) { return text_; }

private:
    std::string text_;
};

class Slot : public sup::Actor<Slot> {
public:
    Slot(std::int64_t n, std::string label) : text_(label + std::to_string(n)) {}
    std::string handle_call(Describe) { return text_; }

private:
    std::string text_;
};

class Session : public sup::Actor<Session> {
public:
    explicit Session(std::string user) : user_(std::move(user)) {}
    std::string handle_call(Describe) { return user_; }

private:
    std::string user_;
};

} // namespace gen_test
