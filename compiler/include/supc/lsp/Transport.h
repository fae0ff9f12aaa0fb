// supc lsp: JSON-RPC 2.0 messages framed as the Language Server Protocol frames them on
// stdio: `Content-Length: N\r\n` (other headers ignored), an empty line, N bytes of JSON.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace supc::lsp {

/// The largest message body accepted: a document of the input limit (64 MiB) escaped in
/// JSON can be larger, so twice that. A larger Content-Length ends the session.
inline constexpr size_t kMaxMessageBytes = size_t(128) << 20;

/// Reads framed messages from a file descriptor.
class MessageReader {
public:
    /// `wakeFd`, when given, ends reading as soon as it becomes readable (the server's
    /// main thread ends the session while the reader waits for input).
    explicit MessageReader(int fd, int wakeFd = -1) : fd_(fd), wakeFd_(wakeFd) {}
    /// The next message's body, or nothing at end of input or on a framing error (a
    /// header without Content-Length, a length over kMaxMessageBytes, a truncated body):
    /// the stream cannot be resynchronised, so both end the session. `error` says which.
    std::optional<std::string> read(std::string* error = nullptr);

private:
    bool fill();
    int fd_, wakeFd_;
    std::string buf_;
    size_t pos_ = 0;
    bool eof_ = false;
};

/// Frames `body` and writes it whole to `fd` (retrying short writes). False when the
/// peer is gone.
bool writeMessage(int fd, std::string_view body);

} // namespace supc::lsp
