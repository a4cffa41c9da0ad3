#include "peers.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <vector>

namespace tcpviz::lab {
namespace {

[[noreturn]] void fail(const std::string& what) { throw std::runtime_error(what + ": " + std::strerror(errno)); }

// IPv4 or IPv6 from a literal address.
socklen_t make_address(const std::string& address, int port, sockaddr_storage& out) {
    std::memset(&out, 0, sizeof out);
    auto* v4 = reinterpret_cast<sockaddr_in*>(&out);
    if (::inet_pton(AF_INET, address.c_str(), &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(static_cast<std::uint16_t>(port));  // ports travel big-endian
        return sizeof(sockaddr_in);
    }
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&out);
    if (::inet_pton(AF_INET6, address.c_str(), &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(static_cast<std::uint16_t>(port));
        return sizeof(sockaddr_in6);
    }
    errno = EINVAL;
    fail("address " + address);
}

void set_int(int fd, int level, int name, int value, const char* what) {
    if (::setsockopt(fd, level, name, &value, sizeof value) != 0) fail(what);
}

// Options that must be set before the SYN (window scale follows the buffer; MSS goes in the SYN).
void before_handshake(int fd, const SocketKnobs& k) {
    if (k.reuseaddr) set_int(fd, SOL_SOCKET, SO_REUSEADDR, 1, "SO_REUSEADDR");
    if (k.rcvbuf > 0) set_int(fd, SOL_SOCKET, SO_RCVBUF, k.rcvbuf, "SO_RCVBUF");
    if (k.sndbuf > 0) set_int(fd, SOL_SOCKET, SO_SNDBUF, k.sndbuf, "SO_SNDBUF");
    if (k.mss > 0) set_int(fd, IPPROTO_TCP, TCP_MAXSEG, k.mss, "TCP_MAXSEG");
    apply_knobs(fd, k);
}

}  // namespace

void apply_knobs(int fd, const SocketKnobs& k) {
    if (!k.cc.empty() && ::setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, k.cc.data(), k.cc.size()) != 0) {
        fail("TCP_CONGESTION " + k.cc);
    }
    if (k.nodelay) set_int(fd, IPPROTO_TCP, TCP_NODELAY, 1, "TCP_NODELAY");
    if (k.keepalive_idle > 0) {
        set_int(fd, SOL_SOCKET, SO_KEEPALIVE, 1, "SO_KEEPALIVE");
        set_int(fd, IPPROTO_TCP, TCP_KEEPIDLE, k.keepalive_idle, "TCP_KEEPIDLE");
        set_int(fd, IPPROTO_TCP, TCP_KEEPINTVL, k.keepalive_idle, "TCP_KEEPINTVL");
        set_int(fd, IPPROTO_TCP, TCP_KEEPCNT, 3, "TCP_KEEPCNT");
    }
}

std::string congestion_of(int fd) {
    char name[32] = {};
    socklen_t size = sizeof name;
    if (::getsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, name, &size) != 0) return "?";
    return std::string(name, strnlen(name, sizeof name));
}

int listen_on(const std::string& address, int port, const SocketKnobs& knobs) {
    sockaddr_storage addr;
    const socklen_t size = make_address(address, port, addr);
    const int fd = ::socket(addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) fail("socket");
    before_handshake(fd, knobs);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), size) != 0) fail("bind " + address);
    if (::listen(fd, 16) != 0) fail("listen");  // from now on the kernel answers SYNs
    return fd;
}

int accept_one(int listener) {
    const int fd = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);  // a connection whose handshake is done
    if (fd < 0) fail("accept");
    return fd;
}

int connect_to(const std::string& address, int port, const SocketKnobs& knobs, double timeout_s, int* error,
               int bind_port) {
    sockaddr_storage addr;
    const socklen_t size = make_address(address, port, addr);
    const int fd = ::socket(addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) fail("socket");
    before_handshake(fd, knobs);
    if (bind_port > 0) {
        sockaddr_storage local;
        const socklen_t local_size = make_address(addr.ss_family == AF_INET ? "0.0.0.0" : "::", bind_port, local);
        if (::bind(fd, reinterpret_cast<sockaddr*>(&local), local_size) != 0) fail("bind port");
    }
    int result;
    if (timeout_s > 0) {
        ::fcntl(fd, F_SETFL, O_NONBLOCK);
        result = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), size);  // sends the SYN
        if (result != 0 && errno == EINPROGRESS) {
            pollfd p{fd, POLLOUT, 0};
            const int ready = ::poll(&p, 1, static_cast<int>(timeout_s * 1000));
            int so_error = ETIMEDOUT;
            socklen_t len = sizeof so_error;
            if (ready > 0) ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &so_error, &len);
            errno = so_error;
            result = so_error == 0 ? 0 : -1;
        }
        ::fcntl(fd, F_SETFL, 0);
    } else {
        result = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), size);  // SYN, SYN-ACK, ACK
    }
    if (result != 0) {
        if (error) {
            *error = errno;
            ::close(fd);
            return -1;
        }
        fail("connect " + address);
    }
    return fd;
}

bool send_all(int fd, const void* data, std::size_t size) {
    const char* p = static_cast<const char*>(data);
    while (size > 0) {
        const ssize_t n = ::send(fd, p, size, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        p += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

bool send_pattern(int fd, std::size_t size, const std::string& marker, std::size_t marker_at) {
    std::vector<char> chunk(65536);
    std::size_t sent = 0;
    while (sent < size) {
        const std::size_t n = std::min(chunk.size(), size - sent);
        for (std::size_t i = 0; i < n; ++i) chunk[i] = static_cast<char>('a' + (sent + i) % 26);
        // The marker three times back to back: wherever the kernel cuts the
        // stream into segments, one segment carries a whole copy for iptables.
        const std::size_t marked = marker.size() * 3;
        if (!marker.empty() && marker_at + marked > sent && marker_at < sent + n) {
            for (std::size_t i = 0; i < marked; ++i) {
                const std::size_t at = marker_at + i;
                if (at >= sent && at < sent + n) chunk[at - sent] = marker[i % marker.size()];
            }
        }
        if (!send_all(fd, chunk.data(), n)) return false;
        sent += n;
    }
    return true;
}

std::size_t read_to_end(int fd) {
    std::vector<char> buffer(65536);
    std::size_t total = 0;
    for (;;) {
        const ssize_t n = ::recv(fd, buffer.data(), buffer.size(), 0);
        if (n > 0) {
            total += static_cast<std::size_t>(n);
        } else if (n == 0) {
            return total;  // the peer's FIN: no more bytes will come
        } else if (errno != EINTR) {
            return total;  // a reset
        }
    }
}

void set_linger_zero(int fd) {
    linger l{1, 0};
    if (::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l) != 0) fail("SO_LINGER");
}

void close_fd(int fd) {
    if (fd >= 0) ::close(fd);
}

}  // namespace tcpviz::lab
