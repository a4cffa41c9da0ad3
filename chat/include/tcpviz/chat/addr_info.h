// AddrInfoList: the result of getaddrinfo(), freed by its destructor.
//
// getaddrinfo() turns a name ("localhost", "::1", "127.0.0.1") and a port into
// ready-to-use socket addresses: sockaddr_in or sockaddr_in6 with the port
// already in network byte order. It is the one call that handles IPv4 and
// IPv6 alike, which is why modern code prefers it to filling in a
// sockaddr_in by hand. Its list must be given back with freeaddrinfo() on
// every path, error paths included; the destructor does that.
//
// Also here: printing a socket address, the other way round (inet_ntop() for
// the address, ntohs() for the port).
#pragma once

#include <netdb.h>
#include <sys/socket.h>

#include <cstdint>
#include <memory>
#include <string>

namespace tcpviz::chat {

class AddrInfoList {
public:
    enum class Purpose {
        connect,  // the addresses of a remote host, to connect() to
        listen,   // local addresses to bind() to (AI_PASSIVE)
    };

    // Resolves `host` (a name or numeric address) and `port`. Throws
    // ChatError with advice when the name cannot be resolved.
    static AddrInfoList resolve(const std::string& host, std::uint16_t port, Purpose purpose);

    // The first entry; walk the list with ai_next, as with getaddrinfo().
    const addrinfo* first() const noexcept { return list_.get(); }

private:
    struct Free {
        void operator()(addrinfo* list) const noexcept { ::freeaddrinfo(list); }
    };
    explicit AddrInfoList(addrinfo* list) : list_(list) {}
    std::unique_ptr<addrinfo, Free> list_;
};

// "127.0.0.1:6666" or "[::1]:6666". An IPv4 client seen through an IPv6
// socket (the address ::ffff:127.0.0.1, "IPv4-mapped") is shown as IPv4.
std::string format_endpoint(const sockaddr* address);

// Only the address, without the port: "127.0.0.1", "::1".
std::string format_address(const sockaddr* address);

// The local address of a socket (getsockname), formatted as above; "?" if
// the call fails.
std::string local_endpoint(int fd);

// The local port of a bound socket, in host byte order; 0 if unknown.
std::uint16_t local_port(int fd);

}  // namespace tcpviz::chat
