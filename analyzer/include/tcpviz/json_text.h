// Small helpers to append JSON text to a string without building a document
// tree: the event writer appends thousands of these per second.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace tcpviz::json {

// Appends a quoted JSON string. Besides what JSON requires (", \, control
// characters) it escapes <, >, &, U+2028 and U+2029, so the same text can be
// embedded in an HTML <script> element without ending it or injecting markup.
void append_string(std::string& out, std::string_view text);

void append_uint(std::string& out, std::uint64_t v);
void append_int(std::string& out, std::int64_t v);
// Seconds with a fixed number of decimals (6 for micro, 9 for nanoseconds).
void append_seconds(std::string& out, std::int64_t nanos, int decimals);
// A number of milliseconds from nanoseconds, with 3 decimals.
void append_millis(std::string& out, std::int64_t nanos);

}  // namespace tcpviz::json
