// Listeners: the server's listening socket(s) -- the first lesson of the
// sockets API: socket(), setsockopt(SO_REUSEADDR), bind(), listen().
//
// After listen() the kernel completes handshakes on its own; the server
// only accept()s the finished connections (chat_server_accept.cpp).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "tcpviz/chat/file_descriptor.h"
#include "tcpviz/chat/socket_options.h"

namespace tcpviz::chat {

class Listeners {
public:
    using Log = std::function<void(const std::string&)>;

    // Listens on `bind_address` ("" = every local address, IPv6 and IPv4,
    // through one dual-stack socket) and `port` (0 = the kernel picks one).
    // Throws ChatError with advice (port in use, no permission, bad address).
    Listeners(const std::string& bind_address, std::uint16_t port, const SocketOptions& options, const Log& log);

    const std::vector<FileDescriptor>& sockets() const noexcept { return sockets_; }
    // Where we listen, e.g. {"[::]:6666"} or {"127.0.0.1:41234"}.
    const std::vector<std::string>& endpoints() const noexcept { return endpoints_; }
    std::uint16_t port() const noexcept { return port_; }
    bool dual_stack() const noexcept { return dual_stack_; }

    // close(): from now on a SYN to our port is answered with an RST
    // ("connection refused").
    void close() { sockets_.clear(); }

private:
    void listen_everywhere(std::uint16_t port);
    void listen_on(const std::string& bind_address, std::uint16_t port);

    SocketOptions options_;
    Log log_;
    std::vector<std::string> notes_;  // what the kernel made of the options
    std::vector<FileDescriptor> sockets_;
    std::vector<std::string> endpoints_;
    std::uint16_t port_ = 0;
    bool dual_stack_ = false;
};

// Raises this process's soft limit on open descriptors (RLIMIT_NOFILE) to
// the hard limit: every client is one descriptor, and the usual soft limit
// (1024) is lower than a few hundred clients plus idle attackers need.
// Returns the soft limit now in force.
std::size_t raise_descriptor_limit();

}  // namespace tcpviz::chat
