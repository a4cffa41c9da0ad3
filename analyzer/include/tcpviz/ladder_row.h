// One line (plus its state changes and note) of the terminal ladder, as a
// value, so that the same drawing serves the ladder writer, live capture and
// the replay of a saved timeline.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "tcpviz/event.h"
#include "tcpviz/note.h"
#include "tcpviz/tcp_state.h"
#include "tcpviz/timeline_writer.h"

namespace tcpviz {

struct LadderRow {
    std::uint64_t frame = 0;
    Nanos t = 0;  // since the first frame
    std::int64_t conn = -1;
    bool to_server = true;                             // client -> server arrow
    std::string label;                                 // "PSH,ACK seq=1 ack=1 len=8 win=512 \"hi\""
    std::string tags;                                  // "[retransmission] [duplicate_ack #2]"
    std::vector<std::pair<Side, std::string>> states;  // state names after this segment
    std::string note;                                  // the sentence, in the chosen language
};

LadderRow ladder_row_of(const Event& e, Nanos first_ts, const WriterOptions& options);

// The row as text lines: the arrow line, one line per state change, and the
// note when asked for.
std::string format_ladder_row(const LadderRow& row, bool with_note);

// The heading printed when a connection first appears.
std::string ladder_connection_header(std::int64_t id, const std::string& client, const std::string& server, Lang lang);

}  // namespace tcpviz
