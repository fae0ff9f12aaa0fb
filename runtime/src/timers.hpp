// Message timers (send_after): registered on the receiving cell so that they are cancelled when
// it dies; they never reach another actor.
#pragma once

#include "cell.hpp"

#include <atomic>

namespace sup::detail {

class SendTimer final : public TimerTask {
public:
    SendTimer(Cell* target, Envelope* e) : target_(target), env_(e) { target->retain(); }
    ~SendTimer() override;
    void fire() noexcept override;
    /// Removes it from the target's list (after a cancel).
    void unregister() noexcept;

private:
    Cell* target_;
    std::atomic<Envelope*> env_;
};

} // namespace sup::detail
