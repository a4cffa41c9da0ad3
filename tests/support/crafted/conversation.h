// The building blocks of the crafted captures: a two-sided TCP conversation
// written frame by frame into a PcapWriter, the link framings, and the
// folder the captures are saved into.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "packet_builder.h"
#include "tcpviz/tcp_header.h"

namespace tcpviz::test::crafted {

namespace flag = tcpviz::tcp_flag;

// Link framing for a packet.
using Framer = std::function<ByteVec(const ByteVec& ip_packet, int ip_version)>;

Framer ethernet_framer(std::vector<std::uint16_t> tags = {});

// A two-sided conversation that keeps each side's next sequence number, so a
// scenario reads like the exchange it describes. Side 0 is the client.
class Conversation {
public:
    Conversation(PcapWriter& writer, Framer framer, IpSpec client_ip, std::uint16_t client_port,
                 std::uint16_t server_port, std::uint32_t client_isn, std::uint32_t server_isn);

    struct Seg {
        std::uint16_t flags = flag::ack;
        ByteVec payload;
        ByteVec options;
        std::int64_t after_us = 100;  // time since the previous frame
        std::int64_t seq_override = -1;
        std::int64_t ack_override = -1;
        std::uint16_t window = 65535;
        bool advance = true;  // whether this send moves the side's next seq
        int snaplen = -1;
        int data_offset_words = -1;
        IpSpec ip_tweak{};  // ipv4_options / ipv6 ext / fragment field, when use_ip_tweak
        bool use_ip_tweak = false;
        bool skip = false;  // build and advance, but do not write (a lost segment)
    };

    void send(int from, const Seg& s);

    // SYN, SYN-ACK, ACK, both SYNs with the same options.
    void handshake(std::int64_t rtt_us = 200,
                   ByteVec syn_options = concat({opt_mss(1460), opt_nop(), opt_wscale(7), opt_sack_perm()}));
    // The client's FIN and its ACK, then the server's FIN and its ACK.
    void close();

    std::uint32_t next(int who) const { return side_[who].next; }
    // The next send happens `seconds` after the first frame of the capture
    // (plus its own after_us), so that conversations interleave in time.
    void at(double seconds) { now_ = start + static_cast<std::int64_t>(seconds * 1e6); }

    static constexpr std::int64_t start = 1'700'000'000'000'000LL;

private:
    struct Side {
        std::uint16_t port;
        std::uint32_t next;
    };
    PcapWriter& w_;
    Framer framer_;
    IpSpec ip_;
    Side side_[2];
    std::int64_t now_ = start;
};

// The client 198.18.0.1 and the server 198.18.0.2, or 2001:2::1 and
// 2001:2::2 (both benchmarking ranges).
IpSpec v4();
IpSpec v6();

ByteVec line(const std::string& s);
ByteVec bytes(std::size_t n, std::uint8_t fill = 'x');

// The folder the captures go into, and the names written so far (main
// prints them for the test that compares them with the committed files).
class CaptureDir {
public:
    explicit CaptureDir(std::string path) : path_(std::move(path)) {}
    // Writes the capture as NAME; exits with a message when it cannot.
    void save(const PcapWriter& w, const std::string& name);
    const std::vector<std::string>& written() const { return written_; }

private:
    std::string path_;
    std::vector<std::string> written_;
};

// The groups of captures, one file each.
void craft_analysis_cases(CaptureDir& out);  // out of order, spurious, ACKed unseen, zero-window probe, FIN again
void craft_link_cases(CaptureDir& out);      // VLAN, QinQ, BSD loopback, raw IP, Linux cooked
void craft_header_cases(CaptureDir& out);    // truncated, IP options and fragments, malformed, reserved bits, hostile
void craft_reuse_after_idle(CaptureDir& out);
void craft_note_cases(CaptureDir& out);  // no handshake, timeouts doubling, FINs with data (the notes)
void craft_fin_cases(CaptureDir& out);   // "fast" retransmissions after an ACK of unseen data (issue 14)

}  // namespace tcpviz::test::crafted
