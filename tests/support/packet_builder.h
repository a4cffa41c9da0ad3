// Builds frames byte by byte for tests: Ethernet (with VLAN tags), Linux
// cooked SLL/SLL2, BSD loopback, raw IP; IPv4 (with options, fragments),
// IPv6 (with extension headers); TCP with any options. Checksums are
// computed so that Wireshark does not complain.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tcpviz::test {

using ByteVec = std::vector<std::uint8_t>;

struct TcpSpec {
    std::uint16_t sport = 40000;
    std::uint16_t dport = 6666;
    std::uint32_t seq = 0;
    std::uint32_t ack = 0;
    std::uint16_t flags = 0;  // tcp_flag bits; 0xE00 are the reserved bits (set only to craft a bad segment)
    std::uint16_t window = 65535;
    ByteVec options;  // raw option bytes; padded to 4 with NOPs... by the caller
    ByteVec payload;
    int data_offset_words = -1;  // -1: computed from the options
};

struct IpSpec {
    int version = 4;
    std::string src = "198.18.0.1";
    std::string dst = "198.18.0.2";
    std::uint8_t ttl = 64;
    std::uint8_t protocol = 6;
    ByteVec ipv4_options;                   // must be a multiple of 4
    std::uint16_t fragment_field = 0x4000;  // DF; set MF (0x2000) / offset to make a fragment
    ByteVec ipv6_extensions;                // raw extension headers, first one's type in ipv6_first_next
    std::uint8_t ipv6_first_next = 6;
    int total_length_override = -1;
};

ByteVec tcp_segment(const TcpSpec& tcp, const IpSpec& ip);  // TCP header + payload, checksummed
ByteVec ip_packet(const IpSpec& ip, const ByteVec& transport);
ByteVec ethernet(const ByteVec& ip_packet, int ip_version, const std::vector<std::uint16_t>& vlan_tpids = {});
ByteVec linux_sll(const ByteVec& ip_packet, int ip_version);
ByteVec linux_sll2(const ByteVec& ip_packet, int ip_version);
ByteVec bsd_null(const ByteVec& ip_packet, int ip_version, bool big_endian);

// TCP option helpers (raw bytes).
ByteVec opt_mss(std::uint16_t mss);
ByteVec opt_wscale(std::uint8_t shift);
ByteVec opt_sack_perm();
ByteVec opt_sack(const std::vector<std::pair<std::uint32_t, std::uint32_t>>& blocks);
ByteVec opt_timestamps(std::uint32_t val, std::uint32_t ecr);
ByteVec opt_nop();
ByteVec concat(std::initializer_list<ByteVec> parts);
ByteVec text(const std::string& s);

// A classic pcap file (microsecond or nanosecond timestamps).
class PcapWriter {
public:
    PcapWriter(int link_type, std::uint32_t snaplen = 262144, bool nanos = false);
    // Adds a frame at time `micros` since the epoch; captures at most `snaplen` bytes of it.
    void add(std::int64_t micros, const ByteVec& frame, int snaplen = -1);
    const ByteVec& bytes() const { return bytes_; }
    bool save(const std::string& path) const;

private:
    ByteVec bytes_;
    bool nanos_;
};

}  // namespace tcpviz::test
