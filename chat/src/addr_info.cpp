#include "tcpviz/chat/addr_info.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstring>

#include "tcpviz/chat/chat_error.h"

namespace tcpviz::chat {

AddrInfoList AddrInfoList::resolve(const std::string& host, std::uint16_t port, Purpose purpose) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;      // IPv4 or IPv6, whichever the name has
    hints.ai_socktype = SOCK_STREAM;  // TCP: one entry per address, not one per socket type
    hints.ai_flags = AI_NUMERICSERV;  // the port is a number, never a name from /etc/services
    if (purpose == Purpose::listen) hints.ai_flags |= AI_PASSIVE;

    // Nothing on the wire for a numeric address. For a name, the resolver
    // reads /etc/hosts and may send DNS queries (UDP port 53) -- which a
    // capture on "tcp port 6666" does not show.
    const std::string service = std::to_string(port);
    addrinfo* list = nullptr;
    const int rc = ::getaddrinfo(host.empty() ? nullptr : host.c_str(), service.c_str(), &hints, &list);
    if (rc != 0) throw ChatError(explain_resolve_error(rc, host, purpose == Purpose::listen));
    return AddrInfoList(list);
}

std::string format_address(const sockaddr* address) {
    char text[INET6_ADDRSTRLEN] = {};
    if (address->sa_family == AF_INET) {
        sockaddr_in v4;
        std::memcpy(&v4, address, sizeof v4);
        // inet_ntop(): 4 bytes in network order -> "127.0.0.1".
        ::inet_ntop(AF_INET, &v4.sin_addr, text, sizeof text);
        return text;
    }
    if (address->sa_family == AF_INET6) {
        sockaddr_in6 v6;
        std::memcpy(&v6, address, sizeof v6);
        if (IN6_IS_ADDR_V4MAPPED(&v6.sin6_addr)) {
            // A dual-stack socket reports IPv4 peers as ::ffff:a.b.c.d; on the
            // wire these are plain IPv4 packets, so show them that way.
            ::inet_ntop(AF_INET, &v6.sin6_addr.s6_addr[12], text, sizeof text);
            return text;
        }
        ::inet_ntop(AF_INET6, &v6.sin6_addr, text, sizeof text);
        return text;
    }
    return "?";
}

std::string format_endpoint(const sockaddr* address) {
    // ntohs(): the port is stored big-endian ("network byte order"); on a
    // little-endian x86 we must swap it to read it as a number.
    if (address->sa_family == AF_INET) {
        sockaddr_in v4;
        std::memcpy(&v4, address, sizeof v4);
        return format_address(address) + ":" + std::to_string(ntohs(v4.sin_port));
    }
    if (address->sa_family == AF_INET6) {
        sockaddr_in6 v6;
        std::memcpy(&v6, address, sizeof v6);
        const std::string text = format_address(address);
        const bool mapped = IN6_IS_ADDR_V4MAPPED(&v6.sin6_addr);
        return (mapped ? text : "[" + text + "]") + ":" + std::to_string(ntohs(v6.sin6_port));
    }
    return "?";
}

std::string local_endpoint(int fd) {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    // getsockname(): which address and port the kernel gave our end (after
    // bind() with port 0, or after connect() picked an ephemeral port).
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) return "?";
    return format_endpoint(reinterpret_cast<const sockaddr*>(&address));
}

std::uint16_t local_port(int fd) {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) return 0;
    if (address.ss_family == AF_INET) {
        sockaddr_in v4;
        std::memcpy(&v4, &address, sizeof v4);
        return ntohs(v4.sin_port);
    }
    if (address.ss_family == AF_INET6) {
        sockaddr_in6 v6;
        std::memcpy(&v6, &address, sizeof v6);
        return ntohs(v6.sin6_port);
    }
    return 0;
}

}  // namespace tcpviz::chat
