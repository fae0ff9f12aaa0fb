// Building blocks for the supervisor tests (mirroring OTP's supervisor_SUITE helpers).
#pragma once

#include "helpers.hpp"
#include "sup/testing.hpp"

#include <memory>
#include <string>
#include <vector>

namespace test {

using sup::testing::StandIn;
using Lines = std::vector<std::string>;

inline sup::SupervisorSpec sup_spec(sup::Strategy s, int intensity, std::chrono::seconds period,
                                    std::vector<sup::ChildSpec> children = {}) {
    sup::SupervisorSpec spec;
    spec.flags.strategy = s;
    spec.flags.intensity = intensity;
    spec.flags.period = period;
    spec.children = std::move(children);
    return spec;
}

/// A stand-in child with its own control (fail_starts, hang).
struct Kid {
    std::string id;
    std::shared_ptr<StandIn::Control> ctl = std::make_shared<StandIn::Control>();
    sup::ChildSpec
    spec(sup::Restart r = sup::Restart::permanent,
         sup::Shutdown s = sup::Shutdown::timeout(std::chrono::milliseconds(1000))) const {
        return sup::testing::stand_in(id, ctl).with_restart(r).with_shutdown(s);
    }
};

inline sup::Ref<StandIn> stand_in_ref(const sup::Pid& p) {
    return p.as<StandIn>();
}

/// Makes the child crash with `reason` (OTP's terminate(.., abnormal)).
inline void crash(const sup::Pid& p, std::string reason = "crash") {
    sup::cast(stand_in_ref(p), StandIn::Crash{std::move(reason)});
}
/// Makes the child stop on its own with `reason`.
inline void stop_with(const sup::Pid& p, sup::ExitReason reason) {
    sup::cast(stand_in_ref(p), StandIn::Stop{std::move(reason)});
}

/// The events of supervisor `sup` after index `from`.
inline Lines lines_since(sup::testing::EventLog& log, const sup::Pid& sup, std::size_t from) {
    Lines all = log.lines(sup);
    // lines(sup) filters; recompute the filtered index of `from`.
    auto evs = log.events();
    std::size_t skip = 0;
    for (std::size_t i = 0; i < from && i < evs.size(); ++i)
        if (evs[i].supervisor == sup)
            ++skip;
    return Lines(all.begin() + static_cast<long>(std::min(skip, all.size())), all.end());
}

inline Lines ids_of(const std::vector<sup::ChildInfo>& v) {
    Lines out;
    for (auto& c : v)
        out.push_back(c.id);
    return out;
}

} // namespace test
