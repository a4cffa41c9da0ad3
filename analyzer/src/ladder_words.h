// The words of the text ladder's frame (its title, the connection headers
// and the summary at the end) in each language, side by side in one table
// (ladder_words.cpp). The segments' notes come from analyzer/notes.json.
#pragma once

#include <array>
#include <string_view>

#include "tcpviz/connection.h"
#include "tcpviz/timeline_writer.h"

namespace tcpviz {

struct LadderWords {
    std::string_view title;            // "# tcpviz ladder: " + the file
    std::string_view conn_line;        // "\nconn " + id
    std::string_view client_after_id;  // ": client " + address
    std::string_view server_between;   // "  <->  server " + address
    std::string_view column_heads;     // " frame      time  c  client"
    std::string_view server_column;    // the right column's head
    std::string_view summary_conn;     // "# conn " + id
    std::string_view handshake;        // ": handshake " + word
    std::string_view handshake_complete, handshake_not_captured, handshake_incomplete;
    std::string_view teardown;                  // ", teardown " + word
    std::array<std::string_view, 3> teardowns;  // by TeardownKind: none, fin, rst
    std::string_view half_close, simultaneous;
    std::string_view by_open, by_close;     // " (by " + side + ")"
    std::array<std::string_view, 2> sides;  // Side: client, server
    std::string_view final_states;          // ", final states "
    std::string_view warning;               // "# warning: " + text
};

const LadderWords& ladder_words(Lang lang);

}  // namespace tcpviz
