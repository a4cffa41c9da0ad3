#include "tcpviz/chat/listener.h"

#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <set>

#include "tcpviz/chat/addr_info.h"
#include "tcpviz/chat/chat_error.h"

namespace tcpviz::chat {
namespace {

void set_port(sockaddr_storage& address, std::uint16_t port) {
    // htons(): the port in network byte order (big-endian), as it travels
    // in the TCP header.
    if (address.ss_family == AF_INET) reinterpret_cast<sockaddr_in&>(address).sin_port = htons(port);
    if (address.ss_family == AF_INET6) reinterpret_cast<sockaddr_in6&>(address).sin6_port = htons(port);
}

// One listening socket on `address`; on failure an invalid descriptor and
// the errno value in `error`.
FileDescriptor open_listener(const sockaddr* address, socklen_t length, bool v6_only, const SocketOptions& options,
                             std::vector<std::string>& notes, int& error) {
    // socket(): a TCP endpoint, not yet bound to any address. Nothing on the wire.
    FileDescriptor fd(::socket(address->sa_family, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_TCP));
    if (!fd) {
        error = errno;
        return {};
    }
    // SO_REUSEADDR: let bind() succeed although connections from our last
    // run may still sit in TIME_WAIT on this port (the side that closes
    // first keeps its end of the connection for 60 s on Linux, so that late
    // segments cannot be mistaken for a new connection's). Without it, a
    // restart right after a demo fails with "Address already in use".
    const int on = 1;
    ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    if (address->sa_family == AF_INET6) {
        // IPV6_V6ONLY: 0 lets this IPv6 socket also take IPv4 connections
        // (dual stack); 1 keeps it to IPv6, so that an IPv4 socket can have
        // the same port (--bind localhost: ::1 and 127.0.0.1).
        const int only = v6_only ? 1 : 0;
        ::setsockopt(fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, &only, sizeof only);
    }
    // Buffer sizes, MSS and congestion control must be set before listen():
    // the SYN-ACK carries the window scale and MSS they imply, and every
    // accepted connection inherits them.
    notes = apply_before_handshake(fd.get(), options);
    // bind(): claims this address and port for the socket. Still nothing on
    // the wire -- but a SYN to this port will now find us once we listen.
    if (::bind(fd.get(), address, length) != 0) {
        error = errno;
        return {};
    }
    // listen(): from now on the kernel answers SYNs for us. It replies
    // SYN-ACK, and when the client's ACK arrives the three-way handshake is
    // complete and the connection waits in the accept queue (up to SOMAXCONN
    // of them) until we accept() it. The connection exists before accept().
    if (::listen(fd.get(), SOMAXCONN) != 0) {
        error = errno;
        return {};
    }
    // Non-blocking: between poll() saying "a connection is waiting" and our
    // accept(), the client may reset it; a blocking accept() would then wait
    // for the next client while everyone else waits for us.
    set_nonblocking(fd.get());
    return fd;
}

}  // namespace

Listeners::Listeners(const std::string& bind_address, std::uint16_t port, const SocketOptions& options, const Log& log)
    : options_(options), log_(log) {
    if (bind_address.empty()) {
        listen_everywhere(port);
    } else {
        listen_on(bind_address, port);
    }
    // What the kernel did with the options ("asked 4096, got 8192"), once.
    for (const std::string& note : notes_) {
        if (log_) log_(note);
    }
    port_ = local_port(sockets_.front().get());
    for (const FileDescriptor& fd : sockets_) endpoints_.push_back(local_endpoint(fd.get()));
    if (dual_stack_) endpoints_.front() = "[::]:" + std::to_string(port_);
}

void Listeners::listen_everywhere(std::uint16_t port) {
    // No --bind: every local address through ONE IPv6 socket with
    // IPV6_V6ONLY off ("dual stack"). IPv4 clients still send IPv4
    // packets; the socket API shows them as ::ffff:a.b.c.d.
    int error = 0;
    const AddrInfoList any6 = AddrInfoList::resolve("::", port, AddrInfoList::Purpose::listen);
    const addrinfo* ai = any6.first();
    if (FileDescriptor fd = open_listener(ai->ai_addr, ai->ai_addrlen, false, options_, notes_, error)) {
        sockets_.push_back(std::move(fd));
        dual_stack_ = true;
        return;
    }
    if (error != EAFNOSUPPORT) throw ChatError(explain_listen_error(error, format_endpoint(ai->ai_addr), port));
    // This kernel has no IPv6: IPv4 only.
    const AddrInfoList any4 = AddrInfoList::resolve("0.0.0.0", port, AddrInfoList::Purpose::listen);
    ai = any4.first();
    FileDescriptor fd4 = open_listener(ai->ai_addr, ai->ai_addrlen, true, options_, notes_, error);
    if (!fd4) throw ChatError(explain_listen_error(error, format_endpoint(ai->ai_addr), port));
    sockets_.push_back(std::move(fd4));
}

void Listeners::listen_on(const std::string& bind_address, std::uint16_t port) {
    // --bind ADDR: every address the name has ("localhost" may be both
    // ::1 and 127.0.0.1), one socket each. With port 0 they all share
    // the port the kernel picked for the first.
    int error = 0;
    const AddrInfoList addresses = AddrInfoList::resolve(bind_address, port, AddrInfoList::Purpose::listen);
    std::set<std::string> seen;
    for (const addrinfo* ai = addresses.first(); ai != nullptr; ai = ai->ai_next) {
        sockaddr_storage address{};
        std::memcpy(&address, ai->ai_addr, ai->ai_addrlen);
        set_port(address, port);
        const auto* sa = reinterpret_cast<const sockaddr*>(&address);
        if (!seen.insert(format_endpoint(sa)).second) continue;  // the same address twice
        FileDescriptor fd = open_listener(sa, ai->ai_addrlen, true, options_, notes_, error);
        if (!fd) throw ChatError(explain_listen_error(error, format_endpoint(sa), port));
        if (port == 0) port = local_port(fd.get());
        sockets_.push_back(std::move(fd));
    }
}

std::size_t raise_descriptor_limit() {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return 1024;
    if (limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &limit);  // allowed without privileges: only the hard limit needs root
        ::getrlimit(RLIMIT_NOFILE, &limit);
    }
    return limit.rlim_cur == RLIM_INFINITY ? static_cast<std::size_t>(1) << 20
                                           : static_cast<std::size_t>(limit.rlim_cur);
}

}  // namespace tcpviz::chat
