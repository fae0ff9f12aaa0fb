// Notifications to customers. They do not use the database, but they start after it: under
// rest_for_one they restart with it all the same (and lose what they had counted).
#pragma once

#include <string>
#include <sup/sup.hpp>

namespace financial {

/// Cast: tell `to` about something.
struct Notify {
    std::string to;
    std::string text;
};
/// Call: how many notifications this incarnation has sent.
struct SentCount {};

class Mailer : public sup::Actor<Mailer> {
public:
    void handle_cast(Notify) { ++sent_; }
    int handle_call(SentCount) { return sent_; }

private:
    int sent_ = 0;
};

class SmsSender : public sup::Actor<SmsSender> {
public:
    void handle_cast(Notify) { ++sent_; }
    int handle_call(SentCount) { return sent_; }

private:
    int sent_ = 0;
};

} // namespace financial
