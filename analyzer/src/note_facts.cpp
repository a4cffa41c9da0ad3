#include "tcpviz/note_facts.h"

namespace tcpviz {

std::optional<ResendTiming> resend_timing(const UnackedSegments& sent, SeqNum seq, std::uint64_t frame, Nanos now,
                                          const NoteHistory& mine, const NoteHistory& theirs) {
    // The list is in the order the segments were sent, so the first segment
    // holding the byte is its first sending and the last one its latest.
    const UnackedSegment* first = nullptr;
    const UnackedSegment* last = nullptr;
    for (std::size_t i = 0; i < sent.size(); ++i) {
        const UnackedSegment& s = sent[i];
        if (s.frame == frame || !(s.seq <= seq && seq < s.nextseq)) continue;
        if (!first) first = &s;
        last = &s;
    }
    if (!last) return std::nullopt;
    ResendTiming t;
    t.since_last_sent = now - last->ts;
    t.since_first_sent = now - first->ts;
    // The timer runs from the latest event that (re)started it: the bytes'
    // last sending, a later segment (Linux's tail loss probe, or new data
    // sent while nothing was in flight), or an ACK of new data. New data sent
    // while the timer runs does not restart it (RFC 6298 5.1; Linux even
    // moves it back to the oldest unacknowledged segment's last sending), and
    // nothing can be told apart from a probe on the wire but the wait: an
    // event less than Linux's smallest RTO before the resend cannot have
    // started the timer that just ran out.
    Nanos start = last->ts;
    t.start_frame = last->frame;
    const auto later = [&](std::uint64_t at_frame, Nanos at) {
        return at_frame != 0 && at > start && at <= now && now - at >= smallest_rto;
    };
    if (mine.last_sent_frame != last->frame && later(mine.last_sent_frame, mine.last_sent_ts)) {
        start = mine.last_sent_ts;
        t.started_by = TimerStart::later_segment;
        t.start_frame = mine.last_sent_frame;
    }
    if (later(theirs.ack_advanced_frame, theirs.ack_advanced_ts)) {
        start = theirs.ack_advanced_ts;
        t.started_by = TimerStart::peer_ack;
        t.start_frame = theirs.ack_advanced_frame;
    }
    t.waited = now - start;
    // Compared with the previous timeout only when the timer that just fired
    // was started by that timeout's resend (not by a fast retransmission, a
    // probe or an ACK, after which the wait starts over).
    if (mine.last_timeout_frame != 0 && mine.last_timeout_frame == t.start_frame) {
        t.previous_wait = mine.last_timeout_wait;
    }
    return t;
}

void remember_sending(NoteHistory& mine, const NoteHistory& theirs, const SentFacts& s) {
    if (s.takes_sequence_space) {
        mine.last_sent_frame = s.frame;
        mine.last_sent_ts = s.ts;
        if (!mine.sent_seen) mine.first_seq_seen = s.seq;
        mine.sent_seen = true;
    }
    if (!s.has_ack) return;
    // The first ack seen moved forward only if it covers bytes the capture
    // saw sent; after that, whenever it passes the highest one.
    const bool advanced = mine.ack_seen ? s.ack > mine.highest_ack : theirs.sent_seen && s.ack > theirs.first_seq_seen;
    if (advanced) {
        mine.ack_advanced_frame = s.frame;
        mine.ack_advanced_ts = s.ts;
    }
    if (advanced || !mine.ack_seen) mine.highest_ack = s.ack;
    mine.ack_seen = true;
}

bool sent_by_timer(const ResendTiming& t, Nanos now, Nanos peer_last_seen) {
    if (peer_last_seen == 0) return true;
    const Nanos last_sent = now - t.since_last_sent;
    return peer_last_seen <= last_sent || now - peer_last_seen >= smallest_rto;
}

bool wait_doubled(Nanos wait, Nanos previous) {
    if (previous <= 0 || wait <= 0) return false;
    // 1.8 to 2.2 times, in integers: 10 wait in [18, 22] previous.
    const auto w = static_cast<long double>(wait) * 10;
    const auto p = static_cast<long double>(previous);
    return w >= 18 * p && w <= 22 * p;
}

std::uint32_t whole_millis(Nanos t) {
    if (t <= 0) return 0;
    const std::int64_t ms = t / 1'000'000 + (t % 1'000'000 >= 500'000 ? 1 : 0);
    return ms > 0xFFFFFFFFLL ? 0xFFFFFFFFu : static_cast<std::uint32_t>(ms);
}

}  // namespace tcpviz
