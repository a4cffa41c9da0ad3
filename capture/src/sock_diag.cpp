#include "tcpviz/sock_diag.h"

#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstddef>
#include <cstring>

namespace tcpviz {
namespace {

// Field offsets, named once. The kernel's uapi headers are only used to
// check them at compile time: the decoder reads bytes, never casts a struct
// onto them, so a reply from an older or newer kernel decodes the same way.
namespace nlmsg {
constexpr std::size_t length = 0;  // u32, includes this header
constexpr std::size_t type = 4;    // u16
constexpr std::size_t header_size = 16;
constexpr std::size_t alignment = 4;
}  // namespace nlmsg

namespace diag_msg {
constexpr std::size_t family = 0;       // u8
constexpr std::size_t state = 1;        // u8
constexpr std::size_t source_port = 4;  // be16
constexpr std::size_t dest_port = 6;    // be16
constexpr std::size_t source_addr = 8;  // 16 bytes; IPv4 uses the first 4
constexpr std::size_t dest_addr = 24;
constexpr std::size_t cookie = 44;  // two u32: low word first
constexpr std::size_t size = 72;
}  // namespace diag_msg

namespace rtattr_field {
constexpr std::size_t length = 0;  // u16, includes this header
constexpr std::size_t type = 2;    // u16
constexpr std::size_t header_size = 4;
constexpr std::uint16_t type_mask = 0x3fff;  // without NLA_F_NESTED / NLA_F_NET_BYTEORDER
}  // namespace rtattr_field

// struct tcp_info has only ever grown at its end; a field is present when
// the attribute is long enough to hold it.
namespace tcpi {
constexpr std::size_t state = 0;
constexpr std::size_t ca_state = 1;
constexpr std::size_t retransmits = 2;
constexpr std::size_t snd_mss = 16;
constexpr std::size_t unacked = 24;
constexpr std::size_t rtt = 68;
constexpr std::size_t rttvar = 72;
constexpr std::size_t snd_ssthresh = 76;
constexpr std::size_t snd_cwnd = 80;
constexpr std::size_t rcv_space = 96;
constexpr std::size_t total_retrans = 100;
constexpr std::size_t required_size = 104;  // everything above (Linux 2.6.x on)
constexpr std::size_t snd_wnd = 228;        // Linux 5.4
constexpr std::size_t rcv_wnd = 232;        // Linux 6.2; newer than some installed headers
}  // namespace tcpi

static_assert(sizeof(nlmsghdr) == nlmsg::header_size && offsetof(nlmsghdr, nlmsg_type) == nlmsg::type);
static_assert(sizeof(inet_diag_msg) == diag_msg::size);
static_assert(offsetof(inet_diag_msg, id) + offsetof(inet_diag_sockid, idiag_sport) == diag_msg::source_port);
static_assert(offsetof(inet_diag_msg, id) + offsetof(inet_diag_sockid, idiag_dst) == diag_msg::dest_addr);
static_assert(offsetof(inet_diag_msg, id) + offsetof(inet_diag_sockid, idiag_cookie) == diag_msg::cookie);
static_assert(offsetof(tcp_info, tcpi_unacked) == tcpi::unacked);
static_assert(offsetof(tcp_info, tcpi_rtt) == tcpi::rtt);
static_assert(offsetof(tcp_info, tcpi_snd_cwnd) == tcpi::snd_cwnd);
static_assert(offsetof(tcp_info, tcpi_total_retrans) == tcpi::total_retrans);
static_assert(offsetof(tcp_info, tcpi_snd_wnd) == tcpi::snd_wnd);

// Netlink's own fields are in host order. The caller checks has() first.
template <typename T>
T host(Bytes b, std::size_t offset) {
    T v;
    std::memcpy(&v, b.data() + offset, sizeof v);
    return v;
}

constexpr std::size_t align(std::size_t n, std::size_t to) { return (n + to - 1) & ~(to - 1); }

IpAddress address_at(Bytes msg, std::size_t offset, std::uint8_t family) {
    IpAddress ip;
    if (family == AF_INET) {
        ip.version = 4;
        for (std::size_t i = 0; i < 4; ++i) ip.bytes[i] = be8(msg, offset + i);
        return ip;
    }
    ip.version = 6;
    for (std::size_t i = 0; i < 16; ++i) ip.bytes[i] = be8(msg, offset + i);
    // ::ffff:a.b.c.d is an IPv4 peer of a dual-stack socket: its packets are IPv4.
    constexpr std::uint8_t mapped_prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::memcmp(ip.bytes.data(), mapped_prefix, sizeof mapped_prefix) == 0) {
        IpAddress v4;
        v4.version = 4;
        for (std::size_t i = 0; i < 4; ++i) v4.bytes[i] = ip.bytes[12 + i];
        return v4;
    }
    return ip;
}

TcpInfo decode_tcp_info(Bytes info) {
    TcpInfo t;
    t.state = be8(info, tcpi::state);
    t.ca_state = be8(info, tcpi::ca_state);
    t.retransmits = be8(info, tcpi::retransmits);
    t.snd_mss = host<std::uint32_t>(info, tcpi::snd_mss);
    t.unacked = host<std::uint32_t>(info, tcpi::unacked);
    t.rtt_us = host<std::uint32_t>(info, tcpi::rtt);
    t.rttvar_us = host<std::uint32_t>(info, tcpi::rttvar);
    t.snd_ssthresh = host<std::uint32_t>(info, tcpi::snd_ssthresh);
    t.snd_cwnd = host<std::uint32_t>(info, tcpi::snd_cwnd);
    t.rcv_space = host<std::uint32_t>(info, tcpi::rcv_space);
    t.total_retrans = host<std::uint32_t>(info, tcpi::total_retrans);
    if (has(info, tcpi::snd_wnd, 4)) t.snd_wnd = host<std::uint32_t>(info, tcpi::snd_wnd);
    if (has(info, tcpi::rcv_wnd, 4)) t.rcv_wnd = host<std::uint32_t>(info, tcpi::rcv_wnd);
    return t;
}

// One SOCK_DIAG_BY_FAMILY message's payload: inet_diag_msg, then attributes.
bool decode_socket(Bytes payload, DiagSocket& s, std::string& problem) {
    if (!has(payload, 0, diag_msg::size)) {
        problem = "inet_diag_msg cut short: " + std::to_string(payload.size()) + " bytes";
        return false;
    }
    const std::uint8_t family = be8(payload, diag_msg::family);
    if (family != AF_INET && family != AF_INET6) {
        problem = "address family " + std::to_string(family) + " in a TCP dump";
        return false;
    }
    s.state = be8(payload, diag_msg::state);
    s.local = Endpoint{address_at(payload, diag_msg::source_addr, family), be16(payload, diag_msg::source_port)};
    s.remote = Endpoint{address_at(payload, diag_msg::dest_addr, family), be16(payload, diag_msg::dest_port)};
    s.cookie = host<std::uint32_t>(payload, diag_msg::cookie) |
               (std::uint64_t{host<std::uint32_t>(payload, diag_msg::cookie + 4)} << 32);

    std::size_t at = diag_msg::size;
    std::string congestion;
    while (has(payload, at, rtattr_field::header_size)) {
        const std::size_t length = host<std::uint16_t>(payload, at + rtattr_field::length);
        const std::uint16_t type = host<std::uint16_t>(payload, at + rtattr_field::type) & rtattr_field::type_mask;
        if (length < rtattr_field::header_size || !has(payload, at, length)) {
            problem = "attribute length " + std::to_string(length) + " at offset " + std::to_string(at) +
                      " does not fit the message";
            return false;
        }
        const Bytes value = payload.subspan(at + rtattr_field::header_size, length - rtattr_field::header_size);
        // Shorter than the oldest layout: not a tcp_info we can read, so none.
        if (type == INET_DIAG_INFO && value.size() >= tcpi::required_size) s.info = decode_tcp_info(value);
        // A NUL-terminated name of at most TCP_CA_NAME_MAX (16) bytes.
        if (type == INET_DIAG_CONG) {
            for (std::size_t k = 0; k < value.size() && k < 15 && value[k] != std::byte{0}; ++k) {
                congestion += static_cast<char>(value[k]);
            }
        }
        at += align(length, 4);
    }
    if (s.info) s.info->congestion = congestion;
    return true;
}

}  // namespace

DiagReply decode_diag_reply(Bytes bytes) {
    DiagReply reply;
    std::size_t at = 0;
    while (at < bytes.size()) {
        if (!has(bytes, at, nlmsg::header_size)) {
            reply.problem = "netlink header cut short at offset " + std::to_string(at);
            return reply;
        }
        const std::uint32_t length = host<std::uint32_t>(bytes, at + nlmsg::length);
        const std::uint16_t type = host<std::uint16_t>(bytes, at + nlmsg::type);
        if (length < nlmsg::header_size || !has(bytes, at, length)) {
            reply.problem = "netlink message length " + std::to_string(length) + " at offset " + std::to_string(at) +
                            " does not fit the " + std::to_string(bytes.size()) + " bytes received";
            return reply;
        }
        const Bytes payload = bytes.subspan(at + nlmsg::header_size, length - nlmsg::header_size);
        if (type == NLMSG_DONE) {
            // A dump's DONE carries an int: 0, or the negative errno that ended it.
            if (has(payload, 0, 4) && host<std::int32_t>(payload, 0) < 0) reply.error = -host<std::int32_t>(payload, 0);
            reply.done = true;
            return reply;
        }
        if (type == NLMSG_ERROR) {
            if (!has(payload, 0, 4)) {
                reply.problem = "NLMSG_ERROR without an error code";
                return reply;
            }
            reply.error = -host<std::int32_t>(payload, 0);  // 0: an acknowledgement
            reply.done = true;
            return reply;
        }
        if (type == SOCK_DIAG_BY_FAMILY) {
            DiagSocket s;
            if (!decode_socket(payload, s, reply.problem)) return reply;
            reply.sockets.push_back(s);
        }
        // NLMSG_NOOP and anything else: nothing for us, go on.
        at += align(length, nlmsg::alignment);
    }
    return reply;
}

std::vector<std::byte> build_diag_request(std::uint8_t family, std::uint32_t sequence) {
    struct {
        nlmsghdr header;
        inet_diag_req_v2 request;
    } message{};
    static_assert(sizeof message == sizeof(nlmsghdr) + sizeof(inet_diag_req_v2), "no padding between the two");
    message.header.nlmsg_len = sizeof message;
    message.header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
    message.header.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;  // every socket, not one looked up by id
    message.header.nlmsg_seq = sequence;
    message.request.sdiag_family = family;
    message.request.sdiag_protocol = IPPROTO_TCP;
    // Attach struct tcp_info and the congestion control's name.
    message.request.idiag_ext = (1U << (INET_DIAG_INFO - 1)) | (1U << (INET_DIAG_CONG - 1));
    message.request.idiag_states = ~0U;  // all states, TIME-WAIT and LISTEN included
    std::vector<std::byte> bytes(sizeof message);
    std::memcpy(bytes.data(), &message, sizeof message);
    return bytes;
}

}  // namespace tcpviz
