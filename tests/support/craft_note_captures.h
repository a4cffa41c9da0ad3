// The crafted captures behind the notes that teach more than Wireshark's
// flags (craft_note_captures.cpp); craft_captures' main calls this.
#pragma once

#include <string>
#include <vector>

// Writes them into `dir` and appends their file names to `written`.
void craft_note_captures(const std::string& dir, std::vector<std::string>& written);
