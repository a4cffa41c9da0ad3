#include "tcpviz/link_layer.h"

namespace tcpviz {
namespace {

// EtherType values (IEEE registry).
constexpr std::uint16_t ethertype_ipv4 = 0x0800;
constexpr std::uint16_t ethertype_ipv6 = 0x86DD;
constexpr std::uint16_t ethertype_vlan = 0x8100;      // 802.1Q
constexpr std::uint16_t ethertype_qinq = 0x88A8;      // 802.1ad service tag
constexpr std::uint16_t ethertype_qinq_old = 0x9100;  // pre-standard QinQ
constexpr std::uint16_t ethertype_min = 0x0600;       // below: an 802.3 length, LLC follows

NetworkProtocol from_ethertype(std::uint16_t type) {
    switch (type) {
        case ethertype_ipv4: return NetworkProtocol::ipv4;
        case ethertype_ipv6: return NetworkProtocol::ipv6;
        default: return NetworkProtocol::other;
    }
}

LinkDecode with_ethertype(std::uint16_t type, std::size_t header_length) {
    LinkDecode out;
    out.header_length = header_length;
    out.network = from_ethertype(type);
    out.status = out.network == NetworkProtocol::other ? LinkStatus::not_ip : LinkStatus::ok;
    return out;
}

LinkDecode truncated() { return LinkDecode{.status = LinkStatus::truncated}; }

// Ethernet II: | dst 6 | src 6 | type 2 |, where a VLAN tag inserts
// | TPID 2 | TCI 2 | before the real type. Tags may be stacked (QinQ).
LinkDecode parse_ethernet(Bytes frame) {
    constexpr std::size_t type_offset = 12;
    constexpr std::size_t tag_length = 4;
    std::size_t offset = type_offset;
    std::uint16_t tags = 0;
    while (true) {
        if (!has(frame, offset, 2)) return truncated();
        const std::uint16_t type = be16(frame, offset);
        if (type == ethertype_vlan || type == ethertype_qinq || type == ethertype_qinq_old) {
            offset += tag_length;
            ++tags;
            continue;
        }
        LinkDecode out =
            type < ethertype_min ? LinkDecode{.status = LinkStatus::not_ip} : with_ethertype(type, offset + 2);
        out.vlan_tags = tags;
        return out;
    }
}

// Linux cooked capture v1: | pkttype 2 | hatype 2 | addrlen 2 | addr 8 | protocol 2 |
LinkDecode parse_sll(Bytes frame) {
    constexpr std::size_t protocol_offset = 14;
    constexpr std::size_t header_length = 16;
    if (!has(frame, 0, header_length)) return truncated();
    return with_ethertype(be16(frame, protocol_offset), header_length);
}

// Linux cooked capture v2: | protocol 2 | reserved 2 | ifindex 4 | hatype 2 |
//                          | pkttype 1 | addrlen 1 | addr 8 |
LinkDecode parse_sll2(Bytes frame) {
    constexpr std::size_t protocol_offset = 0;
    constexpr std::size_t header_length = 20;
    if (!has(frame, 0, header_length)) return truncated();
    return with_ethertype(be16(frame, protocol_offset), header_length);
}

// BSD loopback: a 4-byte address family. DLT_NULL stores it in the byte order
// of the machine that captured (so either order may appear); DLT_LOOP in
// network order. IPv6's AF_INET6 differs between systems (Linux 10,
// NetBSD/OpenBSD 24, FreeBSD 28, macOS 30).
LinkDecode parse_bsd_loopback(Bytes frame, bool network_order) {
    constexpr std::size_t header_length = 4;
    if (!has(frame, 0, header_length)) return truncated();
    std::uint32_t family = network_order ? be32(frame, 0) : le32(frame, 0);
    if (!network_order && (family & 0xFFFF0000u) != 0) family = __builtin_bswap32(family);
    LinkDecode out{.header_length = header_length};
    switch (family) {
        case 2: out.network = NetworkProtocol::ipv4; break;
        case 10:
        case 24:
        case 28:
        case 30: out.network = NetworkProtocol::ipv6; break;
        default: out.status = LinkStatus::not_ip; break;
    }
    return out;
}

// Raw IP: no link header; the version nibble says which IP.
LinkDecode parse_raw(Bytes frame) {
    if (!has(frame, 0, 1)) return truncated();
    LinkDecode out;
    switch (be8(frame, 0) >> 4) {
        case 4: out.network = NetworkProtocol::ipv4; break;
        case 6: out.network = NetworkProtocol::ipv6; break;
        default: out.status = LinkStatus::not_ip; break;
    }
    return out;
}

}  // namespace

bool is_supported_link_type(int link_type) {
    switch (link_type) {
        case dlt::null_loopback:
        case dlt::ethernet:
        case dlt::raw:
        case dlt::raw_openbsd:
        case dlt::raw_linktype:
        case dlt::loop:
        case dlt::linux_sll:
        case dlt::ipv4:
        case dlt::ipv6:
        case dlt::linux_sll2: return true;
        default: return false;
    }
}

std::string_view link_type_name(int link_type) {
    switch (link_type) {
        case dlt::null_loopback: return "NULL";
        case dlt::ethernet: return "EN10MB";
        case dlt::raw:
        case dlt::raw_openbsd:
        case dlt::raw_linktype: return "RAW";
        case dlt::loop: return "LOOP";
        case dlt::linux_sll: return "LINUX_SLL";
        case dlt::ipv4: return "IPV4";
        case dlt::ipv6: return "IPV6";
        case dlt::linux_sll2: return "LINUX_SLL2";
        default: return "unsupported";
    }
}

LinkDecode parse_link(int link_type, Bytes frame) {
    switch (link_type) {
        case dlt::ethernet: return parse_ethernet(frame);
        case dlt::linux_sll: return parse_sll(frame);
        case dlt::linux_sll2: return parse_sll2(frame);
        case dlt::null_loopback: return parse_bsd_loopback(frame, false);
        case dlt::loop: return parse_bsd_loopback(frame, true);
        case dlt::raw:
        case dlt::raw_openbsd:
        case dlt::raw_linktype: return parse_raw(frame);
        case dlt::ipv4: return LinkDecode{.network = NetworkProtocol::ipv4};
        case dlt::ipv6: return LinkDecode{.network = NetworkProtocol::ipv6};
        default: return LinkDecode{.status = LinkStatus::unsupported_link};
    }
}

}  // namespace tcpviz
