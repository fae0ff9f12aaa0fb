// worker EmailSender: sends (here: counts) mails.
#pragma once

#include "my_app/messages.hpp"

#include <string>
#include <sup/sup.hpp>

namespace my_app {

struct SendMail {
    std::string to;
};

class EmailSender : public sup::Actor<EmailSender> {
public:
    std::string handle_call(SendMail m) {
        return "mail #" + std::to_string(++sent_) + " to " + m.to;
    }
    std::string handle_call(Describe) { return std::to_string(sent_) + " mails sent"; }

private:
    int sent_ = 0;
};

} // namespace my_app
