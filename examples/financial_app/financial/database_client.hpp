// What a service keeps of the database: one connection, checked out in its init from the
// pool registered as "database". A service that cannot connect does not start.
#pragma once

#include "financial/database_pool.hpp"

#include <optional>
#include <string>
#include <sup/sup.hpp>

namespace financial {

/// Call, answered by every service that holds a connection: the generation of the pool it
/// came from.
struct ConnectedGeneration {};

class DatabaseClient {
public:
    /// Checks a connection out for `self`; a reason to fail the service's start, or none.
    std::optional<sup::ExitReason> connect(sup::Runtime& rt, const sup::Pid& self) {
        sup::Ref<DatabasePool> pool = rt.whereis_as<DatabasePool>(DatabasePool::name);
        auto conn = sup::call(pool, Connect{self});
        if (!conn)
            return sup::ExitReason::error("no database: " + conn.error().to_string());
        if (!conn.value())
            return sup::ExitReason::error("no free database connection");
        pool_ = pool;
        connection_ = *conn.value();
        return std::nullopt;
    }

    /// Runs `statement` on this service's connection.
    std::string execute(std::string statement) {
        auto r = sup::call(pool_, Execute{connection_, std::move(statement)});
        return r ? r.value() : "error: " + r.error().to_string();
    }

    const Connection& connection() const { return connection_; }

private:
    sup::Ref<DatabasePool> pool_;
    Connection connection_;
};

} // namespace financial
