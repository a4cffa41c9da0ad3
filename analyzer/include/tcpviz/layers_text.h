// `tcpviz analyze --format layers`: one frame's layers as indented text, each
// field with its name, value, byte offsets and the bytes (or bits) it covers.
//
//   TCP (transport layer)                                 bytes 34–53 (20)
//     source port                    50000                34–35    c3 50
//     data offset (header length …)  5 (5 × 4 = 20 bytes) 46       0101 ....
//
// Offsets count from the first byte of the frame, in decimal.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "tcpviz/bytes.h"
#include "tcpviz/frame_layers.h"
#include "tcpviz/note.h"

namespace tcpviz {

struct LayersFrameInfo {
    std::string_view file;           // the capture, as given
    std::uint64_t frame = 0;         // 1-based frame number
    double t = 0;                    // seconds since the capture's first frame
    bool chosen_by_default = false;  // no --frame: say how it was chosen
};

void append_layers_text(std::string& out, const LayersFrameInfo& info, const FrameLayers& layers, Bytes frame,
                        Lang lang);

// Replaces each "{name}" in `text` by its value.
std::string fill_placeholders(std::string_view text,
                              std::initializer_list<std::pair<std::string_view, std::string>> values);

}  // namespace tcpviz
