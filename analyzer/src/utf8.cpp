#include "tcpviz/utf8.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>

namespace tcpviz::utf8 {
namespace {

struct Range {
    char32_t first;
    char32_t last;
};

constexpr Range wide_ranges[] = {
#include "east_asian_wide.inc"
};

}  // namespace

Decoded decode(std::string_view text, std::size_t at) {
    if (at >= text.size()) return {};
    const auto* p = reinterpret_cast<const unsigned char*>(text.data()) + at;
    const std::size_t length = sequence_length(p, text.size() - at);
    if (length == 0) return {};
    static constexpr unsigned char lead_bits[] = {0, 0x7F, 0x1F, 0x0F, 0x07};
    char32_t cp = p[0] & lead_bits[length];
    for (std::size_t k = 1; k < length; ++k) cp = (cp << 6) | (p[k] & 0x3F);
    return {cp, length};
}

bool is_valid(std::string_view text) {
    for (std::size_t i = 0; i < text.size();) {
        const Decoded d = decode(text, i);
        if (d.length == 0) return false;
        i += d.length;
    }
    return true;
}

bool is_wide(char32_t cp) {
    if (cp < wide_ranges[0].first) return false;  // all of ASCII, Latin, Greek, Cyrillic ...
    const auto* it = std::upper_bound(std::begin(wide_ranges), std::end(wide_ranges), cp,
                                      [](char32_t c, const Range& r) { return c < r.first; });
    return it != std::begin(wide_ranges) && cp <= (it - 1)->last;
}

std::size_t width(char32_t cp) { return is_wide(cp) ? 2 : 1; }

std::size_t display_width(std::string_view text) {
    std::size_t columns = 0;
    for (std::size_t i = 0; i < text.size();) {
        const Decoded d = decode(text, i);
        columns += d.length == 0 ? 1 : width(d.code_point);
        i += d.length == 0 ? 1 : d.length;
    }
    return columns;
}

std::string_view fit(std::string_view text, std::size_t columns) {
    std::size_t used = 0;
    std::size_t i = 0;
    while (i < text.size()) {
        const Decoded d = decode(text, i);
        const std::size_t w = d.length == 0 ? 1 : width(d.code_point);
        if (used + w > columns) break;
        used += w;
        i += d.length == 0 ? 1 : d.length;
    }
    return text.substr(0, i);
}

bool is_unsafe(char32_t cp) {
    if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) return true;  // C0, DEL, C1
    if (cp < 0x061C) return false;
    return cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 || cp == 0x2029;
}

void append_visible(std::string_view text, std::string& out) {
    out.reserve(out.size() + text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        // Copy the run of safe characters at once; most text is all of it.
        std::size_t end = i;
        Decoded d{};
        while (end < text.size()) {
            d = decode(text, end);
            if (d.length == 0 || is_unsafe(d.code_point)) break;
            end += d.length;
        }
        out.append(text.substr(i, end - i));
        if (end == text.size()) break;
        char escape[12];
        if (d.length == 0) {
            std::snprintf(escape, sizeof escape, "\\x%02x", static_cast<unsigned char>(text[end]));
            i = end + 1;
        } else {
            switch (d.code_point) {
                case '\n': std::snprintf(escape, sizeof escape, "\\n"); break;
                case '\r': std::snprintf(escape, sizeof escape, "\\r"); break;
                case '\t': std::snprintf(escape, sizeof escape, "\\t"); break;
                default:
                    std::snprintf(escape, sizeof escape, d.code_point <= 0x7F ? "\\x%02x" : "\\u%04x",
                                  static_cast<unsigned>(d.code_point));
            }
            i = end + d.length;
        }
        out += escape;
    }
}

std::string make_visible(std::string_view text) {
    std::string out;
    append_visible(text, out);
    return out;
}

}  // namespace tcpviz::utf8
