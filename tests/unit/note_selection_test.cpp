// Which sentence explains a segment (select_note) and the facts behind the
// sentences that teach more than Wireshark's flag says: a zero-window probe
// of keep-alive shape, how long a retransmission timer waited and whether it
// doubled, a FIN carrying data, the window scale a SYN-ACK offers.
#include <gtest/gtest.h>

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
    e.note_facts.resend = ResendTiming{.since_last_sent = 212 * ms, .since_first_sent = 212 * ms};
    const Note n = select_note(e, {});
    EXPECT_EQ(n.id, NoteId::retransmission_timeout);
    EXPECT_EQ(english(n).find("Retransmission by timeout: no ACK came for these 1448 bytes in the 212 ms"), 0u)
        << english(n);
    EXPECT_NE(chinese(n).find("212 ms"), std::string::npos) << chinese(n);
}

TEST(NoteSelection, ATimeoutAfterAnotherSaysTheTimerDoubled) {
    Event e = segment(ack | psh, 1448, {Finding::retransmission});
    e.note_facts.resend =
        ResendTiming{.since_last_sent = 418 * ms, .since_first_sent = 630 * ms, .previous_wait = 212 * ms};
    const Note n = select_note(e, {});
    EXPECT_EQ(n.id, NoteId::retransmission_backoff);
    EXPECT_EQ(n.args, (std::array<std::uint32_t, 3>{418, 212, 630}));
    EXPECT_NE(english(n).find("double the 212 ms"), std::string::npos) << english(n);
    EXPECT_NE(chinese(n).find("两倍"), std::string::npos) << chinese(n);
}

TEST(NoteSelection, ATimeoutThatDidNotDoubleDoesNotClaimIt) {
    Event e = segment(ack | psh, 100, {Finding::retransmission});
    e.note_facts.resend =
        ResendTiming{.since_last_sent = 250 * ms, .since_first_sent = 480 * ms, .previous_wait = 230 * ms};
    const Note n = select_note(e, {});
    EXPECT_EQ(n.id, NoteId::retransmission_timeout_again);
    EXPECT_EQ(english(n).find("double"), std::string::npos) << english(n);
}

TEST(NoteSelection, ATimeoutAfterAFastRetransmissionCountsFromBoth) {
    Event e = segment(ack | psh, 100, {Finding::retransmission});
    e.note_facts.resend = ResendTiming{.since_last_sent = 300 * ms, .since_first_sent = 340 * ms};
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
    e.note_facts.resend = ResendTiming{.since_last_sent = 1000 * ms, .since_first_sent = 1000 * ms};
    Note n = select_note(e, {});
    EXPECT_EQ(n.id, NoteId::syn_again_timed);
    EXPECT_EQ(english(n).find("SYN sent again 1000 ms after the previous one"), 0u) << english(n);
    e.note_facts.resend =
        ResendTiming{.since_last_sent = 2003 * ms, .since_first_sent = 3003 * ms, .previous_wait = 1000 * ms};
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
    const auto t = resend_timing(sent, 1000, 9, 600 * ms, history);
    ASSERT_TRUE(t);
    EXPECT_EQ(t->since_last_sent, 400 * ms);
    EXPECT_EQ(t->since_first_sent, 600 * ms);
    EXPECT_EQ(t->previous_wait, 200 * ms);
    EXPECT_TRUE(wait_doubled(t->since_last_sent, t->previous_wait));
}

TEST(ResendTiming, ComparesOnlyWithATimeoutThatStartedTheTimer) {
    UnackedSegments sent;
    sent.push_back({.frame = 1, .seq = 1000, .nextseq = 2000, .ts = 0});
    sent.push_back({.frame = 4, .seq = 1000, .nextseq = 2000, .ts = 30 * ms});          // a fast retransmission
    const NoteHistory history{.last_timeout_frame = 2, .last_timeout_wait = 200 * ms};  // an older timeout
    const auto t = resend_timing(sent, 1000, 7, 330 * ms, history);
    ASSERT_TRUE(t);
    EXPECT_EQ(t->since_last_sent, 300 * ms);
    EXPECT_EQ(t->previous_wait, 0);
}

TEST(ResendTiming, NothingWhenTheFirstSendingWasNotSeen) {
    UnackedSegments sent;
    sent.push_back({.frame = 3, .seq = 5000, .nextseq = 6000, .ts = 0});
    EXPECT_FALSE(resend_timing(sent, 1000, 4, ms, {}));
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
