// Writing JSON text through a raw pointer, for the event writer's hot path.
//
// The caller reserves room for the longest text it may write (a bound it
// computes up front), then writes field after field with no capacity check
// per append: std::string's per-call checks and small memmoves cost more
// than formatting the numbers did. Everything written here is ASCII or
// already-escaped JSON.
//
//   char* start = sink.reserve(bound);
//   json::Cursor out{start};
//   out.lit("{\"frame\":"); out.uint(42); out.ch('}');
//   sink.commit(out.p);   // out.p - start <= bound
#pragma once

#include <charconv>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace tcpviz::json {

// Room enough for any 64-bit integer in decimal, with its sign.
inline constexpr std::size_t max_integer_chars = 20;

struct Cursor {
    char* p;

    // A string literal, without its terminating NUL.
    template <std::size_t N>
    void lit(const char (&s)[N]) {
        std::memcpy(p, s, N - 1);
        p += N - 1;
    }
    void text(std::string_view s) {
        if (s.empty()) return;  // an empty view may hold no pointer, which memcpy must not get
        std::memcpy(p, s.data(), s.size());
        p += s.size();
    }
    void ch(char c) { *p++ = c; }

    void uint(std::uint64_t v) { p = std::to_chars(p, p + max_integer_chars, v).ptr; }
    void integer(std::int64_t v) { p = std::to_chars(p, p + max_integer_chars, v).ptr; }

    // Seconds from nanoseconds with `decimals` (at most 9) fixed decimals.
    void seconds(std::int64_t nanos, int decimals) {
        std::uint64_t magnitude = static_cast<std::uint64_t>(nanos);
        if (nanos < 0) {
            *p++ = '-';
            magnitude = 0 - magnitude;  // well defined for INT64_MIN too
        }
        uint(magnitude / 1'000'000'000);
        *p++ = '.';
        std::uint64_t frac = magnitude % 1'000'000'000;
        char digits[9];
        for (int i = 8; i >= 0; --i) {
            digits[i] = static_cast<char>('0' + frac % 10);
            frac /= 10;
        }
        std::memcpy(p, digits, static_cast<std::size_t>(decimals));
        p += decimals;
    }
};

}  // namespace tcpviz::json
