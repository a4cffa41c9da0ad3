// Crafted captures with odd or broken headers: options cut by the snaplen,
// IP options and fragments, IPv6 extension headers, impossible TCP header
// lengths, reserved bits, and payload that is markup.
#include "conversation.h"

namespace tcpviz::test::crafted {
namespace {

// Truncated options: a 60-byte snaplen cuts the SYN's options; later
// segments lose their payload but keep their lengths from IP.
void truncated_options(CaptureDir& out) {
    PcapWriter w(1, 60);
    Conversation c(w, ethernet_framer(), v4(), 40011, 6666, 11000, 15000);
    const ByteVec opts = concat({opt_mss(1460), opt_sack_perm(), opt_timestamps(1, 0), opt_nop(), opt_wscale(7)});
    c.send(0, {.flags = flag::syn, .options = opts, .after_us = 0, .snaplen = 60});
    c.send(1, {.flags = flag::syn | flag::ack, .options = opts, .snaplen = 60});
    c.send(0, {.flags = flag::ack,
               .options = concat({opt_nop(), opt_nop(), opt_timestamps(2, 1)}),
               .window = 512,
               .snaplen = 60});
    c.send(0, {.flags = flag::psh | flag::ack,
               .payload = bytes(300, 'p'),
               .options = concat({opt_nop(), opt_nop(), opt_timestamps(3, 1)}),
               .window = 512,
               .snaplen = 60});
    c.send(1, {.flags = flag::ack,
               .options = concat({opt_nop(), opt_nop(), opt_timestamps(4, 3)}),
               .window = 1000,
               .snaplen = 60});
    c.send(0, {.flags = flag::ack, .after_us = 100, .window = 512, .snaplen = 40});  // cut inside the TCP header
    out.save(w, "truncated_options.pcap");
}

// IPv4 with options (Router Alert), and a lone first fragment (counted and
// skipped).
void ipv4_options_and_fragment(CaptureDir& out) {
    PcapWriter w(1);
    IpSpec with_options = v4();
    with_options.ipv4_options = {0x94, 0x04, 0x00, 0x00};  // Router Alert, RFC 2113
    Conversation c(w, ethernet_framer(), with_options, 40012, 6666, 12000, 16000);
    c.handshake();
    c.send(0, {.flags = flag::psh | flag::ack,
               .payload = line("ip options\n"),
               .window = 512,
               .ip_tweak = with_options,
               .use_ip_tweak = true});
    c.send(1, {.flags = flag::ack, .window = 1000});
    IpSpec fragment = v4();
    fragment.fragment_field = 0x2000;  // MF, offset 0: the rest never comes
    c.send(0, {.flags = flag::psh | flag::ack,
               .payload = line("fragment\n"),
               .window = 512,
               .advance = false,
               .ip_tweak = fragment,
               .use_ip_tweak = true});
    c.close();
    out.save(w, "ipv4_options_fragment.pcap");
}

// IPv6 with hop-by-hop and destination options headers before TCP.
void ipv6_extension_headers(CaptureDir& out) {
    PcapWriter w(1);
    IpSpec ext = v6();
    // Hop-by-hop (next: destination options), 8 bytes: PadN;
    // destination options (next: TCP), 8 bytes: PadN.
    ext.ipv6_first_next = 0;
    ext.ipv6_extensions = {60, 0, 1, 4, 0, 0, 0, 0, 6, 0, 1, 4, 0, 0, 0, 0};
    Conversation c(w, ethernet_framer(), ext, 40013, 6666, 13000, 17000);
    c.send(0, {.flags = flag::syn, .options = opt_mss(1440), .after_us = 0, .ip_tweak = ext, .use_ip_tweak = true});
    c.send(1, {.flags = flag::syn | flag::ack, .options = opt_mss(1440), .ip_tweak = ext, .use_ip_tweak = true});
    c.send(0, {.flags = flag::ack, .ip_tweak = ext, .use_ip_tweak = true});
    c.send(0, {.flags = flag::psh | flag::ack,
               .payload = line("v6 extension headers\n"),
               .ip_tweak = ext,
               .use_ip_tweak = true});
    c.send(1, {.flags = flag::ack, .ip_tweak = ext, .use_ip_tweak = true});
    out.save(w, "ipv6_extension_headers.pcap");
}

// Malformed TCP headers: a data offset below 5 words, one beyond the
// segment, and an option with an impossible length.
void malformed_tcp(CaptureDir& out) {
    PcapWriter w(1);
    Conversation c(w, ethernet_framer(), v4(), 40014, 6666, 14000, 18000);
    c.handshake();
    c.send(0, {.flags = flag::psh | flag::ack, .payload = line("good\n"), .window = 512});
    c.send(0, {.flags = flag::psh | flag::ack,
               .payload = line("offset 3\n"),
               .window = 512,
               .advance = false,
               .data_offset_words = 3});
    c.send(0, {.flags = flag::ack, .window = 512, .advance = false, .data_offset_words = 15});
    c.send(0, {.flags = flag::ack, .options = {2, 1, 0, 0}, .window = 512});
    c.send(1, {.flags = flag::ack, .window = 1000});
    out.save(w, "malformed_tcp.pcap");
}

// A chat whose payload is markup and script: a report must show it as
// text, run nothing and insert no element.
void hostile_payload(CaptureDir& out) {
    PcapWriter w(1);
    Conversation c(w, ethernet_framer(), v4(), 40015, 6666, 15000, 19000);
    c.handshake();
    c.send(0, {.flags = flag::psh | flag::ack,
               .payload = line("</script><script>alert(1)</script><img src=x onerror=alert(2)>\n"),
               .window = 512});
    c.send(1, {.flags = flag::ack, .window = 1000});
    c.send(1, {.flags = flag::psh | flag::ack,
               .payload = line("<!-- \xe2\x80\xa8 --><svg onload=alert(3)> & \"quotes\" 'single'\n"),
               .window = 1000});
    c.send(0, {.flags = flag::ack, .window = 512});
    c.close();
    out.save(w, "hostile_payload.pcap");
}

// An injected RST: the forger set the three reserved header bits, which
// no real stack does (Wireshark shows them as tcp.flags.res); one data
// segment has a single reserved bit set as well.
void reserved_bits(CaptureDir& out) {
    PcapWriter w(1);
    Conversation c(w, ethernet_framer(), v4(), 40017, 6666, 17000, 21000);
    c.handshake();
    c.send(0, {.flags = flag::psh | flag::ack, .payload = line("hello\n"), .window = 512});
    c.send(1, {.flags = flag::ack, .window = 1000});
    c.send(1, {.flags = 0x200 | flag::psh | flag::ack, .payload = line("odd bit\n"), .window = 1000});
    c.send(0, {.flags = flag::ack, .window = 512});
    c.send(1, {.flags = 0xE00 | flag::rst | flag::ack, .after_us = 5'000, .window = 0});
    out.save(w, "reserved_bits.pcap");
}

}  // namespace

void craft_header_cases(CaptureDir& out) {
    truncated_options(out);
    ipv4_options_and_fragment(out);
    ipv6_extension_headers(out);
    malformed_tcp(out);
    hostile_payload(out);
    reserved_bits(out);
}

}  // namespace tcpviz::test::crafted
