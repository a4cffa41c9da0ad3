// Wireshark 4.0's sequence analysis, rule by rule. The order of the rules and
// of the state updates matters: each rule sees the state the previous
// segments left, and some rules end the checks for a segment early, as the
// `goto finished_fwd` / `goto finished_checking_retransmission_type` jumps do
// in packet-tcp.c.
#include "tcpviz/seq_analysis.h"

namespace tcpviz {
namespace {

using namespace tcp_flag;

constexpr bool any_flag(std::uint16_t flags, std::uint16_t mask) { return (flags & mask) != 0; }

// Time between two instants as Wireshark computes it: an unsigned nanosecond
// count, so that a timestamp earlier than the reference gives a huge value
// (and so never counts as "close").
std::uint64_t elapsed(Nanos now, Nanos then) { return static_cast<std::uint64_t>(now - then); }

constexpr std::uint64_t fast_retransmission_window_ns = 20'000'000;  // 20 ms after the last dup ACK
constexpr std::uint64_t default_out_of_order_window_ns = 3'000'000;  // 3 ms when the handshake RTT is unknown

}  // namespace

// ZERO WINDOW PROBE: the segment is exactly 1 byte, its sequence number is the
// next expected one, and the window in the other direction is 0.
bool is_zero_window_probe(const SegmentFacts& seg, const FlowAnalysis& fwd, const FlowAnalysis& rev) {
    return seg.seglen == 1 && seg.seq == fwd.nextseq && rev.window == 0;
}

// ZERO WINDOW: the window is 0 and none of SYN, FIN, RST is set.
bool is_zero_window(const SegmentFacts& seg) { return seg.window == 0 && !any_flag(seg.flags, rst | fin | syn); }

// LOST SEGMENT: segments were seen before in this direction, this one starts
// beyond the next expected sequence number, and it is not a RST.
bool is_lost_segment(const SegmentFacts& seg, const FlowAnalysis& fwd) {
    return fwd.nextseq != 0 && seg.seq > fwd.nextseq && !any_flag(seg.flags, rst);
}

// KEEP ALIVE: 0 or 1 bytes of data, starting one byte before the next
// expected sequence number, and none of SYN, FIN, RST.
bool is_keep_alive(const SegmentFacts& seg, const FlowAnalysis& fwd) {
    return (seg.seglen == 0 || seg.seglen == 1) && seg.seq == fwd.nextseq - 1 && !any_flag(seg.flags, syn | fin | rst);
}

// WINDOW UPDATE: no data, a non-zero window that differs from the last one
// sent, the same seq and ack as before, and none of SYN, FIN, RST.
bool is_window_update(const SegmentFacts& seg, const FlowAnalysis& fwd) {
    return seg.seglen == 0 && seg.window != 0 && seg.window != fwd.window && seg.seq == fwd.nextseq &&
           seg.ack == fwd.lastack && !any_flag(seg.flags, syn | fin | rst);
}

// WINDOW FULL: the window scale of the other direction is known, the segment
// carries data that reaches exactly the right edge of the window the other
// side advertised, and none of SYN, FIN, RST. (Before the other side's first
// pure ACK its window is taken unscaled: Wireshark issue 14690.)
bool is_window_full(const SegmentFacts& seg, const FlowAnalysis& rev) {
    if (seg.seglen == 0 || rev.win_scale == -1 || any_flag(seg.flags, syn | fin | rst)) return false;
    const int shift = rev.is_first_ack ? 0 : (rev.win_scale == -2 ? 0 : rev.win_scale);
    const SeqNum right_edge = rev.lastack + (rev.window << shift);
    return seg.seq + seg.seglen == right_edge;
}

// KEEP ALIVE ACK: no data, the same non-zero window, seq and ack as before,
// the last segment the other way was a keep-alive, and none of SYN, FIN, RST.
bool is_keep_alive_ack(const SegmentFacts& seg, const FlowAnalysis& fwd, const FlowAnalysis& rev) {
    return seg.seglen == 0 && seg.window != 0 && seg.window == fwd.window && seg.seq == fwd.nextseq &&
           seg.ack == fwd.lastack && rev.last_segment_findings.has(Finding::keep_alive) &&
           !any_flag(seg.flags, syn | fin | rst);
}

// ZERO WINDOW PROBE ACK: no data, the window still 0 as before, the same seq
// and ack as before, the last segment the other way was a zero-window probe,
// and none of SYN, FIN, RST.
bool is_zero_window_probe_ack(const SegmentFacts& seg, const FlowAnalysis& fwd, const FlowAnalysis& rev) {
    return seg.seglen == 0 && seg.window == 0 && seg.window == fwd.window && seg.seq == fwd.nextseq &&
           seg.ack == fwd.lastack && rev.last_segment_findings.has(Finding::zero_window_probe) &&
           !any_flag(seg.flags, syn | fin | rst);
}

// DUPLICATE ACK: no data, and the same non-zero window, seq and ack as the
// previous segment in this direction, and none of SYN, FIN, RST.
bool is_duplicate_ack(const SegmentFacts& seg, const FlowAnalysis& fwd) {
    return seg.seglen == 0 && seg.window != 0 && seg.window == fwd.window && seg.seq == fwd.nextseq &&
           seg.ack == fwd.lastack && !any_flag(seg.flags, syn | fin | rst);
}

// ACKED UNSEEN SEGMENT: sequence numbers were seen the other way, this
// segment has ACK set and acknowledges beyond the highest contiguous one.
bool acks_unseen_segment(const SegmentFacts& seg, const FlowAnalysis& rev) {
    return rev.maxseqtobeacked != 0 && seg.ack > rev.maxseqtobeacked && any_flag(seg.flags, ack);
}

// Wireshark 4.0 keeps the duplicate-ACK count unsigned (guint32), so the -1
// that an "ACKed unseen segment" leaves in it reads as 4294967295: "two or
// more duplicate ACKs" for the fast-retransmission test, although none came.
bool dup_ack_count_reads_two_or_more(const FlowAnalysis& flow) {
    return static_cast<std::uint32_t>(flow.dupacknum) >= 2;
}

// FAST RETRANSMISSION: a resent segment (sequence number not advanced), two
// or more duplicate ACKs came the other way (as Wireshark counts them, see
// above), the other side's last ACK asks for exactly this sequence number,
// and the other side's last segment came within 20 ms. Every segment renews
// that time and only a new ack number resets the count, so data segments
// repeating the same ack keep the condition alive.
bool is_fast_retransmission(const SegmentFacts& seg, bool seq_not_advanced, const FlowAnalysis& rev) {
    return seq_not_advanced && dup_ack_count_reads_two_or_more(rev) && rev.lastack == seg.seq &&
           elapsed(seg.ts, rev.lastack_time) < fast_retransmission_window_ns;
}

namespace {

// RETRANSMISSION / FAST RETRANSMISSION / SPURIOUS / OUT-OF-ORDER: a segment
// with data (or SYN or FIN) that does not advance the sequence number.
void classify_resent_data(const SegmentFacts& seg, const FlowAnalysis& fwd, const FlowAnalysis& rev,
                          const ConnectionAnalysis& conn, Findings& found) {
    if (seg.seglen == 0 && !any_flag(seg.flags, syn | fin)) return;
    if (found.has(Finding::keep_alive)) return;  // a keep-alive is not a retransmission

    bool seq_not_advanced = fwd.nextseq != 0 && seg.seq < fwd.nextseq;
    // More than one byte starting one before nextseq adds new data after a
    // zero-window probe: not a retransmission.
    if (seg.seglen > 1 && fwd.nextseq - 1 == seg.seq) seq_not_advanced = false;

    // SPURIOUS: all of its data was already acknowledged by the other side.
    if (seg.seglen > 0 && rev.lastack != 0 && seg.seq + seg.seglen <= rev.lastack) {
        found.add(Finding::spurious_retransmission);
        return;
    }
    if (is_fast_retransmission(seg, seq_not_advanced, rev)) {
        found.add(Finding::fast_retransmission);
        return;
    }
    // OUT-OF-ORDER: it came soon (within the handshake RTT, or 3 ms) after
    // the segment with the highest sequence number, and does not end exactly
    // where that one left nextseq.
    const std::uint64_t window =
        conn.ts_first_rtt != 0 ? static_cast<std::uint64_t>(conn.ts_first_rtt) : default_out_of_order_window_ns;
    const SeqNum end = seg.seq + seg.seglen + (any_flag(seg.flags, syn | fin) ? 1u : 0u);
    if (seq_not_advanced && elapsed(seg.ts, fwd.nextseq_time) < window && fwd.nextseq != end) {
        found.add(Finding::out_of_order);
        return;
    }
    if (seq_not_advanced) found.add(Finding::retransmission);
}

// Removes what this segment's ack number acknowledges from the other
// direction's list of unacknowledged segments, and notes the segment it
// acknowledges exactly (for the ACK RTT).
void remove_acknowledged(const SegmentFacts& seg, FlowAnalysis& rev, SegmentAnalysis& out) {
    const UnackedSegments::Acknowledged acked = rev.segments.acknowledge(seg.ack);
    if (acked.exact) {
        out.acks_frame = acked.frame;
        out.ack_rtt = seg.ts - acked.ts;
    }
}

// Bytes in flight after this segment, from the payloads of the unacknowledged
// segments minus what the other side reported received by SACK (Wireshark's
// default, payload-based method).
std::optional<std::uint32_t> bytes_in_flight(const SegmentFacts& seg, const FlowAnalysis& fwd,
                                             const FlowAnalysis& rev) {
    if (seg.seglen == 0 || fwd.segments.empty() || !fwd.valid_bif) return std::nullopt;
    const UnackedSegments::Extent span = fwd.segments.extent_from(fwd.base_seq);
    std::uint32_t in_flight = span.last - span.first;
    for (std::uint8_t i = 0; i < rev.sack_count; ++i) {
        in_flight -= rev.sack[i].right - rev.sack[i].left;
    }
    if (in_flight == 0 || in_flight >= 2'000'000'000u) return std::nullopt;
    // SYN and FIN occupy a sequence number but are not bytes.
    if (any_flag(seg.flags, syn | fin)) in_flight -= 1;
    if (in_flight == 0) return std::nullopt;
    return in_flight;
}

}  // namespace

SegmentAnalysis analyze_sequence(const SegmentFacts& seg, FlowAnalysis& fwd, FlowAnalysis& rev,
                                 const ConnectionAnalysis& conn) {
    SegmentAnalysis out;
    Findings& found = out.findings;

    if (any_flag(seg.flags, ack)) rev.valid_bif = true;

    if (is_zero_window_probe(seg, fwd, rev)) {
        found.add(Finding::zero_window_probe);
    } else {
        if (is_zero_window(seg)) found.add(Finding::zero_window);
        if (is_lost_segment(seg, fwd)) {
            found.add(Finding::lost_segment);
            fwd.valid_bif = false;  // until an ACK comes the other way
        }
        if (is_keep_alive(seg, fwd)) found.add(Finding::keep_alive);
        if (is_window_update(seg, fwd)) found.add(Finding::window_update);
        if (is_window_full(seg, rev)) found.add(Finding::window_full);
        if (is_keep_alive_ack(seg, fwd, rev)) {
            found.add(Finding::keep_alive_ack);
        } else if (is_zero_window_probe_ack(seg, fwd, rev)) {
            found.add(Finding::zero_window_probe_ack);
        } else if (is_duplicate_ack(seg, fwd)) {
            // An earlier "ACKed unseen segment" left -1: this is then the first duplicate.
            fwd.dupacknum = fwd.dupacknum == -1 ? 1 : fwd.dupacknum + 1;
            found.add(Finding::duplicate_ack);
            out.dup_ack_num = static_cast<std::uint32_t>(fwd.dupacknum);
            out.dup_ack_frame = fwd.last_non_dup_ack;
        }
    }

    // A new ack number restarts the duplicate count.
    if (seg.ack != fwd.lastack) {
        fwd.last_non_dup_ack = seg.frame;
        fwd.dupacknum = 0;
    }

    if (acks_unseen_segment(seg, rev)) {
        if (rev.maxseqtobeacked < rev.nextseq) {
            // Move the boundary so that the same hole is reported once.
            rev.maxseqtobeacked = rev.nextseq;
            found.add(Finding::ack_lost_segment);
        } else {
            // The other side is stalled with pure ACKs: report once per hole.
            if (rev.dupacknum == 0) found.add(Finding::ack_lost_segment);
            rev.dupacknum = -1;
        }
    }

    classify_resent_data(seg, fwd, rev, conn, found);

    const bool is_probe = found.has(Finding::zero_window_probe);
    SeqNum nextseq = seg.seq + seg.seglen;
    if ((seg.seglen != 0 || any_flag(seg.flags, syn | fin)) && fwd.segments.size() < max_unacked_segments) {
        if (any_flag(seg.flags, syn | fin)) nextseq = nextseq + 1;  // SYN and FIN take one sequence number
        fwd.segments.push_back(UnackedSegment{seg.frame, seg.seq, nextseq, seg.ts});
    }
    // Remember the highest sequence number sent, to see holes later. A
    // zero-window probe does not really advance it.
    if ((nextseq > fwd.nextseq || fwd.nextseq == 0) && !is_probe) {
        fwd.nextseq = nextseq;
        fwd.nextseq_frame = seg.frame;
        fwd.nextseq_time = seg.ts;
    }
    // And the highest contiguous one, for "ACKed unseen segment".
    if ((seg.seq == fwd.maxseqtobeacked || fwd.maxseqtobeacked == 0) && !is_probe) {
        fwd.maxseqtobeacked = fwd.nextseq;
    }

    fwd.window = seg.window;
    fwd.lastack = seg.ack;
    fwd.lastack_time = seg.ts;
    fwd.last_segment_findings = found;

    remove_acknowledged(seg, rev, out);
    out.bytes_in_flight = bytes_in_flight(seg, fwd, rev);
    return out;
}

}  // namespace tcpviz
