// Writers of the timeline: JSON (the contract with the web page), NDJSON (one
// event per line, connections last) and the terminal ladder.
//
// Writers stream: each event is formatted and written as it comes, into a
// buffer flushed in large blocks, with no document tree in memory.
#pragma once

#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "tcpviz/analyzer.h"
#include "tcpviz/json_writer.h"
#include "tcpviz/note.h"
#include "tcpviz/output_sink.h"

namespace tcpviz {

struct TimelineSource {
    std::string file;  // as given on the command line
    int link_type = 1;
    int time_decimals = 6;  // 9 for nanosecond captures
};

struct WriterOptions {
    std::size_t payload_bytes = 64;  // preview length; 0 = no payload preview
    Lang lang = Lang::en;            // for the text ladder
    bool notes = false;              // text ladder: print each note under its segment
    // JSON/NDJSON: called at the end of each connection object, before its
    // closing brace, to append extra fields (each starting with a comma).
    // `tcpviz capture` adds the kernel's TCP_INFO samples this way.
    std::function<void(std::string& out, const Connection& c)> connection_extra;
};

class TimelineWriter {
public:
    virtual ~TimelineWriter() = default;
    virtual void begin(const TimelineSource& source) = 0;
    virtual void event(const Event& e, const Analyzer& analyzer) = 0;
    // `warnings` are lines such as "file cut off in the middle of a packet".
    virtual void end(const Analyzer& analyzer, const std::vector<std::string>& warnings) = 0;
};

std::unique_ptr<TimelineWriter> make_json_writer(std::FILE* out, const WriterOptions& options);
std::unique_ptr<TimelineWriter> make_ndjson_writer(std::FILE* out, const WriterOptions& options);
std::unique_ptr<TimelineWriter> make_text_ladder_writer(std::FILE* out, const WriterOptions& options);

// The JSON object of one event / one connection, appended to `out`. Shared by
// the JSON and NDJSON writers and by tests.
void append_event_json(std::string& out, const Event& e, const Analyzer& analyzer, const WriterOptions& options,
                       int time_decimals);
// The same object's members without its braces, for a record of the
// writers' hot path that puts members of its own beside them (NDJSON's
// "type"); event_fields_json_bound() is the most it writes.
std::size_t event_fields_json_bound(const Event& e, const WriterOptions& options);
json::Writer write_event_fields_json(json::Writer out, const Event& e, const Analyzer& analyzer,
                                     const WriterOptions& options, int time_decimals);
// The most append_connection_json writes besides its braces and what
// options.connection_extra adds.
std::size_t connection_json_bound(const Connection& c);
void append_connection_json(std::string& out, const Connection& c, const Analyzer& analyzer, int time_decimals,
                            const WriterOptions& options = {});
void append_stats_json(std::string& out, const Analyzer& analyzer, const std::vector<std::string>& warnings);

// "SYN,ACK" style flag names, in the order of the contract.
std::string flag_names(std::uint16_t flags, char separator);

}  // namespace tcpviz
