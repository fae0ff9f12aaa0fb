// Messages the phoenix_app workers understand (sup::call for questions, sup::cast for the rest).
#pragma once

#include <cstdint>
#include <string>

namespace my_app {

/// Any worker: what it is and what it knows, as one line of text.
struct Describe {};
/// A cast that makes the receiver crash (an exception escapes its handler): the fault
/// main.cpp injects.
struct InjectFault {
    std::string what;
};

} // namespace my_app
