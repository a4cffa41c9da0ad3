#include "tcpviz/payload_preview.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>

#include "tcpviz/json_text.h"
#include "tcpviz/utf8.h"

namespace tcpviz {

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
            case '\n':
                out += "\\n";
                ++i;
                continue;
            case '\r':
                out += "\\r";
                ++i;
                continue;
            case '\t':
                out += "\\t";
                ++i;
                continue;
            default: break;
        }
        if (b >= 0x80) {
            // Judge the sequence against all captured bytes, so that a
            // character cut by the preview limit is not mistaken for garbage.
            const std::size_t len = utf8::sequence_length(p + i, payload.size() - i);
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

namespace {

// What one byte becomes in the JSON text of the preview: the preview's own
// escape (\n, \\, \xNN), escaped again as json::append_string would (so "\n"
// is written as the three characters backslash, backslash, n), plus JSON's
// escapes of " and the HTML-sensitive < > &. Bytes that may start a UTF-8
// sequence have length 0: whether they are text depends on what follows.
struct Escape {
    char text[7];
    std::uint8_t length;
};

constexpr char hex_digit(unsigned v) { return "0123456789abcdef"[v & 0x0F]; }

constexpr Escape escaped_hex(unsigned char b) { return {{'\\', '\\', 'x', hex_digit(b >> 4), hex_digit(b)}, 5}; }

constexpr bool may_start_utf8(unsigned char b) { return b >= 0xC2 && b <= 0xF4; }

constexpr std::array<Escape, 256> make_escapes() {
    std::array<Escape, 256> t{};
    for (unsigned b = 0; b < 256; ++b) {
        const auto c = static_cast<unsigned char>(b);
        if (c < 0x20 || c >= 0x7F) t[b] = escaped_hex(c);  // control, DEL, or not text
        else t[b] = {{static_cast<char>(c)}, 1};
        if (may_start_utf8(c)) t[b].length = 0;
    }
    t['\n'] = {{'\\', '\\', 'n'}, 3};
    t['\r'] = {{'\\', '\\', 'r'}, 3};
    t['\t'] = {{'\\', '\\', 't'}, 3};
    t['\\'] = {{'\\', '\\', '\\', '\\'}, 4};  // the preview's \\, escaped again for JSON
    t['"'] = {{'\\', '"'}, 2};
    t['<'] = {{'\\', 'u', '0', '0', '3', 'c'}, 6};
    t['>'] = {{'\\', 'u', '0', '0', '3', 'e'}, 6};
    t['&'] = {{'\\', 'u', '0', '0', '2', '6'}, 6};
    return t;
}
constexpr std::array<Escape, 256> escapes = make_escapes();

}  // namespace

char* write_payload_preview_json(Bytes payload, std::size_t max_bytes, char* out) {
    // One pass that writes what json::append_string(append_payload_preview())
    // would (a test holds the two equal). Binary payload is mostly escapes,
    // so nearly every byte is one table look-up and one 8-byte copy.
    const std::size_t limit = std::min(payload.size(), max_bytes);
    const auto* p = reinterpret_cast<const unsigned char*>(payload.data());
    *out++ = '"';
    std::size_t i = 0;
    while (i < limit) {
        const unsigned char b = p[i];
        const Escape& e = escapes[b];
        if (e.length != 0) {
            std::memcpy(out, &e, sizeof e);  // the whole entry; only `length` bytes count
            out += e.length;
            ++i;
            continue;
        }
        // Judge the sequence against all captured bytes, so that a character
        // cut by the preview limit is not mistaken for garbage.
        const std::size_t len = utf8::sequence_length(p + i, payload.size() - i);
        if (len == 0) {
            const Escape hex = escaped_hex(b);
            std::memcpy(out, &hex, sizeof hex);
            out += hex.length;
            ++i;
            continue;
        }
        if (i + len > limit) break;  // cut by the limit: leave it out
        if (len == 3 && b == 0xE2 && p[i + 1] == 0x80 && (p[i + 2] == 0xA8 || p[i + 2] == 0xA9)) {
            // U+2028 and U+2029 end a line in older JavaScript.
            std::memcpy(out, p[i + 2] == 0xA8 ? "\\u2028" : "\\u2029", 6);
            out += 6;
        } else {
            std::memcpy(out, p + i, len);
            out += len;
        }
        i += len;
    }
    *out++ = '"';
    return out;
}

void append_payload_preview_json(Bytes payload, std::size_t max_bytes, std::string& out) {
    const std::size_t at = out.size();
    out.resize(at + payload_preview_json_bound(payload.size(), max_bytes));
    char* end = write_payload_preview_json(payload, max_bytes, out.data() + at);
    out.resize(static_cast<std::size_t>(end - out.data()));
}

}  // namespace tcpviz
