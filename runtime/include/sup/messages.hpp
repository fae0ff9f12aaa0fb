// The messages the runtime itself delivers to handle_info.
#pragma once

#include "sup/exit_reason.hpp"
#include "sup/pid.hpp"

#include <any>
#include <typeinfo>
#include <utility>

namespace sup {

/// A monitored actor died (OTP's {'DOWN', Ref, process, Pid, Reason}). Reason noproc: it was
/// already dead when the monitor was set.
struct Down {
    MonitorRef ref;
    Pid pid;
    ExitReason reason;
};

/// A linked actor exited, or someone called sup::exit() on this actor, while it traps exits
/// (OTP's {'EXIT', From, Reason}).
struct ExitSignal {
    Pid from;
    ExitReason reason;
};

/// A message sent with sup::post() to an untyped Pid: the receiver inspects its type at run time
/// in `handle_info(sup::Message&&)`.
class Message {
public:
    Message() = default;
    template <class M>
    explicit Message(M&& m) : value_(std::forward<M>(m)) {}

    template <class M>
    bool is() const {
        return value_.type() == typeid(M);
    }
    template <class M>
    M* get_if() {
        return std::any_cast<M>(&value_);
    }
    template <class M>
    const M* get_if() const {
        return std::any_cast<M>(&value_);
    }
    const std::type_info& type() const { return value_.type(); }

private:
    std::any value_;
};

} // namespace sup
