// What the decoder tests (decode_test.cpp, frame_layers_test.cpp) share: the
// segment they take apart, built by the packet builder, and a frame's bytes
// as the decoders take them.
#pragma once

#include "packet_builder.h"
#include "tcpviz/bytes.h"
#include "tcpviz/tcp_header.h"

namespace tcpviz::test {

// A frame's bytes as a view, as libpcap hands them to the decoders.
inline Bytes view(const ByteVec& v) { return Bytes(reinterpret_cast<const std::byte*>(v.data()), v.size()); }

// A PSH/ACK (seq 1000, ack 2000, window 512) with NOP NOP timestamps(7, 9)
// and the payload "hi\n": every layer of a data segment, options included.
inline ByteVec sample_tcp(const IpSpec& ip = {}) {
    TcpSpec t;
    t.seq = 1000;
    t.ack = 2000;
    t.flags = tcp_flag::psh | tcp_flag::ack;
    t.window = 512;
    t.options = concat({opt_nop(), opt_nop(), opt_timestamps(7, 9)});
    t.payload = text("hi\n");
    return tcp_segment(t, ip);
}

// The sample segment in an Ethernet frame whose type field (bytes 12-13)
// says `ethertype` instead of IPv4: 0x0806 ARP, or below 0x0600 an IEEE
// 802.3 length. Neither is IP.
inline ByteVec ethernet_typed(std::uint16_t ethertype) {
    ByteVec f = ethernet(ip_packet({}, sample_tcp()), 4);
    f[12] = static_cast<std::uint8_t>(ethertype >> 8);
    f[13] = static_cast<std::uint8_t>(ethertype & 0xFF);
    return f;
}

}  // namespace tcpviz::test
