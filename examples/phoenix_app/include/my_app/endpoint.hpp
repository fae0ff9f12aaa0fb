// worker Endpoint(port: int = 4000): the application's front door (here it only says where
// it would listen; it needs repo and services, started before it).
#pragma once

#include "my_app/messages.hpp"

#include <cstdint>
#include <string>
#include <sup/sup.hpp>

namespace my_app {

class Endpoint : public sup::Actor<Endpoint> {
public:
    explicit Endpoint(std::int64_t port) : port_(port) {}
    std::string handle_call(Describe) { return "listening on port " + std::to_string(port_); }

private:
    std::int64_t port_;
};

} // namespace my_app
