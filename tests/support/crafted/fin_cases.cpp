// Crafted captures for Wireshark 4.0's "fast retransmission" without any
// duplicate ACK (issue 14):
//
//   fin_again_after_unseen_ack.pcap  the server closes while the client goes
//     on uploading with ack = the FIN's sequence number; the server repeats
//     its FIN after each client segment, and the capture misses every other
//     client segment, so some repeated FINs acknowledge data never seen.
//   resent_after_unseen_ack.pcap  the same with data: a segment resent at
//     once, whose ack covers a client segment the capture missed.
//
// Why Wireshark says "fast": a segment that acknowledges data never seen,
// while the other side's data seen so far has no hole, leaves -1 in the other
// side's duplicate-ACK count. Wireshark keeps that count unsigned, so -1 reads
// as 4294967295, "two or more duplicate ACKs", and the same segment (or a
// later one, until the other side's ack number changes) resent at that
// side's last ack within 20 ms of its last segment is a fast retransmission.
#include "conversation.h"

namespace tcpviz::test::crafted {
namespace {

void fin_again_after_unseen_ack(CaptureDir& out) {
    PcapWriter w(1);
    Conversation c(w, ethernet_framer(), v4(), 40017, 6666, 21000, 26000);
    c.handshake();
    c.send(0, {.flags = flag::psh | flag::ack, .payload = line("upload\n"), .window = 502});
    c.send(1, {.flags = flag::psh | flag::ack, .payload = bytes(1000, 'r'), .window = 500});
    const std::uint32_t fin_seq = c.next(1);
    c.send(1, {.flags = flag::fin | flag::ack, .window = 500});
    for (int i = 0; i < 6; ++i) {
        // Every second client segment reaches the server but not the capture.
        c.send(0, {.flags = flag::ack,
                   .payload = bytes(1448, 'u'),
                   .after_us = 30'000,
                   .ack_override = fin_seq,
                   .window = 502,
                   .skip = i % 2 == 1});
        c.send(1, {.flags = flag::fin | flag::ack, .after_us = 300, .seq_override = fin_seq, .window = 500});
    }
    c.send(0, {.flags = flag::fin | flag::ack, .after_us = 1000, .window = 502});
    c.send(1, {.flags = flag::ack, .window = 500});
    out.save(w, "fin_again_after_unseen_ack.pcap");
}

void resent_after_unseen_ack(CaptureDir& out) {
    PcapWriter w(1);
    Conversation c(w, ethernet_framer(), v4(), 40018, 6666, 31000, 36000);
    c.handshake();
    const std::uint32_t reply = c.next(1);
    c.send(1, {.flags = flag::psh | flag::ack, .payload = bytes(100, 'r'), .window = 500});
    // The client has not received the reply yet: its ack stays before it.
    c.send(0,
           {.flags = flag::ack, .payload = bytes(1000, 'u'), .after_us = 5000, .ack_override = reply, .window = 502});
    c.send(0, {.flags = flag::ack,
               .payload = bytes(1000, 'v'),
               .after_us = 50,
               .ack_override = reply,
               .window = 502,
               .skip = true});
    c.send(1, {.flags = flag::psh | flag::ack,
               .payload = bytes(100, 'r'),
               .after_us = 1000,
               .seq_override = reply,
               .window = 500});
    c.send(0, {.flags = flag::ack, .after_us = 1000, .window = 502});
    c.close();
    out.save(w, "resent_after_unseen_ack.pcap");
}

}  // namespace

void craft_fin_cases(CaptureDir& out) {
    fin_again_after_unseen_ack(out);
    resent_after_unseen_ack(out);
}

}  // namespace tcpviz::test::crafted
