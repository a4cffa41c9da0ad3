// The programs a lab runs besides tcpviz's chat: small senders and receivers
// with one knob each (a reader that stops, SO_LINGER 0, TCP_NODELAY...).
// They run in a forked child inside a namespace (spawn_in); each sockets call
// is the one the lesson is about.
#pragma once

#include <cstdint>
#include <string>

namespace tcpviz::lab {

struct SocketKnobs {
    std::string cc;          // TCP_CONGESTION pinned on this socket; empty: the namespace's default
    bool nodelay = false;    // TCP_NODELAY: Nagle off
    int rcvbuf = 0;          // SO_RCVBUF (bytes); 0: default
    int sndbuf = 0;          // SO_SNDBUF
    int mss = 0;             // TCP_MAXSEG announced in the SYN
    int keepalive_idle = 0;  // SO_KEEPALIVE + TCP_KEEPIDLE/INTVL (seconds); 0: off
    bool reuseaddr = true;
};

// A listening socket on address:port (IPv4 or IPv6 literal); throws on error.
int listen_on(const std::string& address, int port, const SocketKnobs& knobs = {});
// accept(), throwing on error.
int accept_one(int listener);
// A connected socket; throws with strerror on failure. `timeout_s` > 0 makes
// connect give up after that long (non-blocking connect + poll).
int connect_to(const std::string& address, int port, const SocketKnobs& knobs = {}, double timeout_s = 0,
               int* error = nullptr, int bind_port = 0);
// Applies the knobs that matter after connect/accept too.
void apply_knobs(int fd, const SocketKnobs& knobs);
// The congestion control the kernel reports for this socket.
std::string congestion_of(int fd);

// send() until all of it went (or the peer reset); false on error.
bool send_all(int fd, const void* data, std::size_t size);
// `size` bytes of a repeated printable pattern; `marker` (if any) is
// written three times from `marker_at`, e.g. for a firewall rule that drops that segment.
bool send_pattern(int fd, std::size_t size, const std::string& marker = {}, std::size_t marker_at = 0);
// recv() until the peer closes; the bytes read.
std::size_t read_to_end(int fd);
// SO_LINGER {on, 0}: close() then sends RST and forgets the connection.
void set_linger_zero(int fd);
void close_fd(int fd);

}  // namespace tcpviz::lab
