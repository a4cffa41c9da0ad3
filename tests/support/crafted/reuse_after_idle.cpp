// The crafted capture of ports seen again after long pauses, which tests
// that retiring connections keeps tshark's stream numbers.
#include "conversation.h"

namespace tcpviz::test::crafted {
namespace {

// Ports seen again after long pauses. tshark never forgets a
// conversation: a 4-tuple continues its old tcp.stream after any pause,
// unless a SYN (or SYN-ACK) with a new ISN starts a new one. tcpviz
// retires closed connections 60 s and idle ones 5 min after their last
// segment, and must bring them back with their numbers.
void reuse_after_idle_capture(CaptureDir& out) {
    PcapWriter w(1);
    Conversation a(w, ethernet_framer(), v4(), 40020, 6666, 20000, 24000);
    Conversation b(w, ethernet_framer(), v4(), 40021, 6666, 21000, 25000);
    Conversation c(w, ethernet_framer(), v4(), 40022, 6666, 22000, 26000);
    Conversation d(w, ethernet_framer(), v4(), 40023, 6666, 23000, 27000);
    Conversation a2(w, ethernet_framer(), v4(), 40020, 6666, 90000, 94000);
    a.handshake();
    a.send(0, {.flags = flag::psh | flag::ack, .payload = line("bye soon\n"), .window = 512});
    a.send(1, {.flags = flag::ack, .window = 1000});
    a.close();
    b.at(70);  // a is closed and quiet: retired 60 s after its last segment
    b.handshake();
    b.send(0, {.flags = flag::psh | flag::ack, .payload = line("still here\n"), .window = 512});
    b.send(1, {.flags = flag::ack, .window = 1000});
    a.at(90);  // a's last ACK again, as from TIME-WAIT: the same stream
    a.send(0, {.flags = flag::ack, .window = 512});
    c.at(400);  // b has been idle for more than 5 minutes: retired
    c.handshake();
    b.at(410);  // and seen again: the same stream, its analysis state intact
    b.send(0, {.flags = flag::psh | flag::ack, .payload = line("back again\n"), .window = 512});
    b.send(1, {.flags = flag::ack, .window = 1000});
    d.at(420);
    d.send(0, {.flags = flag::syn, .options = opt_mss(1460), .advance = false});
    a2.at(430);  // a's ports with a new ISN: a new stream (ports reused)
    a2.handshake();
    a2.close();
    c.at(750);  // d has been idle for more than 5 minutes: retired
    c.send(0, {.flags = flag::ack, .window = 512});
    d.at(800);  // d's SYN again with the same ISN after 380 s: the same stream
    d.send(0, {.flags = flag::syn, .options = opt_mss(1460)});
    out.save(w, "reuse_after_idle.pcap");
}

}  // namespace

void craft_reuse_after_idle(CaptureDir& out) { reuse_after_idle_capture(out); }

}  // namespace tcpviz::test::crafted
