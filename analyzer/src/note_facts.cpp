#include "tcpviz/note_facts.h"

namespace tcpviz {

std::optional<ResendTiming> resend_timing(const UnackedSegments& sent, SeqNum seq, std::uint64_t frame, Nanos now,
                                          const NoteHistory& history) {
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
    // Compared with the previous timeout only when the timer that just fired
    // was started by that timeout's resend (not by a fast retransmission).
    if (history.last_timeout_frame != 0 && history.last_timeout_frame == last->frame) {
        t.previous_wait = history.last_timeout_wait;
    }
    return t;
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
