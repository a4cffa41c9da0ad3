// Reading a saved timeline (what `tcpviz analyze` writes, JSON or NDJSON)
// back into plain values, checked before anything uses them.
//
// A timeline handed around a class may have been edited by hand or crafted to
// hurt: a field of the wrong type, a key missing, a number out of any range
// (`"t": 1e300`). read_timeline() checks every field that replay and site
// use against analyzer/timeline.schema.json and answers either a Timeline
// whose values are all in range or one line saying what is wrong and where
// ("events[3].t: not a number of seconds"). It never throws.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tcpviz/tcp_state.h"

namespace tcpviz {

struct TimelineEndpoint {
    std::string ip;  // as written, unchecked text: make it visible before printing
    std::uint16_t port = 0;
};

struct TimelineConnection {
    std::uint64_t id = 0;
    std::optional<TimelineEndpoint> client;
    std::optional<TimelineEndpoint> server;
};

struct TimelineEvent {
    std::uint64_t frame = 0;
    double t = 0;                                   // seconds since the first frame, |t| < max_timeline_seconds
    std::int64_t conn = -1;                         // -1: null (no connection)
    bool to_server = true;                          // "dir": "c2s"
    std::optional<std::vector<std::string>> flags;  // names from the schema's flag list; null when cut
    std::optional<std::uint32_t> seq, ack, len, win;
    std::string payload;                           // the preview, unchecked text
    std::vector<std::string> analysis;             // names from the schema's list
    std::vector<std::string> unreported_analysis;  // the same
    std::optional<std::uint64_t> dup_ack_num;
    bool truncated = false;
    bool malformed = false;
    std::vector<std::pair<Side, std::string>> states;  // side and state name (from the schema's list)
    std::string note;                                  // the English sentence, unchecked text
    std::string note_id;                               // [a-z_]* (may be empty)
    std::optional<std::array<std::uint32_t, 3>> note_args;
};

struct TimelineStats {
    std::string first_frame_time;  // unchecked text
    double duration = 0;           // seconds, in range
};

struct Timeline {
    bool ndjson = false;  // read from NDJSON lines rather than one document
    std::vector<TimelineEvent> events;
    std::vector<TimelineConnection> connections;
    std::optional<TimelineStats> stats;
};

// Times beyond this many seconds (about 292 years, the range of int64
// nanoseconds) are refused: no capture spans them, and converting them to
// nanoseconds would overflow.
inline constexpr double max_timeline_seconds = 9.2e9;

// The timeline in `text`, or nullopt with `error` set to one line.
std::optional<Timeline> read_timeline(std::string_view text, std::string& error);

// The same from a file; `error` is the reason only (the caller names the file).
std::optional<Timeline> read_timeline_file(const std::string& path, std::string& error);

}  // namespace tcpviz
