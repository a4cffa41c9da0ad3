// What a note needs to teach right beyond Wireshark's flags. The flags keep
// Wireshark's names (the oracle compares them with tshark); these facts let
// the sentence say what a student should learn from the segment:
//
//  - Linux probes a zero window with an empty segment one byte behind
//    (seq = SND.UNA - 1, tcp_xmit_probe_skb), the shape Wireshark calls a
//    keep-alive. Sent while the peer's window is 0, it is a zero-window probe
//    (RFC 9293 3.8.6.1), and the peer's answer with a window of 0 is the
//    reply to that probe.
//  - A retransmission by timeout: how long the timer waited, how long since
//    the data was first sent, and whether the wait doubled compared to the
//    previous timeout (RFC 6298 5.5: the timer backs off by doubling). The
//    timer is not always started by the data's last sending: RFC 6298 (5.1,
//    5.3) and Linux restart it when a segment is sent with the timer not
//    running and when an ACK acknowledges new data, and Linux restarts it
//    when it sends a tail loss probe (RFC 8985 7.3: a segment sent about two
//    round trips after the last one, to draw an ACK). The wait counts from
//    the latest of these the capture shows at least 200 ms (Linux's smallest
//    RTO) before the resend: new data sent while the timer runs does not
//    restart it, and on the wire only the wait tells it from a probe.
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "tcpviz/nanos.h"
#include "tcpviz/seq_num.h"
#include "tcpviz/unacked_segments.h"

namespace tcpviz {

// What (re)started the retransmission timer that has just run out.
enum class TimerStart : std::uint8_t {
    resent_bytes,   // the latest sending of the bytes resent now
    later_segment,  // a later segment the same side sent: a tail loss probe or new data
    peer_ack,       // the peer's latest ACK that acknowledged new data
};

struct ResendTiming {
    Nanos since_last_sent = 0;   // since the resent bytes were last sent
    Nanos since_first_sent = 0;  // equal to since_last_sent on the first resend
    Nanos waited = 0;            // what the retransmission timer waited: since `started_by`
    TimerStart started_by = TimerStart::resent_bytes;
    std::uint64_t start_frame = 0;  // the frame that started the timer
    Nanos previous_wait = 0;        // the previous timeout's wait, when it started this timer; 0: none
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
    // Its latest segment that takes sequence space (data, SYN, FIN): any of
    // them may have (re)started its retransmission timer.
    std::uint64_t last_sent_frame = 0;
    Nanos last_sent_ts = 0;
    bool sent_seen = false;
    SeqNum first_seq_seen;  // raw: where the first such segment began
    // The acks it sent: the highest so far, and when one last moved it
    // forward (acknowledged new data), which restarts the peer's timer.
    bool ack_seen = false;
    SeqNum highest_ack;
    std::uint64_t ack_advanced_frame = 0;
    Nanos ack_advanced_ts = 0;
};

// Adds one segment, once its own note facts are gathered, to its sender's
// history `mine`; `theirs` is the other direction's.
struct SentFacts {
    std::uint64_t frame = 0;
    Nanos ts = 0;
    SeqNum seq;  // raw
    SeqNum ack;  // raw
    bool has_ack = false;
    bool takes_sequence_space = false;  // carries data, SYN or FIN
};
void remember_sending(NoteHistory& mine, const NoteHistory& theirs, const SentFacts& s);

// When the segment `frame` (sent at `now`, starting at raw `seq`) resends data
// by timeout: the earlier sendings of its first byte among the segments not
// yet acknowledged (`sent`, which already holds this one); what started the
// timer, the latest of that byte's last sending, the sender's latest segment
// before this one (`mine`) and the peer's latest ACK of new data (`theirs`);
// and the previous timeout's wait when that timeout started this timer.
// nullopt when no earlier sending was seen (the capture began after it).
std::optional<ResendTiming> resend_timing(const UnackedSegments& sent, SeqNum seq, std::uint64_t frame, Nanos now,
                                          const NoteHistory& mine, const NoteHistory& theirs);

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
