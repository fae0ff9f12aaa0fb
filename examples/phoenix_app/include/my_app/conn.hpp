// worker UserConnection(user_id: string): one per connected user, started at run time under
// the dynamic supervisor Connections (restart = temporary: a dropped connection is gone).
#pragma once

#include "my_app/messages.hpp"

#include <string>
#include <sup/sup.hpp>

namespace my_app {

class UserConnection : public sup::Actor<UserConnection> {
public:
    explicit UserConnection(std::string user_id) : user_(std::move(user_id)) {}
    std::string handle_call(Describe) { return "connection of " + user_; }

private:
    std::string user_;
};

} // namespace my_app
