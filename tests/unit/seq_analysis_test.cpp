// Each of Wireshark's analysis rules on its own, then the analyzer on whole
// exchanges built frame by frame.
#include <gtest/gtest.h>

#include "packet_builder.h"
#include "tcpviz/analyzer.h"
#include "tcpviz/seq_analysis.h"

namespace tcpviz {
namespace {

using namespace tcp_flag;

SegmentFacts seg(std::uint32_t seq, std::uint32_t ack, std::uint32_t len, std::uint16_t flags, std::uint32_t window) {
    return SegmentFacts{1, 0, seq, ack, len, flags, window};
}

TEST(Rules, ZeroWindowProbeIsOneByteAtNextSeqIntoAZeroWindow) {
    FlowAnalysis fwd, rev;
    fwd.nextseq = 100;
    rev.window = 0;
    EXPECT_TRUE(is_zero_window_probe(seg(100, 1, 1, ack, 512), fwd, rev));
    EXPECT_FALSE(is_zero_window_probe(seg(100, 1, 2, ack, 512), fwd, rev));  // not 1 byte
    EXPECT_FALSE(is_zero_window_probe(seg(99, 1, 1, ack, 512), fwd, rev));   // not at nextseq
    rev.window = 10;
    EXPECT_FALSE(is_zero_window_probe(seg(100, 1, 1, ack, 512), fwd, rev));  // window open
}

TEST(Rules, ZeroWindowIsWindowZeroWithoutSynFinRst) {
    EXPECT_TRUE(is_zero_window(seg(1, 1, 0, ack, 0)));
    EXPECT_FALSE(is_zero_window(seg(1, 1, 0, ack | rst, 0)));
    EXPECT_FALSE(is_zero_window(seg(1, 1, 0, ack | fin, 0)));
    EXPECT_FALSE(is_zero_window(seg(1, 1, 0, ack, 1)));
}

TEST(Rules, LostSegmentIsAJumpPastNextSeqExceptRst) {
    FlowAnalysis fwd;
    EXPECT_FALSE(is_lost_segment(seg(500, 1, 10, ack, 9), fwd));  // nothing seen yet
    fwd.nextseq = 100;
    EXPECT_TRUE(is_lost_segment(seg(500, 1, 10, ack, 9), fwd));
    EXPECT_FALSE(is_lost_segment(seg(100, 1, 10, ack, 9), fwd));
    EXPECT_FALSE(is_lost_segment(seg(500, 1, 0, rst, 9), fwd));
}

TEST(Rules, LostSegmentComparesAcrossTheWrap) {
    FlowAnalysis fwd;
    fwd.nextseq = 0xFFFFFFF0u;
    EXPECT_TRUE(is_lost_segment(seg(0x10, 1, 10, ack, 9), fwd));
    EXPECT_FALSE(is_lost_segment(seg(0xFFFFFF00u, 1, 10, ack, 9), fwd));
}

TEST(Rules, KeepAliveIsZeroOrOneByteOneBeforeNextSeq) {
    FlowAnalysis fwd;
    fwd.nextseq = 100;
    EXPECT_TRUE(is_keep_alive(seg(99, 1, 0, ack, 9), fwd));
    EXPECT_TRUE(is_keep_alive(seg(99, 1, 1, ack, 9), fwd));
    EXPECT_FALSE(is_keep_alive(seg(99, 1, 2, ack, 9), fwd));
    EXPECT_FALSE(is_keep_alive(seg(100, 1, 0, ack, 9), fwd));
    EXPECT_FALSE(is_keep_alive(seg(99, 1, 0, ack | fin, 9), fwd));
}

TEST(Rules, WindowUpdateRepeatsSeqAndAckWithANewWindow) {
    FlowAnalysis fwd;
    fwd.nextseq = 100;
    fwd.lastack = 7;
    fwd.window = 0;
    EXPECT_TRUE(is_window_update(seg(100, 7, 0, ack, 300), fwd));
    EXPECT_FALSE(is_window_update(seg(100, 8, 0, ack, 300), fwd));  // ack moved
    EXPECT_FALSE(is_window_update(seg(100, 7, 1, ack, 300), fwd));  // data
    fwd.window = 300;
    EXPECT_FALSE(is_window_update(seg(100, 7, 0, ack, 300), fwd));  // same window: a dup ACK
}

TEST(Rules, WindowFullReachesTheAdvertisedEdge) {
    FlowAnalysis rev;
    rev.lastack = 1000;
    rev.window = 10;
    rev.win_scale = 2;  // 10 << 2 = 40 bytes
    EXPECT_TRUE(is_window_full(seg(1000, 1, 40, ack, 9), rev));
    EXPECT_FALSE(is_window_full(seg(1000, 1, 39, ack, 9), rev));
    rev.is_first_ack = true;  // before the first pure ACK the window is unscaled
    EXPECT_TRUE(is_window_full(seg(1000, 1, 10, ack, 9), rev));
    rev.win_scale = -1;  // scale unknown: never judged
    EXPECT_FALSE(is_window_full(seg(1000, 1, 10, ack, 9), rev));
}

TEST(Rules, DuplicateAckRepeatsWindowSeqAndAck) {
    FlowAnalysis fwd;
    fwd.nextseq = 100;
    fwd.lastack = 7;
    fwd.window = 300;
    EXPECT_TRUE(is_duplicate_ack(seg(100, 7, 0, ack, 300), fwd));
    EXPECT_FALSE(is_duplicate_ack(seg(100, 7, 0, ack, 301), fwd));
    EXPECT_FALSE(is_duplicate_ack(seg(100, 7, 0, ack, 0), fwd));  // a zero window is not a dup ACK
    EXPECT_FALSE(is_duplicate_ack(seg(100, 7, 5, ack, 300), fwd));
}

TEST(Rules, KeepAliveAckAndProbeAckFollowTheOtherDirection) {
    FlowAnalysis fwd, rev;
    fwd.nextseq = 100;
    fwd.lastack = 7;
    fwd.window = 300;
    rev.last_segment_findings.add(Finding::keep_alive);
    EXPECT_TRUE(is_keep_alive_ack(seg(100, 7, 0, ack, 300), fwd, rev));
    fwd.window = 0;
    rev.last_segment_findings = {};
    rev.last_segment_findings.add(Finding::zero_window_probe);
    EXPECT_TRUE(is_zero_window_probe_ack(seg(100, 7, 0, ack, 0), fwd, rev));
    EXPECT_FALSE(is_keep_alive_ack(seg(100, 7, 0, ack, 0), fwd, rev));
}

TEST(Rules, AckOfUnseenSegmentGoesPastTheContiguousData) {
    FlowAnalysis rev;
    EXPECT_FALSE(acks_unseen_segment(seg(1, 500, 0, ack, 9), rev));
    rev.maxseqtobeacked = 200;
    EXPECT_TRUE(acks_unseen_segment(seg(1, 500, 0, ack, 9), rev));
    EXPECT_FALSE(acks_unseen_segment(seg(1, 200, 0, ack, 9), rev));
    EXPECT_FALSE(acks_unseen_segment(seg(1, 500, 0, rst, 9), rev));  // no ACK flag
}

TEST(Sequence, FastRetransmissionNeedsTwoDupAcksWithin20ms) {
    FlowAnalysis fwd, rev;
    ConnectionAnalysis conn;
    fwd.nextseq = 3000;
    rev.dupacknum = 2;
    rev.lastack = 1000;
    rev.lastack_time = 1'000'000'000;
    SegmentFacts s = seg(1000, 1, 100, ack, 50);
    s.ts = rev.lastack_time + 5'000'000;
    FlowAnalysis f1 = fwd, r1 = rev;
    EXPECT_TRUE(analyze_sequence(s, f1, r1, conn).findings.has(Finding::fast_retransmission));
    s.ts = rev.lastack_time + 25'000'000;  // too late: a plain retransmission
    FlowAnalysis f2 = fwd, r2 = rev;
    const Findings late = analyze_sequence(s, f2, r2, conn).findings;
    EXPECT_FALSE(late.has(Finding::fast_retransmission));
    EXPECT_TRUE(late.has(Finding::retransmission));
}

TEST(Rules, DupAckCountReadsAsWiresharksUnsignedCounter) {
    FlowAnalysis flow;
    EXPECT_FALSE(dup_ack_count_reads_two_or_more(flow));  // 0
    flow.dupacknum = 1;
    EXPECT_FALSE(dup_ack_count_reads_two_or_more(flow));
    flow.dupacknum = 2;
    EXPECT_TRUE(dup_ack_count_reads_two_or_more(flow));
    flow.dupacknum = -1;  // left by "ACKed unseen segment": 2^32 - 1 in Wireshark
    EXPECT_TRUE(dup_ack_count_reads_two_or_more(flow));
}

// The other side sent no duplicate ACK at all, but this segment acknowledges
// data the capture never showed while the other side's contiguous data
// already reached its nextseq: the "ACKed unseen" step leaves -1 in its count,
// and the same segment, resent at the other side's last ack within 20 ms, is
// then a fast retransmission for Wireshark 4.0.
TEST(Sequence, AckOfUnseenDataMakesTheResentSegmentFast) {
    FlowAnalysis fwd, rev;
    ConnectionAnalysis conn;
    fwd.nextseq = 5001;  // a FIN at 5000 was sent
    fwd.lastack = 1000;
    rev.nextseq = rev.maxseqtobeacked = 2000;
    rev.lastack = 5000;  // the peer has not acknowledged the FIN
    rev.lastack_time = 1'000'000'000;
    SegmentFacts fin_again = seg(5000, 3000, 0, ack | fin, 500);  // acks 1000 bytes never seen
    fin_again.ts = rev.lastack_time + 300'000;
    const Findings found = analyze_sequence(fin_again, fwd, rev, conn).findings;
    EXPECT_TRUE(found.has(Finding::ack_lost_segment));
    EXPECT_TRUE(found.has(Finding::fast_retransmission));
    EXPECT_FALSE(found.has(Finding::retransmission));  // the specific flag; the timeline adds the plain one beside it
    EXPECT_EQ(rev.dupacknum, -1);
}

TEST(Sequence, SpuriousRetransmissionIsDataAlreadyAcked) {
    FlowAnalysis fwd, rev;
    fwd.nextseq = 3000;
    rev.lastack = 2000;
    const Findings f = analyze_sequence(seg(1000, 1, 100, ack, 50), fwd, rev, {}).findings;
    EXPECT_TRUE(f.has(Finding::spurious_retransmission));
    EXPECT_FALSE(f.has(Finding::retransmission));
    EXPECT_TRUE(f.is_any_retransmission());
}

TEST(Sequence, AckRemovesAcknowledgedSegmentsAndGivesTheRtt) {
    FlowAnalysis c2s, s2c;
    SegmentFacts data = seg(100, 1, 50, ack, 9);
    data.frame = 4;
    data.ts = 1000;
    analyze_sequence(data, c2s, s2c, {});
    ASSERT_EQ(c2s.segments.size(), 1u);
    SegmentFacts ack_seg = seg(1, 150, 0, ack, 9);
    ack_seg.frame = 5;
    ack_seg.ts = 4000;
    const SegmentAnalysis a = analyze_sequence(ack_seg, s2c, c2s, {});
    EXPECT_EQ(a.acks_frame, 4u);
    EXPECT_EQ(a.ack_rtt, 3000);
    EXPECT_TRUE(c2s.segments.empty());
}

TEST(Sequence, PartialAckKeepsTheRestInFlight) {
    FlowAnalysis c2s, s2c;
    analyze_sequence(seg(100, 1, 50, ack, 9), c2s, s2c, {});
    analyze_sequence(seg(1, 120, 0, ack, 9), s2c, c2s, {});
    ASSERT_EQ(c2s.segments.size(), 1u);
    EXPECT_EQ(c2s.segments[0].seq, 120u);
    const SegmentAnalysis more = analyze_sequence(seg(150, 1, 10, ack, 9), c2s, s2c, {});
    EXPECT_EQ(more.bytes_in_flight, 40u);  // 120..160
}

}  // namespace
}  // namespace tcpviz
