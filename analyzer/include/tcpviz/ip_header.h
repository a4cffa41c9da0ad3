// IPv4 and IPv6 headers: find the transport payload, its protocol and its
// length as the IP header states it.
//
// Two lengths matter and are kept apart:
//   - `payload` holds the bytes that were captured (a snaplen may cut them);
//   - `payload_length` is how long the payload was on the wire, from the IP
//     length field, trimmed to the frame's wire length (Ethernet padding and
//     bogus lengths never make a segment longer than the frame).
#pragma once

#include <cstdint>
#include <string_view>

#include "tcpviz/bytes.h"
#include "tcpviz/ip_address.h"

namespace tcpviz {

enum class IpStatus : std::uint8_t {
    ok,
    truncated,  // the capture ended inside the IP header or its extension headers
    malformed,  // the header contradicts itself (bad version, header length, total length)
};

struct IpPacket {
    IpStatus status = IpStatus::ok;
    std::string_view problem;  // why status is not ok, for the timeline
    IpAddress src;
    IpAddress dst;
    std::uint8_t protocol = 0;         // the upper-layer protocol (6 = TCP) after IPv6 extension headers
    bool is_fragment = false;          // a piece of a fragmented datagram (not the atomic case)
    std::uint8_t ttl = 0;              // TTL or hop limit
    std::uint16_t header_length = 0;   // including IPv4 options / IPv6 extension headers
    std::uint32_t payload_length = 0;  // on the wire, see above
    Bytes payload;                     // captured bytes of the payload
};

inline constexpr std::uint8_t ip_protocol_tcp = 6;

// `packet` starts at the IP header; `wire_length` is how many bytes from that
// point were on the wire (the frame's original length minus the link header).
IpPacket parse_ipv4(Bytes packet, std::uint32_t wire_length);
IpPacket parse_ipv6(Bytes packet, std::uint32_t wire_length);

}  // namespace tcpviz
