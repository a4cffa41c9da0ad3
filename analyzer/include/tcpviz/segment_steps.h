// The steps Analyzer::add takes for one TCP segment, in the order it takes
// them (the order of Wireshark 4.0's dissect_tcp, so that every field agrees
// with tshark). Each is small enough to read beside the lesson it serves.
#pragma once

#include "tcpviz/event.h"
#include "tcpviz/packet.h"
#include "tcpviz/state_inference.h"
#include "tcpviz/tracked_connection.h"

namespace tcpviz {

// The event's fields that come from the packet alone: addresses, raw
// numbers, options, payload, what is cut or wrong. Fills `e` in place (the
// analyzer's one event, reused for every segment: no copy of it per packet).
void fill_event(Event& e, const DecodedPacket& p, std::uint64_t frame, Nanos ts);

// Wireshark reads ports, seq, ack, flags and window before it looks the
// conversation up; a capture cut before the window belongs to none (and
// fill_event() has said so: no length, a "truncated" note).
bool header_reaches_window(const DecodedPacket& p);

// Ties the event to its connection: id, direction, the connection's last frame.
void place(Event& e, TrackedConnection& c);

// Base sequence numbers, Wireshark's sequence analysis, relative numbers,
// the scaled window and relative SACK edges.
void analyze_segment(Event& e, TrackedConnection& c, const DecodedPacket& p);

// What the note needs beyond Wireshark's flags (note_facts.h): a zero-window
// probe in the shape of a keep-alive and its reply, and how long the timer
// of a retransmission by timeout waited. Runs after analyze_segment().
void gather_note_facts(Event& e, TrackedConnection& c);

// What the options of a segment mean for the segments after it: the window
// scale both SYNs agree on, the SACK blocks, the handshake RTT.
void handle_options(TrackedConnection& c, Direction dir, const TcpHeader& h, Nanos ts);

// Counts, ISN and SYN options, handshake frames, FIN/RST seen, findings.
void update_summary(Connection& c, const Event& e, const TcpHeader& h);

// What the state diagram needs of the segment.
SentSegment sent_segment(const Event& e, const TcpHeader& h);

// The state changes into the event, and the handshake complete when the
// segment completed it.
void record_states(Event& e, Connection& c, const StateStep& step);

}  // namespace tcpviz
