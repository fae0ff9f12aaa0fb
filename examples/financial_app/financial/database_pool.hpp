// The database pool: a fixed number of connections that services check out. Each
// incarnation of the pool is a new "generation": connections from an earlier one are dead
// (the real driver's sockets went down with the process), which is why the services
// started after the pool must restart with it.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <sup/sup.hpp>
#include <vector>

namespace financial {

/// A connection checked out from one generation of the pool.
struct Connection {
    int generation = 0;
    int number = 0;
};

/// Call: check a connection out for `client` (returned to the pool when the client dies).
struct Connect {
    sup::Pid client;
};
/// Call: run a statement on a connection; the reply describes what happened.
struct Execute {
    Connection connection;
    std::string statement;
};
/// Call: the pool's generation.
struct Generation {};
/// Cast: the fault the example injects (the server closes every socket).
struct LoseConnection {};

class DatabasePool : public sup::Actor<DatabasePool> {
public:
    /// The name the pool registers under; services find it by that name after a restart.
    static constexpr const char* name = "database";

    explicit DatabasePool(std::int64_t connections) : size_(int(connections)) {}

    sup::InitResult init() override {
        generation_ = ++generations_;
        for (int n = size_; n >= 1; --n)
            free_.push_back(n);
        runtime().register_name(name, self_pid());
        return sup::InitResult::ok();
    }

    std::optional<Connection> handle_call(Connect c) {
        if (free_.empty())
            return std::nullopt;
        Connection conn{generation_, free_.back()};
        free_.pop_back();
        held_[monitor(c.client).id] = conn.number;
        return conn;
    }

    std::string handle_call(Execute e) {
        if (e.connection.generation != generation_)
            return "error: connection " + std::to_string(e.connection.number) + " of generation " +
                   std::to_string(e.connection.generation) + " is closed";
        return "ok: '" + e.statement + "' on connection " + std::to_string(e.connection.number) +
               " of generation " + std::to_string(generation_);
    }

    int handle_call(Generation) { return generation_; }

    void handle_cast(LoseConnection) { throw std::runtime_error("connection to postgres lost"); }

    /// A client died: its connection goes back to the pool.
    void handle_info(sup::Down d) {
        auto it = held_.find(d.ref.id);
        if (it == held_.end())
            return;
        free_.push_back(it->second);
        held_.erase(it);
    }

private:
    static inline std::atomic<int> generations_{0};
    int size_;
    int generation_ = 0;
    std::vector<int> free_;
    std::map<std::uint64_t, int> held_; // monitor id -> connection number
};

} // namespace financial
