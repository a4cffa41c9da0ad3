// The kernel's own view of a TCP socket, asked through netlink sock_diag
// (what `ss -ti` uses): building the dump request and decoding the reply.
//
// Both are pure functions over bytes, tested with hand-built replies; the
// socket and the sampling thread live in tcp_info_sampler.h.
//
// A reply is a run of netlink messages, each one socket:
//
//   | nlmsghdr (16) | inet_diag_msg (72) | rtattr | rtattr ... |
//                                          └ INET_DIAG_INFO: struct tcp_info
//
// Netlink headers and tcp_info are in the host's byte order; the ports and
// addresses inside inet_diag_msg are in network order, as on the wire.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tcpviz/bytes.h"
#include "tcpviz/connection.h"

namespace tcpviz {

// What struct tcp_info says about one socket: the sender's congestion
// control state, which no packet capture can show.
struct TcpInfo {
    std::uint8_t state = 0;        // kernel state number: 1 ESTABLISHED ... 12 NEW_SYN_RECV
    std::uint8_t ca_state = 0;     // 0 open, 1 disorder, 2 cwr, 3 recovery, 4 loss
    std::uint8_t retransmits = 0;  // consecutive retransmission timeouts of the oldest segment
    std::uint32_t snd_mss = 0;     // bytes per segment, to turn cwnd into bytes
    std::uint32_t unacked = 0;     // segments in flight
    std::uint32_t rtt_us = 0;      // smoothed RTT
    std::uint32_t rttvar_us = 0;
    std::uint32_t snd_ssthresh = 0;        // ssthresh_infinity until the first loss ends slow start
    std::uint32_t snd_cwnd = 0;            // congestion window, in segments
    std::uint32_t rcv_space = 0;           // receive buffer the kernel is tuning towards
    std::uint32_t total_retrans = 0;       // segments retransmitted over the connection's life
    std::optional<std::uint32_t> snd_wnd;  // the peer's window, scaled (Linux 5.4 and later)
    std::optional<std::uint32_t> rcv_wnd;  // the window we advertise, scaled (Linux 6.2 and later)
    // The congestion control on this socket ("reno", "cubic", "bbr"), from
    // INET_DIAG_CONG; empty when the reply had none. At most 15 characters.
    std::string congestion;
    friend bool operator==(const TcpInfo&, const TcpInfo&) = default;
};

// The kernel's TCP_INFINITE_SSTHRESH.
constexpr std::uint32_t ssthresh_infinity = 0x7fffffff;

// One socket of the dump. IPv4-mapped IPv6 addresses (an AF_INET6 socket
// talking to an IPv4 peer) are given as IPv4, as its packets carry them.
struct DiagSocket {
    Endpoint local;
    Endpoint remote;
    std::uint8_t state = 0;       // from inet_diag_msg; also set for TIME-WAIT, which has no tcp_info
    std::uint64_t cookie = 0;     // the kernel's id for this socket, unique while it lives
    std::optional<TcpInfo> info;  // absent when the reply carried no usable INET_DIAG_INFO
    friend bool operator==(const DiagSocket&, const DiagSocket&) = default;
};

struct DiagReply {
    std::vector<DiagSocket> sockets;
    bool done = false;    // NLMSG_DONE seen: the dump is complete
    int error = 0;        // errno from an NLMSG_ERROR, 0 if none
    std::string problem;  // non-empty: a malformed message, decoding stopped there
};

// Decodes the messages of one recv() from a sock_diag socket. Never reads past
// `bytes`, never trusts a length field; stops at the first malformed message.
DiagReply decode_diag_reply(Bytes bytes);

// The request that dumps every TCP socket of one family (AF_INET or
// AF_INET6) in every state, with tcp_info and the congestion control's name attached.
std::vector<std::byte> build_diag_request(std::uint8_t family, std::uint32_t sequence);

}  // namespace tcpviz
