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
#include "tcpviz/note.h"

namespace tcpviz {

struct TimelineSource {
    std::string file;       // as given on the command line
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

// Buffered output to a FILE*, written in large blocks. Throws
// std::runtime_error when writing fails (disk full, closed pipe), so that no
// output is silently lost.
//
//   | written to the file | used_: text not yet written | free |
//   0 <= used_ <= capacity_
class OutputSink {
public:
    explicit OutputSink(std::FILE* file);
    // Room for `n` more bytes at the end: write through the pointer, then
    // commit() the end of what was written (at most `n` bytes further).
    char* reserve(std::size_t n);
    void commit(const char* end) { used_ = static_cast<std::size_t>(end - data_.get()); }
    void append(std::string_view text);
    void maybe_flush() {
        if (used_ >= flush_threshold) flush();
    }
    void flush();

private:
    static constexpr std::size_t flush_threshold = 1 << 16;
    std::FILE* file_;
    std::unique_ptr<char[]> data_;
    std::size_t used_ = 0;
    std::size_t capacity_;
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
// The same object's fields without its braces, written through a raw pointer
// (the writers' hot path); event_fields_json_bound() is the most it writes.
std::size_t event_fields_json_bound(const Event& e, const WriterOptions& options);
char* write_event_fields_json(char* out, const Event& e, const Analyzer& analyzer, const WriterOptions& options,
                              int time_decimals);
void append_connection_json(std::string& out, const Connection& c, const Analyzer& analyzer, int time_decimals,
                            const WriterOptions& options = {});
void append_stats_json(std::string& out, const Analyzer& analyzer, const std::vector<std::string>& warnings);

// "SYN,ACK" style flag names, in the order of the contract.
std::string flag_names(std::uint16_t flags, char separator);

}  // namespace tcpviz
