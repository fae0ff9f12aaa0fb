// Card payments: the gateway takes them and the ledger books them, each through its own
// database connection.
#pragma once

#include "financial/database_client.hpp"

#include <cstdint>
#include <string>
#include <sup/sup.hpp>

namespace financial {

/// Call: charge `customer` `cents`; the reply is the database's answer.
struct Pay {
    std::string customer;
    std::int64_t cents = 0;
};

class PaymentGateway : public sup::Actor<PaymentGateway> {
public:
    sup::InitResult init() override {
        if (auto failure = db_.connect(runtime(), self_pid()))
            return sup::InitResult::stop(*failure);
        return sup::InitResult::ok();
    }
    std::string handle_call(Pay p) {
        return db_.execute("insert payment " + p.customer + " " + std::to_string(p.cents));
    }
    int handle_call(ConnectedGeneration) { return db_.connection().generation; }

private:
    DatabaseClient db_;
};

class Ledger : public sup::Actor<Ledger> {
public:
    sup::InitResult init() override {
        if (auto failure = db_.connect(runtime(), self_pid()))
            return sup::InitResult::stop(*failure);
        return sup::InitResult::ok();
    }
    int handle_call(ConnectedGeneration) { return db_.connection().generation; }

private:
    DatabaseClient db_;
};

} // namespace financial
