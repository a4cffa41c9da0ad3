#include "tcpviz/tcp_header.h"

#include <algorithm>

namespace tcpviz {
namespace {

namespace field {
constexpr std::size_t src_port = 0;
constexpr std::size_t dst_port = 2;
constexpr std::size_t seq = 4;
constexpr std::size_t ack = 8;
constexpr std::size_t offset_flags = 12;
constexpr std::size_t window = 14;
constexpr std::size_t checksum = 16;
constexpr std::size_t urgent = 18;
constexpr std::size_t options = 20;
}  // namespace field

constexpr std::uint16_t flags_mask = 0x01FF;
constexpr int reserved_shift = 9;  // | data offset:4 | reserved:3 | AE CWR ECE URG ACK PSH RST SYN FIN |
constexpr std::uint16_t reserved_mask = 0x7;

void add_entry(TcpOptions& options, std::uint8_t kind, std::uint8_t length, bool valid) {
    if (options.entry_count < options.entries.size()) {
        options.entries[options.entry_count++] = TcpOptionEntry{kind, length, valid};
    }
}

void cut_off(TcpOptions& out) {
    out.truncated = true;
    out.problem = "options cut off by the capture";
}

void malformed(TcpOptions& out, std::string_view problem) {
    out.malformed = true;
    out.problem = problem;
}

// The SACK blocks whole in area[from, end) (RFC 2018: 8 bytes each, at most 4).
void read_sack_blocks(TcpOptions& out, Bytes area, std::size_t from, std::size_t end) {
    out.sack_count = 0;
    for (std::size_t at = from; at + 8 <= end && out.sack_count < out.sack.size(); at += 8) {
        out.sack[out.sack_count++] = SackBlock{be32(area, at), be32(area, at + 4)};
    }
}

// One option captured whole, at `offset` with `length` bytes: its value into
// `out`. False when the length is one its RFC does not allow.
bool read_option(TcpOptions& out, Bytes area, std::size_t offset, std::uint8_t kind, std::uint8_t length) {
    const std::size_t data = offset + 2;
    switch (kind) {
        case tcp_option_kind::mss:  // RFC 9293 3.2: length 4
            if (length != 4) return false;
            out.mss = be16(area, data);
            return true;
        case tcp_option_kind::window_scale:  // RFC 7323 2.2: length 3
            if (length != 3) return false;
            out.window_scale = be8(area, data);
            return true;
        case tcp_option_kind::sack_permitted:  // RFC 2018: length 2
            if (length != 2) return false;
            out.sack_permitted = true;
            return true;
        case tcp_option_kind::sack:  // RFC 2018: 2 + 8n, at most 4 blocks in 40 bytes
            if (length < 10 || (length - 2) % 8 != 0) return false;
            read_sack_blocks(out, area, data, offset + length);
            return true;
        case tcp_option_kind::timestamps:  // RFC 7323 3.2: length 10
            if (length != 10) return false;
            out.timestamps = TcpTimestamps{be32(area, data), be32(area, data + 4)};
            return true;
        default: return true;  // unknown kinds are kept as kind + length
    }
}

}  // namespace

TcpOptions parse_tcp_options(Bytes area, std::size_t declared_length) {
    TcpOptions out;
    const std::size_t captured = std::min(area.size(), declared_length);
    std::size_t offset = 0;
    while (offset < declared_length) {
        if (offset >= captured) {
            cut_off(out);
            break;
        }
        const std::uint8_t kind = be8(area, offset);
        if (kind == tcp_option_kind::end_of_list) {
            add_entry(out, kind, 1, true);
            break;  // RFC 9293: nothing after End of Option List is an option
        }
        if (kind == tcp_option_kind::nop) {
            add_entry(out, kind, 1, true);
            ++offset;
            continue;
        }
        // Every other option is | kind | length | data |, length counting all three.
        if (offset + 1 >= declared_length) {
            malformed(out, "option length byte missing");
            break;
        }
        if (offset + 1 >= captured) {
            cut_off(out);
            break;
        }
        const std::uint8_t length = be8(area, offset + 1);
        if (length < 2 || offset + length > declared_length) {
            malformed(out, length < 2 ? "option length below 2" : "option runs past the header");
            add_entry(out, kind, length, false);
            break;
        }
        if (offset + length > captured) {
            cut_off(out);
            add_entry(out, kind, length, true);
            // The blocks captured whole still count, as in Wireshark, which
            // reads them one by one until the capture ends.
            if (kind == tcp_option_kind::sack) read_sack_blocks(out, area, offset + 2, captured);
            break;
        }
        const bool valid = read_option(out, area, offset, kind, length);
        if (!valid) malformed(out, "option with a length its RFC does not allow");
        add_entry(out, kind, length, valid);
        offset += length;
    }
    return out;
}

TcpDecode parse_tcp(Bytes segment, std::uint32_t segment_length) {
    TcpDecode out;
    TcpHeader& h = out.header;
    out.captured_header_bytes = std::min(segment.size(), tcp_field_end::fixed);
    const std::size_t n = out.captured_header_bytes;
    if (n >= tcp_field_end::ports) {
        h.src_port = be16(segment, field::src_port);
        h.dst_port = be16(segment, field::dst_port);
    }
    if (n >= tcp_field_end::seq) h.seq = be32(segment, field::seq);
    if (n >= tcp_field_end::ack) h.ack = be32(segment, field::ack);
    if (n >= tcp_field_end::flags) {
        const std::uint16_t offset_flags = be16(segment, field::offset_flags);
        h.header_length = static_cast<std::uint8_t>((offset_flags >> 12) * 4);
        h.flags = offset_flags & flags_mask;
        h.reserved = static_cast<std::uint8_t>((offset_flags >> reserved_shift) & reserved_mask);
    }
    if (n >= tcp_field_end::window) h.window = be16(segment, field::window);
    if (n >= tcp_field_end::checksum) h.checksum = be16(segment, field::checksum);
    if (n >= tcp_field_end::fixed) h.urgent = be16(segment, field::urgent);

    if (n < tcp_field_end::fixed) {
        out.status = TcpStatus::truncated;
        out.problem = "TCP header cut off by the capture";
        return out;
    }
    if (h.header_length < tcp_field_end::fixed) {
        out.status = TcpStatus::malformed;
        out.problem = "TCP data offset below 5 words";
        return out;
    }
    if (h.header_length > segment_length) {
        out.status = TcpStatus::malformed;
        out.problem = "TCP header longer than the segment";
        return out;
    }
    const std::size_t declared = h.header_length - field::options;
    if (declared > 0) {
        h.options = parse_tcp_options(tail(segment, field::options), declared);
        if (h.options.truncated) {
            out.status = TcpStatus::truncated;
            out.problem = h.options.problem;
        } else if (h.options.malformed) {
            out.status = TcpStatus::malformed;
            out.problem = h.options.problem;
        }
    }
    return out;
}

}  // namespace tcpviz
