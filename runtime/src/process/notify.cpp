#include "process/notify.hpp"

#include "process/cgroup.hpp"

#include <cerrno>
#include <cstddef>
#include <cstring>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace sup::detail::proc {

std::optional<NotifySocketFd> bind_notify_socket(const std::string& name, bool abstract,
                                                 std::string& why) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::size_t room = sizeof addr.sun_path - 1; // a NUL before (abstract) or after
    if (name.size() > room) {
        why = "socket name too long: " + name;
        return std::nullopt;
    }
    socklen_t len;
    if (abstract) {
        addr.sun_path[0] = '\0';
        std::memcpy(addr.sun_path + 1, name.data(), name.size());
        len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + name.size());
    } else {
        std::memcpy(addr.sun_path, name.data(), name.size());
        len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name.size() + 1);
        unlink(name.c_str());
    }
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        why = "socket: " + os_error(errno);
        return std::nullopt;
    }
    int one = 1;
    if (setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof one) < 0 ||
        bind(fd, reinterpret_cast<sockaddr*>(&addr), len) < 0) {
        why = "bind " + (abstract ? "@" + name : name) + ": " + os_error(errno);
        close(fd);
        return std::nullopt;
    }
    // Large messages (systemd allows some kilobytes) fit.
    int size = 256 * 1024;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    NotifySocketFd s;
    s.fd = fd;
    s.env_value = abstract ? "@" + name : name;
    if (!abstract)
        s.path = name;
    return s;
}

NotifyMessage parse_notify(std::string_view text) {
    NotifyMessage m;
    while (!text.empty()) {
        std::size_t nl = text.find('\n');
        std::string_view a = text.substr(0, nl);
        if (a == "READY=1")
            m.ready = true;
        else if (a.substr(0, 7) == "STATUS=")
            m.status = std::string(a.substr(7));
        if (nl == std::string_view::npos)
            break;
        text.remove_prefix(nl + 1);
    }
    return m;
}

std::optional<NotifyMessage> receive_notify(int fd) {
    char buf[8192];
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(ucred)) + CMSG_SPACE(sizeof(int) * 64)];
    iovec iov{buf, sizeof buf};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    ssize_t n;
    do {
        n = recvmsg(fd, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC | MSG_TRUNC);
    } while (n < 0 && errno == EINTR);
    if (n < 0)
        return std::nullopt;
    const ucred* cred = nullptr;
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level != SOL_SOCKET)
            continue;
        if (c->cmsg_type == SCM_CREDENTIALS && c->cmsg_len >= CMSG_LEN(sizeof(ucred)))
            cred = reinterpret_cast<const ucred*>(CMSG_DATA(c));
        if (c->cmsg_type == SCM_RIGHTS) {
            std::size_t nfd = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
            for (std::size_t i = 0; i < nfd; ++i) {
                int passed;
                std::memcpy(&passed, CMSG_DATA(c) + i * sizeof(int), sizeof passed);
                close(passed);
            }
        }
    }
    NotifyMessage empty;
    if (!cred || (cred->uid != geteuid() && cred->uid != 0) ||
        static_cast<std::size_t>(n) > sizeof buf)
        return empty;
    NotifyMessage m = parse_notify(std::string_view(buf, static_cast<std::size_t>(n)));
    m.sender = cred->pid;
    return m;
}

} // namespace sup::detail::proc
