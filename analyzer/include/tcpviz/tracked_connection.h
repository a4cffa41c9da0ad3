// A connection while the analyzer follows it: its summary (what the writers
// see) and the analysis state of each direction (what only the analysis
// needs).
#pragma once

#include <array>

#include "tcpviz/connection.h"
#include "tcpviz/note_facts.h"
#include "tcpviz/seq_analysis.h"

namespace tcpviz {

struct TrackedConnection {
    Connection summary;
    // Wireshark's per-direction analysis state, indexed by Direction.
    std::array<FlowAnalysis, 2> flow;
    ConnectionAnalysis analysis;
    // What each direction sent last that a note compares with, indexed by Direction.
    std::array<NoteHistory, 2> note_history;

    FlowAnalysis& flow_of(Direction d) { return flow[static_cast<std::size_t>(d)]; }
};

}  // namespace tcpviz
