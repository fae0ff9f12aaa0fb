#include "address.hpp"

#include <arpa/inet.h>
#include <cstring>
#include <netinet/in.h>

namespace sup::obs {

std::optional<ListenAddress> parse_listen_address(std::string_view text, std::string* error) {
    auto fail = [&](std::string why) -> std::optional<ListenAddress> {
        if (error)
            *error = "invalid address '" + std::string(text) + "': " + why +
                     " (expected HOST:PORT, [IPV6]:PORT or :PORT)";
        return std::nullopt;
    };
    ListenAddress a;
    std::string_view port;
    if (!text.empty() && text.front() == '[') {
        auto close = text.find(']');
        if (close == std::string_view::npos)
            return fail("no ']' after the IPv6 address");
        a.host = std::string(text.substr(1, close - 1));
        if (close + 1 >= text.size() || text[close + 1] != ':')
            return fail("no ':PORT' after ']'");
        port = text.substr(close + 2);
        in6_addr probe{};
        if (inet_pton(AF_INET6, a.host.c_str(), &probe) != 1)
            return fail("'" + a.host + "' is not an IPv6 address");
    } else {
        auto colon = text.rfind(':');
        if (colon == std::string_view::npos)
            return fail("no port");
        a.host = std::string(text.substr(0, colon));
        if (a.host.find(':') != std::string::npos)
            return fail("an IPv6 address goes in brackets");
        port = text.substr(colon + 1);
    }
    if (a.host.empty())
        a.host = "127.0.0.1";
    for (char c : a.host)
        if (static_cast<unsigned char>(c) <= ' ' || c == '/' || c == '@')
            return fail("the host has a character that cannot be in a host name");
    if (port.empty() || port.size() > 5)
        return fail("the port is not a number from 0 to 65535");
    unsigned long p = 0;
    for (char c : port) {
        if (c < '0' || c > '9')
            return fail("the port is not a number from 0 to 65535");
        p = p * 10 + static_cast<unsigned long>(c - '0');
    }
    if (p > 65535)
        return fail("the port is not a number from 0 to 65535");
    a.port = static_cast<std::uint16_t>(p);
    return a;
}

bool is_loopback_host(std::string_view host) {
    if (host == "localhost" || host == "localhost.")
        return true;
    std::string h(host);
    in_addr v4{};
    if (inet_pton(AF_INET, h.c_str(), &v4) == 1)
        return (ntohl(v4.s_addr) >> 24) == 127;
    in6_addr v6{};
    if (inet_pton(AF_INET6, h.c_str(), &v6) == 1)
        return std::memcmp(&v6, &in6addr_loopback, sizeof v6) == 0;
    return false;
}

bool is_loopback_host_header(std::string_view h) {
    std::string_view host = h;
    if (!h.empty() && h.front() == '[') {
        auto close = h.find(']');
        if (close == std::string_view::npos)
            return false;
        host = h.substr(1, close - 1);
        std::string_view rest = h.substr(close + 1);
        if (!rest.empty() && rest.front() != ':')
            return false;
    } else if (auto colon = h.rfind(':'); colon != std::string_view::npos) {
        host = h.substr(0, colon);
    }
    return is_loopback_host(host);
}

bool constant_time_equal(std::string_view a, std::string_view b) {
    std::size_t n = a.size() > b.size() ? a.size() : b.size();
    unsigned char diff = a.size() == b.size() ? 0 : 1;
    for (std::size_t i = 0; i < n; ++i) {
        unsigned char x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
        unsigned char y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
        diff |= static_cast<unsigned char>(x ^ y);
    }
    // Keep the compiler from stopping at the first difference.
    volatile unsigned char result = diff;
    return result == 0;
}

} // namespace sup::obs
