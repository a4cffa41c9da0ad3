// Connection tracking and per-segment analysis, following the order of
// Wireshark 4.0's dissect_tcp so that every field agrees with tshark:
//   1. find the conversation (a new one when a SYN reuses the ports with a
//      new ISN), 2. set the base sequence numbers, 3. run the sequence
//   analysis on raw numbers, 4. make seq/ack relative and scale the window,
//   5. remember what the options say (window scale, SACK) for the segments
//   that follow.
// On top of that, tcpviz infers each endpoint's state and explains the
// segment in one sentence.
#include "tcpviz/analyzer.h"

#include <algorithm>
#include <cstring>

#include "tcpviz/state_inference.h"

namespace tcpviz {
namespace {

using namespace tcp_flag;

Nanos to_nanos(const PacketRecord& r) { return r.ts_sec * 1'000'000'000LL + r.ts_nsec; }

bool is_pure_syn(const TcpHeader& h) { return (h.flags & (syn | ack)) == syn; }
bool is_syn_ack(const TcpHeader& h) { return (h.flags & (syn | ack)) == (syn | ack); }
bool is_pure_ack(const TcpHeader& h) { return (h.flags & (syn | ack)) == ack; }

// Window scale bookkeeping after a SYN or SYN-ACK (Wireshark's
// verify_tcp_window_scaling): scaling is used only if both SYNs carried the
// option. -1 = not known yet, -2 = known not to be used.
void settle_window_scaling(bool is_synack, FlowAnalysis& fwd, FlowAnalysis& rev) {
    if (fwd.win_scale == -1) {
        // A SYN without the option (the other side cannot scale either), or a
        // SYN-ACK without it while the SYN had it.
        fwd.win_scale = -2;
        rev.win_scale = -2;
    } else if (is_synack && rev.win_scale == -2) {
        // The SYN-ACK has the option but the SYN did not: not used.
        fwd.win_scale = -2;
    }
}

// The most useful sentence for a segment: what went wrong first, then what
// the segment does in the life of the connection.
Note explain(const Event& e, const SegmentRoles& roles) {
    Note n;
    n.side = static_cast<std::uint8_t>(sender_of(e.dir));
    const Findings f = e.analysis.findings;
    auto with = [&n](NoteId id, std::uint32_t a = 0, std::uint32_t b = 0, std::uint32_t cc = 0) {
        n.id = id;
        n.args = {a, b, cc};
        return n;
    };
    if (e.truncated && e.conn < 0) return with(NoteId::truncated);
    if (e.malformed) return with(NoteId::malformed);
    if (e.flags & rst) return roles.refuses ? with(NoteId::refused) : with(NoteId::rst);
    if (e.flags & syn) {
        const bool again = f.is_any_retransmission();
        if (e.flags & ack) return again ? with(NoteId::syn_ack_again) : with(NoteId::syn_ack, e.seq_raw, e.ack_raw);
        return again ? with(NoteId::syn_again) : with(NoteId::syn, e.seq_raw);
    }
    if (f.has(Finding::zero_window_probe)) return with(NoteId::zero_window_probe);
    if (f.has(Finding::zero_window_probe_ack)) return with(NoteId::zero_window_probe_ack);
    if (f.has(Finding::keep_alive)) return with(NoteId::keep_alive);
    if (f.has(Finding::keep_alive_ack)) return with(NoteId::keep_alive_ack);
    if (f.has(Finding::spurious_retransmission)) return with(NoteId::spurious_retransmission, e.len);
    if (f.has(Finding::fast_retransmission)) return with(NoteId::fast_retransmission, e.seq);
    if (f.has(Finding::retransmission)) return with(NoteId::retransmission, e.len);
    if (f.has(Finding::out_of_order)) return with(NoteId::out_of_order, e.len);
    if (f.has(Finding::lost_segment)) return with(NoteId::lost_segment);
    if (f.has(Finding::zero_window)) return with(NoteId::zero_window);
    if (f.has(Finding::duplicate_ack)) return with(NoteId::duplicate_ack, e.analysis.dup_ack_num, e.ack);
    if (f.has(Finding::ack_lost_segment)) return with(NoteId::ack_lost_segment);
    if (f.has(Finding::window_full)) return with(NoteId::window_full, e.len);
    if (f.has(Finding::window_update)) return with(NoteId::window_update, e.win);
    if (e.flags & fin) return roles.first_fin || !roles.new_fin ? with(NoteId::fin_first) : with(NoteId::fin_second);
    if (roles.completes_handshake) return with(NoteId::handshake_ack);
    if (e.len > 0) return with(NoteId::data, e.len, e.seq, e.seq + e.len - 1);
    if (roles.acks_fin) return with(NoteId::fin_ack);
    return with(NoteId::ack, e.ack, e.win);
}

Phase phase_of(const Event& e, const Connection& c, const SegmentRoles& roles) {
    if ((e.flags & syn) || roles.completes_handshake) return Phase::handshake;
    if (e.flags & (fin | rst)) return Phase::teardown;
    if (e.len == 0 && (c.saw_fin || c.saw_rst)) return Phase::teardown;
    return Phase::data;
}

}  // namespace

std::size_t Analyzer::KeyHash::operator()(const Key& k) const {
    // FNV-1a over the address bytes and ports.
    std::uint64_t h = 1469598103934665603ULL;
    auto mix = [&h](const std::uint8_t* p, std::size_t n) {
        for (std::size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 1099511628211ULL;
    };
    mix(k.a.bytes.data(), k.a.size());
    mix(k.b.bytes.data(), k.b.size());
    const std::uint16_t ports[2] = {k.port_a, k.port_b};
    mix(reinterpret_cast<const std::uint8_t*>(ports), sizeof ports);
    return static_cast<std::size_t>(h);
}

Analyzer::Analyzer(int link_type) : link_type_(link_type) {}
Analyzer::~Analyzer() = default;

Connection& Analyzer::new_connection(const Key& key, const Endpoint& src, const Endpoint& dst,
                                     const TcpHeader& h, std::uint64_t frame, Nanos ts) {
    Connection& c = connections_.emplace_back();
    c.id = static_cast<std::uint32_t>(connections_.size() - 1);
    // Client = the side that sent the first SYN. Without a SYN: a SYN-ACK's
    // sender is the server; otherwise, like Wireshark choosing which port to
    // try first, the lower port is taken as the server's.
    bool src_is_client;
    if (is_pure_syn(h)) {
        src_is_client = true;
        c.roles_from_syn = true;
    } else if (is_syn_ack(h)) {
        src_is_client = false;
        c.roles_from_syn = true;
    } else {
        src_is_client = src.port != dst.port ? src.port > dst.port : true;
    }
    c.client = src_is_client ? src : dst;
    c.server = src_is_client ? dst : src;
    c.first_frame = frame;
    c.first_ts = ts;
    by_key_[key] = c.id;
    last_key_ = key;
    last_conn_ = c.id;
    return c;
}

const Event* Analyzer::add(const PacketRecord& record) { return add(record, next_frame_); }

const Event* Analyzer::add(const PacketRecord& record, std::uint64_t frame) {
    next_frame_ = frame + 1;
    const Nanos ts = to_nanos(record);
    if (stats_.frames == 0) stats_.first_ts = ts;
    stats_.last_ts = ts;
    ++stats_.frames;

    packet_ = decode_packet(link_type_, record);
    switch (packet_.kind) {
        case PacketKind::tcp: break;
        case PacketKind::not_ip: ++stats_.not_ip; return nullptr;
        case PacketKind::not_tcp: ++stats_.not_tcp; return nullptr;
        case PacketKind::ip_fragment: ++stats_.ip_fragments; return nullptr;
        case PacketKind::undecodable:
            ++stats_.undecodable;
            if (packet_.ip.status == IpStatus::ok && packet_.ip.protocol == ip_protocol_tcp) ++stats_.tcp_without_ports;
            return nullptr;
    }
    ++stats_.tcp_segments;

    const TcpHeader& h = packet_.tcp.header;
    Event& e = event_;
    e = Event{};
    e.frame = frame;
    e.ts = ts;
    e.src = Endpoint{packet_.ip.src, h.src_port};
    e.dst = Endpoint{packet_.ip.dst, h.dst_port};
    e.flags = h.flags;
    e.seq = e.seq_raw = h.seq;
    e.ack = e.ack_raw = h.ack;
    e.win = e.win_raw = h.window;
    e.options = h.options;
    e.relative_sack = h.options.sack;  // relative to 0 until the connection is known
    e.payload = packet_.payload;
    e.ip_version = packet_.ip.src.version;
    e.ttl = packet_.ip.ttl;
    e.ip_header_length = packet_.ip.header_length;
    e.tcp_header_length = h.header_length;
    e.vlan_tags = packet_.link.vlan_tags;
    e.captured_header_bytes = packet_.tcp.captured_header_bytes;
    e.truncated = packet_.tcp.status == TcpStatus::truncated;
    e.malformed = packet_.tcp.status == TcpStatus::malformed;
    e.problem = packet_.tcp.problem;
    if (e.truncated) ++stats_.truncated;
    if (e.malformed) ++stats_.malformed;

    // The conversation key: both directions map to the same entry.
    Key key;
    const bool src_first = std::tie(e.src.ip, e.src.port) < std::tie(e.dst.ip, e.dst.port);
    key.a = src_first ? e.src.ip : e.dst.ip;
    key.b = src_first ? e.dst.ip : e.src.ip;
    key.port_a = src_first ? e.src.port : e.dst.port;
    key.port_b = src_first ? e.dst.port : e.src.port;

    // Wireshark reads ports, seq, ack, flags and window before it looks the
    // conversation up; a capture cut before the window belongs to none.
    if (packet_.tcp.captured_header_bytes < tcp_field_end::window) {
        e.have_seglen = false;
        e.note.id = NoteId::truncated;
        return &e;
    }

    // Consecutive segments mostly belong to one connection: ask the map only
    // when the conversation changes.
    Connection* c;
    if (last_conn_ != no_connection && key == last_key_) {
        c = &connections_[last_conn_];
    } else {
        auto found = by_key_.find(key);
        c = found == by_key_.end() ? &new_connection(key, e.src, e.dst, h, frame, ts) : &connections_[found->second];
    }
    e.dir = (e.src == c->client) ? Direction::c2s : Direction::s2c;
    Findings early;  // findings made before the sequence analysis

    // A SYN with a new ISN on ports already used starts a new connection
    // (Wireshark issue 15097); the same ISN is a retransmitted SYN.
    if (is_pure_syn(h)) {
        FlowAnalysis& fwd = c->flow_of(e.dir);
        if (fwd.base_seq_set && h.seq != fwd.base_seq) {
            c = &new_connection(key, e.src, e.dst, h, frame, ts);
            e.dir = Direction::c2s;
            early.add(Finding::reused_ports);
        } else if (fwd.base_seq_set) {
            // A RST may have moved nextseq (RFC 793 3.4): restore it (Wireshark issue 17616).
            fwd.nextseq = fwd.maxseqtobeacked;
        }
    }
    if (is_syn_ack(h)) {
        FlowAnalysis& fwd = c->flow_of(e.dir);
        if (fwd.base_seq_set && h.seq != fwd.base_seq) {
            fwd.base_seq = h.seq;  // the conversation found may be an older one (issue 16944)
            early.add(Finding::reused_ports);
        }
    }

    last_key_ = key;
    last_conn_ = c->id;
    Connection& conn = *c;
    const Direction dir = e.dir;
    const Side sender = sender_of(dir);
    FlowAnalysis& fwd = conn.flow_of(dir);
    FlowAnalysis& rev = conn.flow_of(dir == Direction::c2s ? Direction::s2c : Direction::c2s);
    e.conn = conn.id;
    conn.last_frame = frame;
    conn.last_ts = ts;
    fwd.sack_count = 0;  // SACK blocks are those of the latest segment only

    // The segment length comes from IP; a header longer than the segment
    // leaves it unknown, and then Wireshark does no sequence analysis.
    e.have_seglen = h.header_length <= packet_.segment_length;
    if (e.have_seglen) {
        e.len = packet_.segment_length - h.header_length;
        if (!fwd.base_seq_set) {
            // Relative numbers start at 0 for the SYN, at 1 when the SYN was not seen.
            fwd.base_seq = h.has(syn) ? h.seq : h.seq - 1;
            fwd.base_seq_set = true;
        }
        if (!rev.base_seq_set && h.has(ack)) {
            // The other side's ISN, from the first ACK (usually the SYN-ACK's).
            rev.base_seq = h.ack - 1;
            rev.base_seq_set = true;
        }
        const SegmentFacts facts{frame, ts, h.seq, h.ack, e.len, h.flags, h.window};
        e.analysis = analyze_sequence(facts, fwd, rev, conn.analysis);
        e.seq = h.seq - fwd.base_seq;
        if (h.has(ack)) e.ack = h.ack - rev.base_seq;
        // SYNs are never scaled; otherwise scale only by a shift both SYNs agreed on.
        if (!h.has(syn) && fwd.win_scale >= 0) e.win = static_cast<std::uint32_t>(h.window) << fwd.win_scale;
    }
    e.win_scale = h.has(syn) ? -2 : fwd.win_scale;
    // When the capture cut the options, or the fixed header after the window
    // (checksum, urgent pointer), Wireshark's dissection stops there: its
    // analysis of the segment counts for the segments after it but is not
    // shown. tcpviz keeps what it found apart, so the named fields still
    // mean what Wireshark's mean.
    e.analysis_unreported = h.options.truncated || packet_.tcp.captured_header_bytes < tcp_field_end::fixed;
    e.analysis.findings.bits |= early.bits;

    const bool header_usable = h.header_length >= tcp_field_end::fixed;
    if (header_usable) {
        if (h.has(syn)) {
            fwd.is_first_ack = true;
            if (!h.has(ack)) conn.analysis.ts_mru_syn = ts;
        }
        if (is_pure_ack(h)) {
            // The first pure ACK after a SYN gives the handshake RTT.
            if (conn.analysis.ts_mru_syn != 0 && conn.analysis.ts_first_rtt == 0) {
                conn.analysis.ts_first_rtt = ts - conn.analysis.ts_mru_syn;
            }
            fwd.is_first_ack = false;
        }
        const TcpOptions& opt = h.options;
        if (opt.window_scale) fwd.win_scale = std::min<int>(*opt.window_scale, 14);  // RFC 7323 2.3: at most 14
        if (opt.sack_count > 0) {
            // Wireshark keeps at most 3 blocks for bytes in flight.
            fwd.sack_count = std::min<std::uint8_t>(opt.sack_count, 3);
            std::copy_n(opt.sack.begin(), fwd.sack_count, fwd.sack.begin());
        }
        // Wireshark settles the scaling after dissecting the options; when the
        // capture cut them, its dissection stops first and the scale of a
        // SYN without a visible option stays unknown.
        if (h.has(syn) && !opt.truncated) settle_window_scaling(h.has(ack), fwd, rev);
    }

    // Summary, handshake, states.
    SideSummary& me = conn.summary_of(sender);
    ++me.segments;
    me.payload_bytes += e.len;
    if (conn.summary_of(other(sender)).fin_frame != 0) me.bytes_after_peer_fin += e.len;
    if (h.has(syn)) {
        if (!me.syn_seen) {
            me.syn_seen = true;
            me.isn_known = true;
            me.isn = h.seq;
            me.syn_options = h.options;
        }
        Handshake& hs = conn.handshake;
        if (!h.has(ack)) {
            if (hs.syn_count++ == 0) { hs.syn_frame = frame; hs.syn_ts = ts; }
        } else {
            if (hs.syn_ack_count++ == 0) { hs.syn_ack_frame = frame; hs.syn_ack_ts = ts; }
        }
    }
    const SegmentRoles roles = infer_states(conn, sender, h, e.len, frame, ts, e);
    if (roles.completes_handshake && !conn.handshake.complete) {
        conn.handshake.complete = true;
        conn.handshake.ack_frame = frame;
        conn.handshake.ack_ts = ts;
    }
    if (h.has(fin)) conn.saw_fin = true;
    if (h.has(rst)) {
        conn.saw_rst = true;
        if (me.rst_frame == 0) me.rst_frame = frame;
    }
    for (std::size_t i = 0; i < finding_count; ++i) {
        if (e.analysis.findings.has(static_cast<Finding>(i))) ++conn.finding_counts[i];
    }
    e.phase = phase_of(e, conn, roles);
    e.note = explain(e, roles);
    // SACK edges name bytes of the other direction: relative to its base.
    for (std::uint8_t i = 0; i < e.options.sack_count; ++i) {
        e.relative_sack[i] = SackBlock{h.options.sack[i].left - rev.base_seq, h.options.sack[i].right - rev.base_seq};
    }
    return &e;
}

std::string_view name_of(TeardownKind k) {
    switch (k) {
        case TeardownKind::none: return "none";
        case TeardownKind::fin: return "fin";
        case TeardownKind::rst: return "rst";
    }
    return "none";
}

std::string_view name_of(TeardownStyle s) {
    switch (s) {
        case TeardownStyle::four_way: return "four_way";
        case TeardownStyle::half_close: return "half_close";
        case TeardownStyle::simultaneous: return "simultaneous";
    }
    return "four_way";
}

Teardown teardown_of(const Connection& c) {
    Teardown t;
    const SideSummary& cl = c.summary_of(Side::client);
    const SideSummary& sv = c.summary_of(Side::server);
    if (cl.rst_frame != 0 || sv.rst_frame != 0) {
        t.kind = TeardownKind::rst;
        const bool client_first = cl.rst_frame != 0 && (sv.rst_frame == 0 || cl.rst_frame < sv.rst_frame);
        t.by = client_first ? Side::client : Side::server;
        t.first_frame = client_first ? cl.rst_frame : sv.rst_frame;
        t.refused = !client_first && c.handshake.syn_ack_count == 0 && c.handshake.syn_count > 0;
        return t;
    }
    if (cl.fin_frame == 0 && sv.fin_frame == 0) return t;
    const bool client_first = cl.fin_frame != 0 && (sv.fin_frame == 0 || cl.fin_frame < sv.fin_frame);
    t.by = client_first ? Side::client : Side::server;
    t.first_frame = client_first ? cl.fin_frame : sv.fin_frame;
    const SideSummary& passive = client_first ? sv : cl;
    t.complete = cl.fin_acked_frame != 0 && sv.fin_acked_frame != 0;
    t.kind = TeardownKind::fin;
    if (c.simultaneous_close) {
        t.style = TeardownStyle::simultaneous;
    } else if (passive.bytes_after_peer_fin > 0 || passive.fin_frame == 0) {
        // The other side kept sending after the first FIN (or has not closed
        // yet): the connection was half-closed.
        t.style = TeardownStyle::half_close;
    } else {
        t.style = TeardownStyle::four_way;
    }
    return t;
}

}  // namespace tcpviz
