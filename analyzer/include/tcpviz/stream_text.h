// `tcpviz analyze --format stream` ("follow stream"): per connection and
// direction, the bytes in the order the application reads them, with a
// [line] where each segment's bytes begin (frame, time, byte numbers) and
// marks for retransmitted, out-of-order and missing bytes, FIN and RST.
//
//   == conn 0: client 127.0.0.1:50000 → server 127.0.0.1:6666: 24 bytes to read ==
//   [frame 4, t=0.000213: bytes 1–8 (8)]
//     hello 1\n
//
// Payload is attacker-controlled: every byte a terminal would act on is
// written as an escape (utf8::make_visible), and a run of 8 or more of the
// same control byte as one escape and a count ("\x00×1000"), so the NUL
// padding of a fixed-size send() reads as what it is.
//
// The writer keeps each connection's bytes until the end of the capture
// (they are printed connection by connection): memory grows with the
// payload, so narrow a big capture with --filter.
#pragma once

#include <cstdio>
#include <memory>
#include <string>

#include "tcpviz/stream_reassembly.h"
#include "tcpviz/timeline_writer.h"

namespace tcpviz {

std::unique_ptr<TimelineWriter> make_stream_text_writer(std::FILE* out, const WriterOptions& options);

// Payload bytes as stream text: a line break after each \n (itself shown as
// \n), each line indented by two spaces, the last line ended even when the
// bytes do not end with \n (its missing \n shows the message goes on).
void append_stream_bytes(std::string& out, std::string_view bytes);

}  // namespace tcpviz
