// Listen addresses ("HOST:PORT", "[V6]:PORT", ":PORT") and the checks that keep a loopback
// observer private: Host headers that name this machine (against DNS rebinding) and bearer
// tokens compared in constant time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sup::obs {

struct ListenAddress {
    std::string host; ///< without brackets; "127.0.0.1" when the text gave none
    std::uint16_t port = 0;
};

/// Parses `text`; an error message (saying what was expected) if it is not an address.
std::optional<ListenAddress> parse_listen_address(std::string_view text, std::string* error);

/// Whether `host` is a loopback address or "localhost" (127.0.0.0/8, ::1).
bool is_loopback_host(std::string_view host);

/// Whether a request's Host header names a loopback host (with any port), as a browser sends
/// for http://127.0.0.1:PORT/ or http://localhost:PORT/ but not for a name an attacker's DNS
/// points at 127.0.0.1.
bool is_loopback_host_header(std::string_view host_header);

/// Whether a == b, visiting every byte of the longer one whatever they hold: the time taken
/// does not tell how much of a guessed token was right.
bool constant_time_equal(std::string_view a, std::string_view b);

} // namespace sup::obs
