#include "http_client.hpp"

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace sup::obs::test {

RawConnection::RawConnection(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0)
        return;
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
        ::close(fd_);
        fd_ = -1;
    }
}

RawConnection::~RawConnection() {
    if (fd_ >= 0)
        ::close(fd_);
}

bool RawConnection::send(std::string_view bytes) {
    while (!bytes.empty()) {
        ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

namespace {
/// One read with a deadline: >0 bytes, 0 closed, -1 timeout or error.
ssize_t read_some(int fd, std::string& into, std::chrono::steady_clock::time_point deadline) {
    while (true) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0)
            return -1;
        pollfd p{fd, POLLIN, 0};
        int r = ::poll(&p, 1, static_cast<int>(std::min<long long>(left.count(), 1000)));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            continue;
        char buf[16384];
        ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return errno == ECONNRESET ? 0 : -1;
        into.append(buf, static_cast<std::size_t>(n));
        return n;
    }
}
} // namespace

bool RawConnection::read_until(std::string_view what, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (in_.find(what) == std::string::npos) {
        if (read_some(fd_, in_, deadline) <= 0)
            return in_.find(what) != std::string::npos;
    }
    return true;
}

bool RawConnection::read_to_close(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
        ssize_t n = read_some(fd_, in_, deadline);
        if (n == 0)
            return true;
        if (n < 0)
            return false;
    }
}

std::optional<Response> parse_response(const std::string& raw) {
    auto head_end = raw.find("\r\n\r\n");
    if (raw.rfind("HTTP/1.", 0) != 0 || head_end == std::string::npos)
        return std::nullopt;
    Response r;
    r.status = std::atoi(raw.c_str() + 9);
    r.headers = raw.substr(0, head_end);
    std::transform(r.headers.begin(), r.headers.end(), r.headers.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::string body = raw.substr(head_end + 4);
    if (r.headers.find("transfer-encoding: chunked") != std::string::npos) {
        std::string out;
        std::size_t pos = 0;
        while (pos < body.size()) {
            auto eol = body.find("\r\n", pos);
            if (eol == std::string::npos)
                break;
            std::size_t n = std::strtoul(body.c_str() + pos, nullptr, 16);
            if (n == 0)
                break;
            out += body.substr(eol + 2, n);
            pos = eol + 2 + n + 2;
        }
        body = out;
    }
    r.body = std::move(body);
    return r;
}

std::optional<Response> request(std::uint16_t port, std::string_view method,
                                std::string_view target, std::string_view extra_headers,
                                std::string_view body, std::chrono::milliseconds timeout) {
    RawConnection c(port);
    if (!c.connected())
        return std::nullopt;
    std::string req = std::string(method) + " " + std::string(target) +
                      " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" +
                      std::string(extra_headers);
    if (!body.empty())
        req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    req += "\r\n";
    req += body;
    if (!c.send(req))
        return std::nullopt;
    if (!c.read_to_close(timeout))
        return std::nullopt;
    return parse_response(c.received());
}

} // namespace sup::obs::test
