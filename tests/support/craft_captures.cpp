// Writes the crafted test captures: cases that are hard to provoke with a
// real kernel (out-of-order delivery, spurious retransmissions, an ACK of a
// segment the capture missed, a 1-byte zero-window probe) and link/IP
// variants a Linux loopback never produces (VLAN tags, BSD loopback, raw IP,
// IPv4 options, IPv6 extension headers, truncated options, malformed headers).
//
//   craft_captures OUTDIR      writes every capture into OUTDIR
//
// The output is deterministic: the committed files in tests/captures/crafted/
// are these bytes, and a test checks that they still are.
#include <cstdio>
#include <functional>
#include <string>

#include "craft_note_captures.h"
#include "packet_builder.h"

using namespace tcpviz::test;

namespace {

constexpr std::uint16_t FIN = 0x01, SYN = 0x02, RST = 0x04, PSH = 0x08, ACK = 0x10;

// Link framing for a packet.
using Framer = std::function<ByteVec(const ByteVec& ip_packet, int ip_version)>;

Framer ethernet_framer(std::vector<std::uint16_t> tags = {}) {
    return [tags](const ByteVec& p, int v) { return ethernet(p, v, tags); };
}

// A two-sided conversation that keeps each side's next sequence number, so a
// scenario reads like the exchange it describes.
class Conversation {
public:
    Conversation(PcapWriter& writer, Framer framer, IpSpec client_ip, std::uint16_t client_port,
                 std::uint16_t server_port, std::uint32_t client_isn, std::uint32_t server_isn)
        : w_(writer), framer_(std::move(framer)), ip_(std::move(client_ip)) {
        side_[0] = {client_port, client_isn, 0};
        side_[1] = {server_port, server_isn, 0};
    }

    struct Seg {
        std::uint16_t flags = ACK;
        ByteVec payload;
        ByteVec options;
        std::int64_t after_us = 100;   // time since the previous frame
        std::int64_t seq_override = -1;
        std::int64_t ack_override = -1;
        std::uint16_t window = 65535;
        bool advance = true;           // whether this send moves the side's next seq
        int snaplen = -1;
        int data_offset_words = -1;
        IpSpec ip_tweak{};             // ipv4_options / ipv6 ext / fragment field, when use_ip_tweak
        bool use_ip_tweak = false;
        bool skip = false;             // build and advance, but do not write (a lost segment)
    };

    void send(int from, const Seg& s) {
        Side& me = side_[from];
        Side& peer = side_[1 - from];
        IpSpec ip = s.use_ip_tweak ? s.ip_tweak : ip_;
        if (!s.use_ip_tweak) ip = ip_;
        ip.version = ip_.version;
        ip.src = from == 0 ? ip_.src : ip_.dst;
        ip.dst = from == 0 ? ip_.dst : ip_.src;
        TcpSpec t;
        t.sport = me.port;
        t.dport = peer.port;
        t.seq = s.seq_override >= 0 ? static_cast<std::uint32_t>(s.seq_override) : me.next;
        t.ack = (s.flags & ACK) ? (s.ack_override >= 0 ? static_cast<std::uint32_t>(s.ack_override) : peer.next) : 0;
        t.flags = s.flags;
        t.window = s.window;
        t.options = s.options;
        t.payload = s.payload;
        t.data_offset_words = s.data_offset_words;
        now_ += s.after_us;
        if (!s.skip) w_.add(now_, framer_(ip_packet(ip, tcp_segment(t, ip)), ip_.version), s.snaplen);
        if (s.advance && s.seq_override < 0) {
            me.next += static_cast<std::uint32_t>(s.payload.size()) + ((s.flags & (SYN | FIN)) ? 1 : 0);
        }
    }

    void handshake(std::int64_t rtt_us = 200, ByteVec syn_options = concat({opt_mss(1460), opt_nop(), opt_wscale(7), opt_sack_perm()})) {
        send(0, {.flags = SYN, .options = syn_options, .after_us = 0});
        send(1, {.flags = SYN | ACK, .options = syn_options, .after_us = rtt_us / 2});
        send(0, {.flags = ACK, .after_us = rtt_us / 2, .window = 512});
    }

    void close() {
        send(0, {.flags = FIN | ACK, .window = 512});
        send(1, {.flags = ACK, .window = 512});
        send(1, {.flags = FIN | ACK, .window = 512});
        send(0, {.flags = ACK, .window = 512});
    }

    std::uint32_t next(int who) const { return side_[who].next; }
    // The next send happens `seconds` after the first frame of the capture
    // (plus its own after_us), so that conversations interleave in time.
    void at(double seconds) { now_ = start + static_cast<std::int64_t>(seconds * 1e6); }

    static constexpr std::int64_t start = 1'700'000'000'000'000LL;

private:
    struct Side {
        std::uint16_t port;
        std::uint32_t next;
        std::uint32_t unused;
    };
    PcapWriter& w_;
    Framer framer_;
    IpSpec ip_;
    Side side_[2];
    std::int64_t now_ = start;
};

IpSpec v4() { return IpSpec{}; }
IpSpec v6() {
    IpSpec ip;
    ip.version = 6;
    ip.src = "2001:2::1";
    ip.dst = "2001:2::2";
    return ip;
}

ByteVec line(const std::string& s) { return text(s); }
ByteVec bytes(std::size_t n, std::uint8_t fill = 'x') { return ByteVec(n, fill); }

using Scenario = std::function<void(const std::string& dir, std::vector<std::string>& written)>;

void save(const PcapWriter& w, const std::string& dir, const std::string& name, std::vector<std::string>& written) {
    const std::string path = dir + "/" + name;
    if (!w.save(path)) {
        std::fprintf(stderr, "craft_captures: cannot write %s\n", path.c_str());
        std::exit(1);
    }
    written.push_back(name);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: craft_captures OUTDIR\n");
        return 2;
    }
    const std::string dir = argv[1];
    std::vector<std::string> written;

    // Out-of-order: the second segment arrives after the third, within the
    // handshake RTT; the third shows a hole (previous segment not captured),
    // the receiver answers with duplicate ACKs.
    {
        PcapWriter w(1);
        Conversation c(w, ethernet_framer(), v4(), 40001, 6666, 1000, 5000);
        c.handshake(10'000);
        const std::uint32_t a = c.next(0);
        c.send(0, {.flags = PSH | ACK, .payload = bytes(100, 'a'), .window = 512});
        c.send(0, {.flags = PSH | ACK, .payload = bytes(100, 'b'), .window = 512, .skip = true});
        c.send(0, {.flags = PSH | ACK, .payload = bytes(100, 'c'), .after_us = 50, .window = 512});
        c.send(1, {.flags = ACK, .after_us = 20, .ack_override = a + 100, .window = 1000});
        c.send(0, {.flags = PSH | ACK, .payload = bytes(100, 'b'), .after_us = 500, .seq_override = a + 100, .window = 512});
        c.send(1, {.flags = ACK, .after_us = 20, .window = 1000});
        c.close();
        save(w, dir, "out_of_order.pcap", written);
    }

    // Spurious retransmission: data already acknowledged is sent again.
    {
        PcapWriter w(1);
        Conversation c(w, ethernet_framer(), v4(), 40002, 6666, 2000, 6000);
        c.handshake();
        const std::uint32_t a = c.next(0);
        c.send(0, {.flags = PSH | ACK, .payload = line("hello\n"), .window = 512});
        c.send(1, {.flags = ACK, .window = 1000});
        c.send(0, {.flags = PSH | ACK, .payload = line("hello\n"), .after_us = 300'000, .seq_override = a, .window = 512});
        c.send(1, {.flags = ACK, .window = 1000});
        c.close();
        save(w, dir, "spurious_retransmission.pcap", written);
    }

    // ACKed unseen segment: the capture missed a data segment that the
    // receiver acknowledges.
    {
        PcapWriter w(1);
        Conversation c(w, ethernet_framer(), v4(), 40003, 6666, 3000, 7000);
        c.handshake();
        c.send(0, {.flags = PSH | ACK, .payload = line("first\n"), .window = 512});
        c.send(1, {.flags = ACK, .window = 1000});
        c.send(0, {.flags = PSH | ACK, .payload = line("unseen\n"), .window = 512, .skip = true});
        c.send(1, {.flags = ACK, .window = 1000});
        c.send(0, {.flags = PSH | ACK, .payload = line("third\n"), .window = 512});
        c.send(1, {.flags = ACK, .window = 1000});
        c.close();
        save(w, dir, "ack_unseen_segment.pcap", written);
    }

    // A 1-byte zero-window probe (as BSD and Windows send them), its ACK,
    // and the window update that reopens the window.
    {
        PcapWriter w(1);
        Conversation c(w, ethernet_framer(), v4(), 40004, 6666, 4000, 8000);
        c.handshake(200, concat({opt_mss(1460), opt_sack_perm()}));  // no window scaling
        c.send(0, {.flags = PSH | ACK, .payload = bytes(1000, 'z'), .window = 512});
        c.send(1, {.flags = ACK, .window = 0});
        c.send(0, {.flags = ACK, .payload = bytes(1, 'z'), .after_us = 200'000, .window = 512, .advance = false});
        c.send(1, {.flags = ACK, .after_us = 50, .window = 0});
        c.send(0, {.flags = ACK, .payload = bytes(1, 'z'), .after_us = 400'000, .window = 512, .advance = false});
        c.send(1, {.flags = ACK, .after_us = 50, .window = 0});
        c.send(1, {.flags = ACK, .after_us = 500'000, .window = 4000});
        c.send(0, {.flags = PSH | ACK, .payload = bytes(500, 'z'), .window = 512});
        c.send(1, {.flags = ACK, .window = 4000});
        c.close();
        save(w, dir, "zero_window_probe.pcap", written);
    }

    // 802.1Q VLAN, and QinQ (802.1ad outer tag, 802.1Q inner).
    for (const auto& [name, tags] : std::vector<std::pair<std::string, std::vector<std::uint16_t>>>{
             {"vlan.pcap", {0x8100}}, {"qinq.pcap", {0x88A8, 0x8100}}}) {
        PcapWriter w(1);
        Conversation c(w, ethernet_framer(tags), v4(), 40005, 6666, 5000, 9000);
        c.handshake();
        c.send(0, {.flags = PSH | ACK, .payload = line("tagged\n"), .window = 512});
        c.send(1, {.flags = ACK, .window = 1000});
        c.close();
        save(w, dir, name, written);
    }

    // BSD loopback: DLT_NULL in little-endian (a capture from a Mac) with
    // IPv4 and IPv6 (AF_INET6 = 30 on macOS), and DLT_LOOP (network order).
    {
        PcapWriter w(0);
        Conversation c4(w, [](const ByteVec& p, int v) { return bsd_null(p, v, false); }, v4(), 40006, 6666, 6000, 10000);
        c4.handshake();
        c4.send(0, {.flags = PSH | ACK, .payload = line("from a mac\n"), .window = 512});
        c4.send(1, {.flags = ACK, .window = 1000});
        c4.close();
        Conversation c6(w, [](const ByteVec& p, int v) { return bsd_null(p, v, false); }, v6(), 40007, 6666, 7000, 11000);
        c6.handshake();
        c6.send(0, {.flags = PSH | ACK, .payload = line("ipv6 on a mac\n"), .window = 512});
        c6.close();
        save(w, dir, "null_loopback.pcap", written);
    }
    {
        PcapWriter w(108);
        Conversation c(w, [](const ByteVec& p, int v) { return bsd_null(p, v, true); }, v4(), 40008, 6666, 8000, 12000);
        c.handshake();
        c.send(0, {.flags = PSH | ACK, .payload = line("openbsd loop\n"), .window = 512});
        c.close();
        save(w, dir, "loop_openbsd.pcap", written);
    }

    // Raw IP (LINKTYPE_RAW), and Linux cooked v1 with IPv6.
    {
        PcapWriter w(101);
        Conversation c(w, [](const ByteVec& p, int) { return p; }, v4(), 40009, 6666, 9000, 13000);
        c.handshake();
        c.send(0, {.flags = PSH | ACK, .payload = line("raw ip\n"), .window = 512});
        c.close();
        save(w, dir, "raw_ip.pcap", written);
    }
    {
        PcapWriter w(113);
        Conversation c(w, [](const ByteVec& p, int v) { return linux_sll(p, v); }, v6(), 40010, 6666, 10000, 14000);
        c.handshake();
        c.send(1, {.flags = PSH | ACK, .payload = line("sll ipv6\n"), .window = 512});
        c.close();
        save(w, dir, "sll_ipv6.pcap", written);
    }

    // Truncated options: a 60-byte snaplen cuts the SYN's options; later
    // segments lose their payload but keep their lengths from IP.
    {
        PcapWriter w(1, 60);
        Conversation c(w, ethernet_framer(), v4(), 40011, 6666, 11000, 15000);
        const ByteVec opts = concat({opt_mss(1460), opt_sack_perm(), opt_timestamps(1, 0), opt_nop(), opt_wscale(7)});
        c.send(0, {.flags = SYN, .options = opts, .after_us = 0, .snaplen = 60});
        c.send(1, {.flags = SYN | ACK, .options = opts, .snaplen = 60});
        c.send(0, {.flags = ACK, .options = concat({opt_nop(), opt_nop(), opt_timestamps(2, 1)}), .window = 512, .snaplen = 60});
        c.send(0, {.flags = PSH | ACK, .payload = bytes(300, 'p'), .options = concat({opt_nop(), opt_nop(), opt_timestamps(3, 1)}), .window = 512, .snaplen = 60});
        c.send(1, {.flags = ACK, .options = concat({opt_nop(), opt_nop(), opt_timestamps(4, 3)}), .window = 1000, .snaplen = 60});
        c.send(0, {.flags = ACK, .after_us = 100, .window = 512, .snaplen = 40});  // cut inside the TCP header
        save(w, dir, "truncated_options.pcap", written);
    }

    // IPv4 with options (NOP padding + Router Alert), a lone first fragment
    // (counted and skipped), and IPv6 with hop-by-hop and destination options.
    {
        PcapWriter w(1);
        IpSpec with_options = v4();
        with_options.ipv4_options = {0x94, 0x04, 0x00, 0x00};  // Router Alert, RFC 2113
        Conversation c(w, ethernet_framer(), with_options, 40012, 6666, 12000, 16000);
        Conversation::Seg s;
        c.handshake();
        c.send(0, {.flags = PSH | ACK, .payload = line("ip options\n"), .window = 512, .ip_tweak = with_options, .use_ip_tweak = true});
        c.send(1, {.flags = ACK, .window = 1000});
        IpSpec fragment = v4();
        fragment.fragment_field = 0x2000;  // MF, offset 0: the rest never comes
        c.send(0, {.flags = PSH | ACK, .payload = line("fragment\n"), .window = 512, .advance = false, .ip_tweak = fragment, .use_ip_tweak = true});
        c.close();
        save(w, dir, "ipv4_options_fragment.pcap", written);
    }
    {
        PcapWriter w(1);
        IpSpec ext = v6();
        // Hop-by-hop (next: destination options), 8 bytes: PadN;
        // destination options (next: TCP), 8 bytes: PadN.
        ext.ipv6_first_next = 0;
        ext.ipv6_extensions = {60, 0, 1, 4, 0, 0, 0, 0, 6, 0, 1, 4, 0, 0, 0, 0};
        Conversation c(w, ethernet_framer(), ext, 40013, 6666, 13000, 17000);
        c.send(0, {.flags = SYN, .options = opt_mss(1440), .after_us = 0, .ip_tweak = ext, .use_ip_tweak = true});
        c.send(1, {.flags = SYN | ACK, .options = opt_mss(1440), .ip_tweak = ext, .use_ip_tweak = true});
        c.send(0, {.flags = ACK, .ip_tweak = ext, .use_ip_tweak = true});
        c.send(0, {.flags = PSH | ACK, .payload = line("v6 extension headers\n"), .ip_tweak = ext, .use_ip_tweak = true});
        c.send(1, {.flags = ACK, .ip_tweak = ext, .use_ip_tweak = true});
        save(w, dir, "ipv6_extension_headers.pcap", written);
    }

    // Malformed TCP headers: a data offset below 5 words, one beyond the
    // segment, and an option with an impossible length.
    {
        PcapWriter w(1);
        Conversation c(w, ethernet_framer(), v4(), 40014, 6666, 14000, 18000);
        c.handshake();
        c.send(0, {.flags = PSH | ACK, .payload = line("good\n"), .window = 512});
        c.send(0, {.flags = PSH | ACK, .payload = line("offset 3\n"), .window = 512, .advance = false, .data_offset_words = 3});
        c.send(0, {.flags = ACK, .window = 512, .advance = false, .data_offset_words = 15});
        c.send(0, {.flags = ACK, .options = {2, 1, 0, 0}, .window = 512});
        c.send(1, {.flags = ACK, .window = 1000});
        save(w, dir, "malformed_tcp.pcap", written);
    }

    // A chat whose payload is markup and script: a report must show it as
    // text, run nothing and insert no element.
    {
        PcapWriter w(1);
        Conversation c(w, ethernet_framer(), v4(), 40015, 6666, 15000, 19000);
        c.handshake();
        c.send(0, {.flags = PSH | ACK, .payload = line("</script><script>alert(1)</script><img src=x onerror=alert(2)>\n"),
                   .window = 512});
        c.send(1, {.flags = ACK, .window = 1000});
        c.send(1, {.flags = PSH | ACK, .payload = line("<!-- \xe2\x80\xa8 --><svg onload=alert(3)> & \"quotes\" 'single'\n"),
                   .window = 1000});
        c.send(0, {.flags = ACK, .window = 512});
        c.close();
        save(w, dir, "hostile_payload.pcap", written);
    }

    // A FIN sent again while the peer keeps sending data (seen on other
    // stacks): the client sent duplicate ACKs for the server's last byte,
    // the server closes, and the client goes on uploading full-size segments
    // whose ack is still the FIN's sequence number. The server repeats its
    // FIN after each one. Wireshark flags each repeat a fast retransmission:
    // the client's duplicate-ACK count survives its data segments (only a
    // new ack number resets it) and each data segment renews the time of
    // its last ACK, so the FIN comes "within 20 ms of a duplicate ACK".
    {
        PcapWriter w(1);
        Conversation c(w, ethernet_framer(), v4(), 40016, 6666, 16000, 20000);
        c.handshake();
        c.send(1, {.flags = PSH | ACK, .payload = line("ready\n"), .window = 1000});
        c.send(0, {.flags = ACK, .window = 512});
        c.send(0, {.flags = ACK, .after_us = 40, .window = 512});  // duplicate ACK #1
        c.send(0, {.flags = ACK, .after_us = 40, .window = 512});  // duplicate ACK #2
        const std::uint32_t fin_seq = c.next(1);
        c.send(1, {.flags = FIN | ACK, .window = 1000});
        for (int i = 0; i < 3; ++i) {
            c.send(0, {.flags = ACK, .payload = bytes(1448, 'u'), .after_us = 30'000, .ack_override = fin_seq,
                       .window = 512});
            c.send(1, {.flags = FIN | ACK, .after_us = 300, .seq_override = fin_seq, .window = 1000});
        }
        c.send(0, {.flags = FIN | ACK, .after_us = 1000, .window = 512});
        c.send(1, {.flags = ACK, .window = 1000});
        save(w, dir, "fin_fast_retransmission.pcap", written);
    }

    // An injected RST: the forger set the three reserved header bits, which
    // no real stack does (Wireshark shows them as tcp.flags.res); one data
    // segment has a single reserved bit set as well.
    {
        PcapWriter w(1);
        Conversation c(w, ethernet_framer(), v4(), 40017, 6666, 17000, 21000);
        c.handshake();
        c.send(0, {.flags = PSH | ACK, .payload = line("hello\n"), .window = 512});
        c.send(1, {.flags = ACK, .window = 1000});
        c.send(1, {.flags = 0x200 | PSH | ACK, .payload = line("odd bit\n"), .window = 1000});
        c.send(0, {.flags = ACK, .window = 512});
        c.send(1, {.flags = 0xE00 | RST | ACK, .after_us = 5'000, .window = 0});
        save(w, dir, "reserved_bits.pcap", written);
    }

    // Ports seen again after long pauses. tshark never forgets a
    // conversation: a 4-tuple continues its old tcp.stream after any pause,
    // unless a SYN (or SYN-ACK) with a new ISN starts a new one. tcpviz
    // retires closed connections 60 s and idle ones 5 min after their last
    // segment, and must bring them back with their numbers.
    {
        PcapWriter w(1);
        Conversation a(w, ethernet_framer(), v4(), 40020, 6666, 20000, 24000);
        Conversation b(w, ethernet_framer(), v4(), 40021, 6666, 21000, 25000);
        Conversation c(w, ethernet_framer(), v4(), 40022, 6666, 22000, 26000);
        Conversation d(w, ethernet_framer(), v4(), 40023, 6666, 23000, 27000);
        Conversation a2(w, ethernet_framer(), v4(), 40020, 6666, 90000, 94000);
        a.handshake();
        a.send(0, {.flags = PSH | ACK, .payload = line("bye soon\n"), .window = 512});
        a.send(1, {.flags = ACK, .window = 1000});
        a.close();
        b.at(70);  // a is closed and quiet: retired 60 s after its last segment
        b.handshake();
        b.send(0, {.flags = PSH | ACK, .payload = line("still here\n"), .window = 512});
        b.send(1, {.flags = ACK, .window = 1000});
        a.at(90);  // a's last ACK again, as from TIME-WAIT: the same stream
        a.send(0, {.flags = ACK, .window = 512});
        c.at(400);  // b has been idle for more than 5 minutes: retired
        c.handshake();
        b.at(410);  // and seen again: the same stream, its analysis state intact
        b.send(0, {.flags = PSH | ACK, .payload = line("back again\n"), .window = 512});
        b.send(1, {.flags = ACK, .window = 1000});
        d.at(420);
        d.send(0, {.flags = SYN, .options = opt_mss(1460), .advance = false});
        a2.at(430);  // a's ports with a new ISN: a new stream (ports reused)
        a2.handshake();
        a2.close();
        c.at(750);  // d has been idle for more than 5 minutes: retired
        c.send(0, {.flags = ACK, .window = 512});
        d.at(800);  // d's SYN again with the same ISN after 380 s: the same stream
        d.send(0, {.flags = SYN, .options = opt_mss(1460)});
        save(w, dir, "reuse_after_idle.pcap", written);
    }

    craft_note_captures(dir, written);
    for (const std::string& name : written) std::printf("%s\n", name.c_str());
    return 0;
}
