#include "tcpviz/ip_header.h"

#include <algorithm>

namespace tcpviz {
namespace {

IpPacket failed(IpStatus status, std::string_view problem) {
    IpPacket out;
    out.status = status;
    out.problem = problem;
    return out;
}

// The captured bytes of the payload between header_length and the end of the
// datagram on the wire.
Bytes captured_payload(Bytes packet, std::size_t header_length, std::uint32_t datagram_length) {
    const std::size_t end = std::min<std::size_t>(packet.size(), datagram_length);
    if (header_length >= end) return {};
    return packet.subspan(header_length, end - header_length);
}

}  // namespace

// IPv4 (RFC 791):
//  0      4      8              16    19               31
// | ver  | IHL  |     TOS      |     total length      |
// |   identification           |flags| fragment offset |
// |  TTL        |  protocol    |   header checksum     |
// |                 source address                     |
// |               destination address                  |
// |           options (IHL > 5) ...                    |
namespace ipv4 {
constexpr std::size_t version_ihl = 0;
constexpr std::size_t total_length = 2;
constexpr std::size_t flags_fragment = 6;
constexpr std::size_t ttl = 8;
constexpr std::size_t protocol = 9;
constexpr std::size_t src = 12;
constexpr std::size_t dst = 16;
constexpr std::size_t min_header = 20;
constexpr std::uint16_t more_fragments = 0x2000;
constexpr std::uint16_t offset_mask = 0x1FFF;
}  // namespace ipv4

IpPacket parse_ipv4(Bytes packet, std::uint32_t wire_length) {
    if (!has(packet, 0, 1)) return failed(IpStatus::truncated, "IPv4 header cut off by the capture");
    const std::uint8_t version = be8(packet, ipv4::version_ihl) >> 4;
    const std::size_t header_length = (be8(packet, ipv4::version_ihl) & 0x0F) * 4u;
    if (version != 4) return failed(IpStatus::malformed, "IP version is not 4");
    if (header_length < ipv4::min_header) return failed(IpStatus::malformed, "IPv4 header length below 20 bytes");
    if (!has(packet, 0, header_length)) return failed(IpStatus::truncated, "IPv4 header cut off by the capture");

    std::uint32_t datagram_length = be16(packet, ipv4::total_length);
    if (datagram_length == 0) {
        // Captured on the sending host before TCP segmentation offload split
        // the packet: the length is left 0. Wireshark then trusts the frame.
        datagram_length = wire_length;
    } else if (datagram_length < header_length) {
        return failed(IpStatus::malformed, "IPv4 total length shorter than its header");
    }
    // A length beyond the frame is bogus: only what was on the wire counts.
    datagram_length = std::min(datagram_length, wire_length);

    IpPacket out;
    out.src.version = out.dst.version = 4;
    std::copy_n(reinterpret_cast<const std::uint8_t*>(packet.data()) + ipv4::src, 4, out.src.bytes.begin());
    std::copy_n(reinterpret_cast<const std::uint8_t*>(packet.data()) + ipv4::dst, 4, out.dst.bytes.begin());
    out.protocol = be8(packet, ipv4::protocol);
    out.ttl = be8(packet, ipv4::ttl);
    const std::uint16_t fragment = be16(packet, ipv4::flags_fragment);
    out.is_fragment = (fragment & (ipv4::more_fragments | ipv4::offset_mask)) != 0;
    out.header_length = static_cast<std::uint16_t>(header_length);
    out.payload_length = datagram_length - static_cast<std::uint32_t>(header_length);
    out.payload = captured_payload(packet, header_length, datagram_length);
    return out;
}

// IPv6 (RFC 8200): a fixed 40-byte header, then a chain of extension headers
// each naming the next. TCP is found at the end of that chain.
// | ver | traffic class | flow label | payload length | next header | hop limit |
// | source address (16) | destination address (16) |
namespace ipv6 {
constexpr std::size_t payload_length = 4;
constexpr std::size_t next_header = 6;
constexpr std::size_t hop_limit = 7;
constexpr std::size_t src = 8;
constexpr std::size_t dst = 24;
constexpr std::size_t fixed_header = 40;

// Extension headers (IANA "IPv6 Extension Header Types").
constexpr std::uint8_t hop_by_hop = 0;
constexpr std::uint8_t routing = 43;
constexpr std::uint8_t fragment = 44;
constexpr std::uint8_t auth = 51;
constexpr std::uint8_t destination_options = 60;
constexpr std::uint8_t mobility = 135;
constexpr std::uint8_t host_identity = 139;
constexpr std::uint8_t shim6 = 140;
}  // namespace ipv6

IpPacket parse_ipv6(Bytes packet, std::uint32_t wire_length) {
    if (!has(packet, 0, 1)) return failed(IpStatus::truncated, "IPv6 header cut off by the capture");
    if ((be8(packet, 0) >> 4) != 6) return failed(IpStatus::malformed, "IP version is not 6");
    if (!has(packet, 0, ipv6::fixed_header)) return failed(IpStatus::truncated, "IPv6 header cut off by the capture");

    std::uint32_t datagram_length = ipv6::fixed_header + be16(packet, ipv6::payload_length);
    if (be16(packet, ipv6::payload_length) == 0) {
        // A jumbogram (RFC 2675) or a TSO capture: the frame tells the length.
        datagram_length = wire_length;
    }
    datagram_length = std::min(datagram_length, wire_length);

    IpPacket out;
    out.src.version = out.dst.version = 6;
    std::copy_n(reinterpret_cast<const std::uint8_t*>(packet.data()) + ipv6::src, 16, out.src.bytes.begin());
    std::copy_n(reinterpret_cast<const std::uint8_t*>(packet.data()) + ipv6::dst, 16, out.dst.bytes.begin());
    out.ttl = be8(packet, ipv6::hop_limit);

    std::uint8_t next = be8(packet, ipv6::next_header);
    std::size_t offset = ipv6::fixed_header;
    // Walk the extension headers. Each is | next header | length | ... |; the
    // length counts 8-byte units beyond the first 8 (4-byte units beyond the
    // first 8 for AH), and the fragment header is always 8 bytes.
    for (int guard = 0; guard < 32; ++guard) {
        const bool is_extension = next == ipv6::hop_by_hop || next == ipv6::routing || next == ipv6::fragment ||
                                  next == ipv6::auth || next == ipv6::destination_options || next == ipv6::mobility ||
                                  next == ipv6::host_identity || next == ipv6::shim6;
        if (!is_extension) break;
        if (!has(packet, offset, 8)) return failed(IpStatus::truncated, "IPv6 extension header cut off by the capture");
        std::size_t length = 0;
        if (next == ipv6::fragment) {
            length = 8;
            const std::uint16_t offset_flags = be16(packet, offset + 2);
            const bool more = (offset_flags & 0x0001) != 0;
            const std::uint16_t fragment_offset = offset_flags >> 3;
            // An "atomic fragment" (offset 0, no more) is a whole datagram.
            out.is_fragment = more || fragment_offset != 0;
        } else if (next == ipv6::auth) {
            length = (be8(packet, offset + 1) + 2u) * 4u;
        } else {
            length = (be8(packet, offset + 1) + 1u) * 8u;
        }
        if (offset + length > datagram_length)
            return failed(IpStatus::malformed, "IPv6 extension header runs past the payload length");
        next = be8(packet, offset);
        offset += length;
        if (out.is_fragment) break;  // what follows a non-first fragment is not a header
    }

    out.protocol = next;
    out.header_length = static_cast<std::uint16_t>(offset);
    if (offset > datagram_length) return failed(IpStatus::malformed, "IPv6 headers longer than the datagram");
    out.payload_length = datagram_length - static_cast<std::uint32_t>(offset);
    out.payload = captured_payload(packet, offset, datagram_length);
    return out;
}

}  // namespace tcpviz
