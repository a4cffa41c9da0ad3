// Segments between 127.0.0.1:40000 (client) and 127.0.0.1:6666 (server),
// fed straight into an Analyzer: the connections the capture tests match
// kernel samples against and draw ladders of.
#pragma once

#include <gtest/gtest.h>

#include <cstdio>

#include "packet_builder.h"
#include "tcpviz/analyzer.h"

namespace tcpviz::test {

constexpr int dlt_ethernet = 1;
constexpr Nanos second = 1'000'000'000;
constexpr Nanos t0 = 1'700'000'000 * second;  // the first packet

inline Endpoint loopback(std::uint16_t port) {
    Endpoint e;
    e.port = port;
    e.ip.version = 4;
    e.ip.bytes[0] = 127;
    e.ip.bytes[3] = 1;
    return e;
}

inline const Endpoint client = loopback(40000);
inline const Endpoint server = loopback(6666);

// Feeds one segment to the analyzer and returns its event.
inline const Event* segment(Analyzer& a, Nanos at, bool from_client, std::uint16_t flags, std::uint32_t seq,
                            std::uint32_t ack) {
    TcpSpec tcp;
    tcp.sport = from_client ? client.port : server.port;
    tcp.dport = from_client ? server.port : client.port;
    tcp.flags = flags;
    tcp.seq = seq;
    tcp.ack = ack;
    IpSpec ip;
    ip.src = ip.dst = "127.0.0.1";
    const ByteVec frame = ethernet(ip_packet(ip, tcp_segment(tcp, ip)), 4);
    PacketRecord r;
    r.ts_sec = at / second;
    r.ts_nsec = static_cast<std::int32_t>(at % second);
    r.wire_length = static_cast<std::uint32_t>(frame.size());
    r.data = Bytes(reinterpret_cast<const std::byte*>(frame.data()), frame.size());
    const Event* e = a.add(r);
    EXPECT_NE(e, nullptr);
    return e;
}

inline void handshake(Analyzer& a, Nanos at, std::uint32_t isn) {
    segment(a, at, true, tcp_flag::syn, isn, 0);
    segment(a, at + 10'000, false, tcp_flag::syn | tcp_flag::ack, 5000, isn + 1);
    segment(a, at + 20'000, true, tcp_flag::ack, isn + 1, 5001);
}

}  // namespace tcpviz::test
