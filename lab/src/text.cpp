#include "text.h"

#include <cstdio>

namespace tcpviz::lab {

std::string fill(const std::string& text, const Vars& vars) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '{') {
            const std::size_t close = text.find('}', i);
            if (close != std::string::npos) {
                const std::string name = text.substr(i + 1, close - i - 1);
                bool found = false;
                for (const auto& [key, value] : vars) {
                    if (key == name) {
                        out += value;
                        found = true;
                        break;
                    }
                }
                if (found) {
                    i = close;
                    continue;
                }
            }
        }
        out += text[i];
    }
    return out;
}

std::string num(long long value) { return std::to_string(value); }

std::string num(double value, int decimals) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
    return buffer;
}

}  // namespace tcpviz::lab
