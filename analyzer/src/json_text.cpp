#include "tcpviz/json_text.h"

#include <charconv>

namespace tcpviz::json {

void append_string(std::string& out, std::string_view s) {
    static constexpr char hex[] = "0123456789abcdef";
    out += '"';
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        switch (c) {
            case '"': out += "\\\""; continue;
            case '\\': out += "\\\\"; continue;
            case '\n': out += "\\n"; continue;
            case '\r': out += "\\r"; continue;
            case '\t': out += "\\t"; continue;
            case '<': out += "\\u003c"; continue;
            case '>': out += "\\u003e"; continue;
            case '&': out += "\\u0026"; continue;
            default: break;
        }
        if (c < 0x20 || c == 0x7F) {
            out += "\\u00";
            out += hex[c >> 4];
            out += hex[c & 0x0F];
            continue;
        }
        // U+2028 and U+2029 (E2 80 A8 / E2 80 A9) end a line in older JavaScript.
        if (c == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
            (static_cast<unsigned char>(s[i + 2]) == 0xA8 || static_cast<unsigned char>(s[i + 2]) == 0xA9)) {
            out += static_cast<unsigned char>(s[i + 2]) == 0xA8 ? "\\u2028" : "\\u2029";
            i += 2;
            continue;
        }
        out += static_cast<char>(c);
    }
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

void append_seconds(std::string& out, std::int64_t nanos, int decimals) {
    if (nanos < 0) {
        out += '-';
        nanos = -nanos;
    }
    append_uint(out, static_cast<std::uint64_t>(nanos / 1'000'000'000));
    out += '.';
    std::int64_t frac = nanos % 1'000'000'000;
    char digits[9];
    for (int i = 8; i >= 0; --i) {
        digits[i] = static_cast<char>('0' + frac % 10);
        frac /= 10;
    }
    out.append(digits, static_cast<std::size_t>(decimals));
}

void append_millis(std::string& out, std::int64_t nanos) {
    // milliseconds with 3 decimals = microseconds
    if (nanos < 0) {
        out += '-';
        nanos = -nanos;
    }
    const std::int64_t micros = (nanos + 500) / 1000;
    append_uint(out, static_cast<std::uint64_t>(micros / 1000));
    out += '.';
    const std::int64_t frac = micros % 1000;
    out += static_cast<char>('0' + frac / 100);
    out += static_cast<char>('0' + (frac / 10) % 10);
    out += static_cast<char>('0' + frac % 10);
}

}  // namespace tcpviz::json
