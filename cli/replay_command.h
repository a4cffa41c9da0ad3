// `tcpviz replay`: a recorded session (a timeline JSON or a capture file)
// played back in the terminal as a ladder, at real time scaled by --speed,
// or one segment per Enter with --step, for a class.
#pragma once

#include <cstdio>
#include <string>

#include "tcpviz/ladder_row.h"
#include "timeline_reader.h"

namespace CLI {
class App;
}

namespace tcpviz {

struct ReplayRequest {
    std::string input;     // timeline .json / .ndjson, or a pcap/pcapng capture
    double speed = 1.0;    // 2 = twice as fast as it happened
    long long conn = -1;   // only this connection; -1 = all
    bool step = false;     // wait for Enter before each segment
    double every_ms = 0;   // fixed spacing instead of real time (loopback happens in microseconds)
    double max_gap = 3.0;  // longest pause, in seconds after scaling
    std::string lang = "en";
    bool notes = true;
};

// The ladder row of an event read from a saved timeline (also what the
// timeline fuzzer draws).
LadderRow ladder_row_of_saved(const TimelineEvent& event, Lang lang);

// Returns the exit code (2 after a one-line error).
int run_replay(const ReplayRequest& request, std::FILE* in, std::FILE* out, std::FILE* err);

void add_replay_command(CLI::App& app);

}  // namespace tcpviz
