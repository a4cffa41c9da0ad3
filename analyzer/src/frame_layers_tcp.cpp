// The transport layer of decode_layers(): the TCP header (diagram in
// tcp_header.h), each option as a layer of its own, then the payload. The
// option boundaries are parse_tcp's (its entries, in order), so a cut or
// impossible option ends the list exactly where the timeline's does.
#include "layer_builder.h"
#include "tcpviz/tcp_header.h"

#include <algorithm>

namespace tcpviz::layers_detail {
namespace {

// The value fields of one option whose length its RFC allows.
void add_option_values(LayerBuilder& b, const TcpOptionEntry& entry, std::size_t at) {
    const std::size_t data = at + 2;
    switch (entry.kind) {
        case tcp_option_kind::mss: b.number("tcp.options.mss_val", data, 2); return;
        case tcp_option_kind::window_scale: b.number("tcp.options.wscale.shift", data, 1); return;
        case tcp_option_kind::sack_permitted: return;
        case tcp_option_kind::sack:
            for (std::size_t edge = data; edge + 8 <= at + entry.length; edge += 8) {
                b.number("tcp.options.sack_le", edge, 4);
                b.number("tcp.options.sack_re", edge + 4, 4);
            }
            return;
        case tcp_option_kind::timestamps:
            b.number("tcp.options.timestamp.tsval", data, 4);
            b.number("tcp.options.timestamp.tsecr", data + 4, 4);
            return;
        default:
            if (entry.length > 2) b.field("tcp.option_data", FieldFormat::bytes, data, entry.length - 2u);
    }
}

// Options in [from, to): one layer per entry parse_tcp found, then whatever
// is left of the area (padding after EOL, or bytes after an impossible length).
void add_options(LayerBuilder& b, int tcp, const TcpOptions& options, std::size_t from, std::size_t to) {
    std::size_t at = from;
    for (std::uint8_t i = 0; i < options.entry_count && at < to; ++i) {
        const TcpOptionEntry& entry = options.entries[i];
        // An impossible length (0, 1, past the header) covers the rest of the area.
        const std::size_t length =
            entry.length < 2 && entry.kind > 1 ? to - at : std::min<std::size_t>(entry.length, to - at);
        const int layer = b.open(LayerKind::tcp_option, tcp, at, length, entry.kind);
        b.number("tcp.option_kind", at, 1);
        if (length > 1) b.number("tcp.option_len", at + 1, 1);
        if (entry.valid && has(b.frame(), at, length)) add_option_values(b, entry, at);
        else if (!entry.valid) b.problem(layer, "option with a length its RFC does not allow");
        at += length;
    }
    if (at < to) {
        const bool clean = !options.truncated && !options.malformed;
        // (The TCP layer already says why a list ended early.)
        b.open(LayerKind::tcp_option, tcp, at, to - at, options_rest);
        b.field(clean ? "tcp.options.padding" : "tcp.options.undecoded", FieldFormat::bytes, at, to - at);
    }
}

}  // namespace

void add_tcp(LayerBuilder& b, int parent, std::size_t offset, std::uint32_t segment_length, FrameLayers& out) {
    const TcpDecode tcp = parse_tcp(tail(b.frame(), offset), segment_length);
    out.is_tcp = true;
    const std::size_t header_length = tcp.header.header_length >= 20 ? tcp.header.header_length : 20;
    const int layer = b.open(LayerKind::tcp, parent, offset, header_length);
    b.number("tcp.srcport", offset, 2);
    b.number("tcp.dstport", offset + 2, 2);
    b.number("tcp.seq_raw", offset + 4, 4);
    b.number("tcp.ack_raw", offset + 8, 4);
    b.bits("tcp.hdr_len", offset + 12, 1, 0, 4);
    b.bits("tcp.flags.res", offset + 12, 2, 4, 3);
    b.bits("tcp.flags", offset + 12, 2, 7, 9, FieldFormat::hex);
    b.number("tcp.window_size_value", offset + 14, 2);
    b.hex("tcp.checksum", offset + 16, 2);
    b.number("tcp.urgent_pointer", offset + 18, 2);
    if (tcp.status != TcpStatus::ok) b.problem(layer, tcp.problem);
    if (tcp.status == TcpStatus::malformed && !tcp.header.options.malformed) return;
    if (header_length > 20) add_options(b, layer, tcp.header.options, offset + 20, offset + header_length);
    if (tcp.status == TcpStatus::truncated) return;
    // The payload: what the application wrote, as far as it was captured.
    if (segment_length > header_length) {
        const std::size_t length = segment_length - header_length;
        const std::size_t at = offset + header_length;
        b.open(LayerKind::payload, layer, at, length);
        const std::size_t captured = at < b.frame().size() ? std::min(length, b.frame().size() - at) : 0;
        if (captured > 0) b.field("tcp.payload", FieldFormat::bytes, at, captured);
    }
}

}  // namespace tcpviz::layers_detail
