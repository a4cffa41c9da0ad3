// Link layers: find where the IP packet starts in a captured frame.
//
// Supported link types (libpcap DLT values):
//   Ethernet (1) with any number of 802.1Q / 802.1ad / QinQ tags,
//   Linux cooked capture SLL (113) and SLL2 (276), made by `-i any`,
//   BSD loopback NULL (0, host byte order) and LOOP (108, network order),
//   raw IP (12, 14, 101) and raw IPv4 (228) / IPv6 (229).
#pragma once

#include <cstdint>
#include <string_view>

#include "tcpviz/bytes.h"

namespace tcpviz {

enum class NetworkProtocol : std::uint8_t { ipv4, ipv6, other };

enum class LinkStatus : std::uint8_t {
    ok,
    truncated,         // the capture ended inside the link header
    unsupported_link,  // a link type tcpviz does not decode
    not_ip,            // a frame that carries something other than IP (ARP, LLC ...)
};

struct LinkDecode {
    LinkStatus status = LinkStatus::ok;
    NetworkProtocol network = NetworkProtocol::other;
    std::size_t header_length = 0;  // bytes before the IP header
    std::uint16_t vlan_tags = 0;    // how many 802.1Q/802.1ad tags were skipped

    friend bool operator==(const LinkDecode&, const LinkDecode&) = default;
};

// Named libpcap DLT values (from pcap/dlt.h), so that the analyzer does not
// need libpcap's headers.
namespace dlt {
inline constexpr int null_loopback = 0;
inline constexpr int ethernet = 1;
inline constexpr int raw = 12;
inline constexpr int raw_openbsd = 14;
inline constexpr int raw_linktype = 101;
inline constexpr int loop = 108;
inline constexpr int linux_sll = 113;
inline constexpr int ipv4 = 228;
inline constexpr int ipv6 = 229;
inline constexpr int linux_sll2 = 276;
}  // namespace dlt

bool is_supported_link_type(int link_type);
std::string_view link_type_name(int link_type);

// Decodes the link header of a frame of the given DLT.
LinkDecode parse_link(int link_type, Bytes frame);

}  // namespace tcpviz
