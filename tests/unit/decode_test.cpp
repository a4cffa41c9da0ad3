// Decoders on hand-built bytes: every link type, IPv4/IPv6 variants, TCP
// header and options, and every truncation point.
#include <gtest/gtest.h>

#include "sample_frames.h"
#include "tcpviz/ip_header.h"
#include "tcpviz/link_layer.h"
#include "tcpviz/packet.h"
#include "tcpviz/tcp_header.h"

namespace tcpviz {
namespace {

using test::ByteVec;
using test::sample_tcp;
using test::view;

PacketRecord record_of(const ByteVec& frame, std::size_t caplen = SIZE_MAX) {
    PacketRecord r;
    r.wire_length = static_cast<std::uint32_t>(frame.size());
    r.data = view(frame).first(std::min(caplen, frame.size()));
    return r;
}

TEST(LinkLayer, EthernetFindsIpv4AfterTheHeader) {
    const ByteVec f = test::ethernet(test::ip_packet({}, sample_tcp()), 4);
    const LinkDecode d = parse_link(dlt::ethernet, view(f));
    EXPECT_EQ(d.status, LinkStatus::ok);
    EXPECT_EQ(d.network, NetworkProtocol::ipv4);
    EXPECT_EQ(d.header_length, 14u);
}

TEST(LinkLayer, EthernetSkipsStackedVlanTags) {
    const ByteVec f = test::ethernet(test::ip_packet({}, sample_tcp()), 4, {0x88A8, 0x8100, 0x8100});
    const LinkDecode d = parse_link(dlt::ethernet, view(f));
    EXPECT_EQ(d.status, LinkStatus::ok);
    EXPECT_EQ(d.vlan_tags, 3);
    EXPECT_EQ(d.header_length, 14u + 12u);
}

TEST(LinkLayer, EthernetWithArpIsNotIp) {
    const ByteVec f = test::ethernet_typed(0x0806);
    EXPECT_EQ(parse_link(dlt::ethernet, view(f)).status, LinkStatus::not_ip);
}

TEST(LinkLayer, Ieee8023LengthFieldIsNotIp) {
    const ByteVec f = test::ethernet_typed(0x0040);
    EXPECT_EQ(parse_link(dlt::ethernet, view(f)).status, LinkStatus::not_ip);
}

TEST(LinkLayer, EveryTruncationOfTheEthernetHeaderIsReported) {
    const ByteVec f = test::ethernet(test::ip_packet({}, sample_tcp()), 4, {0x8100});
    for (std::size_t n = 0; n < 18; ++n) {
        EXPECT_EQ(parse_link(dlt::ethernet, view(f).first(n)).status, LinkStatus::truncated) << n;
    }
}

TEST(LinkLayer, LinuxCookedV1AndV2) {
    const ByteVec ip6 = test::ip_packet({.version = 6, .src = "::1", .dst = "::1"}, ByteVec{});
    const LinkDecode v1 = parse_link(dlt::linux_sll, view(test::linux_sll(ip6, 6)));
    EXPECT_EQ(v1.network, NetworkProtocol::ipv6);
    EXPECT_EQ(v1.header_length, 16u);
    const LinkDecode v2 = parse_link(dlt::linux_sll2, view(test::linux_sll2(ip6, 6)));
    EXPECT_EQ(v2.network, NetworkProtocol::ipv6);
    EXPECT_EQ(v2.header_length, 20u);
    EXPECT_EQ(parse_link(dlt::linux_sll2, view(test::linux_sll2(ip6, 6)).first(19)).status, LinkStatus::truncated);
}

TEST(LinkLayer, BsdLoopbackInEitherByteOrder) {
    const ByteVec ip4 = test::ip_packet({}, sample_tcp());
    EXPECT_EQ(parse_link(dlt::null_loopback, view(test::bsd_null(ip4, 4, false))).network, NetworkProtocol::ipv4);
    EXPECT_EQ(parse_link(dlt::null_loopback, view(test::bsd_null(ip4, 4, true))).network, NetworkProtocol::ipv4);
    EXPECT_EQ(parse_link(dlt::loop, view(test::bsd_null(ip4, 6, true))).network, NetworkProtocol::ipv6);
    ByteVec odd = test::bsd_null(ip4, 4, false);
    odd[0] = 99;
    EXPECT_EQ(parse_link(dlt::null_loopback, view(odd)).status, LinkStatus::not_ip);
}

TEST(LinkLayer, RawIpUsesTheVersionNibble) {
    const ByteVec ip4 = test::ip_packet({}, sample_tcp());
    EXPECT_EQ(parse_link(dlt::raw_linktype, view(ip4)).network, NetworkProtocol::ipv4);
    EXPECT_EQ(parse_link(dlt::raw, Bytes{}).status, LinkStatus::truncated);
    EXPECT_EQ(parse_link(147, view(ip4)).status, LinkStatus::unsupported_link);
}

TEST(Ipv4, DecodesAddressesProtocolAndLengths) {
    const ByteVec seg = sample_tcp();
    const ByteVec p = test::ip_packet({}, seg);
    const IpPacket ip = parse_ipv4(view(p), static_cast<std::uint32_t>(p.size()));
    ASSERT_EQ(ip.status, IpStatus::ok);
    EXPECT_EQ(ip.src.to_string(), "198.18.0.1");
    EXPECT_EQ(ip.dst.to_string(), "198.18.0.2");
    EXPECT_EQ(ip.protocol, 6);
    EXPECT_EQ(ip.payload_length, seg.size());
    EXPECT_EQ(ip.payload.size(), seg.size());
    EXPECT_FALSE(ip.is_fragment);
}

TEST(Ipv4, OptionsMoveThePayload) {
    const ByteVec p = test::ip_packet({.ipv4_options = {0x94, 4, 0, 0}}, sample_tcp());
    const IpPacket ip = parse_ipv4(view(p), static_cast<std::uint32_t>(p.size()));
    EXPECT_EQ(ip.header_length, 24);
    EXPECT_EQ(ip.payload_length, sample_tcp().size());
}

TEST(Ipv4, EthernetPaddingIsNotPayload) {
    const ByteVec f = test::ethernet(test::ip_packet({}, ByteVec(20, 0)), 4);  // 54 bytes, padded to 60
    ASSERT_EQ(f.size(), 60u);
    const IpPacket ip = parse_ipv4(view(f).subspan(14), 46);
    EXPECT_EQ(ip.payload_length, 20u);
}

TEST(Ipv4, TotalLengthBeyondTheFrameIsTrimmedToTheFrame) {
    const ByteVec p = test::ip_packet({.total_length_override = 1500}, sample_tcp());
    const IpPacket ip = parse_ipv4(view(p), static_cast<std::uint32_t>(p.size()));
    EXPECT_EQ(ip.payload_length, p.size() - 20);
}

TEST(Ipv4, ZeroTotalLengthMeansSegmentationOffload) {
    const ByteVec p = test::ip_packet({.total_length_override = 0}, sample_tcp());
    const IpPacket ip = parse_ipv4(view(p), static_cast<std::uint32_t>(p.size()));
    EXPECT_EQ(ip.status, IpStatus::ok);
    EXPECT_EQ(ip.payload_length, p.size() - 20);
}

TEST(Ipv4, MalformedHeadersAreReported) {
    ByteVec p = test::ip_packet({}, sample_tcp());
    ByteVec short_ihl = p;
    short_ihl[0] = 0x44;  // IHL 4 words
    EXPECT_EQ(parse_ipv4(view(short_ihl), 100).status, IpStatus::malformed);
    ByteVec bad_total = p;
    bad_total[2] = 0;
    bad_total[3] = 10;  // shorter than the header
    EXPECT_EQ(parse_ipv4(view(bad_total), 100).status, IpStatus::malformed);
    ByteVec v6 = p;
    v6[0] = 0x65;
    EXPECT_EQ(parse_ipv4(view(v6), 100).status, IpStatus::malformed);
}

TEST(Ipv4, EveryTruncationOfTheHeaderIsReported) {
    const ByteVec p = test::ip_packet({}, sample_tcp());
    for (std::size_t n = 0; n < 20; ++n) {
        EXPECT_EQ(parse_ipv4(view(p).first(n), static_cast<std::uint32_t>(p.size())).status, IpStatus::truncated) << n;
    }
}

TEST(Ipv4, FragmentsAreRecognised) {
    const ByteVec first = test::ip_packet({.fragment_field = 0x2000}, sample_tcp());
    EXPECT_TRUE(parse_ipv4(view(first), static_cast<std::uint32_t>(first.size())).is_fragment);
    const ByteVec later = test::ip_packet({.fragment_field = 0x0010}, sample_tcp());
    EXPECT_TRUE(parse_ipv4(view(later), static_cast<std::uint32_t>(later.size())).is_fragment);
}

TEST(Ipv6, WalksExtensionHeadersToTcp) {
    test::IpSpec spec{.version = 6, .src = "2001:2::1", .dst = "2001:2::2"};
    spec.ipv6_first_next = 0;                          // hop-by-hop -> routing -> destination options -> TCP
    spec.ipv6_extensions = {43, 0, 1, 4, 0, 0, 0, 0,   // hop-by-hop, PadN
                            60, 0, 0, 0, 0, 0, 0, 0,   // routing, type 0, segments left 0
                            6,  0, 1, 4, 0, 0, 0, 0};  // destination options
    const ByteVec seg = sample_tcp(spec);
    const ByteVec p = test::ip_packet(spec, seg);
    const IpPacket ip = parse_ipv6(view(p), static_cast<std::uint32_t>(p.size()));
    ASSERT_EQ(ip.status, IpStatus::ok);
    EXPECT_EQ(ip.protocol, 6);
    EXPECT_EQ(ip.header_length, 40 + 24);
    EXPECT_EQ(ip.payload_length, seg.size());
    EXPECT_EQ(ip.src.to_string(), "2001:2::1");
}

TEST(Ipv6, FragmentHeaderMarksAFragmentUnlessAtomic) {
    test::IpSpec spec{.version = 6, .src = "::1", .dst = "::1"};
    spec.ipv6_first_next = 44;
    spec.ipv6_extensions = {6, 0, 0x00, 0x01, 0, 0, 0, 1};  // offset 0, M = 1
    const ByteVec first = test::ip_packet(spec, sample_tcp(spec));
    EXPECT_TRUE(parse_ipv6(view(first), static_cast<std::uint32_t>(first.size())).is_fragment);
    spec.ipv6_extensions = {6, 0, 0x00, 0x00, 0, 0, 0, 1};  // atomic fragment
    const ByteVec atomic = test::ip_packet(spec, sample_tcp(spec));
    const IpPacket ip = parse_ipv6(view(atomic), static_cast<std::uint32_t>(atomic.size()));
    EXPECT_FALSE(ip.is_fragment);
    EXPECT_EQ(ip.protocol, 6);
}

TEST(Ipv6, ExtensionHeaderPastThePayloadIsMalformed) {
    test::IpSpec spec{.version = 6, .src = "::1", .dst = "::1"};
    spec.ipv6_first_next = 0;
    spec.ipv6_extensions = {6, 200, 0, 0, 0, 0, 0, 0};  // claims 1608 bytes
    const ByteVec p = test::ip_packet(spec, ByteVec{});
    EXPECT_EQ(parse_ipv6(view(p), static_cast<std::uint32_t>(p.size())).status, IpStatus::malformed);
}

TEST(Ipv6, EveryTruncationOfTheFixedHeaderIsReported) {
    const ByteVec p = test::ip_packet({.version = 6, .src = "::1", .dst = "::1"},
                                      sample_tcp({.version = 6, .src = "::1", .dst = "::1"}));
    for (std::size_t n = 0; n < 40; ++n) {
        EXPECT_EQ(parse_ipv6(view(p).first(n), static_cast<std::uint32_t>(p.size())).status, IpStatus::truncated) << n;
    }
}

TEST(Tcp, DecodesEveryFixedField) {
    const ByteVec seg = sample_tcp();
    const TcpDecode d = parse_tcp(view(seg), static_cast<std::uint32_t>(seg.size()));
    ASSERT_EQ(d.status, TcpStatus::ok);
    EXPECT_EQ(d.header.src_port, 40000);
    EXPECT_EQ(d.header.dst_port, 6666);
    EXPECT_EQ(d.header.seq, 1000u);
    EXPECT_EQ(d.header.ack, 2000u);
    EXPECT_EQ(d.header.header_length, 32);
    EXPECT_EQ(d.header.flags, tcp_flag::psh | tcp_flag::ack);
    EXPECT_EQ(d.header.window, 512);
    ASSERT_TRUE(d.header.options.timestamps.has_value());
    EXPECT_EQ(d.header.options.timestamps->value, 7u);
    EXPECT_EQ(d.header.options.timestamps->echo, 9u);
    EXPECT_EQ(d.header.options.entry_count, 3);
}

TEST(Tcp, ReservedBitsAreKeptApartFromTheFlags) {
    test::TcpSpec t;
    t.flags = 0xE00 | tcp_flag::rst | tcp_flag::ack | tcp_flag::ae;
    const ByteVec seg = test::tcp_segment(t, {});
    const TcpDecode d = parse_tcp(view(seg), static_cast<std::uint32_t>(seg.size()));
    ASSERT_EQ(d.status, TcpStatus::ok);
    EXPECT_EQ(d.header.flags, tcp_flag::rst | tcp_flag::ack | tcp_flag::ae);
    EXPECT_EQ(d.header.reserved, 7);
    EXPECT_EQ(d.header.header_length, 20);

    t.flags = 0x400 | tcp_flag::ack;  // the middle reserved bit alone
    const ByteVec one = test::tcp_segment(t, {});
    EXPECT_EQ(parse_tcp(view(one), static_cast<std::uint32_t>(one.size())).header.reserved, 2);
    EXPECT_EQ(parse_tcp(view(sample_tcp()), 35).header.reserved, 0);
}

TEST(Tcp, EveryTruncationPointKeepsTheFieldsBeforeIt) {
    const ByteVec seg = sample_tcp();
    for (std::size_t n = 0; n < 32; ++n) {
        const TcpDecode d = parse_tcp(view(seg).first(n), static_cast<std::uint32_t>(seg.size()));
        EXPECT_EQ(d.status, TcpStatus::truncated) << n;
        EXPECT_EQ(d.captured_header_bytes, std::min<std::size_t>(n, 20)) << n;
        if (n >= 4) {
            EXPECT_EQ(d.header.dst_port, 6666) << n;
        }
        if (n >= 8) {
            EXPECT_EQ(d.header.seq, 1000u) << n;
        }
        if (n >= 16) {
            EXPECT_EQ(d.header.window, 512) << n;
        }
        if (n >= 20) {
            EXPECT_TRUE(d.header.options.truncated) << n;
        }
    }
    EXPECT_EQ(parse_tcp(view(seg), static_cast<std::uint32_t>(seg.size())).status, TcpStatus::ok);
}

TEST(Tcp, ImpossibleDataOffsetsAreMalformed) {
    test::TcpSpec t;
    t.data_offset_words = 4;
    ByteVec seg = test::tcp_segment(t, {});
    EXPECT_EQ(parse_tcp(view(seg), static_cast<std::uint32_t>(seg.size())).status, TcpStatus::malformed);
    t.data_offset_words = 15;
    seg = test::tcp_segment(t, {});
    EXPECT_EQ(parse_tcp(view(seg), static_cast<std::uint32_t>(seg.size())).status, TcpStatus::malformed);
}

TEST(TcpOptions, DecodesEachKnownKind) {
    const ByteVec area = test::concat(
        {test::opt_mss(1460), test::opt_sack_perm(), test::opt_timestamps(1, 2), test::opt_nop(), test::opt_wscale(7)});
    const TcpOptions o = parse_tcp_options(view(area), area.size());
    EXPECT_EQ(o.mss, 1460);
    EXPECT_EQ(o.window_scale, 7);
    EXPECT_TRUE(o.sack_permitted);
    EXPECT_EQ(o.timestamps->value, 1u);
    EXPECT_FALSE(o.truncated);
    EXPECT_FALSE(o.malformed);
    EXPECT_EQ(o.entry_count, 5);
}

TEST(TcpOptions, SackBlocksUpToFour) {
    const ByteVec area = test::opt_sack({{10, 20}, {30, 40}, {50, 60}, {70, 80}});
    const TcpOptions o = parse_tcp_options(view(area), area.size());
    ASSERT_EQ(o.sack_count, 4);
    EXPECT_EQ(o.sack[3], (SackBlock{70, 80}));
}

TEST(TcpOptions, UnknownKindsAreKeptAsKindAndLength) {
    const ByteVec area = {30, 6, 1, 2, 3, 4, 1, 0};  // kind 30 (MPTCP), length 6, NOP, EOL
    const TcpOptions o = parse_tcp_options(view(area), area.size());
    ASSERT_EQ(o.entry_count, 3);
    EXPECT_EQ(o.entries[0], (TcpOptionEntry{30, 6, true}));
    EXPECT_EQ(o.entries[2].kind, 0);
}

TEST(TcpOptions, ImpossibleLengthsAreMalformedNotRead) {
    const ByteVec zero = {2, 0, 5, 180};
    EXPECT_TRUE(parse_tcp_options(view(zero), zero.size()).malformed);
    const ByteVec past = {8, 12, 0, 0};
    EXPECT_TRUE(parse_tcp_options(view(past), past.size()).malformed);
    const ByteVec wrong_mss = {2, 3, 5, 1};
    const TcpOptions o = parse_tcp_options(view(wrong_mss), wrong_mss.size());
    EXPECT_TRUE(o.malformed);
    EXPECT_FALSE(o.mss.has_value());
    const ByteVec bad_sack = {5, 7, 0, 0, 0, 0, 0, 0};
    EXPECT_TRUE(parse_tcp_options(view(bad_sack), bad_sack.size()).malformed);
}

TEST(TcpOptions, EveryTruncationPointIsTruncatedNotMalformed) {
    const ByteVec area = test::concat(
        {test::opt_mss(1460), test::opt_sack_perm(), test::opt_timestamps(1, 2), test::opt_nop(), test::opt_wscale(7)});
    for (std::size_t n = 0; n < area.size(); ++n) {
        const TcpOptions o = parse_tcp_options(view(area).first(n), area.size());
        EXPECT_TRUE(o.truncated) << n;
        EXPECT_FALSE(o.malformed) << n;
    }
}

TEST(TcpOptions, ACutSackOptionKeepsTheBlocksCapturedWhole) {
    // Wireshark reads SACK blocks until the capture ends and uses those it
    // read whole for bytes in flight; a block cut in the middle does not count.
    const ByteVec area = test::opt_sack({{10, 20}, {30, 40}, {50, 60}});
    const std::size_t expect_blocks[] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2};
    for (std::size_t n = 0; n < area.size(); ++n) {
        const TcpOptions o = parse_tcp_options(view(area).first(n), area.size());
        EXPECT_TRUE(o.truncated) << n;
        ASSERT_EQ(o.sack_count, expect_blocks[n]) << n;
        if (o.sack_count > 1) {
            EXPECT_EQ(o.sack[1], (SackBlock{30, 40})) << n;
        }
    }
}

TEST(DecodePacket, SkipsFragmentsAndNonTcp) {
    const ByteVec frag = test::ethernet(test::ip_packet({.fragment_field = 0x2000}, sample_tcp()), 4);
    EXPECT_EQ(decode_packet(dlt::ethernet, record_of(frag)).kind, PacketKind::ip_fragment);
    const ByteVec udp = test::ethernet(test::ip_packet({.protocol = 17}, ByteVec(8, 0)), 4);
    EXPECT_EQ(decode_packet(dlt::ethernet, record_of(udp)).kind, PacketKind::not_tcp);
}

TEST(DecodePacket, SnaplenKeepsTheWireLengthOfTheSegment) {
    const ByteVec f = test::ethernet(test::ip_packet({}, sample_tcp()), 4);
    const DecodedPacket p = decode_packet(dlt::ethernet, record_of(f, 60));
    ASSERT_EQ(p.kind, PacketKind::tcp);
    EXPECT_EQ(p.segment_length, sample_tcp().size());
    // 60 bytes = 14 Ethernet + 20 IP + 26 of the 32-byte TCP header: the
    // timestamps option is cut, and no payload byte was captured.
    EXPECT_EQ(p.tcp.status, TcpStatus::truncated);
    EXPECT_TRUE(p.tcp.header.options.truncated);
    EXPECT_EQ(p.tcp.header.window, 512);
    EXPECT_TRUE(p.payload.empty());
}

TEST(DecodePacket, NeverReadsPastTheCapturedBytesAtAnyLength) {
    // Every prefix of a frame decodes to something, without reading beyond it
    // (AddressSanitizer catches an overread in the sanitizer run).
    const ByteVec f = test::ethernet(test::ip_packet({}, sample_tcp()), 4, {0x8100});
    for (std::size_t n = 0; n <= f.size(); ++n) {
        ByteVec prefix(f.begin(), f.begin() + static_cast<std::ptrdiff_t>(n));
        PacketRecord r;
        r.wire_length = static_cast<std::uint32_t>(f.size());
        r.data = view(prefix);
        const DecodedPacket p = decode_packet(dlt::ethernet, r);
        // Once the link and IP headers and the TCP ports are captured, it is a
        // (maybe truncated) TCP segment; with less, Wireshark shows no TCP either.
        const PacketKind expected = n >= 18 + 20 + 4 ? PacketKind::tcp : PacketKind::undecodable;
        EXPECT_EQ(p.kind, expected) << n;
        if (n >= 18 + 20 && n < f.size() - 3) {
            EXPECT_NE(p.tcp.status, TcpStatus::ok) << n;
        }
    }
}

}  // namespace
}  // namespace tcpviz
