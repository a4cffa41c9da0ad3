// Which sentence explains a segment, and which phase of the connection it
// belongs to: chosen from what the analysis found and the role the segment
// played in the state diagram. The sentences themselves are in note.cpp.
#pragma once

#include "tcpviz/event.h"
#include "tcpviz/state_inference.h"

namespace tcpviz {

// The most useful sentence for a segment: what went wrong first, then what
// the segment does in the life of the connection.
Note select_note(const Event& e, const SegmentRoles& roles);

// Handshake, data or teardown. `closing` says the connection has seen a FIN
// or RST before or with this segment.
Phase phase_of(const Event& e, const SegmentRoles& roles, bool closing);

}  // namespace tcpviz
