#include "tcpviz/chat/socket_options.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cerrno>
#include <fstream>
#include <string>

#include "tcpviz/chat/chat_error.h"

namespace tcpviz::chat {
namespace {

void set_int_option(int fd, int level, int name, int value, const char* what) {
    if (::setsockopt(fd, level, name, &value, sizeof value) != 0) throw ChatError(system_error_text(what, errno));
}

int get_int_option(int fd, int level, int name) {
    int value = 0;
    socklen_t length = sizeof value;
    if (::getsockopt(fd, level, name, &value, &length) != 0) return -1;
    return value;
}

std::string read_proc_line(const char* path) {
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    return line;
}

void set_congestion(int fd, const std::string& name) {
    // TCP_CONGESTION: which algorithm grows and shrinks this connection's
    // congestion window (cwnd): reno halves it on loss and adds one segment
    // per round trip; cubic grows along a cubic curve; bbr paces by measured
    // bandwidth and round-trip time. Not on the wire as such -- visible in
    // how fast the sender's bytes in flight grow.
    if (::setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, name.data(), static_cast<socklen_t>(name.size())) == 0) return;
    const int err = errno;
    if (err == ENOENT) {
        throw ChatError("congestion control \"" + name +
                        "\" is not available in this kernel (available: " + available_congestion_controls() +
                        "): load it with `modprobe tcp_" + name + "` as root, or pick one of those");
    }
    if (err == EPERM) {
        throw ChatError("congestion control \"" + name + "\" needs root (allowed without: " +
                        read_proc_line("/proc/sys/net/ipv4/tcp_allowed_congestion_control") +
                        "): run as root or pick an allowed one");
    }
    throw ChatError(system_error_text("cannot set congestion control \"" + name + "\"", err));
}

}  // namespace

std::string available_congestion_controls() {
    const std::string line = read_proc_line("/proc/sys/net/ipv4/tcp_available_congestion_control");
    return line.empty() ? "unknown" : line;
}

std::vector<std::string> apply_before_handshake(int fd, const SocketOptions& options) {
    std::vector<std::string> notes;
    if (options.receive_buffer > 0) {
        // SO_RCVBUF: how many bytes the kernel will hold for us before we
        // recv() them. It bounds the window we advertise (the "win" field of
        // our segments) and fixes the window scale option in our SYN, so set
        // it before connect()/listen(). Linux doubles the value (the extra
        // half is for its bookkeeping) and turns its auto-tuning off.
        set_int_option(fd, SOL_SOCKET, SO_RCVBUF, options.receive_buffer, "setsockopt(SO_RCVBUF)");
        notes.push_back("receive buffer: asked " + std::to_string(options.receive_buffer) + " bytes, the kernel set " +
                        std::to_string(get_int_option(fd, SOL_SOCKET, SO_RCVBUF)));
    }
    if (options.send_buffer > 0) {
        // SO_SNDBUF: how many bytes the kernel keeps for sending, sent or
        // not yet acknowledged. When it is full, send() takes no more.
        set_int_option(fd, SOL_SOCKET, SO_SNDBUF, options.send_buffer, "setsockopt(SO_SNDBUF)");
        notes.push_back("send buffer: asked " + std::to_string(options.send_buffer) + " bytes, the kernel set " +
                        std::to_string(get_int_option(fd, SOL_SOCKET, SO_SNDBUF)));
    }
    if (options.max_segment > 0) {
        // TCP_MAXSEG: the Maximum Segment Size we announce in the MSS option
        // of our SYN, so neither side sends segments with more payload than
        // this. Small values make slow start easy to count on a ladder.
        if (::setsockopt(fd, IPPROTO_TCP, TCP_MAXSEG, &options.max_segment, sizeof options.max_segment) != 0) {
            const int err = errno;
            if (err == EINVAL) {
                throw ChatError("--mss " + std::to_string(options.max_segment) +
                                " was refused by the kernel: it accepts 88 to 32767 bytes");
            }
            throw ChatError(system_error_text("setsockopt(TCP_MAXSEG)", err));
        }
        notes.push_back("maximum segment size: " + std::to_string(options.max_segment) + " bytes (sent in the SYN)");
    }
    if (!options.congestion.empty()) {
        set_congestion(fd, options.congestion);
        notes.push_back("congestion control: " + options.congestion);
    }
    apply_after_accept(fd, options);
    if (options.no_delay) notes.push_back("TCP_NODELAY: Nagle's algorithm is off");
    if (options.keepalive_seconds > 0) {
        notes.push_back("keepalive: a probe after " + std::to_string(options.keepalive_seconds) +
                        " s idle, then every " + std::to_string(options.keepalive_seconds) + " s, " +
                        std::to_string(keepalive_probes) + " unanswered probes end the connection");
    }
    return notes;
}

void apply_after_accept(int fd, const SocketOptions& options) {
    if (options.no_delay) {
        // TCP_NODELAY: send small segments at once. With Nagle's algorithm
        // (the default) a small segment waits while earlier data is still
        // unacknowledged, so typed lines may be merged into one segment.
        set_int_option(fd, IPPROTO_TCP, TCP_NODELAY, 1, "setsockopt(TCP_NODELAY)");
    }
    if (options.keepalive_seconds > 0) {
        // SO_KEEPALIVE: after TCP_KEEPIDLE seconds without traffic, the kernel
        // sends a probe (an ACK carrying no data, one byte behind the real
        // sequence number) every TCP_KEEPINTVL seconds; after TCP_KEEPCNT
        // unanswered probes it declares the peer dead and recv() fails with
        // ETIMEDOUT. That is how a half-open connection (the peer vanished
        // without FIN or RST) is found.
        set_int_option(fd, SOL_SOCKET, SO_KEEPALIVE, 1, "setsockopt(SO_KEEPALIVE)");
        set_int_option(fd, IPPROTO_TCP, TCP_KEEPIDLE, options.keepalive_seconds, "setsockopt(TCP_KEEPIDLE)");
        set_int_option(fd, IPPROTO_TCP, TCP_KEEPINTVL, options.keepalive_seconds, "setsockopt(TCP_KEEPINTVL)");
        set_int_option(fd, IPPROTO_TCP, TCP_KEEPCNT, keepalive_probes, "setsockopt(TCP_KEEPCNT)");
    }
}

void set_nonblocking(int fd) {
    // fcntl(F_SETFL, O_NONBLOCK): a flag on our side only; nothing on the wire.
    const int flags = ::fcntl(fd, F_GETFL, 0);
    if (flags < 0 || ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0) {
        throw ChatError(system_error_text("fcntl(O_NONBLOCK)", errno));
    }
}

void set_linger_reset(int fd) {
    // SO_LINGER with l_onoff = 1, l_linger = 0: close() aborts the connection.
    // The kernel discards unsent data and sends an RST, so the peer's next
    // recv() fails with ECONNRESET, and we skip TIME_WAIT.
    const linger abort_on_close{1, 0};
    if (::setsockopt(fd, SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof abort_on_close) != 0) {
        throw ChatError(system_error_text("setsockopt(SO_LINGER)", errno));
    }
}

}  // namespace tcpviz::chat
