// Crafted captures for the link layers tcpviz reads besides Linux's own:
// VLAN tags, BSD loopback (both byte orders), raw IP, Linux cooked v1.
#include "conversation.h"

namespace tcpviz::test::crafted {
namespace {

// 802.1Q VLAN, and QinQ (802.1ad outer tag, 802.1Q inner).
void vlan_tags(CaptureDir& out) {
    for (const auto& [name, tags] : std::vector<std::pair<std::string, std::vector<std::uint16_t>>>{
             {"vlan.pcap", {0x8100}}, {"qinq.pcap", {0x88A8, 0x8100}}}) {
        PcapWriter w(1);
        Conversation c(w, ethernet_framer(tags), v4(), 40005, 6666, 5000, 9000);
        c.handshake();
        c.send(0, {.flags = flag::psh | flag::ack, .payload = line("tagged\n"), .window = 512});
        c.send(1, {.flags = flag::ack, .window = 1000});
        c.close();
        out.save(w, name);
    }
}

// BSD loopback: DLT_NULL in little-endian (a capture from a Mac) with
// IPv4 and IPv6 (AF_INET6 = 30 on macOS).
void bsd_null_loopback(CaptureDir& out) {
    PcapWriter w(0);
    Conversation c4(
        w, [](const ByteVec& p, int v) { return bsd_null(p, v, false); }, v4(), 40006, 6666, 6000, 10000);
    c4.handshake();
    c4.send(0, {.flags = flag::psh | flag::ack, .payload = line("from a mac\n"), .window = 512});
    c4.send(1, {.flags = flag::ack, .window = 1000});
    c4.close();
    Conversation c6(
        w, [](const ByteVec& p, int v) { return bsd_null(p, v, false); }, v6(), 40007, 6666, 7000, 11000);
    c6.handshake();
    c6.send(0, {.flags = flag::psh | flag::ack, .payload = line("ipv6 on a mac\n"), .window = 512});
    c6.close();
    out.save(w, "null_loopback.pcap");
}

// DLT_LOOP: BSD loopback with the family in network byte order.
void openbsd_loop(CaptureDir& out) {
    PcapWriter w(108);
    Conversation c(
        w, [](const ByteVec& p, int v) { return bsd_null(p, v, true); }, v4(), 40008, 6666, 8000, 12000);
    c.handshake();
    c.send(0, {.flags = flag::psh | flag::ack, .payload = line("openbsd loop\n"), .window = 512});
    c.close();
    out.save(w, "loop_openbsd.pcap");
}

// Raw IP (LINKTYPE_RAW): no link header at all.
void raw_ip(CaptureDir& out) {
    PcapWriter w(101);
    Conversation c(
        w, [](const ByteVec& p, int) { return p; }, v4(), 40009, 6666, 9000, 13000);
    c.handshake();
    c.send(0, {.flags = flag::psh | flag::ack, .payload = line("raw ip\n"), .window = 512});
    c.close();
    out.save(w, "raw_ip.pcap");
}

// Linux cooked v1 (what `-i any` wrote before SLL2) with IPv6.
void linux_cooked_ipv6(CaptureDir& out) {
    PcapWriter w(113);
    Conversation c(
        w, [](const ByteVec& p, int v) { return linux_sll(p, v); }, v6(), 40010, 6666, 10000, 14000);
    c.handshake();
    c.send(1, {.flags = flag::psh | flag::ack, .payload = line("sll ipv6\n"), .window = 512});
    c.close();
    out.save(w, "sll_ipv6.pcap");
}

}  // namespace

void craft_link_cases(CaptureDir& out) {
    vlan_tags(out);
    bsd_null_loopback(out);
    openbsd_loop(out);
    raw_ip(out);
    linux_cooked_ipv6(out);
}

}  // namespace tcpviz::test::crafted
