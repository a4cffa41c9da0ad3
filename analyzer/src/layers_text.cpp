#include "tcpviz/layers_text.h"

#include <cstdio>

#include "tcpviz/ip_address.h"
#include "tcpviz/layer_names.h"
#include "tcpviz/timeline_writer.h"
#include "tcpviz/utf8.h"

namespace tcpviz {
namespace {

constexpr std::size_t name_columns = 46;  // indent + field name
constexpr std::size_t value_columns = 26;
constexpr std::size_t offset_columns = 10;
constexpr std::size_t dump_width = 16;  // payload bytes per hex-dump line

void pad_to(std::string& out, std::string_view text, std::size_t columns) {
    out += text;
    const std::size_t width = utf8::display_width(text);
    out.append(width < columns ? columns - width : 1, ' ');
}

std::string hex_bytes(Bytes frame, std::size_t offset, std::size_t length) {
    std::string out;
    char buf[4];
    for (std::size_t i = 0; i < length && offset + i < frame.size(); ++i) {
        std::snprintf(buf, sizeof buf, "%02x", be8(frame, offset + i));
        if (i) out += ' ';
        out += buf;
    }
    return out;
}

// The bits of a bit field in the bytes that hold it, Wireshark's way:
// "0101 ...." for the high nibble of a byte.
std::string bit_picture(Bytes frame, const LayerField& f) {
    std::string out;
    for (std::size_t bit = 0; bit < f.length * 8u; ++bit) {
        if (bit && bit % 4 == 0) out += ' ';
        const bool inside = bit >= f.first_bit && bit < f.first_bit + f.bit_count;
        if (!inside) {
            out += '.';
            continue;
        }
        const std::uint8_t byte = be8(frame, f.offset + bit / 8);
        out += ((byte >> (7 - bit % 8)) & 1) ? '1' : '0';
    }
    return out;
}

std::string_view protocol_name(std::uint64_t number) {
    switch (number) {
        case 0: return "IPv6 hop-by-hop";
        case 1: return "ICMP";
        case 6: return "TCP";
        case 17: return "UDP";
        case 43: return "IPv6 routing";
        case 44: return "IPv6 fragment";
        case 58: return "ICMPv6";
        case 59: return "none";
        case 60: return "IPv6 destination options";
        default: return {};
    }
}

// IPv4 option types (IANA "IP Option Numbers", the common ones).
std::string_view ipv4_option_name(std::uint32_t type) {
    switch (type) {
        case 0: return "EOL";
        case 1: return "NOP";
        case 7: return "record route";
        case 68: return "timestamp";
        case 130: return "security";
        case 131: return "loose source route";
        case 137: return "strict source route";
        case 148: return "router alert";
        default: return {};
    }
}

std::string_view ethertype_name(std::uint64_t type) {
    switch (type) {
        case 0x0800: return "IPv4";
        case 0x86DD: return "IPv6";
        case 0x0806: return "ARP";
        case 0x8100: return "802.1Q";
        case 0x88A8: return "802.1ad";
        default: return {};
    }
}

// The value as it reads, with what it means where a number alone says little.
std::string field_value(Bytes frame, const LayerField& f, Lang lang) {
    if (!f.captured) return std::string(layer_word("not_captured", lang));
    char buf[64];
    switch (f.format) {
        case FieldFormat::number:
            std::snprintf(buf, sizeof buf, "%llu", static_cast<unsigned long long>(f.value));
            break;
        case FieldFormat::hex: {
            const int digits = f.bit_count ? (f.bit_count + 3) / 4 : static_cast<int>(f.length) * 2;
            std::snprintf(buf, sizeof buf, "0x%0*llx", digits, static_cast<unsigned long long>(f.value));
            break;
        }
        case FieldFormat::mac: {
            std::string mac = hex_bytes(frame, f.offset, f.length);
            for (char& c : mac)
                if (c == ' ') c = ':';
            return mac;
        }
        case FieldFormat::ipv4:
        case FieldFormat::ipv6: {
            IpAddress a;
            a.version = f.format == FieldFormat::ipv4 ? 4 : 6;
            for (std::size_t i = 0; i < a.size(); ++i) a.bytes[i] = be8(frame, f.offset + i);
            return a.to_string();
        }
        case FieldFormat::bytes:
            return fill_placeholders(layer_word("bytes_word", lang), {{"n", std::to_string(f.length)}});
    }
    std::string out = buf;
    std::string_view meaning;
    if (f.id == "eth.type" || f.id == "sll.etype") meaning = ethertype_name(f.value);
    if (f.id == "ip.proto" || f.id == "ipv6.nxt" || f.id == "ipv6.ext.nxt") meaning = protocol_name(f.value);
    if (f.id == "ip.hdr_len" || f.id == "tcp.hdr_len") {
        return out + " (" +
               fill_placeholders(layer_word("words", lang), {{"n", out}, {"bytes", std::to_string(f.value * 4)}}) + ")";
    }
    if (f.id == "tcp.flags") {
        const std::string names = flag_names(static_cast<std::uint16_t>(f.value), ',');
        return out + " (" + (names.empty() ? "-" : names) + ")";
    }
    if (!meaning.empty()) out += " (" + std::string(meaning) + ")";
    return out;
}

std::string offsets(std::uint32_t offset, std::uint32_t length) {
    if (length <= 1) return std::to_string(offset);
    return std::to_string(offset) + "\u2013" + std::to_string(offset + length - 1);
}

int depth_of(const FrameLayers& layers, std::size_t index) {
    int depth = 0;
    for (int p = layers.layers[index].parent; p >= 0; p = layers.layers[static_cast<std::size_t>(p)].parent) ++depth;
    return depth;
}

void append_dump(std::string& out, Bytes frame, const LayerField& f, std::size_t indent) {
    for (std::size_t row = 0; row < f.length; row += dump_width) {
        out.append(indent, ' ');
        char buf[16];
        std::snprintf(buf, sizeof buf, "%5u  ", static_cast<unsigned>(f.offset + row));
        out += buf;
        const std::size_t n = std::min<std::size_t>(dump_width, f.length - row);
        std::string hex = hex_bytes(frame, f.offset + row, n);
        hex.resize(dump_width * 3, ' ');
        out += hex;
        // Printable ASCII as it is, everything else a dot: nothing a terminal obeys.
        for (std::size_t i = 0; i < n; ++i) {
            const std::uint8_t c = be8(frame, f.offset + row + i);
            out += c >= 0x20 && c < 0x7F ? static_cast<char>(c) : '.';
        }
        out += '\n';
    }
}

void append_field(std::string& out, Bytes frame, const LayerField& f, std::size_t indent, Lang lang) {
    std::string line(indent, ' ');
    pad_to(line, field_name(f.id, lang), name_columns > indent ? name_columns - indent : 1);
    pad_to(line, field_value(frame, f, lang), value_columns);
    pad_to(line, offsets(f.offset, f.length), offset_columns);
    if (f.captured && f.bit_count) line += bit_picture(frame, f);
    else if (f.captured && f.format != FieldFormat::bytes) line += hex_bytes(frame, f.offset, f.length);
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line;
    out += '\n';
    if (f.captured && f.format == FieldFormat::bytes) append_dump(out, frame, f, indent + 2);
}

std::string layer_heading(const FrameLayers& layers, const Layer& layer, Lang lang) {
    std::string title(layer_title(layer.kind, lang));
    if (layer.kind == LayerKind::tcp_option) {
        const std::string_view name = tcp_option_name(layer.type, lang);
        if (layer.type == options_rest && layer.field_count) {
            title = std::string(field_name(layers.fields[layer.first_field].id, lang));
        } else if (!name.empty()) title += ": " + std::string(name);
        else title += " " + std::string(layer_word("kind", lang)) + " " + std::to_string(layer.type);
    } else if (layer.kind == LayerKind::ipv4_option || layer.kind == LayerKind::ipv6_extension) {
        const std::string_view name =
            layer.kind == LayerKind::ipv4_option ? ipv4_option_name(layer.type) : protocol_name(layer.type);
        title += " " + std::to_string(layer.type);
        if (!name.empty()) title += " (" + std::string(name) + ")";
    }
    return title;
}

}  // namespace

std::string fill_placeholders(std::string_view text,
                              std::initializer_list<std::pair<std::string_view, std::string>> values) {
    std::string out(text);
    for (const auto& [name, value] : values) {
        const std::string key = "{" + std::string(name) + "}";
        for (std::size_t at = out.find(key); at != std::string::npos; at = out.find(key, at + value.size())) {
            out.replace(at, key.size(), value);
        }
    }
    return out;
}

void append_layers_text(std::string& out, const LayersFrameInfo& info, const FrameLayers& layers, Bytes frame,
                        Lang lang) {
    char t[32];
    std::snprintf(t, sizeof t, "t=%.6f", info.t);
    out += "# tcpviz layers: " + utf8::make_visible(info.file) + ", " + std::string(layer_word("frame", lang)) + " " +
           std::to_string(info.frame) + ", " + t + ": " +
           fill_placeholders(layer_word("captured_of", lang), {{"captured", std::to_string(layers.captured)},
                                                               {"wire", std::to_string(layers.wire_length)}}) +
           "\n";
    if (info.chosen_by_default) out += "# (" + std::string(layer_word("default_frame", lang)) + ")\n";
    if (!layers.is_tcp) out += "# " + std::string(layer_word("not_tcp_frame", lang)) + "\n";
    out += '\n';
    for (std::size_t i = 0; i < layers.layers.size(); ++i) {
        const Layer& layer = layers.layers[i];
        const std::size_t indent = static_cast<std::size_t>(depth_of(layers, i)) * 2;
        std::string line(indent, ' ');
        pad_to(line, layer_heading(layers, layer, lang), name_columns + value_columns - indent);
        line += std::string(layer_word("bytes", lang)) + " " + offsets(layer.offset, layer.length) + " (" +
                std::to_string(layer.length) + ")";
        out += line + '\n';
        for (std::uint32_t k = 0; k < layer.field_count; ++k) {
            append_field(out, frame, layers.fields[layer.first_field + k], indent + 2, lang);
        }
        if (layer.captured < layer.length) {
            out.append(indent + 2, ' ');
            out += "! " +
                   fill_placeholders(layer_word("cut", lang), {{"captured", std::to_string(layer.captured)},
                                                               {"length", std::to_string(layer.length)}}) +
                   "\n";
        }
        if (!layer.problem.empty()) {
            out.append(indent + 2, ' ');
            out += "! " + std::string(problem_text(layer.problem, lang)) + "\n";
        }
    }
}

}  // namespace tcpviz
