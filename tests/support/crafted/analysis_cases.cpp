// Crafted captures for the analysis rules: segments a Linux loopback never
// loses, reorders or probes the way these do.
#include "conversation.h"

namespace tcpviz::test::crafted {
namespace {

// Out-of-order: the second segment arrives after the third, within the
// handshake RTT; the third shows a hole (previous segment not captured),
// the receiver answers with duplicate ACKs.
void out_of_order(CaptureDir& out) {
    PcapWriter w(1);
    Conversation c(w, ethernet_framer(), v4(), 40001, 6666, 1000, 5000);
    c.handshake(10'000);
    const std::uint32_t a = c.next(0);
    c.send(0, {.flags = flag::psh | flag::ack, .payload = bytes(100, 'a'), .window = 512});
    c.send(0, {.flags = flag::psh | flag::ack, .payload = bytes(100, 'b'), .window = 512, .skip = true});
    c.send(0, {.flags = flag::psh | flag::ack, .payload = bytes(100, 'c'), .after_us = 50, .window = 512});
    c.send(1, {.flags = flag::ack, .after_us = 20, .ack_override = a + 100, .window = 1000});
    c.send(0, {.flags = flag::psh | flag::ack,
               .payload = bytes(100, 'b'),
               .after_us = 500,
               .seq_override = a + 100,
               .window = 512});
    c.send(1, {.flags = flag::ack, .after_us = 20, .window = 1000});
    c.close();
    out.save(w, "out_of_order.pcap");
}

// Spurious retransmission: data already acknowledged is sent again.
void spurious_retransmission(CaptureDir& out) {
    PcapWriter w(1);
    Conversation c(w, ethernet_framer(), v4(), 40002, 6666, 2000, 6000);
    c.handshake();
    const std::uint32_t a = c.next(0);
    c.send(0, {.flags = flag::psh | flag::ack, .payload = line("hello\n"), .window = 512});
    c.send(1, {.flags = flag::ack, .window = 1000});
    c.send(0, {.flags = flag::psh | flag::ack,
               .payload = line("hello\n"),
               .after_us = 300'000,
               .seq_override = a,
               .window = 512});
    c.send(1, {.flags = flag::ack, .window = 1000});
    c.close();
    out.save(w, "spurious_retransmission.pcap");
}

// ACKed unseen segment: the capture missed a data segment that the
// receiver acknowledges.
void ack_unseen_segment(CaptureDir& out) {
    PcapWriter w(1);
    Conversation c(w, ethernet_framer(), v4(), 40003, 6666, 3000, 7000);
    c.handshake();
    c.send(0, {.flags = flag::psh | flag::ack, .payload = line("first\n"), .window = 512});
    c.send(1, {.flags = flag::ack, .window = 1000});
    c.send(0, {.flags = flag::psh | flag::ack, .payload = line("unseen\n"), .window = 512, .skip = true});
    c.send(1, {.flags = flag::ack, .window = 1000});
    c.send(0, {.flags = flag::psh | flag::ack, .payload = line("third\n"), .window = 512});
    c.send(1, {.flags = flag::ack, .window = 1000});
    c.close();
    out.save(w, "ack_unseen_segment.pcap");
}

// A 1-byte zero-window probe (as BSD and Windows send them), its ACK,
// and the window update that reopens the window.
void zero_window_probe(CaptureDir& out) {
    PcapWriter w(1);
    Conversation c(w, ethernet_framer(), v4(), 40004, 6666, 4000, 8000);
    c.handshake(200, concat({opt_mss(1460), opt_sack_perm()}));  // no window scaling
    c.send(0, {.flags = flag::psh | flag::ack, .payload = bytes(1000, 'z'), .window = 512});
    c.send(1, {.flags = flag::ack, .window = 0});
    c.send(0, {.flags = flag::ack, .payload = bytes(1, 'z'), .after_us = 200'000, .window = 512, .advance = false});
    c.send(1, {.flags = flag::ack, .after_us = 50, .window = 0});
    c.send(0, {.flags = flag::ack, .payload = bytes(1, 'z'), .after_us = 400'000, .window = 512, .advance = false});
    c.send(1, {.flags = flag::ack, .after_us = 50, .window = 0});
    c.send(1, {.flags = flag::ack, .after_us = 500'000, .window = 4000});
    c.send(0, {.flags = flag::psh | flag::ack, .payload = bytes(500, 'z'), .window = 512});
    c.send(1, {.flags = flag::ack, .window = 4000});
    c.close();
    out.save(w, "zero_window_probe.pcap");
}

// A FIN sent again while the peer keeps sending data (seen on other
// stacks): the client sent duplicate ACKs for the server's last byte,
// the server closes, and the client goes on uploading full-size segments
// whose ack is still the FIN's sequence number. The server repeats its
// FIN after each one. Wireshark flags each repeat a fast retransmission:
// the client's duplicate-ACK count survives its data segments (only a
// new ack number resets it) and each data segment renews the time of
// its last ACK, so the FIN comes "within 20 ms of a duplicate ACK".
void fin_again_while_peer_sends(CaptureDir& out) {
    PcapWriter w(1);
    Conversation c(w, ethernet_framer(), v4(), 40016, 6666, 16000, 20000);
    c.handshake();
    c.send(1, {.flags = flag::psh | flag::ack, .payload = line("ready\n"), .window = 1000});
    c.send(0, {.flags = flag::ack, .window = 512});
    c.send(0, {.flags = flag::ack, .after_us = 40, .window = 512});  // duplicate ACK #1
    c.send(0, {.flags = flag::ack, .after_us = 40, .window = 512});  // duplicate ACK #2
    const std::uint32_t fin_seq = c.next(1);
    c.send(1, {.flags = flag::fin | flag::ack, .window = 1000});
    for (int i = 0; i < 3; ++i) {
        c.send(0, {.flags = flag::ack,
                   .payload = bytes(1448, 'u'),
                   .after_us = 30'000,
                   .ack_override = fin_seq,
                   .window = 512});
        c.send(1, {.flags = flag::fin | flag::ack, .after_us = 300, .seq_override = fin_seq, .window = 1000});
    }
    c.send(0, {.flags = flag::fin | flag::ack, .after_us = 1000, .window = 512});
    c.send(1, {.flags = flag::ack, .window = 1000});
    out.save(w, "fin_fast_retransmission.pcap");
}

}  // namespace

void craft_analysis_cases(CaptureDir& out) {
    out_of_order(out);
    spurious_retransmission(out);
    ack_unseen_segment(out);
    zero_window_probe(out);
    fin_again_while_peer_sends(out);
}

}  // namespace tcpviz::test::crafted
