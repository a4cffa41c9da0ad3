// decode_layers() on hand-built frames: each link type, IPv4 with options,
// IPv6 with extension headers, TCP options, cut frames at every length.
#include <gtest/gtest.h>

#include <algorithm>

#include "sample_frames.h"
#include "tcpviz/frame_layers.h"
#include "tcpviz/layer_names.h"
#include "tcpviz/layers_text.h"
#include "tcpviz/link_layer.h"
#include "tcpviz/tcp_header.h"

namespace tcpviz {
namespace {

using test::ByteVec;
using test::sample_tcp;
using test::view;

FrameLayers decode(int link_type, const ByteVec& frame, std::size_t caplen = SIZE_MAX) {
    const Bytes all = view(frame);
    return decode_layers(link_type, all.first(std::min(caplen, frame.size())),
                         static_cast<std::uint32_t>(frame.size()));
}

std::vector<LayerKind> kinds(const FrameLayers& l) {
    std::vector<LayerKind> out;
    for (const Layer& layer : l.layers) out.push_back(layer.kind);
    return out;
}

const LayerField* field(const FrameLayers& l, std::string_view id, int nth = 0) {
    for (const LayerField& f : l.fields) {
        if (f.id == id && nth-- == 0) return &f;
    }
    return nullptr;
}

const Layer* layer(const FrameLayers& l, LayerKind kind) {
    for (const Layer& x : l.layers) {
        if (x.kind == kind) return &x;
    }
    return nullptr;
}

TEST(FrameLayers, EthernetIpv4TcpPayloadNestEachInsideTheLast) {
    const ByteVec f = test::ethernet(test::ip_packet({}, sample_tcp()), 4);
    const FrameLayers l = decode(dlt::ethernet, f);
    EXPECT_EQ(kinds(l), (std::vector{LayerKind::ethernet, LayerKind::ipv4, LayerKind::tcp, LayerKind::tcp_option,
                                     LayerKind::tcp_option, LayerKind::tcp_option, LayerKind::payload}));
    EXPECT_EQ(l.layers[1].parent, 0);
    EXPECT_EQ(l.layers[2].parent, 1);
    EXPECT_EQ(l.layers[3].parent, 2);
    EXPECT_EQ(l.layers.back().parent, 2);
    EXPECT_TRUE(l.is_tcp);
    EXPECT_EQ(l.layers[1].offset, 14u);
    EXPECT_EQ(l.layers[2].offset, 34u);
    EXPECT_EQ(l.layers[2].length, 32u);  // 20 + NOP NOP timestamps
    EXPECT_EQ(l.layers.back().offset, 66u);
    EXPECT_EQ(l.layers.back().length, 3u);
}

TEST(FrameLayers, FieldsCarryValuesAndOffsetsInTheFrame) {
    const ByteVec f = test::ethernet(test::ip_packet({}, sample_tcp()), 4);
    const FrameLayers l = decode(dlt::ethernet, f);
    ASSERT_NE(field(l, "eth.type"), nullptr);
    EXPECT_EQ(field(l, "eth.type")->value, 0x0800u);
    EXPECT_EQ(field(l, "eth.type")->offset, 12u);
    EXPECT_EQ(field(l, "ip.ttl")->value, 64u);
    EXPECT_EQ(field(l, "ip.ttl")->offset, 22u);
    EXPECT_EQ(field(l, "ip.proto")->value, 6u);
    EXPECT_EQ(field(l, "tcp.srcport")->value, 40000u);
    EXPECT_EQ(field(l, "tcp.srcport")->offset, 34u);
    EXPECT_EQ(field(l, "tcp.srcport")->length, 2u);
    EXPECT_EQ(field(l, "tcp.seq_raw")->value, 1000u);
    EXPECT_EQ(field(l, "tcp.ack_raw")->value, 2000u);
    EXPECT_EQ(field(l, "tcp.window_size_value")->value, 512u);
    EXPECT_EQ(field(l, "tcp.options.timestamp.tsval")->value, 7u);
    EXPECT_EQ(field(l, "tcp.options.timestamp.tsecr")->value, 9u);
    EXPECT_EQ(field(l, "tcp.payload")->length, 3u);
}

TEST(FrameLayers, BitFieldsAreShiftedDownAndKeepTheirBytes) {
    const ByteVec f = test::ethernet(test::ip_packet({}, sample_tcp()), 4);
    const FrameLayers l = decode(dlt::ethernet, f);
    EXPECT_EQ(field(l, "ip.version")->value, 4u);
    EXPECT_EQ(field(l, "ip.hdr_len")->value, 5u);
    EXPECT_EQ(field(l, "ip.hdr_len")->first_bit, 4u);
    EXPECT_EQ(field(l, "ip.flags.df")->value, 1u);
    EXPECT_EQ(field(l, "ip.flags.mf")->value, 0u);
    EXPECT_EQ(field(l, "tcp.hdr_len")->value, 8u);
    EXPECT_EQ(field(l, "tcp.flags")->value, static_cast<std::uint64_t>(tcp_flag::psh | tcp_flag::ack));
    EXPECT_EQ(field(l, "tcp.flags")->offset, 46u);
    EXPECT_EQ(field(l, "tcp.flags")->length, 2u);
    EXPECT_EQ(field(l, "tcp.flags.res")->value, 0u);
}

TEST(FrameLayers, ReservedBitsAreTheirOwnField) {
    test::TcpSpec t;
    t.flags = tcp_flag::rst | 0xE00;
    const ByteVec f = test::ethernet(test::ip_packet({}, test::tcp_segment(t, {})), 4);
    const FrameLayers l = decode(dlt::ethernet, f);
    EXPECT_EQ(field(l, "tcp.flags.res")->value, 7u);
    EXPECT_EQ(field(l, "tcp.flags")->value, static_cast<std::uint64_t>(tcp_flag::rst));
}

TEST(FrameLayers, VlanTagsAreFieldsOfTheEthernetHeader) {
    const ByteVec f = test::ethernet(test::ip_packet({}, sample_tcp()), 4, {0x88A8, 0x8100});
    const FrameLayers l = decode(dlt::ethernet, f);
    EXPECT_EQ(l.layers[0].length, 22u);
    EXPECT_EQ(field(l, "vlan.tpid", 0)->value, 0x88A8u);
    EXPECT_EQ(field(l, "vlan.tpid", 1)->value, 0x8100u);
    EXPECT_EQ(field(l, "eth.type")->offset, 20u);
    EXPECT_EQ(l.layers[1].offset, 22u);
}

TEST(FrameLayers, LinuxCookedV1AndV2) {
    const ByteVec ip = test::ip_packet({}, sample_tcp());
    const FrameLayers v1 = decode(dlt::linux_sll, test::linux_sll(ip, 4));
    EXPECT_EQ(v1.layers[0].kind, LayerKind::linux_sll);
    EXPECT_EQ(v1.layers[0].length, 16u);
    EXPECT_EQ(field(v1, "sll.etype")->offset, 14u);
    EXPECT_EQ(field(v1, "sll.etype")->value, 0x0800u);
    EXPECT_EQ(v1.layers[1].offset, 16u);
    const FrameLayers v2 = decode(dlt::linux_sll2, test::linux_sll2(ip, 4));
    EXPECT_EQ(v2.layers[0].kind, LayerKind::linux_sll2);
    EXPECT_EQ(v2.layers[0].length, 20u);
    EXPECT_EQ(field(v2, "sll.etype")->offset, 0u);
    EXPECT_EQ(v2.layers[1].offset, 20u);
    EXPECT_TRUE(v2.is_tcp);
}

TEST(FrameLayers, BsdLoopbackAndRawIp) {
    const ByteVec ip = test::ip_packet({}, sample_tcp());
    const FrameLayers null = decode(dlt::null_loopback, test::bsd_null(ip, 4, false));
    EXPECT_EQ(null.layers[0].kind, LayerKind::bsd_loopback);
    EXPECT_EQ(null.layers[1].offset, 4u);
    const FrameLayers raw = decode(dlt::raw, ip);
    EXPECT_EQ(raw.layers[0].kind, LayerKind::ipv4);  // no link header at all
    EXPECT_EQ(raw.layers[0].parent, -1);
    EXPECT_EQ(raw.layers[0].offset, 0u);
}

TEST(FrameLayers, Ipv4OptionsAreLayersInsideTheIpHeader) {
    test::IpSpec spec;
    spec.ipv4_options = {148, 4, 0, 0};  // Router Alert (RFC 2113)
    const ByteVec f = test::ethernet(test::ip_packet(spec, sample_tcp(spec)), 4);
    const FrameLayers l = decode(dlt::ethernet, f);
    const Layer* ip = layer(l, LayerKind::ipv4);
    ASSERT_NE(ip, nullptr);
    EXPECT_EQ(ip->length, 24u);
    const Layer* option = layer(l, LayerKind::ipv4_option);
    ASSERT_NE(option, nullptr);
    EXPECT_EQ(option->type, 148u);
    EXPECT_EQ(option->offset, 34u);
    EXPECT_EQ(option->length, 4u);
    EXPECT_EQ(field(l, "ip.opt.len")->value, 4u);
    EXPECT_EQ(layer(l, LayerKind::tcp)->offset, 38u);
}

TEST(FrameLayers, Ipv6ExtensionHeadersComeBeforeTcp) {
    test::IpSpec spec;
    spec.version = 6;
    spec.src = "2001:db8::1";
    spec.dst = "2001:db8::2";
    // Hop-by-hop (8 bytes) -> destination options (8 bytes) -> TCP.
    spec.ipv6_first_next = 0;
    spec.ipv6_extensions = {60, 0, 1, 4, 0, 0, 0, 0, 6, 0, 1, 4, 0, 0, 0, 0};
    const ByteVec f = test::ethernet(test::ip_packet(spec, sample_tcp(spec)), 6);
    const FrameLayers l = decode(dlt::ethernet, f);
    EXPECT_EQ(kinds(l)[1], LayerKind::ipv6);
    EXPECT_EQ(kinds(l)[2], LayerKind::ipv6_extension);
    EXPECT_EQ(kinds(l)[3], LayerKind::ipv6_extension);
    EXPECT_EQ(l.layers[2].type, 0u);
    EXPECT_EQ(l.layers[3].type, 60u);
    EXPECT_EQ(l.layers[3].offset, 62u);
    EXPECT_EQ(layer(l, LayerKind::tcp)->offset, 70u);
    EXPECT_EQ(field(l, "ipv6.nxt")->value, 0u);
    EXPECT_EQ(field(l, "ipv6.src")->offset, 22u);
    EXPECT_EQ(field(l, "ipv6.src")->format, FieldFormat::ipv6);
}

TEST(FrameLayers, SackBlocksAndWindowScaleAreNamed) {
    test::TcpSpec t;
    t.flags = tcp_flag::ack;
    t.options = test::concat({test::opt_nop(), test::opt_wscale(7), test::opt_nop(), test::opt_nop(),
                              test::opt_sack({{100, 200}, {300, 400}})});
    const FrameLayers l = decode(dlt::ethernet, test::ethernet(test::ip_packet({}, test::tcp_segment(t, {})), 4));
    EXPECT_EQ(field(l, "tcp.options.wscale.shift")->value, 7u);
    EXPECT_EQ(field(l, "tcp.options.sack_le", 0)->value, 100u);
    EXPECT_EQ(field(l, "tcp.options.sack_re", 0)->value, 200u);
    EXPECT_EQ(field(l, "tcp.options.sack_le", 1)->value, 300u);
    EXPECT_EQ(field(l, "tcp.options.sack_re", 1)->value, 400u);
    EXPECT_EQ(layer(l, LayerKind::payload), nullptr);  // no payload, no payload layer
}

TEST(FrameLayers, EthernetPaddingIsATrailerAfterTheDatagram) {
    test::TcpSpec t;
    t.flags = tcp_flag::ack;
    ByteVec f = test::ethernet(test::ip_packet({}, test::tcp_segment(t, {})), 4);
    f.resize(60, 0);  // 54 bytes padded to the 60-byte minimum
    const FrameLayers l = decode(dlt::ethernet, f);
    const Layer* trailer = layer(l, LayerKind::trailer);
    ASSERT_NE(trailer, nullptr);
    EXPECT_EQ(trailer->offset, 54u);
    EXPECT_EQ(trailer->length, 6u);
    EXPECT_EQ(trailer->parent, 0);
}

// Every cut of the frame: no read past the capture, every field either
// captured whole with its bytes inside the capture or marked not captured.
TEST(FrameLayers, EveryCutOfTheFrameMarksWhatWasNotCaptured) {
    const ByteVec f = test::ethernet(test::ip_packet({}, sample_tcp()), 4);
    for (std::size_t cut = 0; cut <= f.size(); ++cut) {
        const FrameLayers l = decode(dlt::ethernet, f, cut);
        ASSERT_FALSE(l.layers.empty()) << cut;
        for (const LayerField& x : l.fields) {
            EXPECT_EQ(x.captured, x.offset + x.length <= cut) << "cut " << cut << " field " << x.id;
        }
        for (const Layer& x : l.layers) EXPECT_LE(x.captured, x.length) << cut;
        EXPECT_EQ(l.is_tcp, cut >= 34) << cut;
    }
}

TEST(FrameLayers, CutInsideTcpOptionsEndsTheListAndSaysWhy) {
    const ByteVec f = test::ethernet(test::ip_packet({}, sample_tcp()), 4);
    const FrameLayers l = decode(dlt::ethernet, f, 60);  // inside the timestamps option
    const Layer* tcp = layer(l, LayerKind::tcp);
    ASSERT_NE(tcp, nullptr);
    EXPECT_EQ(tcp->captured, 26u);
    EXPECT_FALSE(tcp->problem.empty());
    EXPECT_EQ(layer(l, LayerKind::payload), nullptr);
}

TEST(FrameLayers, ImpossibleOptionLengthIsShownNotTrusted) {
    test::TcpSpec t;
    t.flags = tcp_flag::ack;
    t.options = {2, 9, 0, 0};  // MSS with length 9 in a 4-byte area
    const FrameLayers l = decode(dlt::ethernet, test::ethernet(test::ip_packet({}, test::tcp_segment(t, {})), 4));
    const Layer* option = layer(l, LayerKind::tcp_option);
    ASSERT_NE(option, nullptr);
    EXPECT_EQ(option->length, 4u);  // the rest of the area, not 9
    EXPECT_FALSE(option->problem.empty());
    EXPECT_EQ(field(l, "tcp.options.mss_val"), nullptr);
}

TEST(FrameLayers, NonIpFrameStopsAtTheLinkLayer) {
    const ByteVec f = test::ethernet_typed(0x0806);  // ARP
    const FrameLayers l = decode(dlt::ethernet, f);
    ASSERT_EQ(l.layers.size(), 1u);
    EXPECT_FALSE(l.is_tcp);
    EXPECT_EQ(l.layers[0].problem, "not an IP packet");
}

TEST(LayerNames, EveryFieldTheDecoderNamesHasBothLanguages) {
    test::IpSpec v6;
    v6.version = 6;
    v6.src = "2001:db8::1";
    v6.dst = "2001:db8::2";
    v6.ipv6_first_next = 44;
    v6.ipv6_extensions = {6, 0, 0, 0, 0, 0, 0, 1};  // an atomic fragment header
    test::IpSpec v4;
    v4.ipv4_options = {148, 4, 0, 0};
    test::TcpSpec t;
    t.options = test::concat({test::opt_mss(1460), test::opt_sack_perm(), test::opt_sack({{1, 2}}), {0, 0}});
    t.payload = test::text("x");
    const ByteVec ip6 = test::ip_packet(v6, test::tcp_segment(t, v6));
    const ByteVec ip4 = test::ip_packet(v4, test::tcp_segment(t, v4));
    for (const FrameLayers& l :
         {decode(dlt::ethernet, test::ethernet(ip4, 4, {0x8100})), decode(dlt::linux_sll2, test::linux_sll2(ip6, 6)),
          decode(dlt::linux_sll, test::linux_sll(ip4, 4)), decode(dlt::loop, test::bsd_null(ip4, 4, true))}) {
        for (const LayerField& f : l.fields) {
            EXPECT_NE(field_name(f.id, Lang::en), f.id) << f.id;
            EXPECT_NE(field_name(f.id, Lang::zh), field_name(f.id, Lang::en)) << f.id;
        }
        for (const Layer& x : l.layers) EXPECT_NE(layer_title(x.kind, Lang::zh), layer_title(x.kind, Lang::en));
    }
}

TEST(LayersText, ChineseOutputHasNoEnglishFieldNames) {
    const ByteVec f = test::ethernet(test::ip_packet({}, sample_tcp()), 4);
    const FrameLayers l = decode(dlt::ethernet, f);
    std::string en, zh;
    append_layers_text(en, {"x.pcap", 1, 0, false}, l, view(f), Lang::en);
    append_layers_text(zh, {"x.pcap", 1, 0, false}, l, view(f), Lang::zh);
    EXPECT_NE(en.find("source port"), std::string::npos);
    EXPECT_NE(en.find("0x018 (PSH,ACK)"), std::string::npos);
    EXPECT_NE(en.find(".... ...0 0001 1000"), std::string::npos);
    EXPECT_NE(zh.find("源端口"), std::string::npos);
    EXPECT_EQ(zh.find("source port"), std::string::npos);
    EXPECT_EQ(zh.find("bytes"), std::string::npos);
}

}  // namespace
}  // namespace tcpviz
