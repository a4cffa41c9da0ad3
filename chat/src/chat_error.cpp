#include "tcpviz/chat/chat_error.h"

#include <netdb.h>

#include <cerrno>
#include <cstring>

namespace tcpviz::chat {

std::string system_error_text(const std::string& what, int err) { return what + ": " + std::strerror(err); }

std::string explain_listen_error(int err, const std::string& endpoint, std::uint16_t port) {
    const std::string p = std::to_string(port);
    switch (err) {
        case EADDRINUSE:
            return "port " + p + " is already in use on " + endpoint + ": another server is running on port " + p +
                   "? stop it or use --port";
        case EACCES:
            return "no permission to listen on port " + p +
                   ": ports below 1024 need root (or CAP_NET_BIND_SERVICE); "
                   "use a port from 1024 up, such as 6666";
        case EADDRNOTAVAIL:
            return endpoint + " is not an address of this machine: use 127.0.0.1, ::1, or leave --bind out";
        case EAFNOSUPPORT:
            return "this kernel does not support the address family of " + endpoint +
                   " (IPv6 disabled?): use an IPv4 "
                   "address such as 127.0.0.1";
        default: return system_error_text("cannot listen on " + endpoint, err);
    }
}

std::string explain_connect_error(int err, const std::string& endpoint, std::uint16_t port) {
    switch (err) {
        case ECONNREFUSED:
            // The SYN was answered by an RST: the machine is there, nobody listens on that port.
            return "connection refused by " + endpoint +
                   ": is the server running? start it with `tcpviz chat server "
                   "--port " +
                   std::to_string(port) + "`";
        case ETIMEDOUT:
            // Our SYN (and its retransmissions) got no answer at all.
            return "no answer from " + endpoint +
                   " (connection timed out): is the address right, or is a firewall "
                   "dropping the SYN?";
        case EHOSTUNREACH:
        case ENETUNREACH:
            return "no route to " + endpoint + ": check the address and that this machine is on that network";
        case EADDRNOTAVAIL:
            return "cannot connect to " + endpoint +
                   ": no local address or port is free for it (too many connections "
                   "in TIME_WAIT? leave --bind-port out)";
        default: return system_error_text("cannot connect to " + endpoint, err);
    }
}

std::string explain_bind_port_error(int err, std::uint16_t port) {
    const std::string p = std::to_string(port);
    switch (err) {
        case EADDRINUSE:
            return "local port " + p +
                   " is in use (by another program, or by our last connection still in TIME_WAIT): "
                   "pick another --bind-port or leave it out and let the kernel choose";
        case EACCES:
            return "no permission to use local port " + p + ": ports below 1024 need root; pick a port from 1024 up";
        default: return system_error_text("cannot bind local port " + p, err);
    }
}

std::string explain_resolve_error(int gai_error, const std::string& host, bool for_bind) {
    if (gai_error == EAI_SYSTEM) return system_error_text("cannot resolve \"" + host + "\"", errno);
    const std::string reason = ::gai_strerror(gai_error);
    if (for_bind) {
        return "cannot use --bind \"" + host + "\" (" + reason +
               "): give an address of this machine such as "
               "127.0.0.1 or ::1, or leave --bind out";
    }
    if (gai_error == EAI_NONAME || gai_error == EAI_NODATA || gai_error == EAI_FAIL) {
        return "host not found: \"" + host + "\" (" + reason +
               "): check the name, or give an address such as "
               "127.0.0.1 or ::1";
    }
    if (gai_error == EAI_AGAIN) {
        return "cannot look up \"" + host + "\" right now (" + reason +
               "): check the DNS settings, or give an "
               "address such as 127.0.0.1";
    }
    return "cannot resolve \"" + host + "\": " + reason;
}

}  // namespace tcpviz::chat
