#include "address.hpp"

#include <catch2/catch.hpp>

using sup::obs::parse_listen_address;

TEST_CASE("address: HOST:PORT, [V6]:PORT and :PORT") {
    auto a = parse_listen_address("127.0.0.1:9090", nullptr);
    REQUIRE(a);
    REQUIRE(a->host == "127.0.0.1");
    REQUIRE(a->port == 9090);
    auto b = parse_listen_address("[::1]:0", nullptr);
    REQUIRE(b);
    REQUIRE(b->host == "::1");
    REQUIRE(b->port == 0);
    auto c = parse_listen_address(":8080", nullptr);
    REQUIRE(c);
    REQUIRE(c->host == "127.0.0.1"); // loopback unless said otherwise
    auto d = parse_listen_address("localhost:65535", nullptr);
    REQUIRE(d);
    REQUIRE(d->port == 65535);
}

TEST_CASE("address: what is not an address is refused with a reason") {
    std::string error;
    for (const char* bad : {"9090", "host:", "host:65536", "host:-1", "host:80x", "::1:80",
                            "[::1]80", "[::1", "[zz]:80", "a b:80", "", "h/x:80"}) {
        CAPTURE(bad);
        error.clear();
        REQUIRE_FALSE(parse_listen_address(bad, &error));
        REQUIRE(error.find("invalid address") != std::string::npos);
        REQUIRE(error.find("expected HOST:PORT") != std::string::npos);
    }
}

TEST_CASE("address: loopback hosts and Host headers") {
    REQUIRE(sup::obs::is_loopback_host("127.0.0.1"));
    REQUIRE(sup::obs::is_loopback_host("127.3.2.1"));
    REQUIRE(sup::obs::is_loopback_host("::1"));
    REQUIRE(sup::obs::is_loopback_host("localhost"));
    REQUIRE_FALSE(sup::obs::is_loopback_host("0.0.0.0"));
    REQUIRE_FALSE(sup::obs::is_loopback_host("10.0.0.1"));
    REQUIRE_FALSE(sup::obs::is_loopback_host("example.com"));

    REQUIRE(sup::obs::is_loopback_host_header("127.0.0.1:9090"));
    REQUIRE(sup::obs::is_loopback_host_header("localhost:9090"));
    REQUIRE(sup::obs::is_loopback_host_header("localhost"));
    REQUIRE(sup::obs::is_loopback_host_header("[::1]:9090"));
    // DNS rebinding: a name that resolves to 127.0.0.1 is still not a loopback name.
    REQUIRE_FALSE(sup::obs::is_loopback_host_header("attacker.example:9090"));
    REQUIRE_FALSE(sup::obs::is_loopback_host_header("127.0.0.1.nip.io:9090"));
    REQUIRE_FALSE(sup::obs::is_loopback_host_header("[::1]x"));
}

TEST_CASE("address: tokens compare equal only when equal") {
    REQUIRE(sup::obs::constant_time_equal("0123456789abcdef", "0123456789abcdef"));
    REQUIRE_FALSE(sup::obs::constant_time_equal("0123456789abcdef", "0123456789abcdeF"));
    REQUIRE_FALSE(sup::obs::constant_time_equal("0123456789abcdef", "0123456789abcde"));
    REQUIRE_FALSE(sup::obs::constant_time_equal("", "x"));
    REQUIRE_FALSE(sup::obs::constant_time_equal("x", ""));
    REQUIRE(sup::obs::constant_time_equal("", ""));
}
