// Crafted captures for the notes (tests/cli/teaching_notes.py reads them):
//
//   mid_stream_fin_data.pcap  a capture that begins after the handshake
//     ("handshake not captured"), a line lost and resent by timeout three
//     times, each wait double the one before (200, 400, 800 ms), and both
//     sides' last bytes riding on their FINs (a FIN carrying data).
//   timer_restarts.pcap  what restarts the retransmission timer besides the
//     data's own sending: a line lost, then a tail loss probe (new data, as
//     Linux sends it about two round trips after the last segment) that
//     restarts the timer, so the first timeout comes 284 ms after the probe
//     (528 ms after the line) and the second 576 ms after the first, twice
//     284; later an ACK of new data restarts the timer for the line after
//     it, resent by timeout 300 ms after that ACK; last, lines written while
//     the timer runs, which do not restart it (the timeout comes 210 ms after
//     the lost line, 20 ms after the latest).
#include "conversation.h"

namespace tcpviz::test::crafted {
namespace {

constexpr std::int64_t start_us = 1'700'000'000'000'000LL;

// One side's end of the conversation: its port and next sequence number.
struct Peer {
    std::uint16_t port;
    std::uint32_t next;
};

class Exchange {
public:
    explicit Exchange(PcapWriter& w) : w_(w) {}

    // `from` sends at `at_ms` (since the first frame) with the peer's next
    // number as its ack (or `ack`, when the peer's later bytes were lost);
    // `seq` sends the same bytes again from there.
    void send(int from, double at_ms, std::uint16_t flags, const std::string& data = "", std::int64_t seq = -1,
              std::int64_t ack = -1) {
        Peer& me = peer_[from];
        const Peer& other = peer_[1 - from];
        IpSpec ip;
        if (from == 1) std::swap(ip.src, ip.dst);
        TcpSpec t{.sport = me.port,
                  .dport = other.port,
                  .seq = seq >= 0 ? static_cast<std::uint32_t>(seq) : me.next,
                  .ack = ack >= 0 ? static_cast<std::uint32_t>(ack) : other.next,
                  .flags = flags,
                  .window = 502,
                  .payload = text(data)};
        w_.add(start_us + static_cast<std::int64_t>(at_ms * 1000), ethernet(ip_packet(ip, tcp_segment(t, ip)), 4));
        if (seq < 0) me.next += static_cast<std::uint32_t>(data.size()) + ((flags & flag::fin) ? 1 : 0);
    }
    std::uint32_t next(int who) const { return peer_[who].next; }

private:
    PcapWriter& w_;
    Peer peer_[2] = {{40100, 700'001}, {6666, 900'001}};
};

void craft_mid_stream_fin_data(CaptureDir& out) {
    PcapWriter w(1);
    Exchange x(w);
    x.send(0, 0, flag::psh | flag::ack, "hello\n");
    x.send(1, 1, flag::ack);
    const std::uint32_t lost = x.next(0);
    x.send(0, 10, flag::psh | flag::ack, "are you there?\n");          // lost on the way: never acknowledged
    x.send(0, 210, flag::psh | flag::ack, "are you there?\n", lost);   // RTO 200 ms
    x.send(0, 610, flag::psh | flag::ack, "are you there?\n", lost);   // doubled: 400 ms
    x.send(0, 1410, flag::psh | flag::ack, "are you there?\n", lost);  // doubled: 800 ms
    x.send(1, 1411, flag::ack);
    x.send(1, 1420, flag::fin | flag::psh | flag::ack, "bye\n");  // the server's last line rides on its FIN
    x.send(0, 1421, flag::ack);
    x.send(0, 1430, flag::fin | flag::psh | flag::ack, "bye too\n");  // and so does the client's
    x.send(1, 1431, flag::ack);
    out.save(w, "mid_stream_fin_data.pcap");
}

void craft_timer_restarts(CaptureDir& out) {
    PcapWriter w(1);
    Exchange x(w);
    x.send(0, 0, flag::psh | flag::ack, "hello\n");
    x.send(1, 1, flag::ack);
    const std::uint32_t line = x.next(0);
    x.send(0, 10, flag::psh | flag::ack, "are you there?\n");  // lost
    const std::uint32_t probe = x.next(0);
    x.send(0, 254, flag::psh | flag::ack, "hello?\n");                 // the tail loss probe: lost too
    x.send(0, 538, flag::psh | flag::ack, "are you there?\n", line);   // RTO: 284 ms after the probe
    x.send(0, 1114, flag::psh | flag::ack, "are you there?\n", line);  // doubled: 576 ms
    x.send(1, 1115, flag::ack, "", -1, probe);                         // the line arrived, the probe did not
    x.send(0, 1116, flag::psh | flag::ack, "hello?\n", probe);         // resent at once, on that ACK
    x.send(1, 1117, flag::ack);
    x.send(0, 1200, flag::psh | flag::ack, "still here\n");
    const std::uint32_t last = x.next(0);
    x.send(0, 1201, flag::psh | flag::ack, "and here\n");        // lost
    x.send(1, 1250, flag::ack, "", -1, last);                    // acknowledges new data: the timer restarts
    x.send(0, 1550, flag::psh | flag::ack, "and here\n", last);  // RTO: 300 ms after that ACK
    x.send(1, 1551, flag::ack);
    const std::uint32_t unheard = x.next(0);
    x.send(0, 1600, flag::psh | flag::ack, "one\n");  // lost
    x.send(0, 1700, flag::psh | flag::ack, "two\n");  // new data while the timer runs: no restart
    x.send(0, 1790, flag::psh | flag::ack, "three\n");
    x.send(0, 1810, flag::psh | flag::ack, "one\n", unheard);  // RTO: 210 ms after "one", not 20 after "three"
    x.send(1, 1811, flag::ack);
    out.save(w, "timer_restarts.pcap");
}

}  // namespace

void craft_note_cases(CaptureDir& out) {
    craft_mid_stream_fin_data(out);
    craft_timer_restarts(out);
}

}  // namespace tcpviz::test::crafted
