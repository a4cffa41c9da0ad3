#include "tcpviz/packet.h"

namespace tcpviz {

DecodedPacket decode_packet(int link_type, const PacketRecord& record) {
    DecodedPacket out;
    out.link = parse_link(link_type, record.data);
    switch (out.link.status) {
        case LinkStatus::ok: break;
        case LinkStatus::not_ip: out.kind = PacketKind::not_ip; return out;
        case LinkStatus::truncated: out.problem = "link header cut off by the capture"; return out;
        case LinkStatus::unsupported_link: out.problem = "unsupported link type"; return out;
    }

    const Bytes network = tail(record.data, out.link.header_length);
    const std::uint32_t wire = record.wire_length > out.link.header_length
                                   ? record.wire_length - static_cast<std::uint32_t>(out.link.header_length)
                                   : 0;
    out.ip = out.link.network == NetworkProtocol::ipv4 ? parse_ipv4(network, wire) : parse_ipv6(network, wire);
    if (out.ip.status != IpStatus::ok) {
        out.problem = out.ip.problem;
        return out;
    }
    if (out.ip.is_fragment) {
        out.kind = PacketKind::ip_fragment;
        return out;
    }
    if (out.ip.protocol != ip_protocol_tcp) {
        out.kind = PacketKind::not_tcp;
        return out;
    }

    out.segment_length = out.ip.payload_length;
    out.tcp = parse_tcp(out.ip.payload, out.segment_length);
    out.problem = out.tcp.problem;
    if (out.tcp.captured_header_bytes < tcp_field_end::ports) {
        // Not even the ports were captured (snaplen 60 on `-i any` with IPv6
        // leaves no TCP header at all). Wireshark shows no TCP layer for such
        // a frame; it is counted as undecodable, not made an empty segment.
        out.problem = "TCP header cut off before the ports";
        return out;
    }
    out.kind = PacketKind::tcp;
    const std::size_t header_length = out.tcp.header.header_length;
    if (out.tcp.captured_header_bytes >= tcp_field_end::flags && header_length >= tcp_field_end::fixed &&
        header_length <= out.segment_length) {
        out.payload = tail(out.ip.payload, header_length);
    }
    return out;
}

}  // namespace tcpviz
