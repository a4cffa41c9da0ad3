// `tcpviz analyze CAPTURE --format layers [--frame LIST]`: chosen frames as
// nested layers (see analyzer/include/tcpviz/layers_text.h), for the layers
// lesson. Called from run_analyze; reads the capture itself, since it needs
// each frame's bytes rather than the timeline's events.
#pragma once

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "analyze_command.h"

namespace tcpviz {

// "4", "4-6", "1,4-6": the frames to show, 1-based and inclusive.
struct FrameSelection {
    std::vector<std::pair<std::uint64_t, std::uint64_t>> ranges;
    bool contains(std::uint64_t frame) const;
    std::uint64_t last() const;
};
// nullopt (and `error` set) when `text` is not such a list.
std::optional<FrameSelection> parse_frame_selection(const std::string& text, std::string& error);

int run_layers(const AnalyzeRequest& request, std::FILE* err);

}  // namespace tcpviz
