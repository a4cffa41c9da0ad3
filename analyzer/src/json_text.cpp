#include "tcpviz/json_text.h"

#include <array>
#include <charconv>

namespace tcpviz::json {

namespace {

// Characters that must be escaped (see append_string's comment), as a table
// so the common case is one lookup per byte and whole runs are appended at once.
constexpr std::array<bool, 256> make_escape_table() {
    std::array<bool, 256> t{};
    for (int c = 0; c < 0x20; ++c) t[static_cast<std::size_t>(c)] = true;
    for (unsigned char c : {'"', '\\', '<', '>', '&', '\x7f', '\xe2'}) t[c] = true;
    return t;
}
constexpr std::array<bool, 256> needs_escape = make_escape_table();

}  // namespace

void append_string(std::string& out, std::string_view s) {
    static constexpr char hex[] = "0123456789abcdef";
    out += '"';
    std::size_t run = 0;  // start of the pending run of bytes copied as they are
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (!needs_escape[c]) continue;
        // U+2028 and U+2029 (E2 80 A8 / E2 80 A9) end a line in older JavaScript;
        // any other sequence starting with E2 is copied as it is.
        const bool line_separator = c == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
                                    (static_cast<unsigned char>(s[i + 2]) == 0xA8 ||
                                     static_cast<unsigned char>(s[i + 2]) == 0xA9);
        if (c == 0xE2 && !line_separator) continue;
        out.append(s.data() + run, i - run);
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            case '<': out += "\\u003c"; break;
            case '>': out += "\\u003e"; break;
            case '&': out += "\\u0026"; break;
            case 0xE2:
                out += static_cast<unsigned char>(s[i + 2]) == 0xA8 ? "\\u2028" : "\\u2029";
                i += 2;
                break;
            default: {
                const char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 0x0F]};
                out.append(esc, sizeof esc);
                break;
            }
        }
        run = i + 1;
    }
    out.append(s.data() + run, s.size() - run);
    out += '"';
}

void append_uint(std::string& out, std::uint64_t v) {
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
}

void append_int(std::string& out, std::int64_t v) {
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
}

void append_seconds(std::string& out, std::int64_t signed_nanos, int decimals) {
    // The magnitude as unsigned: negating INT64_MIN would overflow.
    const std::uint64_t nanos = signed_nanos < 0 ? 0 - static_cast<std::uint64_t>(signed_nanos)
                                                 : static_cast<std::uint64_t>(signed_nanos);
    if (signed_nanos < 0) out += '-';
    append_uint(out, nanos / 1'000'000'000);
    out += '.';
    std::uint64_t frac = nanos % 1'000'000'000;
    char digits[9];
    for (int i = 8; i >= 0; --i) {
        digits[i] = static_cast<char>('0' + frac % 10);
        frac /= 10;
    }
    out.append(digits, static_cast<std::size_t>(decimals));
}

void append_millis(std::string& out, std::int64_t signed_nanos) {
    // milliseconds with 3 decimals = microseconds; the magnitude as unsigned
    const std::uint64_t nanos = signed_nanos < 0 ? 0 - static_cast<std::uint64_t>(signed_nanos)
                                                 : static_cast<std::uint64_t>(signed_nanos);
    if (signed_nanos < 0) out += '-';
    const std::uint64_t micros = nanos / 1000 + (nanos % 1000 >= 500 ? 1 : 0);
    append_uint(out, micros / 1000);
    out += '.';
    const std::uint64_t frac = micros % 1000;
    out += static_cast<char>('0' + frac / 100);
    out += static_cast<char>('0' + (frac / 10) % 10);
    out += static_cast<char>('0' + frac % 10);
}

}  // namespace tcpviz::json
