// A bounded, printable preview of a segment's payload.
//
// Payload is attacker-controlled bytes. The preview keeps valid UTF-8 text
// (so Chinese chat lines read as Chinese), writes control characters as \n,
// \r, \t or \xNN, a backslash as \\, and any byte that is not valid UTF-8 as
// \xNN. The result is always valid UTF-8 and never longer than the input
// prefix it shows (times four, for escapes).
#pragma once

#include <cstddef>
#include <string>

#include "tcpviz/bytes.h"

namespace tcpviz {

// Appends the preview of at most `max_bytes` payload bytes to `out`. A UTF-8
// sequence cut by the limit is left out rather than escaped.
void append_payload_preview(Bytes payload, std::size_t max_bytes, std::string& out);

// The same preview written directly as a quoted JSON string (escaped as
// json::append_string escapes, so it is safe inside a <script> element), in
// one pass.
void append_payload_preview_json(Bytes payload, std::size_t max_bytes, std::string& out);

// The room write_payload_preview_json may need: at most 6 characters per
// byte, the quotes, and 8 bytes of slack for its whole-entry copies.
constexpr std::size_t payload_preview_json_bound(std::size_t payload_size, std::size_t max_bytes) {
    return 6 * (payload_size < max_bytes ? payload_size : max_bytes) + 2 + 8;
}

// The same, written through a raw pointer into at least
// payload_preview_json_bound() bytes; returns the end of what it wrote.
char* write_payload_preview_json(Bytes payload, std::size_t max_bytes, char* out);

}  // namespace tcpviz
