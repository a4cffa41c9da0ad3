// One captured frame as nested layers, every header field named with the
// bytes it covers: what the layers lesson (the OSI and TCP/IP models) shows
// with `tcpviz analyze CAPTURE --format layers --frame N`.
//
//   Ethernet II / Linux cooked (SLL, SLL2) / BSD loopback     link layer
//     IPv4 (+ options) / IPv6 (+ extension headers)           network layer
//       TCP (+ options)                                       transport layer
//         payload                                             the application's bytes
//
// This is the decode layer: a pure function from bytes to values. Field ids
// are Wireshark's display-filter names ("ip.ttl", "tcp.srcport"), so that a
// student can type them into Wireshark; their English and Chinese names live
// in the write layer (analyzer/layer_names.json), never here.
//
// The decisions (where IP starts, whether the segment is TCP, where the
// payload ends) are the analyzer's own parse_link / parse_ipv4 / parse_ipv6 /
// parse_tcp, so that the layers shown are exactly the ones the timeline used.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "tcpviz/bytes.h"

namespace tcpviz {

enum class LayerKind : std::uint8_t {
    ethernet,      // with its 802.1Q / 802.1ad tags' fields, if any
    linux_sll,     // Linux cooked capture v1 (`tcpdump -i any`, older libpcap)
    linux_sll2,    // Linux cooked capture v2
    bsd_loopback,  // DLT_NULL / DLT_LOOP: a 4-byte address family
    ipv4,
    ipv4_option,
    ipv6,
    ipv6_extension,  // one extension header (hop-by-hop, routing, fragment ...)
    tcp,
    tcp_option,
    payload,  // the TCP payload: the bytes the application wrote
    trailer,  // bytes after the IP datagram (Ethernet padding up to 60 bytes)
};

// The kind's id, as the names table (analyzer/layer_names.json) and the
// JSON output spell it: "ethernet", "linux_sll", "ipv4", "tcp_option" ...
std::string_view name_of(LayerKind kind);

// How a field's value reads.
enum class FieldFormat : std::uint8_t {
    number,  // unsigned decimal (value)
    hex,     // 0x.. (value): checksums, EtherTypes, option kinds
    mac,     // the bytes as aa:bb:cc:..
    ipv4,    // the 4 bytes as dotted decimal
    ipv6,    // the 16 bytes as RFC 5952 text
    bytes,   // raw bytes (option data, payload): shown as hex
};

struct LayerField {
    std::string_view id;  // Wireshark display-filter name, e.g. "tcp.window_size_value"
    FieldFormat format = FieldFormat::number;
    std::uint32_t offset = 0;    // first byte in the frame
    std::uint32_t length = 0;    // bytes covered (for a bit field, the bytes that hold it)
    std::uint8_t first_bit = 0;  // bit fields: first bit, 0 = most significant bit of `offset`
    std::uint8_t bit_count = 0;  // 0: the field is whole bytes
    std::uint64_t value = 0;     // number and hex fields (the bits, shifted down)
    bool captured = true;        // false: the capture ended before the field's last byte

    friend bool operator==(const LayerField&, const LayerField&) = default;
};

struct Layer {
    LayerKind kind = LayerKind::payload;
    int parent = -1;                // index of the enclosing layer, -1 for the outermost
    std::uint32_t offset = 0;       // first byte in the frame
    std::uint32_t length = 0;       // bytes the header says it has (may run past the capture)
    std::uint32_t captured = 0;     // of those, how many were captured
    std::uint32_t first_field = 0;  // its fields: FrameLayers::fields[first_field, +field_count)
    std::uint32_t field_count = 0;
    std::uint32_t type = 0;    // option kind, extension header number: which one this is
                               // (options_rest: the bytes after the last option)
    std::string_view problem;  // why decoding stopped in (or after) this layer, in English

    friend bool operator==(const Layer&, const Layer&) = default;
};

// Layer::type of the bytes after a TCP option list: padding after EOL, or
// what could not be decoded.
inline constexpr std::uint32_t options_rest = 0xFFFF'FFFFu;

struct FrameLayers {
    std::vector<Layer> layers;  // outermost first, each after its parent
    std::vector<LayerField> fields;
    std::uint32_t captured = 0;     // bytes in the capture
    std::uint32_t wire_length = 0;  // bytes on the wire
    bool is_tcp = false;            // a TCP header was found (maybe cut)

    friend bool operator==(const FrameLayers&, const FrameLayers&) = default;
};

// Decodes `frame` (captured bytes of one record, of libpcap link type
// `link_type`) into its layers. Never reads past the captured bytes: a cut
// frame gives the layers and fields as far as they were captured, later
// fields marked not captured.
FrameLayers decode_layers(int link_type, Bytes frame, std::uint32_t wire_length);

}  // namespace tcpviz
