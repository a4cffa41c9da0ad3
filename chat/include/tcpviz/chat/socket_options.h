// Socket options: the demo knobs. Each one changes something a student can
// see in a capture (window sizes, segment sizes, Nagle's delay, keepalive
// probes, an RST instead of a FIN) -- the comments in socket_options.cpp say
// what.
#pragma once

#include <string>
#include <vector>

namespace tcpviz::chat {

struct SocketOptions {
    int receive_buffer = 0;     // SO_RCVBUF in bytes; 0 = the kernel's default (and its auto-tuning)
    int send_buffer = 0;        // SO_SNDBUF in bytes; 0 = default
    bool no_delay = false;      // TCP_NODELAY: turn Nagle's algorithm off
    int max_segment = 0;        // TCP_MAXSEG in bytes; 0 = from the route's MTU
    std::string congestion;     // TCP_CONGESTION, e.g. "reno", "cubic", "bbr"; empty = system default
    int keepalive_seconds = 0;  // SO_KEEPALIVE with this idle time and probe interval; 0 = off
};

// Keepalive: how many unanswered probes before the kernel gives up on the peer.
inline constexpr int keepalive_probes = 3;

// Applies `options` to a socket that has not connected or listened yet: the
// buffer sizes and the MSS go into the SYN (or SYN-ACK), so they only take
// effect if set before the handshake. Throws ChatError with advice when the
// kernel refuses (e.g. an unknown congestion control). Returns notes on what
// the kernel actually did, for the user ("asked 4096, got 8192").
std::vector<std::string> apply_before_handshake(int fd, const SocketOptions& options);

// Options that also matter per connection on an accepted socket (Linux
// copies the listener's, but saying it explicitly is clearer).
void apply_after_accept(int fd, const SocketOptions& options);

// O_NONBLOCK: recv(), send() and accept() return EAGAIN instead of waiting.
void set_nonblocking(int fd);

// SO_LINGER {on, 0 s}: the next close() sends an RST at once and throws away
// anything unsent, instead of the orderly FIN.
void set_linger_reset(int fd);

// The system's congestion controls, from /proc/sys/net/ipv4/ ("reno cubic").
std::string available_congestion_controls();

}  // namespace tcpviz::chat
