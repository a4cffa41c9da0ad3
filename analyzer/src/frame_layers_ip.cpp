// The network layer of decode_layers(): IPv4 with its options, IPv6 with its
// extension headers. parse_ipv4 / parse_ipv6 (ip_header.cpp, where the header
// diagrams are) decide lengths, fragments and the protocol; this file names
// the fields between.
#include "layer_builder.h"
#include "tcpviz/ip_header.h"

namespace tcpviz::layers_detail {
namespace {

// IPv4 options (RFC 791 3.1): EOL and NOP are one byte; the others are
// | type | length | data |, the length counting the first two bytes.
void add_ipv4_options(LayerBuilder& b, int ip, std::size_t from, std::size_t to) {
    std::size_t at = from;
    while (at < to && has(b.frame(), at, 1)) {
        const std::uint8_t type = be8(b.frame(), at);
        std::size_t length = 1;
        if (type > 1) {
            length = has(b.frame(), at + 1, 1) ? be8(b.frame(), at + 1) : 2;
            if (length < 2 || at + length > to) length = to - at;  // impossible: the rest of the area
        }
        b.open(LayerKind::ipv4_option, ip, at, length, type);
        b.number("ip.opt.type", at, 1);
        if (type > 1) {
            b.number("ip.opt.len", at + 1, 1);
            if (length > 2) b.field("ip.opt.data", FieldFormat::bytes, at + 2, length - 2);
        }
        at += length;
        if (type == 0) break;  // end of option list: the rest is padding
    }
}

}  // namespace

std::size_t add_ipv4(LayerBuilder& b, int parent, std::size_t offset, std::uint32_t wire_length, FrameLayers& out) {
    const IpPacket ip = parse_ipv4(tail(b.frame(), offset), wire_length);
    const std::size_t header_length = has(b.frame(), offset, 1) ? (be8(b.frame(), offset) & 0x0F) * 4u : 20;
    const int layer = b.open(LayerKind::ipv4, parent, offset, header_length < 20 ? 20 : header_length);
    b.bits("ip.version", offset, 1, 0, 4);
    b.bits("ip.hdr_len", offset, 1, 4, 4);
    b.bits("ip.dsfield.dscp", offset + 1, 1, 0, 6);
    b.bits("ip.dsfield.ecn", offset + 1, 1, 6, 2);
    b.number("ip.len", offset + 2, 2);
    b.hex("ip.id", offset + 4, 2);
    b.bits("ip.flags.df", offset + 6, 2, 1, 1);
    b.bits("ip.flags.mf", offset + 6, 2, 2, 1);
    b.bits("ip.frag_offset", offset + 6, 2, 3, 13);
    b.number("ip.ttl", offset + 8, 1);
    b.number("ip.proto", offset + 9, 1);
    b.hex("ip.checksum", offset + 10, 2);
    b.field("ip.src", FieldFormat::ipv4, offset + 12, 4);
    b.field("ip.dst", FieldFormat::ipv4, offset + 16, 4);
    if (ip.status != IpStatus::ok) {
        b.problem(layer, ip.problem);
        return 0;
    }
    if (header_length > 20) add_ipv4_options(b, layer, offset + 20, offset + header_length);
    if (ip.is_fragment) {
        b.problem(layer, "a fragment of a larger datagram: tcpviz does not reassemble fragments");
    } else if (ip.protocol == ip_protocol_tcp) {
        add_tcp(b, layer, offset + ip.header_length, ip.payload_length, out);
    } else {
        b.problem(layer, "not TCP");
    }
    return offset + ip.header_length + ip.payload_length;
}

namespace {

constexpr std::uint8_t ipv6_fragment = 44;
constexpr std::uint8_t ipv6_auth = 51;

// The extension headers between the fixed header and `end` (where parse_ipv6
// found the upper layer), each | next header | length | ... |.
void add_ipv6_extensions(LayerBuilder& b, int ip, std::uint8_t first, std::size_t from, std::size_t end) {
    std::uint8_t type = first;
    std::size_t at = from;
    while (at < end && has(b.frame(), at, 2)) {
        std::size_t length = (be8(b.frame(), at + 1) + 1u) * 8u;
        if (type == ipv6_fragment) length = 8;
        if (type == ipv6_auth) length = (be8(b.frame(), at + 1) + 2u) * 4u;
        b.open(LayerKind::ipv6_extension, ip, at, length, type);
        b.number("ipv6.ext.nxt", at, 1);
        if (type == ipv6_fragment) {
            b.bits("ipv6.fragment.offset", at + 2, 2, 0, 13);
            b.bits("ipv6.fragment.more", at + 2, 2, 15, 1);
            b.hex("ipv6.fragment.id", at + 4, 4);
        } else {
            b.number("ipv6.ext.len", at + 1, 1);
            b.field("ipv6.ext.data", FieldFormat::bytes, at + 2, length - 2);
        }
        type = be8(b.frame(), at);
        at += length;
    }
}

}  // namespace

std::size_t add_ipv6(LayerBuilder& b, int parent, std::size_t offset, std::uint32_t wire_length, FrameLayers& out) {
    const IpPacket ip = parse_ipv6(tail(b.frame(), offset), wire_length);
    const int layer = b.open(LayerKind::ipv6, parent, offset, 40);
    b.bits("ipv6.version", offset, 4, 0, 4);
    b.bits("ipv6.tclass", offset, 4, 4, 8, FieldFormat::hex);
    b.bits("ipv6.flow", offset, 4, 12, 20, FieldFormat::hex);
    b.number("ipv6.plen", offset + 4, 2);
    b.number("ipv6.nxt", offset + 6, 1);
    b.number("ipv6.hlim", offset + 7, 1);
    b.field("ipv6.src", FieldFormat::ipv6, offset + 8, 16);
    b.field("ipv6.dst", FieldFormat::ipv6, offset + 24, 16);
    if (ip.status != IpStatus::ok) {
        b.problem(layer, ip.problem);
        return 0;
    }
    add_ipv6_extensions(b, layer, be8(b.frame(), offset + 6), offset + 40, offset + ip.header_length);
    if (ip.is_fragment) {
        b.problem(layer, "a fragment of a larger datagram: tcpviz does not reassemble fragments");
    } else if (ip.protocol == ip_protocol_tcp) {
        add_tcp(b, layer, offset + ip.header_length, ip.payload_length, out);
    } else {
        b.problem(layer, "not TCP");
    }
    return offset + ip.header_length + ip.payload_length;
}

}  // namespace tcpviz::layers_detail
