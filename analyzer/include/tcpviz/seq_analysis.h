// Wireshark's TCP sequence analysis (tcp_analyze_sequence_number in
// epan/dissectors/packet-tcp.c, Wireshark 4.0), rebuilt as one named
// predicate per rule over per-direction state.
//
// "fwd" is the direction of the segment being analysed, "rev" the opposite
// one. Like Wireshark, the analysis works on raw (absolute) sequence numbers,
// raw (unscaled) windows, and uses 0 to mean "not seen yet" for nextseq,
// lastack and maxseqtobeacked: a stream whose real next sequence number is 0
// is treated as unknown for that one segment, exactly as Wireshark does.
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "tcpviz/analysis_flags.h"
#include "tcpviz/seq_num.h"
#include "tcpviz/tcp_header.h"
#include "tcpviz/unacked_segments.h"

namespace tcpviz {

// Wireshark keeps at most this many unacknowledged segments per direction.
inline constexpr std::size_t max_unacked_segments = 10000;

// Analysis state of one direction (Wireshark's tcp_flow_t and
// tcp_analyze_seq_flow_info_t).
struct FlowAnalysis {
    bool base_seq_set = false;
    SeqNum base_seq;                     // ISN, or seq - 1 when the SYN was not seen
    int win_scale = -1;                  // -1 unknown, -2 no scaling, otherwise the shift
    std::uint32_t window = 0xFFFFFFFFu;  // last raw window sent in this direction
    bool is_first_ack = false;           // set by a SYN, cleared by the first pure ACK
    bool valid_bif = true;               // bytes in flight can be computed

    SeqNum nextseq;  // highest sequence number sent + 1
    std::uint64_t nextseq_frame = 0;
    Nanos nextseq_time = 0;
    SeqNum maxseqtobeacked;  // highest contiguous sequence number sent
    SeqNum lastack;          // last ack number sent in this direction
    Nanos lastack_time = 0;
    std::uint64_t last_non_dup_ack = 0;
    int dupacknum = 0;  // -1 after an ACKed-unseen indication (Wireshark: unsigned, so 2^32 - 1)
    Findings last_segment_findings;

    UnackedSegments segments;  // unacknowledged, oldest first

    // SACK blocks of the last segment sent in this direction (at most 3 kept, as Wireshark).
    std::uint8_t sack_count = 0;
    std::array<SackBlock, 3> sack{};
};

// State shared by both directions of a connection.
struct ConnectionAnalysis {
    Nanos ts_mru_syn = 0;    // time of the most recent pure SYN
    Nanos ts_first_rtt = 0;  // SYN to the first pure ACK, 0 until seen
};

// What the analysis says about one segment.
struct SegmentAnalysis {
    Findings findings;
    std::uint32_t dup_ack_num = 0;
    std::uint64_t dup_ack_frame = 0;  // the ACK this one duplicates
    std::optional<std::uint32_t> bytes_in_flight;
    std::uint64_t acks_frame = 0;  // the frame whose data this ACK acknowledges exactly
    Nanos ack_rtt = 0;             // time since that frame
};

// The values the analysis needs from one segment.
struct SegmentFacts {
    std::uint64_t frame = 0;
    Nanos ts = 0;
    SeqNum seq;                // raw
    SeqNum ack;                // raw
    std::uint32_t seglen = 0;  // payload length on the wire
    std::uint16_t flags = 0;
    std::uint32_t window = 0;  // raw, unscaled
};

// Runs every rule on one segment and updates both directions' state, in the
// order Wireshark does.
SegmentAnalysis analyze_sequence(const SegmentFacts& seg, FlowAnalysis& fwd, FlowAnalysis& rev,
                                 const ConnectionAnalysis& conn);

// The individual rules, exposed for tests. Each comment's clauses read like
// its condition, as in Wireshark.
bool is_zero_window_probe(const SegmentFacts& seg, const FlowAnalysis& fwd, const FlowAnalysis& rev);
bool is_zero_window(const SegmentFacts& seg);
bool is_lost_segment(const SegmentFacts& seg, const FlowAnalysis& fwd);
bool is_keep_alive(const SegmentFacts& seg, const FlowAnalysis& fwd);
bool is_window_update(const SegmentFacts& seg, const FlowAnalysis& fwd);
bool is_window_full(const SegmentFacts& seg, const FlowAnalysis& rev);
bool is_keep_alive_ack(const SegmentFacts& seg, const FlowAnalysis& fwd, const FlowAnalysis& rev);
bool is_zero_window_probe_ack(const SegmentFacts& seg, const FlowAnalysis& fwd, const FlowAnalysis& rev);
bool is_duplicate_ack(const SegmentFacts& seg, const FlowAnalysis& fwd);
bool acks_unseen_segment(const SegmentFacts& seg, const FlowAnalysis& rev);
bool dup_ack_count_reads_two_or_more(const FlowAnalysis& flow);
bool is_fast_retransmission(const SegmentFacts& seg, bool seq_not_advanced, const FlowAnalysis& rev);

}  // namespace tcpviz
