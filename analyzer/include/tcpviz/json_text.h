// JSON text appended to a std::string, for text built outside a record of
// json::Writer (json_writer.h): the servers' small replies, the text
// ladder's times, tests. The same primitives underneath, so both format alike.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace tcpviz::json {

// Appends a quoted JSON string, escaped as json::write_string escapes (safe
// inside an HTML <script> element).
void append_string(std::string& out, std::string_view text);

void append_uint(std::string& out, std::uint64_t v);
// Seconds with a fixed number of decimals (6 for micro, 9 for nanoseconds).
void append_seconds(std::string& out, std::int64_t nanos, int decimals);
// A number of milliseconds from nanoseconds, with 3 decimals.
void append_millis(std::string& out, std::int64_t nanos);

}  // namespace tcpviz::json
