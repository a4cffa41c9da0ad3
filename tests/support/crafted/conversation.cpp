#include "conversation.h"

#include <cstdio>
#include <cstdlib>

namespace tcpviz::test::crafted {

Framer ethernet_framer(std::vector<std::uint16_t> tags) {
    return [tags](const ByteVec& p, int v) { return ethernet(p, v, tags); };
}

Conversation::Conversation(PcapWriter& writer, Framer framer, IpSpec client_ip, std::uint16_t client_port,
                           std::uint16_t server_port, std::uint32_t client_isn, std::uint32_t server_isn)
    : w_(writer), framer_(std::move(framer)), ip_(std::move(client_ip)) {
    side_[0] = {client_port, client_isn};
    side_[1] = {server_port, server_isn};
}

void Conversation::send(int from, const Seg& s) {
    Side& me = side_[from];
    Side& peer = side_[1 - from];
    IpSpec ip = s.use_ip_tweak ? s.ip_tweak : ip_;
    ip.version = ip_.version;
    ip.src = from == 0 ? ip_.src : ip_.dst;
    ip.dst = from == 0 ? ip_.dst : ip_.src;
    TcpSpec t;
    t.sport = me.port;
    t.dport = peer.port;
    t.seq = s.seq_override >= 0 ? static_cast<std::uint32_t>(s.seq_override) : me.next;
    if (s.flags & flag::ack) t.ack = s.ack_override >= 0 ? static_cast<std::uint32_t>(s.ack_override) : peer.next;
    t.flags = s.flags;
    t.window = s.window;
    t.options = s.options;
    t.payload = s.payload;
    t.data_offset_words = s.data_offset_words;
    now_ += s.after_us;
    if (!s.skip) w_.add(now_, framer_(ip_packet(ip, tcp_segment(t, ip)), ip_.version), s.snaplen);
    if (s.advance && s.seq_override < 0) {
        me.next += static_cast<std::uint32_t>(s.payload.size()) + ((s.flags & (flag::syn | flag::fin)) ? 1 : 0);
    }
}

void Conversation::handshake(std::int64_t rtt_us, ByteVec syn_options) {
    send(0, {.flags = flag::syn, .options = syn_options, .after_us = 0});
    send(1, {.flags = flag::syn | flag::ack, .options = syn_options, .after_us = rtt_us / 2});
    send(0, {.flags = flag::ack, .after_us = rtt_us / 2, .window = 512});
}

void Conversation::close() {
    send(0, {.flags = flag::fin | flag::ack, .window = 512});
    send(1, {.flags = flag::ack, .window = 512});
    send(1, {.flags = flag::fin | flag::ack, .window = 512});
    send(0, {.flags = flag::ack, .window = 512});
}

IpSpec v4() { return IpSpec{}; }

IpSpec v6() {
    IpSpec ip;
    ip.version = 6;
    ip.src = "2001:2::1";
    ip.dst = "2001:2::2";
    return ip;
}

ByteVec line(const std::string& s) { return text(s); }
ByteVec bytes(std::size_t n, std::uint8_t fill) { return ByteVec(n, fill); }

void CaptureDir::save(const PcapWriter& w, const std::string& name) {
    const std::string path = path_ + "/" + name;
    if (!w.save(path)) {
        std::fprintf(stderr, "craft_captures: cannot write %s\n", path.c_str());
        std::exit(1);
    }
    written_.push_back(name);
}

}  // namespace tcpviz::test::crafted
