// One captured frame decoded down to its TCP segment.
//
// The capture layer hands the analyzer plain records (timestamp, captured
// bytes, wire length); this is the pure function that turns one record into
// values, with no state and no libpcap.
#pragma once

#include <cstdint>
#include <string_view>

#include "tcpviz/bytes.h"
#include "tcpviz/ip_header.h"
#include "tcpviz/link_layer.h"
#include "tcpviz/tcp_header.h"

namespace tcpviz {

// The latest time a record may carry, in seconds since 1970 (in 2262): the
// analyzer counts time in int64 nanoseconds, and clamps a record's time to
// [0, max_record_seconds] so that no arithmetic on it can overflow.
inline constexpr std::int64_t max_record_seconds = 9'223'372'035;

// A frame as libpcap delivers it.
struct PacketRecord {
    std::int64_t ts_sec = 0;
    std::int32_t ts_nsec = 0;       // nanoseconds within the second
    std::uint32_t wire_length = 0;  // original length on the wire
    Bytes data;                     // captured bytes (caplen of them)
};

enum class PacketKind : std::uint8_t {
    tcp,          // a TCP segment (maybe truncated or malformed, see DecodedPacket)
    not_ip,       // ARP, LLC, anything that is not IPv4/IPv6
    not_tcp,      // IP carrying UDP, ICMP ...
    ip_fragment,  // a fragment of an IP datagram: counted and skipped
    undecodable,  // the link or IP header is cut off or malformed
};

struct DecodedPacket {
    PacketKind kind = PacketKind::undecodable;
    std::string_view problem;  // why a frame is undecodable, or what is wrong with its TCP header
    LinkDecode link;
    IpPacket ip;
    TcpDecode tcp;
    std::uint32_t segment_length = 0;  // TCP header + data on the wire (from IP)
    Bytes payload;                     // captured TCP payload bytes
};

DecodedPacket decode_packet(int link_type, const PacketRecord& record);

}  // namespace tcpviz
