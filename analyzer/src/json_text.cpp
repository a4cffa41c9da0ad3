// The primitives of json_writer.h that are not inline, and the std::string helpers of json_text.h
// written with them.
#include "tcpviz/json_text.h"

#include <array>

#include "tcpviz/json_writer.h"

namespace tcpviz::json {

namespace {

// Characters that must be escaped (see write_string's comment), as a table
// so the common case is one lookup per byte and whole runs are copied at
// once. E2 is a candidate only: it starts U+2028 and U+2029.
constexpr std::array<bool, 256> make_escape_table() {
    std::array<bool, 256> t{};
    for (int c = 0; c < 0x20; ++c) t[static_cast<std::size_t>(c)] = true;
    for (unsigned char c : {'"', '\\', '<', '>', '&', '\x7f', '\xe2'}) t[c] = true;
    return t;
}
constexpr std::array<bool, 256> needs_escape = make_escape_table();

char* copy(char* out, const char* from, std::size_t n) {
    if (n > 0) std::memcpy(out, from, n);
    return out + n;
}

template <std::size_t N>
char* copy(char* out, const char (&s)[N]) {
    return copy(out, s, N - 1);
}

// U+2028 and U+2029 (E2 80 A8 / E2 80 A9) end a line in older JavaScript.
bool is_line_separator_at(std::string_view s, std::size_t i) {
    return i + 2 < s.size() && static_cast<unsigned char>(s[i]) == 0xE2 &&
           static_cast<unsigned char>(s[i + 1]) == 0x80 &&
           (static_cast<unsigned char>(s[i + 2]) == 0xA8 || static_cast<unsigned char>(s[i + 2]) == 0xA9);
}

// The escape of byte `c`, one that needs_escape (an E2 only as the start of
// a line separator, whose last byte is `last`).
char* write_escape(char* out, unsigned char c, unsigned char last) {
    static constexpr char hex[] = "0123456789abcdef";
    switch (c) {
        case '"': return copy(out, "\\\"");
        case '\\': return copy(out, "\\\\");
        case '\n': return copy(out, "\\n");
        case '\r': return copy(out, "\\r");
        case '\t': return copy(out, "\\t");
        case '<': return copy(out, "\\u003c");
        case '>': return copy(out, "\\u003e");
        case '&': return copy(out, "\\u0026");
        case 0xE2: return last == 0xA8 ? copy(out, "\\u2028") : copy(out, "\\u2029");
        default: {
            const char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 0x0F]};
            return copy(out, esc, sizeof esc);
        }
    }
}

}  // namespace

char* write_string(char* out, std::string_view s) {
    *out++ = '"';
    std::size_t run = 0;  // start of the pending run of bytes copied as they are
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (!needs_escape[c]) continue;
        if (c == 0xE2 && !is_line_separator_at(s, i)) continue;  // other E2 sequences are kept
        out = copy(out, s.data() + run, i - run);
        out = write_escape(out, c, c == 0xE2 ? static_cast<unsigned char>(s[i + 2]) : 0);
        if (c == 0xE2) i += 2;
        run = i + 1;
    }
    out = copy(out, s.data() + run, s.size() - run);
    *out++ = '"';
    return out;
}

char* write_millis(char* out, std::int64_t nanos) {
    // milliseconds with 3 decimals = microseconds, rounded to the nearest
    auto magnitude = static_cast<std::uint64_t>(nanos);
    if (nanos < 0) {
        *out++ = '-';
        magnitude = 0 - magnitude;  // as in write_seconds
    }
    const std::uint64_t micros = magnitude / 1000 + (magnitude % 1000 >= 500 ? 1 : 0);
    out = std::to_chars(out, out + max_number_chars, micros / 1000).ptr;
    *out++ = '.';
    const std::uint64_t frac = micros % 1000;
    *out++ = static_cast<char>('0' + frac / 100);
    *out++ = static_cast<char>('0' + (frac / 10) % 10);
    *out++ = static_cast<char>('0' + frac % 10);
    return out;
}

void append_string(std::string& out, std::string_view text) {
    append_record(out, string_bound(text.size()), [&](Writer& w) { w.string(text); });
}

void append_uint(std::string& out, std::uint64_t v) {
    append_record(out, max_number_chars, [&](Writer& w) { w.uint(v); });
}

void append_seconds(std::string& out, std::int64_t nanos, int decimals) {
    append_record(out, max_number_chars, [&](Writer& w) { w.seconds(nanos, decimals); });
}

void append_millis(std::string& out, std::int64_t nanos) {
    append_record(out, max_number_chars, [&](Writer& w) { w.millis(nanos); });
}

}  // namespace tcpviz::json
