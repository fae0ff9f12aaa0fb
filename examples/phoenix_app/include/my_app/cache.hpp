// worker Cache(ttl: duration = 300s): a key-value cache (the example shows its ttl; it does not
// expire entries). Its state is lost when it crashes: a restarted cache starts empty.
#pragma once

#include "my_app/messages.hpp"

#include <chrono>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <sup/sup.hpp>

namespace my_app {

struct Put {
    std::string key, value;
};
struct Get {
    std::string key;
};

class Cache : public sup::Actor<Cache> {
public:
    explicit Cache(std::chrono::milliseconds ttl) : ttl_(ttl) {}
    void handle_cast(Put p) { entries_[p.key] = {p.value, sup::Clock::time_point{}}; }
    std::optional<std::string> handle_call(Get g) {
        auto it = entries_.find(g.key);
        if (it == entries_.end())
            return std::nullopt;
        return it->second.value;
    }
    void handle_cast(InjectFault f) { throw std::runtime_error(f.what); }
    std::string handle_call(Describe) {
        return std::to_string(entries_.size()) + " entries, ttl " +
               std::to_string(std::chrono::duration_cast<std::chrono::seconds>(ttl_).count()) + "s";
    }

private:
    struct Entry {
        std::string value;
        sup::Clock::time_point stored;
    };
    std::chrono::milliseconds ttl_;
    std::map<std::string, Entry> entries_;
};

} // namespace my_app
