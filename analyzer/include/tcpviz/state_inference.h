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

#include <cstdint>

#include "tcpviz/connection.h"
#include "tcpviz/event.h"

namespace tcpviz {

struct SegmentRoles {
    bool completes_handshake = false;  // the client's ACK of the SYN-ACK
    bool first_fin = false;            // the first FIN of the connection (active close)
    bool new_fin = false;              // a FIN not sent before by this side
    bool acks_fin = false;             // acknowledges the peer's FIN
    bool refuses = false;              // RST answering a SYN
};

// Updates the connection's states for one segment sent by `sender`, appends
// the changes to the connection and the event, and says what role the
// segment played.
SegmentRoles infer_states(Connection& c, Side sender, const TcpHeader& h, std::uint32_t seglen,
                          std::uint64_t frame, Nanos ts, Event& event);

}  // namespace tcpviz
