// Which sentence explains a segment (select_note) and the facts behind the
// sentences that teach more than Wireshark's flag says: a zero-window probe
// of keep-alive shape, how long a retransmission timer waited and whether it
// doubled, a FIN carrying data, the window scale a SYN-ACK offers.
#include <gtest/gtest.h>

#include <tuple>

#include "tcpviz/note_facts.h"
#include "tcpviz/note_selection.h"

namespace tcpviz {
namespace {

using namespace tcp_flag;

constexpr Nanos ms = 1'000'000;

Event segment(std::uint16_t flags, std::uint32_t len = 0, std::initializer_list<Finding> findings = {}) {
    Event e;
    e.conn = 0;
    e.flags = flags;
    e.len = len;
    e.seq = 1;
    for (Finding f : findings) e.analysis.findings.add(f);
    return e;
}

std::string english(const Note& n) {
    std::string out;
    render_note(n, Lang::en, out);
    return out;
}

std::string chinese(const Note& n) {
    std::string out;
    render_note(n, Lang::zh, out);
    return out;
}

TEST(NoteSelection, AKeepAliveIntoAZeroWindowIsCalledAZeroWindowProbe) {
    Event e = segment(ack, 0, {Finding::keep_alive});
    e.note_facts.probes_zero_window = true;
    const Note n = select_note(e, {});
    EXPECT_EQ(n.id, NoteId::zero_window_probe_empty);
    EXPECT_NE(english(n).find("Zero-window probe"), std::string::npos) << english(n);
    EXPECT_NE(english(n).find("keep_alive"), std::string::npos) << "says why Wireshark's flag differs";
    EXPECT_NE(chinese(n).find("零窗口探测"), std::string::npos) << chinese(n);
    EXPECT_TRUE(e.analysis.findings.has(Finding::keep_alive)) << "the flag keeps Wireshark's name";
}

TEST(NoteSelection, AKeepAliveIntoAnOpenWindowIsStillAKeepAlive) {
    const Event e = segment(ack, 0, {Finding::keep_alive});
    EXPECT_EQ(select_note(e, {}).id, NoteId::keep_alive);
}

TEST(NoteSelection, TheReplyToAnEmptyZeroWindowProbeSaysTheWindowIsStillZero) {
    Event e = segment(ack, 0, {Finding::zero_window});
    e.note_facts.answers_zero_window_probe = true;
    EXPECT_EQ(select_note(e, {}).id, NoteId::zero_window_probe_ack);
}

TEST(NoteSelection, AFirstTimeoutSaysHowLongTheTimerWaited) {
    Event e = segment(ack | psh, 1448, {Finding::retransmission});
    e.note_facts.resend = ResendTiming{.since_last_sent = 212 * ms, .since_first_sent = 212 * ms, .waited = 212 * ms};
    const Note n = select_note(e, {});
    EXPECT_EQ(n.id, NoteId::retransmission_timeout);
    EXPECT_EQ(english(n).find("Retransmission by timeout: no ACK came for these 1448 bytes in the 212 ms"), 0u)
        << english(n);
    EXPECT_NE(chinese(n).find("212 ms"), std::string::npos) << chinese(n);
}

TEST(NoteSelection, ATimeoutAfterAnotherSaysTheTimerDoubled) {
    Event e = segment(ack | psh, 1448, {Finding::retransmission});
    e.note_facts.resend = ResendTiming{
        .since_last_sent = 418 * ms, .since_first_sent = 630 * ms, .waited = 418 * ms, .previous_wait = 212 * ms};
    const Note n = select_note(e, {});
    EXPECT_EQ(n.id, NoteId::retransmission_backoff);
    EXPECT_EQ(n.args, (std::array<std::uint32_t, 3>{418, 212, 630}));
    EXPECT_NE(english(n).find("double the 212 ms"), std::string::npos) << english(n);
    EXPECT_NE(chinese(n).find("两倍"), std::string::npos) << chinese(n);
}

TEST(NoteSelection, ATimeoutThatDidNotDoubleDoesNotClaimIt) {
    Event e = segment(ack | psh, 100, {Finding::retransmission});
    e.note_facts.resend = ResendTiming{
        .since_last_sent = 250 * ms, .since_first_sent = 480 * ms, .waited = 250 * ms, .previous_wait = 230 * ms};
    const Note n = select_note(e, {});
    EXPECT_EQ(n.id, NoteId::retransmission_timeout_again);
    EXPECT_EQ(english(n).find("double"), std::string::npos) << english(n);
}

TEST(NoteSelection, ATimeoutAfterAFastRetransmissionCountsFromBoth) {
    Event e = segment(ack | psh, 100, {Finding::retransmission});
    e.note_facts.resend = ResendTiming{.since_last_sent = 300 * ms, .since_first_sent = 340 * ms, .waited = 300 * ms};
    const Note n = select_note(e, {});
    EXPECT_EQ(n.id, NoteId::retransmission_timeout_resent);
    EXPECT_EQ(n.args, (std::array<std::uint32_t, 3>{100, 300, 340}));
}

TEST(NoteSelection, ARetransmissionWhoseFirstSendingWasNotSeenKeepsThePlainNote) {
    const Event e = segment(ack | psh, 100, {Finding::retransmission});
    EXPECT_EQ(select_note(e, {}).id, NoteId::retransmission);
}

TEST(NoteSelection, ASynSentAgainSaysTheGapAndTheDoubling) {
    Event e = segment(syn, 0, {Finding::retransmission});
    e.note_facts.resend =
        ResendTiming{.since_last_sent = 1000 * ms, .since_first_sent = 1000 * ms, .waited = 1000 * ms};
    Note n = select_note(e, {});
    EXPECT_EQ(n.id, NoteId::syn_again_timed);
    EXPECT_EQ(english(n).find("SYN sent again 1000 ms after the previous one"), 0u) << english(n);
    e.note_facts.resend = ResendTiming{
        .since_last_sent = 2003 * ms, .since_first_sent = 3003 * ms, .waited = 2003 * ms, .previous_wait = 1000 * ms};
    n = select_note(e, {});
    EXPECT_EQ(n.id, NoteId::syn_again_backoff);
    EXPECT_NE(english(n).find("double the 1000 ms"), std::string::npos) << english(n);
}

TEST(NoteSelection, AFinWithDataSaysBothTheDataAndTheEndOfSending) {
    Event e = segment(fin | ack | psh, 12);
    e.seq = 27;
    SegmentRoles roles;
    roles.first_fin = roles.new_fin = true;
    const Note n = select_note(e, roles);
    EXPECT_EQ(n.id, NoteId::fin_data_first);
    const std::string text = english(n);
    EXPECT_NE(text.find("12 bytes"), std::string::npos) << text;
    EXPECT_NE(text.find("stream bytes 27 to 38"), std::string::npos) << text;
    EXPECT_NE(text.find("no more data"), std::string::npos) << text;
    roles.first_fin = false;
    EXPECT_EQ(select_note(e, roles).id, NoteId::fin_data_second);
    e.len = 0;
    EXPECT_EQ(select_note(e, roles).id, NoteId::fin_second) << "a FIN without data keeps its note";
}

TEST(NoteSelection, ASynAckSaysTheWindowScaleItOffers) {
    Event e = segment(syn | ack);
    e.seq_raw = 5000;
    e.ack_raw = 101;
    e.options.window_scale = 7;
    const Note n = select_note(e, {});
    EXPECT_EQ(n.id, NoteId::syn_ack_scale);
    EXPECT_NE(english(n).find("window scale 7"), std::string::npos) << english(n);
    EXPECT_NE(chinese(n).find("窗口扩大因子 7"), std::string::npos) << chinese(n);
    e.options.window_scale.reset();
    EXPECT_EQ(select_note(e, {}).id, NoteId::syn_ack);
}

// resend_timing() reads the earlier sendings of the first byte from the
// segments not yet acknowledged.
TEST(ResendTiming, FindsTheFirstAndLatestSendingOfTheFirstByte) {
    UnackedSegments sent;
    sent.push_back({.frame = 1, .seq = 1000, .nextseq = 2000, .ts = 0});
    sent.push_back({.frame = 2, .seq = 2000, .nextseq = 3000, .ts = 5 * ms});
    sent.push_back({.frame = 5, .seq = 1000, .nextseq = 2000, .ts = 200 * ms});  // first timeout
    sent.push_back({.frame = 9, .seq = 1000, .nextseq = 2000, .ts = 600 * ms});  // this one
    NoteHistory history{.last_timeout_frame = 5, .last_timeout_wait = 200 * ms};
    const auto t = resend_timing(sent, 1000, 9, 600 * ms, history, {});
    ASSERT_TRUE(t);
    EXPECT_EQ(t->since_last_sent, 400 * ms);
    EXPECT_EQ(t->since_first_sent, 600 * ms);
    EXPECT_EQ(t->waited, 400 * ms);
    EXPECT_EQ(t->started_by, TimerStart::resent_bytes);
    EXPECT_EQ(t->start_frame, 5u);
    EXPECT_EQ(t->previous_wait, 200 * ms);
    EXPECT_TRUE(wait_doubled(t->waited, t->previous_wait));
}

TEST(ResendTiming, ComparesOnlyWithATimeoutThatStartedTheTimer) {
    UnackedSegments sent;
    sent.push_back({.frame = 1, .seq = 1000, .nextseq = 2000, .ts = 0});
    sent.push_back({.frame = 4, .seq = 1000, .nextseq = 2000, .ts = 30 * ms});          // a fast retransmission
    const NoteHistory history{.last_timeout_frame = 2, .last_timeout_wait = 200 * ms};  // an older timeout
    const auto t = resend_timing(sent, 1000, 7, 330 * ms, history, {});
    ASSERT_TRUE(t);
    EXPECT_EQ(t->since_last_sent, 300 * ms);
    EXPECT_EQ(t->previous_wait, 0);
}

TEST(ResendTiming, NothingWhenTheFirstSendingWasNotSeen) {
    UnackedSegments sent;
    sent.push_back({.frame = 3, .seq = 5000, .nextseq = 6000, .ts = 0});
    EXPECT_FALSE(resend_timing(sent, 1000, 4, ms, {}, {}));
}

TEST(ResendTiming, DoublingAllowsTimerJitterButNotMore) {
    EXPECT_TRUE(wait_doubled(412 * ms, 206 * ms));
    EXPECT_TRUE(wait_doubled(2 * 1000 * ms, 1000 * ms));
    EXPECT_FALSE(wait_doubled(1000 * ms, 1000 * ms));
    EXPECT_FALSE(wait_doubled(300 * ms, 100 * ms));
    EXPECT_FALSE(wait_doubled(400 * ms, 0));
    EXPECT_EQ(whole_millis(1'499'999), 1u);
    EXPECT_EQ(whole_millis(1'500'000), 2u);
    EXPECT_EQ(whole_millis(-5), 0u);
}

}  // namespace
}  // namespace tcpviz

namespace tcpviz {
namespace {

TEST(ResendTiming, ARetransmissionRightAfterAnAckWasNotSentByATimer) {
    const ResendTiming t{.since_last_sent = 60 * ms, .since_first_sent = 60 * ms};
    EXPECT_FALSE(sent_by_timer(t, 1000 * ms, 999 * ms)) << "SACK recovery: an ACK came 1 ms before";
    EXPECT_TRUE(sent_by_timer(t, 1000 * ms, 930 * ms)) << "the peer was silent since the data was sent";
    EXPECT_TRUE(sent_by_timer(t, 1000 * ms, 0)) << "the peer never sent anything";
    const ResendTiming long_wait{.since_last_sent = 900 * ms, .since_first_sent = 900 * ms};
    EXPECT_TRUE(sent_by_timer(long_wait, 1000 * ms, 700 * ms)) << "silent for 300 ms: longer than any RTO's floor";
}

}  // namespace
}  // namespace tcpviz

// The timer restarts after the data's last sending: a tail loss probe (or new
// data) sent later, or an ACK of new data (RFC 6298 5.1, 5.3; Linux's TLP).
namespace tcpviz {
namespace {

// What one direction remembers after sending the segments given as
// (frame, ts, raw seq, takes sequence space).
NoteHistory sender_history(std::initializer_list<std::tuple<std::uint64_t, Nanos, std::uint32_t, bool>> segments) {
    NoteHistory mine;
    for (const auto& [frame, ts, seq, data] : segments) {
        remember_sending(mine, {}, {.frame = frame, .ts = ts, .seq = SeqNum(seq), .takes_sequence_space = data});
    }
    return mine;
}

TEST(ResendTiming, ATailLossProbeRestartsTheTimer) {
    UnackedSegments sent;
    sent.push_back({.frame = 10, .seq = 1000, .nextseq = 2000, .ts = 0});         // lost
    sent.push_back({.frame = 11, .seq = 2000, .nextseq = 3000, .ts = 1 * ms});    // lost
    sent.push_back({.frame = 12, .seq = 3000, .nextseq = 4000, .ts = 40 * ms});   // the probe: new data
    sent.push_back({.frame = 13, .seq = 1000, .nextseq = 2000, .ts = 324 * ms});  // first timeout
    NoteHistory mine = sender_history({{10, 0, 1000, true}, {11, 1 * ms, 2000, true}, {12, 40 * ms, 3000, true}});
    const auto first = resend_timing(sent, 1000, 13, 324 * ms, mine, {});
    ASSERT_TRUE(first);
    EXPECT_EQ(first->waited, 284 * ms) << "from the probe, not from the first sending";
    EXPECT_EQ(first->since_first_sent, 324 * ms);
    EXPECT_EQ(first->started_by, TimerStart::later_segment);
    EXPECT_EQ(first->start_frame, 12u);
    EXPECT_EQ(first->previous_wait, 0);
    mine.last_timeout_frame = 13;
    mine.last_timeout_wait = first->waited;
    remember_sending(mine, {}, {.frame = 13, .ts = 324 * ms, .seq = SeqNum(1000), .takes_sequence_space = true});
    sent.push_back({.frame = 14, .seq = 1000, .nextseq = 2000, .ts = 892 * ms});  // second timeout
    const auto second = resend_timing(sent, 1000, 14, 892 * ms, mine, {});
    ASSERT_TRUE(second);
    EXPECT_EQ(second->waited, 568 * ms);
    EXPECT_EQ(second->started_by, TimerStart::resent_bytes);
    EXPECT_EQ(second->previous_wait, 284 * ms);
    EXPECT_TRUE(wait_doubled(second->waited, second->previous_wait)) << "568 is twice 284; 568 / 324 is not";
}

TEST(ResendTiming, NewDataSentWhileTheTimerRunsDoesNotRestartIt) {
    // tcpviz lab loss: a writer's segments keep leaving during the silence;
    // the timer still runs from the first unacknowledged segment's sending.
    UnackedSegments sent;
    sent.push_back({.frame = 46, .seq = 21000, .nextseq = 22000, .ts = 1065 * ms});
    sent.push_back({.frame = 47, .seq = 22000, .nextseq = 23448, .ts = 1170 * ms});
    sent.push_back({.frame = 49, .seq = 24000, .nextseq = 25448, .ts = 1271 * ms});
    sent.push_back({.frame = 50, .seq = 21000, .nextseq = 22000, .ts = 1284 * ms});  // the timeout
    const NoteHistory mine =
        sender_history({{46, 1065 * ms, 21000, true}, {47, 1170 * ms, 22000, true}, {49, 1271 * ms, 24000, true}});
    const auto t = resend_timing(sent, 21000, 50, 1284 * ms, mine, {});
    ASSERT_TRUE(t);
    EXPECT_EQ(t->waited, 219 * ms) << "not the 13 ms since frame 49: no RTO is that short";
    EXPECT_EQ(t->started_by, TimerStart::resent_bytes);
}

TEST(ResendTiming, AnAckOfNewDataRestartsTheTimerAndEndsTheComparison) {
    UnackedSegments sent;
    sent.push_back({.frame = 2, .seq = 2000, .nextseq = 3000, .ts = 1 * ms});    // lost; 1000-2000 arrived
    sent.push_back({.frame = 5, .seq = 2000, .nextseq = 3000, .ts = 301 * ms});  // this one
    NoteHistory mine = sender_history({{1, 0, 1000, true}, {2, 1 * ms, 2000, true}});
    mine.last_timeout_frame = 2;  // as if frame 2 had been a timeout itself
    mine.last_timeout_wait = 100 * ms;
    NoteHistory theirs;
    remember_sending(theirs, mine, {.frame = 3, .ts = 50 * ms, .ack = SeqNum(2000), .has_ack = true});
    const auto t = resend_timing(sent, 2000, 5, 301 * ms, mine, theirs);
    ASSERT_TRUE(t);
    EXPECT_EQ(t->waited, 251 * ms);
    EXPECT_EQ(t->started_by, TimerStart::peer_ack);
    EXPECT_EQ(t->start_frame, 3u);
    EXPECT_EQ(t->previous_wait, 0) << "the ACK started this timer, not the earlier timeout";
}

TEST(ResendTiming, OnlyAnAckThatMovesForwardRestartsTheTimer) {
    const NoteHistory sender = sender_history({{1, 0, 1000, true}});
    NoteHistory acks;
    remember_sending(acks, sender, {.frame = 2, .ts = 5 * ms, .ack = SeqNum(1000), .has_ack = true});
    EXPECT_EQ(acks.ack_advanced_frame, 0u) << "the first ack acknowledges no byte the capture saw sent";
    remember_sending(acks, sender, {.frame = 3, .ts = 6 * ms, .ack = SeqNum(1500), .has_ack = true});
    EXPECT_EQ(acks.ack_advanced_frame, 3u);
    remember_sending(acks, sender, {.frame = 4, .ts = 7 * ms, .ack = SeqNum(1500), .has_ack = true});
    remember_sending(acks, sender, {.frame = 5, .ts = 8 * ms, .ack = SeqNum(1200), .has_ack = true});
    EXPECT_EQ(acks.ack_advanced_frame, 3u) << "a duplicate or an older ack does not";
    EXPECT_EQ(acks.ack_advanced_ts, 6 * ms);
    NoteHistory pure_acks = sender_history({{7, 9 * ms, 4000, false}});
    EXPECT_EQ(pure_acks.last_sent_frame, 0u) << "a pure ACK takes no sequence space and starts no timer";
}

TEST(NoteSelection, ATimeoutAfterAProbeOrAnAckSaysWhatRestartedTheTimer) {
    Event e = segment(ack | psh, 1448, {Finding::retransmission});
    e.note_facts.resend = ResendTiming{.since_last_sent = 528 * ms,
                                       .since_first_sent = 528 * ms,
                                       .waited = 284 * ms,
                                       .started_by = TimerStart::later_segment};
    Note n = select_note(e, {});
    EXPECT_EQ(n.id, NoteId::retransmission_timeout_after_send);
    EXPECT_EQ(n.args, (std::array<std::uint32_t, 3>{1448, 284, 528}));
    EXPECT_NE(english(n).find("tail loss probe or new data) 284 ms ago"), std::string::npos) << english(n);
    EXPECT_NE(chinese(n).find("尾部丢失探测"), std::string::npos) << chinese(n);
    e.note_facts.resend->started_by = TimerStart::peer_ack;
    n = select_note(e, {});
    EXPECT_EQ(n.id, NoteId::retransmission_timeout_after_ack);
    EXPECT_NE(english(n).find("latest ACK of new data, 284 ms ago"), std::string::npos) << english(n);
    EXPECT_NE(chinese(n).find("284 ms 之前服务器确认了新数据"), std::string::npos) << chinese(n);
}

}  // namespace
}  // namespace tcpviz
