// The TCP header and its options (RFC 9293 section 3.1, RFC 7323, RFC 2018),
// decoded from captured bytes into plain values.
//
//  0                   1                   2                   3
// |          Source Port          |       Destination Port        |
// |                        Sequence Number                        |
// |                    Acknowledgment Number                      |
// |  Data |       |A|C|E|U|A|P|R|S|F|                             |
// | Offset| Rsrvd |E|W|C|R|C|S|S|Y|I|            Window           |
// |           Checksum            |         Urgent Pointer        |
// |                    Options (0 to 40 bytes)                    |
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "tcpviz/bytes.h"
#include "tcpviz/seq_num.h"

namespace tcpviz {

namespace tcp_flag {
inline constexpr std::uint16_t fin = 0x001;
inline constexpr std::uint16_t syn = 0x002;
inline constexpr std::uint16_t rst = 0x004;
inline constexpr std::uint16_t psh = 0x008;
inline constexpr std::uint16_t ack = 0x010;
inline constexpr std::uint16_t urg = 0x020;
inline constexpr std::uint16_t ece = 0x040;
inline constexpr std::uint16_t cwr = 0x080;
inline constexpr std::uint16_t ae = 0x100;  // "NS" in RFC 3540, "AE" in AccECN
}  // namespace tcp_flag

namespace tcp_option_kind {
inline constexpr std::uint8_t end_of_list = 0;
inline constexpr std::uint8_t nop = 1;
inline constexpr std::uint8_t mss = 2;
inline constexpr std::uint8_t window_scale = 3;
inline constexpr std::uint8_t sack_permitted = 4;
inline constexpr std::uint8_t sack = 5;
inline constexpr std::uint8_t timestamps = 8;
}  // namespace tcp_option_kind

struct SackBlock {
    std::uint32_t left = 0;   // first sequence number of the block
    std::uint32_t right = 0;  // sequence number just past the block
    friend bool operator==(const SackBlock&, const SackBlock&) = default;
};

struct TcpTimestamps {
    std::uint32_t value = 0;  // TSval
    std::uint32_t echo = 0;   // TSecr
    friend bool operator==(const TcpTimestamps&, const TcpTimestamps&) = default;
};

// One option as it appeared, in order: NOP and EOL included, unknown kinds
// kept as kind + length. `valid` is false when a known kind has a length its
// RFC does not allow.
struct TcpOptionEntry {
    std::uint8_t kind = 0;
    std::uint8_t length = 0;  // 1 for NOP and EOL
    bool valid = true;
    friend bool operator==(const TcpOptionEntry&, const TcpOptionEntry&) = default;
};

struct TcpOptions {
    std::optional<std::uint16_t> mss;
    std::optional<std::uint8_t> window_scale;  // the shift as sent (may exceed 14)
    bool sack_permitted = false;
    std::array<SackBlock, 4> sack{};
    std::uint8_t sack_count = 0;
    std::optional<TcpTimestamps> timestamps;

    // The options area is at most 40 bytes, so at most 40 entries.
    std::array<TcpOptionEntry, 40> entries{};
    std::uint8_t entry_count = 0;

    bool truncated = false;  // the capture ended inside the options
    bool malformed = false;  // an option length is impossible
    std::string_view problem;

    friend bool operator==(const TcpOptions&, const TcpOptions&) = default;
};

struct TcpHeader {
    std::uint16_t src_port = 0;
    std::uint16_t dst_port = 0;
    SeqNum seq;
    SeqNum ack;
    std::uint8_t header_length = 0;  // data offset * 4, as the header says
    std::uint16_t flags = 0;         // tcp_flag bits
    // The three reserved bits before AE (RFC 9293: must be zero). A real stack
    // never sets them, so a segment that has them was crafted or injected.
    std::uint8_t reserved = 0;
    std::uint16_t window = 0;  // raw, before any scaling
    std::uint16_t checksum = 0;
    std::uint16_t urgent = 0;
    TcpOptions options;

    bool has(std::uint16_t flag) const { return (flags & flag) != 0; }
    friend bool operator==(const TcpHeader&, const TcpHeader&) = default;
};

enum class TcpStatus : std::uint8_t {
    ok,
    truncated,  // the capture ended inside the header or its options
    malformed,  // the data offset is below 5 words or runs past the segment
};

// Which fixed fields were captured. A header cut by a small snaplen still
// yields the fields before the cut.
namespace tcp_field_end {
inline constexpr std::size_t ports = 4;
inline constexpr std::size_t seq = 8;
inline constexpr std::size_t ack = 12;
inline constexpr std::size_t flags = 14;
inline constexpr std::size_t window = 16;
inline constexpr std::size_t checksum = 18;
inline constexpr std::size_t fixed = 20;
}  // namespace tcp_field_end

struct TcpDecode {
    TcpStatus status = TcpStatus::ok;
    std::string_view problem;
    TcpHeader header;
    std::size_t captured_header_bytes = 0;  // how much of the fixed 20 bytes is present
    friend bool operator==(const TcpDecode&, const TcpDecode&) = default;
};

// Decodes a TCP header from `segment` (captured bytes starting at the TCP
// header). `segment_length` is the segment's length on the wire, from IP.
TcpDecode parse_tcp(Bytes segment, std::uint32_t segment_length);

// Decodes an options area. `declared_length` is header length - 20; the
// captured `area` may be shorter when the snaplen cut it.
TcpOptions parse_tcp_options(Bytes area, std::size_t declared_length);

}  // namespace tcpviz
