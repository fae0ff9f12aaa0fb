// systemd's sd_notify protocol, the receiving side: a datagram socket per child ($NOTIFY_SOCKET,
// a path, or an abstract name written "@name"), messages of newline-separated KEY=VALUE
// assignments. READY=1 and STATUS=... are used; the rest is accepted and ignored. Only
// messages from a process of the same user (or root), as the kernel vouches (SO_PASSCRED), are
// accepted; descriptors passed along (FDSTORE=1) are closed.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sup::detail::proc {

struct NotifySocketFd {
    int fd = -1;
    std::string env_value; // what $NOTIFY_SOCKET says ("/run/.../3.notify" or "@supc/...")
    std::string path;      // the file to unlink (path sockets)
};

/// Binds a non-blocking datagram socket: at `path`, or (abstract) at "\0name". nullopt with
/// `why` on failure.
std::optional<NotifySocketFd> bind_notify_socket(const std::string& path_or_name, bool abstract,
                                                 std::string& why);

struct NotifyMessage {
    bool ready = false;
    std::optional<std::string> status;
    int sender = 0;
};

/// Reads one datagram. nullopt when none is waiting. A message from another user comes back
/// empty (nothing set), and so does one that is not valid.
std::optional<NotifyMessage> receive_notify(int fd);

/// Parses a message's text.
NotifyMessage parse_notify(std::string_view text);

} // namespace sup::detail::proc
