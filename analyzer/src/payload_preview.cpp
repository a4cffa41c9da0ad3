#include "tcpviz/payload_preview.h"

#include <algorithm>

#include "tcpviz/json_text.h"

namespace tcpviz {

// RFC 3629 well-formed sequences: no overlongs, no surrogates, nothing past U+10FFFF.
std::size_t utf8_sequence_length(const unsigned char* p, std::size_t n) {
    if (n == 0) return 0;
    const unsigned char b0 = p[0];
    if (b0 < 0x80) return 1;
    auto cont = [&](std::size_t i) { return i < n && (p[i] & 0xC0) == 0x80; };
    if (b0 >= 0xC2 && b0 <= 0xDF) return cont(1) ? 2 : 0;
    if (b0 >= 0xE0 && b0 <= 0xEF) {
        if (n < 2) return 0;
        const unsigned char b1 = p[1];
        if (b0 == 0xE0 && b1 < 0xA0) return 0;  // overlong
        if (b0 == 0xED && b1 > 0x9F) return 0;  // surrogate
        return cont(1) && cont(2) ? 3 : 0;
    }
    if (b0 >= 0xF0 && b0 <= 0xF4) {
        if (n < 2) return 0;
        const unsigned char b1 = p[1];
        if (b0 == 0xF0 && b1 < 0x90) return 0;  // overlong
        if (b0 == 0xF4 && b1 > 0x8F) return 0;  // beyond U+10FFFF
        return cont(1) && cont(2) && cont(3) ? 4 : 0;
    }
    return 0;
}

void append_payload_preview(Bytes payload, std::size_t max_bytes, std::string& out) {
    static constexpr char hex[] = "0123456789abcdef";
    const std::size_t limit = std::min(payload.size(), max_bytes);
    const auto* p = reinterpret_cast<const unsigned char*>(payload.data());
    std::size_t i = 0;
    while (i < limit) {
        const unsigned char b = p[i];
        if (b >= 0x20 && b < 0x7F && b != '\\') {
            // Copy the whole run of printable ASCII at once.
            std::size_t end = i + 1;
            while (end < limit && p[end] >= 0x20 && p[end] < 0x7F && p[end] != '\\') ++end;
            out.append(reinterpret_cast<const char*>(p + i), end - i);
            i = end;
            continue;
        }
        if (b == '\\') {
            out += "\\\\";
            ++i;
            continue;
        }
        switch (b) {
            case '\n': out += "\\n"; ++i; continue;
            case '\r': out += "\\r"; ++i; continue;
            case '\t': out += "\\t"; ++i; continue;
            default: break;
        }
        if (b >= 0x80) {
            // Judge the sequence against all captured bytes, so that a
            // character cut by the preview limit is not mistaken for garbage.
            const std::size_t len = utf8_sequence_length(p + i, payload.size() - i);
            if (len > 0) {
                if (i + len > limit) break;  // cut by the limit: leave it out
                out.append(reinterpret_cast<const char*>(p + i), len);
                i += len;
                continue;
            }
        }
        const char esc[4] = {'\\', 'x', hex[b >> 4], hex[b & 0x0F]};
        out.append(esc, sizeof esc);
        ++i;
    }
}

void append_payload_preview_json(Bytes payload, std::size_t max_bytes, std::string& out) {
    // One pass that writes what json::append_string(append_payload_preview())
    // would: the preview's escapes, then JSON's on top (a test holds the two
    // equal). Binary payload is mostly escapes, so this halves the work.
    static constexpr char hex[] = "0123456789abcdef";
    const std::size_t limit = std::min(payload.size(), max_bytes);
    const auto* p = reinterpret_cast<const unsigned char*>(payload.data());
    auto plain = [](unsigned char b) {
        return b >= 0x20 && b < 0x7F && b != '\\' && b != '"' && b != '<' && b != '>' && b != '&';
    };
    out += '"';
    std::size_t i = 0;
    while (i < limit) {
        const unsigned char b = p[i];
        if (plain(b)) {
            std::size_t end = i + 1;
            while (end < limit && plain(p[end])) ++end;
            out.append(reinterpret_cast<const char*>(p + i), end - i);
            i = end;
            continue;
        }
        switch (b) {
            case '\\': out += "\\\\\\\\"; ++i; continue;  // the preview's "\\\\", escaped again for JSON
            case '"': out += "\\\""; ++i; continue;
            case '<': out += "\\u003c"; ++i; continue;
            case '>': out += "\\u003e"; ++i; continue;
            case '&': out += "\\u0026"; ++i; continue;
            case '\n': out += "\\\\n"; ++i; continue;
            case '\r': out += "\\\\r"; ++i; continue;
            case '\t': out += "\\\\t"; ++i; continue;
            default: break;
        }
        if (b >= 0x80) {
            const std::size_t len = utf8_sequence_length(p + i, payload.size() - i);
            if (len > 0) {
                if (i + len > limit) break;
                if (len == 3 && b == 0xE2 && p[i + 1] == 0x80 && (p[i + 2] == 0xA8 || p[i + 2] == 0xA9)) {
                    out += p[i + 2] == 0xA8 ? "\\u2028" : "\\u2029";
                } else {
                    out.append(reinterpret_cast<const char*>(p + i), len);
                }
                i += len;
                continue;
            }
        }
        const char esc[5] = {'\\', '\\', 'x', hex[b >> 4], hex[b & 0x0F]};
        out.append(esc, sizeof esc);
        ++i;
    }
    out += '"';
}

}  // namespace tcpviz
