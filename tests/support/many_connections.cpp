// Writes a capture of very many short TCP connections, to measure how the
// analyzer's memory grows with the number of connections it has seen.
//
//   many_connections syn|closed COUNT OUT.pcap
//
//   syn     COUNT SYNs to distinct ports, none answered (a port scan)
//   closed  COUNT complete connections: handshake, 100 bytes each way,
//           FIN/ACK from both sides (7 frames each, one after the other)
//
// Connections start 100 microseconds apart, so a million of them span 100
// seconds of capture time. Frames are streamed to the file: the generator
// itself needs no memory per connection.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "packet_builder.h"
#include "tcpviz/tcp_header.h"

using namespace tcpviz::test;

namespace {

namespace flag = tcpviz::tcp_flag;
constexpr std::uint32_t link_ethernet = 1;

class PcapStream {
public:
    explicit PcapStream(std::FILE* f) : f_(f) {
        // Classic pcap header: magic, version 2.4, zone 0, sigfigs 0, snaplen, link type.
        const std::uint32_t magic = 0xa1b2c3d4, snaplen = 262144;
        const std::uint16_t major = 2, minor = 4;
        const std::uint32_t zero = 0;
        put(&magic, 4), put(&major, 2), put(&minor, 2), put(&zero, 4), put(&zero, 4), put(&snaplen, 4);
        put(&link_ethernet, 4);
    }
    void add(std::int64_t micros, const ByteVec& frame) {
        const std::uint32_t sec = static_cast<std::uint32_t>(micros / 1'000'000);
        const std::uint32_t usec = static_cast<std::uint32_t>(micros % 1'000'000);
        const std::uint32_t len = static_cast<std::uint32_t>(frame.size());
        put(&sec, 4), put(&usec, 4), put(&len, 4), put(&len, 4), put(frame.data(), frame.size());
    }
    bool ok() const { return ok_; }

private:
    void put(const void* p, std::size_t n) { ok_ = ok_ && std::fwrite(p, 1, n, f_) == n; }
    std::FILE* f_;
    bool ok_ = true;
};

// Connection i: client 198.18.(i / 50000 / 256).(i / 50000 % 256 + 1):(10000 + i % 50000),
// server 198.19.0.1:80. Every 4-tuple is distinct.
IpSpec client_to_server(std::uint64_t i) {
    IpSpec ip;
    const std::uint64_t host = i / 50000;
    ip.src = "198.18." + std::to_string(host / 250) + "." + std::to_string(host % 250 + 1);
    ip.dst = "198.19.0.1";
    return ip;
}

std::uint16_t client_port(std::uint64_t i) { return static_cast<std::uint16_t>(10000 + i % 50000); }

ByteVec frame(const IpSpec& ip, const TcpSpec& t) { return ethernet(ip_packet(ip, tcp_segment(t, ip)), 4); }

void write_connection(PcapStream& out, std::uint64_t i, bool complete, std::int64_t t0) {
    IpSpec c2s = client_to_server(i);
    IpSpec s2c = c2s;
    std::swap(s2c.src, s2c.dst);
    const std::uint16_t cport = client_port(i), sport = 80;
    const std::uint32_t cisn = static_cast<std::uint32_t>(i * 2654435761u), sisn = ~cisn;
    const ByteVec mss = opt_mss(1460);
    out.add(t0, frame(c2s, {.sport = cport, .dport = sport, .seq = cisn, .flags = flag::syn, .options = mss}));
    if (!complete) return;
    const ByteVec data(100, 'x');
    out.add(t0 + 10, frame(s2c, {.sport = sport,
                                 .dport = cport,
                                 .seq = sisn,
                                 .ack = cisn + 1,
                                 .flags = flag::syn | flag::ack,
                                 .options = mss}));
    out.add(t0 + 20, frame(c2s, {.sport = cport,
                                 .dport = sport,
                                 .seq = cisn + 1,
                                 .ack = sisn + 1,
                                 .flags = flag::psh | flag::ack,
                                 .payload = data}));
    out.add(t0 + 30, frame(s2c, {.sport = sport,
                                 .dport = cport,
                                 .seq = sisn + 1,
                                 .ack = cisn + 101,
                                 .flags = flag::psh | flag::ack,
                                 .payload = data}));
    out.add(
        t0 + 40,
        frame(c2s,
              {.sport = cport, .dport = sport, .seq = cisn + 101, .ack = sisn + 101, .flags = flag::fin | flag::ack}));
    out.add(
        t0 + 50,
        frame(s2c,
              {.sport = sport, .dport = cport, .seq = sisn + 101, .ack = cisn + 102, .flags = flag::fin | flag::ack}));
    out.add(t0 + 60,
            frame(c2s, {.sport = cport, .dport = sport, .seq = cisn + 102, .ack = sisn + 102, .flags = flag::ack}));
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 4 || (std::strcmp(argv[1], "syn") != 0 && std::strcmp(argv[1], "closed") != 0)) {
        std::fprintf(stderr, "usage: many_connections syn|closed COUNT OUT.pcap\n");
        return 2;
    }
    const bool complete = std::strcmp(argv[1], "closed") == 0;
    const std::uint64_t count = std::strtoull(argv[2], nullptr, 10);
    if (count > 12'500'000) {  // 250 hosts * 50000 ports distinct 4-tuples
        std::fprintf(stderr, "many_connections: at most 12500000 connections\n");
        return 2;
    }
    std::FILE* f = std::fopen(argv[3], "wb");
    if (!f) {
        std::perror(argv[3]);
        return 1;
    }
    PcapStream out(f);
    const std::int64_t start = 1'700'000'000'000'000LL;
    for (std::uint64_t i = 0; i < count && out.ok(); ++i)
        write_connection(out, i, complete, start + static_cast<std::int64_t>(i) * 100);
    const bool ok = out.ok() && std::fclose(f) == 0;
    if (!ok) std::fprintf(stderr, "many_connections: cannot write %s\n", argv[3]);
    return ok ? 0 : 1;
}
