// Donations to campaigns, recorded in the database.
#pragma once

#include "financial/database_client.hpp"

#include <cstdint>
#include <string>
#include <sup/sup.hpp>

namespace financial {

/// Call: `donor` gives `cents` to `campaign`; the reply is the database's answer.
struct Donate {
    std::string donor;
    std::string campaign;
    std::int64_t cents = 0;
};

class DonationDesk : public sup::Actor<DonationDesk> {
public:
    sup::InitResult init() override {
        if (auto failure = db_.connect(runtime(), self_pid()))
            return sup::InitResult::stop(*failure);
        return sup::InitResult::ok();
    }
    std::string handle_call(Donate d) {
        return db_.execute("insert donation " + d.donor + " " + d.campaign + " " +
                           std::to_string(d.cents));
    }
    int handle_call(ConnectedGeneration) { return db_.connection().generation; }

private:
    DatabaseClient db_;
};

} // namespace financial
