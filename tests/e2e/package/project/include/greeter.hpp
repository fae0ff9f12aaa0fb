#pragma once

#include <string>
#include <sup/sup.hpp>

namespace hello {

struct Greet {};

class Greeter : public sup::Actor<Greeter> {
public:
    explicit Greeter(std::string name) : name_(std::move(name)) {}
    std::string handle_call(Greet) { return "hello from the " + name_; }

private:
    std::string name_;
};

} // namespace hello
