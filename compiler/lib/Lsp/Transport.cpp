#include "supc/lsp/Transport.h"

#include <cctype>
#include <cerrno>
#include <charconv>
#include <poll.h>
#include <unistd.h>

namespace supc::lsp {

bool MessageReader::fill() {
    if (eof_)
        return false;
    if (pos_ > 0 && pos_ == buf_.size()) {
        buf_.clear();
        pos_ = 0;
    }
    char chunk[65536];
    for (;;) {
        if (wakeFd_ >= 0) {
            pollfd fds[2] = {{fd_, POLLIN, 0}, {wakeFd_, POLLIN, 0}};
            int r = ::poll(fds, 2, -1);
            if (r < 0 && errno == EINTR)
                continue;
            if (r < 0 || (fds[1].revents & (POLLIN | POLLHUP))) {
                eof_ = true;
                return false;
            }
        }
        ssize_t n = ::read(fd_, chunk, sizeof chunk);
        if (n > 0) {
            buf_.append(chunk, size_t(n));
            return true;
        }
        if (n < 0 && errno == EINTR)
            continue;
        eof_ = true;
        return false;
    }
}

std::optional<std::string> MessageReader::read(std::string* error) {
    auto fail = [&](const char* what) -> std::optional<std::string> {
        if (error)
            *error = what;
        return std::nullopt;
    };
    std::optional<size_t> length;
    // Headers: lines ending in \r\n (a bare \n is accepted), up to an empty line.
    for (;;) {
        size_t eol;
        while ((eol = buf_.find('\n', pos_)) == std::string::npos) {
            if (buf_.size() - pos_ > 8192)
                return fail("a header line longer than 8192 bytes");
            if (!fill())
                return fail(buf_.size() == pos_ ? "" : "the input ended inside a header");
        }
        std::string_view line(buf_.data() + pos_, eol - pos_);
        pos_ = eol + 1;
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        if (line.empty()) {
            if (length)
                break;
            continue; // blank lines between messages are tolerated
        }
        constexpr std::string_view key = "content-length:";
        if (line.size() > key.size()) {
            bool match = true;
            for (size_t i = 0; i < key.size(); ++i)
                if (char(std::tolower(static_cast<unsigned char>(line[i]))) != key[i])
                    match = false;
            if (match) {
                std::string_view v = line.substr(key.size());
                while (!v.empty() && (v.front() == ' ' || v.front() == '\t'))
                    v.remove_prefix(1);
                size_t n = 0;
                auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
                if (ec != std::errc() || end != v.data() + v.size())
                    return fail("a malformed Content-Length");
                if (n > kMaxMessageBytes)
                    return fail("a message larger than 128 MiB");
                length = n;
            }
        }
    }
    while (buf_.size() - pos_ < *length)
        if (!fill())
            return fail("the input ended inside a message");
    std::string body = buf_.substr(pos_, *length);
    pos_ += *length;
    if (pos_ == buf_.size()) {
        buf_.clear();
        pos_ = 0;
    }
    return body;
}

bool writeMessage(int fd, std::string_view body) {
    std::string out = "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
    out.append(body);
    size_t done = 0;
    while (done < out.size()) {
        ssize_t n = ::write(fd, out.data() + done, out.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        done += size_t(n);
    }
    return true;
}

} // namespace supc::lsp
