#include "tcpviz/segment_steps.h"

#include <algorithm>

namespace tcpviz {
namespace {

using namespace tcp_flag;

constexpr Direction reverse(Direction d) { return d == Direction::c2s ? Direction::s2c : Direction::c2s; }

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

// Relative numbers start at 0 for the SYN, at 1 when the SYN was not seen;
// the other side's ISN comes from the first ACK (usually the SYN-ACK's).
void set_base_sequences(const TcpHeader& h, FlowAnalysis& fwd, FlowAnalysis& rev) {
    if (!fwd.base_seq_set) {
        fwd.base_seq = h.has(syn) ? h.seq : h.seq - 1;
        fwd.base_seq_set = true;
    }
    if (!rev.base_seq_set && h.has(ack)) {
        rev.base_seq = h.ack - 1;
        rev.base_seq_set = true;
    }
}

// Zero-window probes and their answers, under their own names.
void gather_probe_facts(Event& e, TrackedConnection& c, NoteHistory& mine, const NoteHistory& theirs) {
    const Findings f = e.analysis.findings;
    const FlowAnalysis& rev = c.flow_of(reverse(e.dir));
    NoteFacts& facts = e.note_facts;
    // The window the peer advertised last (raw, as the analysis keeps it) is
    // still the window this segment was sent into.
    facts.probes_zero_window = f.has(Finding::keep_alive) && rev.window == 0;
    facts.answers_zero_window_probe =
        theirs.last_was_zero_window_probe && e.win_raw == 0 && e.len == 0 && (e.flags & (syn | fin | rst)) == 0;
    mine.last_was_zero_window_probe = facts.probes_zero_window || f.has(Finding::zero_window_probe);
}

// A retransmission by timeout: how long its timer waited.
void gather_resend_facts(Event& e, TrackedConnection& c, NoteHistory& mine, const NoteHistory& theirs) {
    const Findings f = e.analysis.findings;
    // By timeout: Wireshark's plain retransmission (not fast, not spurious).
    const bool by_timeout = f.has(Finding::retransmission) && !f.has(Finding::fast_retransmission) &&
                            !f.has(Finding::spurious_retransmission);
    if (!by_timeout) return;
    NoteFacts& facts = e.note_facts;
    facts.resend = resend_timing(c.flow_of(e.dir).segments, SeqNum(e.seq_raw), e.frame, e.ts, mine, theirs);
    // An ACK just before it (SACK recovery, RACK) sent it, not a timer.
    if (facts.resend && !sent_by_timer(*facts.resend, e.ts, c.flow_of(reverse(e.dir)).lastack_time)) {
        facts.resend.reset();
    }
    if (facts.resend) {
        mine.last_timeout_frame = e.frame;
        mine.last_timeout_wait = facts.resend->waited;
    }
}

}  // namespace

void fill_event(Event& e, const DecodedPacket& p, std::uint64_t frame, Nanos ts) {
    const TcpHeader& h = p.tcp.header;
    e = Event{};
    e.frame = frame;
    e.ts = ts;
    e.src = Endpoint{p.ip.src, h.src_port};
    e.dst = Endpoint{p.ip.dst, h.dst_port};
    e.flags = h.flags;
    e.reserved = h.reserved;
    e.seq = e.seq_raw = h.seq.value;
    e.ack = e.ack_raw = h.ack.value;
    e.win = e.win_raw = h.window;
    e.options = h.options;
    e.relative_sack = h.options.sack;  // relative to 0 until the connection is known
    e.payload = p.payload;
    e.ip_version = p.ip.src.version;
    e.ttl = p.ip.ttl;
    e.ip_header_length = p.ip.header_length;
    e.tcp_header_length = h.header_length;
    e.vlan_tags = p.link.vlan_tags;
    e.captured_header_bytes = p.tcp.captured_header_bytes;
    e.truncated = p.tcp.status == TcpStatus::truncated;
    e.malformed = p.tcp.status == TcpStatus::malformed;
    e.problem = p.tcp.problem;
    if (!header_reaches_window(p)) {
        e.have_seglen = false;
        e.note.id = NoteId::truncated;
    }
}

bool header_reaches_window(const DecodedPacket& p) { return p.tcp.captured_header_bytes >= tcp_field_end::window; }

void place(Event& e, TrackedConnection& c) {
    e.dir = e.src == c.summary.client ? Direction::c2s : Direction::s2c;
    e.conn = c.summary.id;
    c.summary.last_frame = e.frame;
    c.summary.last_ts = e.ts;
}

void analyze_segment(Event& e, TrackedConnection& c, const DecodedPacket& p) {
    const TcpHeader& h = p.tcp.header;
    FlowAnalysis& fwd = c.flow_of(e.dir);
    FlowAnalysis& rev = c.flow_of(reverse(e.dir));
    fwd.sack_count = 0;  // SACK blocks are those of the latest segment only
    // The segment length comes from IP; a header longer than the segment
    // leaves it unknown, and then Wireshark does no sequence analysis.
    e.have_seglen = h.header_length <= p.segment_length;
    if (e.have_seglen) {
        e.len = p.segment_length - h.header_length;
        set_base_sequences(h, fwd, rev);
        const SegmentFacts facts{e.frame, e.ts, h.seq, h.ack, e.len, h.flags, h.window};
        e.analysis = analyze_sequence(facts, fwd, rev, c.analysis);
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
    e.analysis_unreported = h.options.truncated || p.tcp.captured_header_bytes < tcp_field_end::fixed;
    // SACK edges name bytes of the other direction: relative to its base.
    for (std::uint8_t i = 0; i < h.options.sack_count; ++i) {
        e.relative_sack[i] =
            SackBlock{h.options.sack[i].left - rev.base_seq.value, h.options.sack[i].right - rev.base_seq.value};
    }
}

void gather_note_facts(Event& e, TrackedConnection& c) {
    if (!e.have_seglen) return;  // no sequence analysis: nothing to compare
    NoteHistory& mine = c.note_history[static_cast<std::size_t>(e.dir)];
    const NoteHistory& theirs = c.note_history[static_cast<std::size_t>(reverse(e.dir))];
    gather_probe_facts(e, c, mine, theirs);
    gather_resend_facts(e, c, mine, theirs);
    const SentFacts sent{.frame = e.frame,
                         .ts = e.ts,
                         .seq = SeqNum(e.seq_raw),
                         .ack = SeqNum(e.ack_raw),
                         .has_ack = (e.flags & ack) != 0,
                         .takes_sequence_space = e.len > 0 || (e.flags & (syn | fin)) != 0};
    remember_sending(mine, theirs, sent);
}

void handle_options(TrackedConnection& c, Direction dir, const TcpHeader& h, Nanos ts) {
    if (h.header_length < tcp_field_end::fixed) return;  // no usable header
    FlowAnalysis& fwd = c.flow_of(dir);
    FlowAnalysis& rev = c.flow_of(reverse(dir));
    const bool pure_ack = (h.flags & (syn | ack)) == ack;
    if (h.has(syn)) {
        fwd.is_first_ack = true;
        if (!h.has(ack)) c.analysis.ts_mru_syn = ts;
    }
    if (pure_ack) {
        // The first pure ACK after a SYN gives the handshake RTT.
        if (c.analysis.ts_mru_syn != 0 && c.analysis.ts_first_rtt == 0) {
            c.analysis.ts_first_rtt = ts - c.analysis.ts_mru_syn;
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
    // capture cut them, its dissection stops first and the scale of a SYN
    // without a visible option stays unknown.
    if (h.has(syn) && !opt.truncated) settle_window_scaling(h.has(ack), fwd, rev);
}

void update_summary(Connection& c, const Event& e, const TcpHeader& h) {
    const Side sender = sender_of(e.dir);
    SideSummary& me = c.summary_of(sender);
    ++me.segments;
    me.payload_bytes += e.len;
    if (c.summary_of(other(sender)).fin_frame != 0) me.bytes_after_peer_fin += e.len;
    if (h.has(syn) && !me.syn_seen) {
        me.syn_seen = true;
        me.isn_known = true;
        me.isn = h.seq.value;
        me.syn_options = h.options;
    }
    Handshake& hs = c.handshake;
    if (h.has(syn) && !h.has(ack) && hs.syn_count++ == 0) {
        hs.syn_frame = e.frame;
        hs.syn_ts = e.ts;
    }
    if (h.has(syn) && h.has(ack) && hs.syn_ack_count++ == 0) {
        hs.syn_ack_frame = e.frame;
        hs.syn_ack_ts = e.ts;
    }
    if (h.has(fin)) c.saw_fin = true;
    if (h.has(rst)) {
        c.saw_rst = true;
        if (me.rst_frame == 0) me.rst_frame = e.frame;
    }
    for (std::size_t i = 0; i < finding_count; ++i) {
        if (e.analysis.findings.has(static_cast<Finding>(i))) ++c.finding_counts[i];
    }
}

SentSegment sent_segment(const Event& e, const TcpHeader& h) {
    return SentSegment{sender_of(e.dir), h.flags, h.seq, h.ack, e.len, e.frame, e.ts};
}

void record_states(Event& e, Connection& c, const StateStep& step) {
    e.state_changes = step.changes;
    e.state_change_count = step.change_count;
    if (step.roles.completes_handshake && !c.handshake.complete) {
        c.handshake.complete = true;
        c.handshake.ack_frame = e.frame;
        c.handshake.ack_ts = e.ts;
    }
}

}  // namespace tcpviz
