#include "packet_builder.h"

#include <arpa/inet.h>

#include <cstdio>
#include <stdexcept>

namespace tcpviz::test {
namespace {

void put16(ByteVec& b, std::uint16_t v) {
    b.push_back(static_cast<std::uint8_t>(v >> 8));
    b.push_back(static_cast<std::uint8_t>(v));
}
void put32(ByteVec& b, std::uint32_t v) {
    put16(b, static_cast<std::uint16_t>(v >> 16));
    put16(b, static_cast<std::uint16_t>(v));
}
void put32le(ByteVec& b, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) b.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}
void set16(ByteVec& b, std::size_t at, std::uint16_t v) {
    b[at] = static_cast<std::uint8_t>(v >> 8);
    b[at + 1] = static_cast<std::uint8_t>(v);
}

ByteVec address(int version, const std::string& text) {
    ByteVec out(version == 6 ? 16 : 4);
    if (inet_pton(version == 6 ? AF_INET6 : AF_INET, text.c_str(), out.data()) != 1) {
        throw std::invalid_argument("bad address " + text);
    }
    return out;
}

std::uint32_t sum16(const ByteVec& b, std::uint32_t sum = 0) {
    for (std::size_t i = 0; i + 1 < b.size(); i += 2) sum += static_cast<std::uint32_t>(b[i] << 8 | b[i + 1]);
    if (b.size() % 2) sum += static_cast<std::uint32_t>(b.back() << 8);
    return sum;
}
std::uint16_t fold(std::uint32_t sum) {
    while (sum >> 16) sum = (sum & 0xFFFF) + (sum >> 16);
    return static_cast<std::uint16_t>(~sum);
}

}  // namespace

ByteVec concat(std::initializer_list<ByteVec> parts) {
    ByteVec out;
    for (const ByteVec& p : parts) out.insert(out.end(), p.begin(), p.end());
    return out;
}
ByteVec text(const std::string& s) { return ByteVec(s.begin(), s.end()); }
ByteVec opt_mss(std::uint16_t mss) {
    ByteVec b{2, 4};
    put16(b, mss);
    return b;
}
ByteVec opt_wscale(std::uint8_t shift) { return {3, 3, shift}; }
ByteVec opt_sack_perm() { return {4, 2}; }
ByteVec opt_nop() { return {1}; }
ByteVec opt_timestamps(std::uint32_t val, std::uint32_t ecr) {
    ByteVec b{8, 10};
    put32(b, val);
    put32(b, ecr);
    return b;
}
ByteVec opt_sack(const std::vector<std::pair<std::uint32_t, std::uint32_t>>& blocks) {
    ByteVec b{5, static_cast<std::uint8_t>(2 + 8 * blocks.size())};
    for (auto [l, r] : blocks) {
        put32(b, l);
        put32(b, r);
    }
    return b;
}

ByteVec tcp_segment(const TcpSpec& t, const IpSpec& ip) {
    ByteVec b;
    put16(b, t.sport);
    put16(b, t.dport);
    put32(b, t.seq);
    put32(b, t.ack);
    ByteVec options = t.options;
    while (options.size() % 4) options.push_back(0);  // pad with EOL
    const int words = t.data_offset_words >= 0 ? t.data_offset_words : static_cast<int>(5 + options.size() / 4);
    put16(b, static_cast<std::uint16_t>(words << 12 | (t.flags & 0xFFF)));
    put16(b, t.window);
    put16(b, 0);  // checksum, below
    put16(b, 0);  // urgent pointer
    b.insert(b.end(), options.begin(), options.end());
    b.insert(b.end(), t.payload.begin(), t.payload.end());
    // Pseudo-header checksum (RFC 9293 3.1).
    const ByteVec src = address(ip.version, ip.src);
    const ByteVec dst = address(ip.version, ip.dst);
    std::uint32_t sum = sum16(src) + sum16(dst) + 6 + static_cast<std::uint32_t>(b.size());
    set16(b, 16, fold(sum16(b, sum)));
    return b;
}

ByteVec ip_packet(const IpSpec& ip, const ByteVec& transport) {
    ByteVec b;
    const ByteVec src = address(ip.version, ip.src);
    const ByteVec dst = address(ip.version, ip.dst);
    if (ip.version == 4) {
        const std::size_t header = 20 + ip.ipv4_options.size();
        b.push_back(static_cast<std::uint8_t>(0x40 | header / 4));
        b.push_back(0);
        put16(b, static_cast<std::uint16_t>(ip.total_length_override >= 0 ? ip.total_length_override
                                                                          : header + transport.size()));
        put16(b, 0x1234);
        put16(b, ip.fragment_field);
        b.push_back(ip.ttl);
        b.push_back(ip.protocol);
        put16(b, 0);
        b.insert(b.end(), src.begin(), src.end());
        b.insert(b.end(), dst.begin(), dst.end());
        b.insert(b.end(), ip.ipv4_options.begin(), ip.ipv4_options.end());
        set16(b, 10, fold(sum16(b)));
    } else {
        put32(b, 0x60000000);
        put16(b,
              static_cast<std::uint16_t>(ip.total_length_override >= 0 ? ip.total_length_override
                                                                       : ip.ipv6_extensions.size() + transport.size()));
        b.push_back(ip.ipv6_extensions.empty() ? ip.protocol : ip.ipv6_first_next);
        b.push_back(ip.ttl);
        b.insert(b.end(), src.begin(), src.end());
        b.insert(b.end(), dst.begin(), dst.end());
        b.insert(b.end(), ip.ipv6_extensions.begin(), ip.ipv6_extensions.end());
    }
    b.insert(b.end(), transport.begin(), transport.end());
    return b;
}

ByteVec ethernet(const ByteVec& packet, int ip_version, const std::vector<std::uint16_t>& vlan_tpids) {
    ByteVec b{0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1};
    std::uint16_t vid = 100;
    for (std::uint16_t tpid : vlan_tpids) {
        put16(b, tpid);
        put16(b, vid++);
    }
    put16(b, ip_version == 6 ? 0x86DD : 0x0800);
    b.insert(b.end(), packet.begin(), packet.end());
    while (b.size() < 60) b.push_back(0);  // Ethernet minimum frame: padding after IP
    return b;
}

ByteVec linux_sll(const ByteVec& packet, int ip_version) {
    ByteVec b;
    put16(b, 0);    // packet type: to us
    put16(b, 772);  // ARPHRD_LOOPBACK
    put16(b, 6);    // address length
    for (int i = 0; i < 8; ++i) b.push_back(0);
    put16(b, ip_version == 6 ? 0x86DD : 0x0800);
    b.insert(b.end(), packet.begin(), packet.end());
    return b;
}

ByteVec linux_sll2(const ByteVec& packet, int ip_version) {
    ByteVec b;
    put16(b, ip_version == 6 ? 0x86DD : 0x0800);
    put16(b, 0);     // reserved
    put32(b, 1);     // interface index
    put16(b, 772);   // ARPHRD_LOOPBACK
    b.push_back(0);  // packet type
    b.push_back(6);  // address length
    for (int i = 0; i < 8; ++i) b.push_back(0);
    b.insert(b.end(), packet.begin(), packet.end());
    return b;
}

ByteVec bsd_null(const ByteVec& packet, int ip_version, bool big_endian) {
    ByteVec b;
    const std::uint32_t family = ip_version == 6 ? 30 : 2;  // macOS AF_INET6 = 30
    if (big_endian) put32(b, family);
    else put32le(b, family);
    b.insert(b.end(), packet.begin(), packet.end());
    return b;
}

PcapWriter::PcapWriter(int link_type, std::uint32_t snaplen, bool nanos) : nanos_(nanos) {
    put32le(bytes_, nanos ? 0xa1b23c4d : 0xa1b2c3d4);
    bytes_.push_back(2);
    bytes_.push_back(0);  // version 2.4, little-endian
    bytes_.push_back(4);
    bytes_.push_back(0);
    put32le(bytes_, 0);  // thiszone
    put32le(bytes_, 0);  // sigfigs
    put32le(bytes_, snaplen);
    put32le(bytes_, static_cast<std::uint32_t>(link_type));
}

void PcapWriter::add(std::int64_t micros, const ByteVec& frame, int snaplen) {
    const std::size_t caplen = snaplen >= 0 && static_cast<std::size_t>(snaplen) < frame.size()
                                   ? static_cast<std::size_t>(snaplen)
                                   : frame.size();
    put32le(bytes_, static_cast<std::uint32_t>(micros / 1'000'000));
    const std::int64_t frac = micros % 1'000'000;
    put32le(bytes_, static_cast<std::uint32_t>(nanos_ ? frac * 1000 : frac));
    put32le(bytes_, static_cast<std::uint32_t>(caplen));
    put32le(bytes_, static_cast<std::uint32_t>(frame.size()));
    bytes_.insert(bytes_.end(), frame.begin(), frame.begin() + static_cast<std::ptrdiff_t>(caplen));
}

bool PcapWriter::save(const std::string& path) const {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) return false;
    const bool ok = std::fwrite(bytes_.data(), 1, bytes_.size(), f) == bytes_.size();
    return std::fclose(f) == 0 && ok;
}

}  // namespace tcpviz::test
