// The text ladder printed while a capture runs, one segment at a time.
//
// The ladder writer (timeline_writer.h) collects its output in large blocks,
// right for a file; a class watching a terminal must see each segment the
// moment it arrives. This draws the same rows (ladder_row.h) and flushes
// each one.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "tcpviz/analyzer.h"
#include "tcpviz/timeline_writer.h"

namespace tcpviz {

// A TimelineWriter, so a TimelineSession feeds it beside the files.
class LiveLadder : public TimelineWriter {
public:
    // `options`: lang, notes and payload_bytes as for the ladder writer.
    LiveLadder(std::FILE* out, const WriterOptions& options) : out_(out), options_(options) {}

    // Nothing: the ladder writer's title is of no use to a class watching.
    void begin(const TimelineSource&) override {}

    // Prints the connection's heading the first time it appears, then the
    // segment's row, and flushes. Throws std::runtime_error when the output
    // cannot be written (a closed pipe), so the capture can stop cleanly.
    void event(const Event& e, const Analyzer& analyzer) override;

    // The closing summary, one line per connection, as the ladder writer ends.
    void end(const Analyzer& analyzer, const std::vector<std::string>& warnings) override;

private:
    void write(const std::string& text);

    std::FILE* out_;
    WriterOptions options_;
    std::int64_t next_connection_ = 0;  // ids below this have had their heading
};

}  // namespace tcpviz
