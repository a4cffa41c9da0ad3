// The sock_diag reply decoder on hand-built netlink bytes: every field, every
// tcp_info layout the kernel has shipped, every truncation, every bad length.
//
// Replies are built here field by field at the offsets of the kernel's uapi
// headers (linux/netlink.h, linux/inet_diag.h, linux/tcp.h), in host order
// as netlink sends them, with ports and addresses in network order.
#include <gtest/gtest.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstring>
#include <vector>

#include "tcpviz/sock_diag.h"

namespace tcpviz {
namespace {

using Buffer = std::vector<std::byte>;

void put(Buffer& b, std::size_t at, const void* value, std::size_t n) {
    if (b.size() < at + n) b.resize(at + n);
    std::memcpy(b.data() + at, value, n);
}
template <typename T>
void put_host(Buffer& b, std::size_t at, T v) {
    put(b, at, &v, sizeof v);
}
void put_be16(Buffer& b, std::size_t at, std::uint16_t v) {
    const std::uint8_t bytes[2] = {static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)};
    put(b, at, bytes, 2);
}

// struct tcp_info of a given length (the kernel copies min(its size, ours)).
struct InfoValues {
    std::uint8_t state = 1;  // ESTABLISHED
    std::uint8_t ca_state = 3;
    std::uint8_t retransmits = 2;
    std::uint32_t snd_mss = 1448, unacked = 7, rtt = 1234, rttvar = 567, ssthresh = 20, cwnd = 33;
    std::uint32_t rcv_space = 29200, total_retrans = 5, snd_wnd = 131072, rcv_wnd = 65536;
};

Buffer tcp_info_bytes(std::size_t length, const InfoValues& v = {}) {
    Buffer b(length);
    Buffer full(248);
    put_host<std::uint8_t>(full, 0, v.state);
    put_host<std::uint8_t>(full, 1, v.ca_state);
    put_host<std::uint8_t>(full, 2, v.retransmits);
    put_host(full, 16, v.snd_mss);
    put_host(full, 24, v.unacked);
    put_host(full, 68, v.rtt);
    put_host(full, 72, v.rttvar);
    put_host(full, 76, v.ssthresh);
    put_host(full, 80, v.cwnd);
    put_host(full, 96, v.rcv_space);
    put_host(full, 100, v.total_retrans);
    put_host(full, 228, v.snd_wnd);
    put_host(full, 232, v.rcv_wnd);
    std::memcpy(b.data(), full.data(), length);
    return b;
}

struct Attribute {
    std::uint16_t type;
    Buffer value;
};

struct SocketSpec {
    std::uint8_t family = AF_INET;
    std::uint8_t state = 1;
    std::uint16_t sport = 40000, dport = 6666;
    std::vector<std::uint8_t> src = {127, 0, 0, 1}, dst = {127, 0, 0, 2};
    std::uint32_t cookie_low = 0x11223344, cookie_high = 0x55;
    std::vector<Attribute> attributes = {{INET_DIAG_INFO, tcp_info_bytes(sizeof(tcp_info))}};
};

// One SOCK_DIAG_BY_FAMILY message: nlmsghdr, inet_diag_msg, attributes.
Buffer socket_message(const SocketSpec& s) {
    Buffer m(16 + 72);
    put_host<std::uint16_t>(m, 4, SOCK_DIAG_BY_FAMILY);
    put_host<std::uint8_t>(m, 16 + 0, s.family);
    put_host<std::uint8_t>(m, 16 + 1, s.state);
    put_be16(m, 16 + 4, s.sport);
    put_be16(m, 16 + 6, s.dport);
    put(m, 16 + 8, s.src.data(), s.src.size());
    put(m, 16 + 24, s.dst.data(), s.dst.size());
    put_host(m, 16 + 44, s.cookie_low);
    put_host(m, 16 + 48, s.cookie_high);
    for (const Attribute& a : s.attributes) {
        const std::size_t at = m.size();
        put_host<std::uint16_t>(m, at, static_cast<std::uint16_t>(4 + a.value.size()));
        put_host<std::uint16_t>(m, at + 2, a.type);
        if (!a.value.empty()) put(m, at + 4, a.value.data(), a.value.size());
        m.resize((m.size() + 3) & ~std::size_t{3});
    }
    put_host<std::uint32_t>(m, 0, static_cast<std::uint32_t>(m.size()));
    return m;
}

Buffer control_message(std::uint16_t type, std::int32_t code) {
    Buffer m(16);
    put_host<std::uint16_t>(m, 4, type);
    put_host<std::int32_t>(m, 16, code);
    if (type == NLMSG_ERROR) m.resize(16 + sizeof(nlmsgerr));  // the error, then the request's header
    put_host<std::uint32_t>(m, 0, static_cast<std::uint32_t>(m.size()));
    return m;
}

Buffer join(std::initializer_list<Buffer> parts) {
    Buffer all;
    for (const Buffer& p : parts) all.insert(all.end(), p.begin(), p.end());
    return all;
}

DiagReply decode(const Buffer& b) { return decode_diag_reply(Bytes(b.data(), b.size())); }

std::vector<std::uint8_t> v6(std::initializer_list<std::uint8_t> tail, bool mapped = false) {
    std::vector<std::uint8_t> a(16, 0);
    if (mapped) a[10] = a[11] = 0xff;
    std::size_t i = 16 - tail.size();
    for (std::uint8_t x : tail) a[i++] = x;
    return a;
}

TEST(SockDiagDecode, ReadsTheCongestionControlsName) {
    SocketSpec spec;
    const char reno[] = "reno";  // NUL-terminated, as the kernel sends it
    Buffer name(sizeof reno);
    std::memcpy(name.data(), reno, sizeof reno);
    spec.attributes.push_back({INET_DIAG_CONG, name});
    const DiagReply r = decode(socket_message(spec));
    ASSERT_TRUE(r.problem.empty()) << r.problem;
    ASSERT_EQ(r.sockets.size(), 1u);
    ASSERT_TRUE(r.sockets[0].info);
    EXPECT_EQ(r.sockets[0].info->congestion, "reno");
    // Without the attribute: no name, never a made-up one.
    EXPECT_EQ(decode(socket_message({})).sockets[0].info->congestion, "");
    // A name without its NUL, longer than the kernel allows: cut at 15 bytes.
    spec.attributes.back().value = Buffer(40, std::byte{'x'});
    EXPECT_EQ(decode(socket_message(spec)).sockets[0].info->congestion, std::string(15, 'x'));
}

TEST(SockDiagDecode, ReadsEveryFieldOfAnIpv4Socket) {
    const DiagReply r = decode(socket_message({}));
    ASSERT_TRUE(r.problem.empty()) << r.problem;
    ASSERT_EQ(r.sockets.size(), 1u);
    const DiagSocket& s = r.sockets[0];
    EXPECT_EQ(s.local.ip.version, 4);
    EXPECT_EQ(s.local.ip.to_string(), "127.0.0.1");
    EXPECT_EQ(s.local.port, 40000);
    EXPECT_EQ(s.remote.ip.to_string(), "127.0.0.2");
    EXPECT_EQ(s.remote.port, 6666);
    EXPECT_EQ(s.state, 1);
    EXPECT_EQ(s.cookie, 0x5511223344u);
    ASSERT_TRUE(s.info);
    const TcpInfo& i = *s.info;
    EXPECT_EQ(i.state, 1);
    EXPECT_EQ(i.ca_state, 3);
    EXPECT_EQ(i.retransmits, 2);
    EXPECT_EQ(i.snd_mss, 1448u);
    EXPECT_EQ(i.unacked, 7u);
    EXPECT_EQ(i.rtt_us, 1234u);
    EXPECT_EQ(i.rttvar_us, 567u);
    EXPECT_EQ(i.snd_ssthresh, 20u);
    EXPECT_EQ(i.snd_cwnd, 33u);
    EXPECT_EQ(i.rcv_space, 29200u);
    EXPECT_EQ(i.total_retrans, 5u);
    EXPECT_FALSE(r.done);
    EXPECT_EQ(r.error, 0);
}

TEST(SockDiagDecode, ReadsIpv6AndTurnsMappedIpv4AddressesIntoIpv4) {
    SocketSpec spec;
    spec.family = AF_INET6;
    spec.src = v6({1});
    spec.dst = v6({127, 0, 0, 1}, true);
    const DiagReply r = decode(socket_message(spec));
    ASSERT_EQ(r.sockets.size(), 1u);
    EXPECT_EQ(r.sockets[0].local.ip.version, 6);
    EXPECT_EQ(r.sockets[0].local.ip.to_string(), "::1");
    EXPECT_EQ(r.sockets[0].remote.ip.version, 4);
    EXPECT_EQ(r.sockets[0].remote.ip.to_string(), "127.0.0.1");
}

// Lengths by kernel: 104 bytes end at tcpi_total_retrans (the oldest layout
// read), 228 just before tcpi_snd_wnd (Linux 5.4), 236 take in tcpi_rcv_wnd
// (6.2); newer kernels only add at the end.
TEST(SockDiagDecode, WindowsArePresentOnlyWhenThisKernelsTcpInfoHasThem) {
    struct Case {
        std::size_t length;
        bool snd_wnd, rcv_wnd;
    };
    for (const Case c : {Case{104, false, false}, Case{228, false, false}, Case{232, true, false},
                         Case{236, true, true}, Case{248, true, true}, Case{400, true, true}}) {
        SocketSpec spec;
        Buffer info(c.length);
        const Buffer known = tcp_info_bytes(std::min<std::size_t>(c.length, 248));
        std::memcpy(info.data(), known.data(), known.size());
        spec.attributes = {{INET_DIAG_INFO, info}};
        const DiagReply r = decode(socket_message(spec));
        ASSERT_EQ(r.sockets.size(), 1u) << c.length;
        ASSERT_TRUE(r.sockets[0].info) << c.length;
        EXPECT_EQ(r.sockets[0].info->snd_cwnd, 33u) << c.length;
        EXPECT_EQ(r.sockets[0].info->snd_wnd.has_value(), c.snd_wnd) << c.length;
        EXPECT_EQ(r.sockets[0].info->rcv_wnd.has_value(), c.rcv_wnd) << c.length;
        if (c.snd_wnd) {
            EXPECT_EQ(*r.sockets[0].info->snd_wnd, 131072u);
        }
        if (c.rcv_wnd) {
            EXPECT_EQ(*r.sockets[0].info->rcv_wnd, 65536u);
        }
    }
}

TEST(SockDiagDecode, ATcpInfoShorterThanTheOldestLayoutIsNoInfoNotAnError) {
    SocketSpec spec;
    spec.attributes = {{INET_DIAG_INFO, tcp_info_bytes(100)}};
    const DiagReply r = decode(socket_message(spec));
    ASSERT_EQ(r.sockets.size(), 1u);
    EXPECT_TRUE(r.problem.empty());
    EXPECT_FALSE(r.sockets[0].info);
}

TEST(SockDiagDecode, ATimeWaitSocketHasAStateButNoInfo) {
    SocketSpec spec;
    spec.state = 6;  // TIME_WAIT: the kernel keeps only a mini socket, without tcp_info
    spec.attributes = {};
    const DiagReply r = decode(socket_message(spec));
    ASSERT_EQ(r.sockets.size(), 1u);
    EXPECT_EQ(r.sockets[0].state, 6);
    EXPECT_FALSE(r.sockets[0].info);
}

TEST(SockDiagDecode, SkipsOtherAttributesAndMasksAttributeFlags) {
    SocketSpec spec;
    spec.attributes = {{INET_DIAG_CONG, Buffer(6, std::byte{'c'})},  // "cubic\0", an unaligned length
                       {INET_DIAG_SHUTDOWN, Buffer(1)},
                       {static_cast<std::uint16_t>(INET_DIAG_INFO | NLA_F_NET_BYTEORDER), tcp_info_bytes(232)}};
    const DiagReply r = decode(socket_message(spec));
    ASSERT_EQ(r.sockets.size(), 1u);
    ASSERT_TRUE(r.sockets[0].info);
    EXPECT_EQ(r.sockets[0].info->snd_cwnd, 33u);
}

TEST(SockDiagDecode, ReadsSeveralSocketsThenDone) {
    SocketSpec second;
    second.sport = 6666;
    second.dport = 40000;
    const DiagReply r = decode(join({socket_message({}), socket_message(second), control_message(NLMSG_DONE, 0)}));
    EXPECT_TRUE(r.problem.empty());
    EXPECT_TRUE(r.done);
    EXPECT_EQ(r.error, 0);
    ASSERT_EQ(r.sockets.size(), 2u);
    EXPECT_EQ(r.sockets[1].local.port, 6666);
}

TEST(SockDiagDecode, ADoneThatCarriesAnErrnoReportsIt) {
    const DiagReply r = decode(control_message(NLMSG_DONE, -EINTR));
    EXPECT_TRUE(r.done);
    EXPECT_EQ(r.error, EINTR);
}

TEST(SockDiagDecode, AnErrorMessageEndsTheReplyWithItsErrno) {
    const DiagReply r = decode(join({control_message(NLMSG_ERROR, -ENOENT), socket_message({})}));
    EXPECT_TRUE(r.done);
    EXPECT_EQ(r.error, ENOENT);
    EXPECT_TRUE(r.sockets.empty());
}

TEST(SockDiagDecode, NoopAndUnknownMessageTypesAreSkipped) {
    Buffer unknown = control_message(NLMSG_NOOP, 0);
    Buffer other = control_message(99, 0);
    const DiagReply r = decode(join({unknown, other, socket_message({})}));
    EXPECT_TRUE(r.problem.empty());
    EXPECT_EQ(r.sockets.size(), 1u);
}

TEST(SockDiagDecode, EveryTruncationIsReportedAndNeverReadsPastTheEnd) {
    SocketSpec spec;
    spec.attributes = {{INET_DIAG_CONG, Buffer(6, std::byte{'c'})}, {INET_DIAG_INFO, tcp_info_bytes(236)}};
    const Buffer whole = join({socket_message(spec), control_message(NLMSG_DONE, 0)});
    const std::size_t first_end = socket_message(spec).size();
    for (std::size_t cut = 1; cut < whole.size(); ++cut) {
        // A copy of exactly `cut` bytes: AddressSanitizer catches any read past it.
        const Buffer prefix(whole.begin(), whole.begin() + static_cast<std::ptrdiff_t>(cut));
        const DiagReply r = decode(prefix);
        EXPECT_FALSE(r.done) << "cut at " << cut;
        if (cut == first_end) {
            EXPECT_TRUE(r.problem.empty()) << "a cut between messages is a short read, not damage";
            EXPECT_EQ(r.sockets.size(), 1u);
        } else {
            EXPECT_FALSE(r.problem.empty()) << "cut at " << cut;
            EXPECT_EQ(r.sockets.size(), cut < first_end ? 0u : 1u) << "cut at " << cut;
        }
    }
}

TEST(SockDiagDecode, ImpossibleLengthsAreReported) {
    Buffer m = socket_message({});
    put_host<std::uint32_t>(m, 0, 8);  // shorter than the netlink header itself
    EXPECT_NE(decode(m).problem.find("length 8"), std::string::npos);

    m = socket_message({});
    put_host<std::uint32_t>(m, 0, static_cast<std::uint32_t>(m.size() + 4));  // longer than what arrived
    EXPECT_FALSE(decode(m).problem.empty());

    m = socket_message({});
    put_host<std::uint16_t>(m, 16 + 72, 2);  // an attribute shorter than its own header
    EXPECT_NE(decode(m).problem.find("attribute length 2"), std::string::npos);

    m = socket_message({});
    put_host<std::uint16_t>(m, 16 + 72, 4000);  // an attribute longer than its message
    EXPECT_FALSE(decode(m).problem.empty());

    m = Buffer(16 + 40);  // an inet_diag_msg cut short, inside a well-formed netlink message
    put_host<std::uint16_t>(m, 4, SOCK_DIAG_BY_FAMILY);
    put_host<std::uint32_t>(m, 0, static_cast<std::uint32_t>(m.size()));
    EXPECT_NE(decode(m).problem.find("inet_diag_msg"), std::string::npos);

    SocketSpec unix_socket;
    unix_socket.family = AF_UNIX;
    EXPECT_NE(decode(socket_message(unix_socket)).problem.find("family"), std::string::npos);
}

TEST(SockDiagDecode, AnEmptyReadIsNothing) {
    const DiagReply r = decode({});
    EXPECT_TRUE(r.sockets.empty());
    EXPECT_TRUE(r.problem.empty());
    EXPECT_FALSE(r.done);
}

TEST(SockDiagRequest, DumpsEveryTcpSocketOfTheFamilyWithTcpInfo) {
    const std::vector<std::byte> b = build_diag_request(AF_INET6, 42);
    ASSERT_EQ(b.size(), sizeof(nlmsghdr) + sizeof(inet_diag_req_v2));
    nlmsghdr header;
    inet_diag_req_v2 request;
    std::memcpy(&header, b.data(), sizeof header);
    std::memcpy(&request, b.data() + sizeof header, sizeof request);
    EXPECT_EQ(header.nlmsg_len, b.size());
    EXPECT_EQ(header.nlmsg_type, SOCK_DIAG_BY_FAMILY);
    EXPECT_EQ(header.nlmsg_flags, NLM_F_REQUEST | NLM_F_DUMP);
    EXPECT_EQ(header.nlmsg_seq, 42u);
    EXPECT_EQ(request.sdiag_family, AF_INET6);
    EXPECT_EQ(request.sdiag_protocol, IPPROTO_TCP);
    EXPECT_EQ(request.idiag_ext, (1 << (INET_DIAG_INFO - 1)) | (1 << (INET_DIAG_CONG - 1)));
    EXPECT_EQ(request.idiag_states, ~0U);
}

}  // namespace
}  // namespace tcpviz
