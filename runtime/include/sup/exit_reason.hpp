// Exit reasons, as in Erlang/OTP: normal, shutdown, {shutdown, Detail}, killed, and abnormal
// reasons carrying a message (an escaped exception's what(), or a reason given to exit()).
#pragma once

#include <ostream>
#include <string>
#include <utility>

namespace sup {

class ExitReason {
public:
    enum class Kind : unsigned char { normal, shutdown, killed, error };

    ExitReason() = default; // normal

    static ExitReason normal() { return {}; }
    static ExitReason shutdown() { return ExitReason(Kind::shutdown, {}); }
    /// OTP's {shutdown, Detail}: a clean stop that carries information.
    static ExitReason shutdown(std::string detail) {
        return ExitReason(Kind::shutdown, std::move(detail));
    }
    static ExitReason killed() { return ExitReason(Kind::killed, {}); }
    /// An abnormal reason; `what` is what the trace and the logs show ("crash", "noproc", ...).
    static ExitReason error(std::string what) { return ExitReason(Kind::error, std::move(what)); }

    Kind kind() const { return kind_; }
    /// The detail of {shutdown, Detail}, or the message of an abnormal reason.
    const std::string& detail() const { return detail_; }

    bool is_normal() const { return kind_ == Kind::normal; }
    /// shutdown or {shutdown, _}.
    bool is_shutdown() const { return kind_ == Kind::shutdown; }
    bool is_killed() const { return kind_ == Kind::killed; }
    bool is_error() const { return kind_ == Kind::error; }
    /// OTP's rule for transient and temporary children: every reason except normal, shutdown
    /// and {shutdown, _} is abnormal (killed is abnormal).
    bool is_abnormal() const { return kind_ == Kind::killed || kind_ == Kind::error; }

    /// "normal", "shutdown", "{shutdown,DETAIL}", "killed", or the abnormal reason's message.
    std::string to_string() const {
        switch (kind_) {
        case Kind::normal:
            return "normal";
        case Kind::shutdown:
            return detail_.empty() ? "shutdown" : "{shutdown," + detail_ + "}";
        case Kind::killed:
            return "killed";
        case Kind::error:
            return detail_;
        }
        return detail_;
    }

    friend bool operator==(const ExitReason&, const ExitReason&) = default;
    friend std::ostream& operator<<(std::ostream& os, const ExitReason& r) {
        return os << r.to_string();
    }

private:
    ExitReason(Kind k, std::string d) : kind_(k), detail_(std::move(d)) {}
    Kind kind_ = Kind::normal;
    std::string detail_;
};

} // namespace sup
