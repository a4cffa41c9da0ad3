// Infers each endpoint's RFC 9293 state from the segments of a connection.
//
// A capture shows segments, not states, so tcpviz applies the state diagram
// of RFC 9293 section 3.3.2 to what each side sends and receives. A state
// change is tied to the frame that causes it: the sender's state changes when
// it sends (a SYN puts the client in SYN-SENT, a FIN puts its sender in
// FIN-WAIT-1 or LAST-ACK), the receiver's when the segment arrives (the
// SYN-ACK moves the client to ESTABLISHED, the ACK of a FIN moves its sender
// on). Where the capture starts mid-connection, both sides start ESTABLISHED.
// TIME-WAIT ends after 2 MSL with no segment, so it is the last state shown.
#pragma once

#include <array>
#include <cstdint>

#include "tcpviz/connection.h"
#include "tcpviz/seq_num.h"

namespace tcpviz {

// What the state diagram needs of one segment.
struct SentSegment {
    Side sender = Side::client;
    std::uint16_t flags = 0;
    SeqNum seq;
    SeqNum ack;
    std::uint32_t seglen = 0;
    std::uint64_t frame = 0;
    Nanos ts = 0;
};

struct SegmentRoles {
    bool completes_handshake = false;  // the client's ACK of the SYN-ACK
    bool first_fin = false;            // the first FIN of the connection (active close)
    bool new_fin = false;              // a FIN not sent before by this side
    bool acks_fin = false;             // acknowledges the peer's FIN
    bool refuses = false;              // RST answering a SYN
};

// What one segment did to the states: the changes it caused, in order (a
// segment causes at most four), and the role it played.
struct StateStep {
    SegmentRoles roles;
    std::array<StateChange, 4> changes{};
    std::uint8_t change_count = 0;
};

// Updates the connection's states (and its list of state changes, and the
// FIN bookkeeping of its summary) for one segment, and says what changed.
StateStep infer_states(Connection& c, const SentSegment& s);

}  // namespace tcpviz
