// worker Repo: the application's data store (here: a map of users).
#pragma once

#include "my_app/messages.hpp"

#include <map>
#include <string>
#include <sup/sup.hpp>

namespace my_app {

struct FindUser {
    std::int64_t id;
};

class Repo : public sup::Actor<Repo> {
public:
    Repo() : users_{{1, "alice"}, {2, "bob"}, {3, "carol"}} {}
    std::string handle_call(FindUser q) {
        auto it = users_.find(q.id);
        return it == users_.end() ? "" : it->second;
    }
    std::string handle_call(Describe) { return std::to_string(users_.size()) + " users"; }

private:
    std::map<std::int64_t, std::string> users_;
};

} // namespace my_app
