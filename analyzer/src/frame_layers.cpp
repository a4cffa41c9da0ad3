// The link layers of decode_layers(), and the walk down to IP. The offsets
// below are the same as link_layer.cpp's (each header's diagram is there);
// where the IP packet starts is parse_link()'s decision, not repeated here.
#include "tcpviz/frame_layers.h"

#include "layer_builder.h"
#include "tcpviz/link_layer.h"

namespace tcpviz {
namespace {

using layers_detail::LayerBuilder;

constexpr std::uint16_t ethertype_vlan = 0x8100;
constexpr std::uint16_t ethertype_qinq = 0x88A8;
constexpr std::uint16_t ethertype_qinq_old = 0x9100;

bool is_tag(std::uint16_t type) {
    return type == ethertype_vlan || type == ethertype_qinq || type == ethertype_qinq_old;
}

// Ethernet II: | dst 6 | src 6 | (TPID 2 | TCI 2)* | type 2 |. A VLAN tag's
// fields are listed inside the Ethernet header, where they sit.
int add_ethernet(LayerBuilder& b, std::size_t header_length) {
    const int eth = b.open(LayerKind::ethernet, -1, 0, header_length == 0 ? 14 : header_length);
    b.field("eth.dst", FieldFormat::mac, 0, 6);
    b.field("eth.src", FieldFormat::mac, 6, 6);
    std::size_t offset = 12;
    // A tag: the TPID says one follows; the TCI holds priority, DEI and VLAN id.
    while (has(b.frame(), offset, 2) && is_tag(be16(b.frame(), offset))) {
        b.hex("vlan.tpid", offset, 2);
        b.bits("vlan.priority", offset + 2, 2, 0, 3);
        b.bits("vlan.dei", offset + 2, 2, 3, 1);
        b.bits("vlan.id", offset + 2, 2, 4, 12);
        offset += 4;
    }
    b.hex("eth.type", offset, 2);
    return eth;
}

// Linux cooked v1: | pkttype 2 | hatype 2 | addrlen 2 | addr 8 | protocol 2 |
int add_sll(LayerBuilder& b) {
    const int sll = b.open(LayerKind::linux_sll, -1, 0, 16);
    b.number("sll.pkttype", 0, 2);
    b.number("sll.hatype", 2, 2);
    b.number("sll.halen", 4, 2);
    b.field("sll.src", FieldFormat::mac, 6, 8);
    b.hex("sll.etype", 14, 2);
    return sll;
}

// Linux cooked v2: | protocol 2 | reserved 2 | ifindex 4 | hatype 2 |
//                  | pkttype 1 | addrlen 1 | addr 8 |
int add_sll2(LayerBuilder& b) {
    const int sll = b.open(LayerKind::linux_sll2, -1, 0, 20);
    b.hex("sll.etype", 0, 2);
    b.hex("sll.reserved", 2, 2);
    b.number("sll.ifindex", 4, 4);
    b.number("sll.hatype", 8, 2);
    b.number("sll.pkttype", 10, 1);
    b.number("sll.halen", 11, 1);
    b.field("sll.src", FieldFormat::mac, 12, 8);
    return sll;
}

// BSD loopback: the address family, in the capturing host's byte order for
// DLT_NULL (so shown as bytes), network order for DLT_LOOP.
int add_loopback(LayerBuilder& b, bool network_order) {
    const int loop = b.open(LayerKind::bsd_loopback, -1, 0, 4);
    if (network_order) b.number("null.family", 0, 4);
    else b.field("null.family", FieldFormat::bytes, 0, 4);
    return loop;
}

int add_link(LayerBuilder& b, int link_type, const LinkDecode& link) {
    switch (link_type) {
        case dlt::ethernet: return add_ethernet(b, link.header_length);
        case dlt::linux_sll: return add_sll(b);
        case dlt::linux_sll2: return add_sll2(b);
        case dlt::null_loopback: return add_loopback(b, false);
        case dlt::loop: return add_loopback(b, true);
        default: return -1;  // raw IP: no link header
    }
}

std::string_view link_problem(LinkStatus status) {
    switch (status) {
        case LinkStatus::truncated: return "link header cut off by the capture";
        case LinkStatus::unsupported_link: return "link type not supported";
        case LinkStatus::not_ip: return "not an IP packet";
        case LinkStatus::ok: break;
    }
    return {};
}

}  // namespace

std::string_view name_of(LayerKind kind) {
    switch (kind) {
        case LayerKind::ethernet: return "ethernet";
        case LayerKind::linux_sll: return "linux_sll";
        case LayerKind::linux_sll2: return "linux_sll2";
        case LayerKind::bsd_loopback: return "bsd_loopback";
        case LayerKind::ipv4: return "ipv4";
        case LayerKind::ipv4_option: return "ipv4_option";
        case LayerKind::ipv6: return "ipv6";
        case LayerKind::ipv6_extension: return "ipv6_extension";
        case LayerKind::tcp: return "tcp";
        case LayerKind::tcp_option: return "tcp_option";
        case LayerKind::payload: return "payload";
        case LayerKind::trailer: return "trailer";
    }
    return "payload";
}

FrameLayers decode_layers(int link_type, Bytes frame, std::uint32_t wire_length) {
    FrameLayers out;
    out.captured = static_cast<std::uint32_t>(frame.size());
    out.wire_length = wire_length;
    LayerBuilder b(out, frame);
    const LinkDecode link = parse_link(link_type, frame);
    const int link_layer = add_link(b, link_type, link);
    if (link.status != LinkStatus::ok) {
        if (!out.layers.empty()) out.layers.front().problem = link_problem(link.status);
        return out;
    }
    const std::size_t ip_at = link.header_length;
    const std::uint32_t ip_wire = wire_length > ip_at ? wire_length - static_cast<std::uint32_t>(ip_at) : 0;
    const std::size_t end = link.network == NetworkProtocol::ipv4
                                ? layers_detail::add_ipv4(b, link_layer, ip_at, ip_wire, out)
                                : layers_detail::add_ipv6(b, link_layer, ip_at, ip_wire, out);
    // What follows the datagram inside the frame: Ethernet pads a frame to 60 bytes.
    if (end != 0 && end < frame.size() && link_layer >= 0) {
        b.open(LayerKind::trailer, link_layer, end, frame.size() - end);
        b.field("eth.padding", FieldFormat::bytes, end, frame.size() - end);
    }
    return out;
}

}  // namespace tcpviz
