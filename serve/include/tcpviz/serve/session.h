// A session: one input the server shows (a capture, a timeline, the live
// capture), answering the API's questions about it. The HTTP layer only
// parses parameters and passes these answers on.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "tcpviz/serve/series.h"

namespace tcpviz::serve {

// A JSON answer and its HTTP status.
struct Answer {
    int status = 200;
    std::string body;
};

// {"error": message} (with `extra` fields, each starting with a comma).
Answer error_answer(int status, const std::string& message, const std::string& extra = {});

struct SessionSummary {
    std::string name;    // the input's base name
    std::string source;  // "capture", "timeline" or "live"
    std::uint64_t segments = 0;
    std::uint64_t connections = 0;
    std::uint64_t packets = 0;
    bool ready = false;
    double progress = 0;  // 0..1
    double duration = 0;
    std::string error;  // why the input could not be read
};

struct SeriesQuery {
    std::uint32_t conn = 0;
    std::string kind;  // seq, win or kernel
    std::optional<double> from_t, to_t;
    std::uint32_t width = 1000;
};

class Session {
public:
    virtual ~Session() = default;
    virtual SessionSummary summary() const = 0;
    // The `meta` object's fields after "id" and "name": source, segments, connections, stats, duration.
    virtual Answer meta() const = 0;
    virtual Answer events(std::uint64_t from, std::uint64_t count) const = 0;
    virtual Answer frame(std::uint64_t frame) const = 0;
    virtual Answer series(const SeriesQuery& query) const = 0;
};

// The window a series covers: the query's bounds, or else the connection's life.
SeriesWindow series_window(const SeriesQuery& q, double first_t, double last_t);

}  // namespace tcpviz::serve
