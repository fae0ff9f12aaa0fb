// A small HTTP/1.1 client over a raw socket, for tests that need to send what a browser would
// not: bytes one at a time, huge heads, garbage. Every read has a deadline.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sup::obs::test {

class RawConnection {
public:
    explicit RawConnection(std::uint16_t port);
    ~RawConnection();
    RawConnection(const RawConnection&) = delete;
    RawConnection& operator=(const RawConnection&) = delete;
    RawConnection(RawConnection&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }

    bool connected() const { return fd_ >= 0; }
    /// False if the peer closed or the write failed.
    bool send(std::string_view bytes);
    /// Reads until `what` has been received (true), the peer closes or the deadline passes.
    bool read_until(std::string_view what, std::chrono::milliseconds timeout);
    /// Reads until the peer closes (true) or the deadline passes.
    bool read_to_close(std::chrono::milliseconds timeout);
    const std::string& received() const { return in_; }

private:
    int fd_ = -1;
    std::string in_;
};

struct Response {
    int status = 0;
    std::string headers; // the head as received, lower-cased
    std::string body;
};

/// GET (or another method) with Connection: close; the response, or nullopt on a timeout.
std::optional<Response> request(std::uint16_t port, std::string_view method,
                                std::string_view target, std::string_view extra_headers = {},
                                std::string_view body = {},
                                std::chrono::milliseconds timeout = std::chrono::seconds(10));

/// Splits what a server sent (status line, head, body; a chunked body is decoded).
std::optional<Response> parse_response(const std::string& raw);

} // namespace sup::obs::test
