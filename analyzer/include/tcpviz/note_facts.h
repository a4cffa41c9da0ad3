// What a note needs to teach right beyond Wireshark's flags. The flags keep
// Wireshark's names (the oracle compares them with tshark); these facts let
// the sentence say what a student should learn from the segment:
//
//  - Linux probes a zero window with an empty segment one byte behind
//    (seq = SND.UNA - 1, tcp_xmit_probe_skb), the shape Wireshark calls a
//    keep-alive. Sent while the peer's window is 0, it is a zero-window probe
//    (RFC 9293 3.8.6.1), and the peer's answer with a window of 0 is the
//    reply to that probe.
//  - A retransmission by timeout: how long the timer waited since the data
//    was last sent, how long since it was first sent, and whether the wait
//    doubled compared to the previous timeout of the same data (RFC 6298 5.5:
//    the timer backs off by doubling).
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "tcpviz/nanos.h"
#include "tcpviz/seq_num.h"
#include "tcpviz/unacked_segments.h"

namespace tcpviz {

struct ResendTiming {
    Nanos since_last_sent = 0;   // what the retransmission timer waited
    Nanos since_first_sent = 0;  // equal to since_last_sent on the first resend
    Nanos previous_wait = 0;     // the previous timeout's wait for the same data; 0: none
    friend bool operator==(const ResendTiming&, const ResendTiming&) = default;
};

struct NoteFacts {
    bool probes_zero_window = false;         // a keep-alive-shaped segment sent into a zero window
    bool answers_zero_window_probe = false;  // the reply to a zero-window probe, window still 0
    std::optional<ResendTiming> resend;      // set on a retransmission by timeout whose first sending was seen
    friend bool operator==(const NoteFacts&, const NoteFacts&) = default;
};

// What one direction sent last that a later note compares with. Plain values:
// the connection archive copies them as bytes.
struct NoteHistory {
    bool last_was_zero_window_probe = false;
    std::uint64_t last_timeout_frame = 0;  // the latest retransmission by timeout
    Nanos last_timeout_wait = 0;           // and how long its timer had waited
};

// When the segment `frame` (sent at `now`, starting at raw `seq`) resends data
// by timeout: the earlier sendings of its first byte among the segments not
// yet acknowledged (`sent`, which already holds this one), and the previous
// timeout when the latest sending was that timeout. nullopt when no earlier
// sending was seen (the capture began after it).
std::optional<ResendTiming> resend_timing(const UnackedSegments& sent, SeqNum seq, std::uint64_t frame, Nanos now,
                                          const NoteHistory& history);

// Whether a retransmission was sent by a timer rather than in answer to an
// ACK (SACK recovery, RACK): the peer sent nothing since the data was last
// sent, or nothing for at least 200 ms (Linux's smallest RTO, TCP_RTO_MIN;
// RFC 6298 2.4 asks for at least 1 s). `peer_last_seen` is when the peer's
// latest segment was seen, 0 if never.
bool sent_by_timer(const ResendTiming& t, Nanos now, Nanos peer_last_seen);
inline constexpr Nanos smallest_rto = 200'000'000;

// Whether `wait` is the double of `previous`, within the jitter of a timer
// that fires on a clock tick (10 % either way).
bool wait_doubled(Nanos wait, Nanos previous);

// Whole milliseconds, rounded, saturating at the largest 32-bit number (a
// note's numbers are 32-bit).
std::uint32_t whole_millis(Nanos t);

}  // namespace tcpviz
