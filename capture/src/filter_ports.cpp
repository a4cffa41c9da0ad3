#include "tcpviz/filter_ports.h"

#include <algorithm>
#include <charconv>

namespace tcpviz {
namespace {

// Words and the one-character punctuation of BPF: "(", ")", "!".
std::vector<std::string_view> tokens_of(std::string_view text) {
    std::vector<std::string_view> tokens;
    std::size_t i = 0;
    while (i < text.size()) {
        const char ch = text[i];
        if (ch == ' ' || ch == '\t' || ch == '\n') {
            ++i;
        } else if (ch == '(' || ch == ')' || ch == '!') {
            tokens.push_back(text.substr(i, 1));
            ++i;
        } else {
            const std::size_t start = i;
            while (i < text.size() && std::string_view(" \t\n()!").find(text[i]) == std::string_view::npos) ++i;
            tokens.push_back(text.substr(start, i - start));
        }
    }
    return tokens;
}

}  // namespace

std::vector<std::uint16_t> ports_in_filter(std::string_view filter) {
    const std::vector<std::string_view> tokens = tokens_of(filter);
    std::vector<std::uint16_t> ports;
    for (std::size_t i = 0; i + 1 < tokens.size(); ++i) {
        if (tokens[i] != "port") continue;
        unsigned value = 0;
        const std::string_view number = tokens[i + 1];
        const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
        if (ec != std::errc() || end != number.data() + number.size() || value == 0 || value > 65535) continue;
        // "not tcp port 22", "! port 22": the capture excludes it, so do we.
        std::size_t j = i;
        while (j > 0 && (tokens[j - 1] == "tcp" || tokens[j - 1] == "src" || tokens[j - 1] == "dst")) --j;
        if (j > 0 && (tokens[j - 1] == "not" || tokens[j - 1] == "!")) continue;
        const auto port = static_cast<std::uint16_t>(value);
        if (std::find(ports.begin(), ports.end(), port) == ports.end()) ports.push_back(port);
    }
    return ports;
}

}  // namespace tcpviz
