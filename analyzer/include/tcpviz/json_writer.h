// The one way tcpviz writes JSON text: events, connections, stats, headers
// and the kernel's samples all go through json::Writer.
//
// A record first reserves room for the most it may write (its bound, worked
// out from what it holds), then writes field after field through a raw
// pointer with no capacity check per append: std::string's per-call checks
// and small memmoves cost more than formatting the numbers did. key() and
// item() put the commas in, so a record reads as its list of fields:
//
//   json::append_record(text, bound, [&](json::Writer& out) {
//       out.open();                          // {
//       out.key("frame"); out.uint(42);      // "frame":42
//       out.key("seq"); out.uint_or_null(known, seq);   // ,"seq":null
//       out.key("t"); out.seconds(nanos, 6);            // ,"t":0.000123
//       out.close();                         // }
//   });
//
// Helpers that write a part of a record take a Writer by value and return
// it moved past what they wrote (`out = write_options_json(out, o);`): a
// Writer is two registers, and kept out of memory no character stored
// through it can alias it, so the compiler never reloads it.
//
// Bounds: a number takes at most max_number_chars, a key its name plus
// key_overhead, a string escaped by string() at most string_bound(size).
// The writer keeps no stack, only whether the list it is in was just opened:
// open() and open_array() start a list, key() and item() add to it (with a
// comma unless it was just opened), close() and close_array() end it.
#pragma once

#include <cassert>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include "tcpviz/output_sink.h"

namespace tcpviz::json {

// Room enough for any number the writer writes: a 64-bit integer with its
// sign (20 characters), or seconds() / millis() of any int64 (22).
inline constexpr std::size_t max_number_chars = 22;
// The most key() writes besides the name itself: a comma, two quotes, a colon.
inline constexpr std::size_t key_overhead = 4;
// The most string() writes for `size` bytes: every byte escaped as \u00XX, and the quotes.
constexpr std::size_t string_bound(std::size_t size) { return 6 * size + 2; }

// The primitives, each writing at `out` and returning the end of what it wrote.
//
// write_string quotes and escapes `text`: besides what JSON requires (", \,
// control characters) it escapes <, >, &, DEL, U+2028 and U+2029, so the
// text can be embedded in an HTML <script> element without ending it or
// injecting markup. Bytes that are not valid UTF-8 are copied as they are.
char* write_string(char* out, std::string_view text);
// Seconds from nanoseconds with `decimals` (at most 9) fixed decimals,
// truncated; well defined for every int64, INT64_MIN included. Inline: every
// event has one or two.
inline char* write_seconds(char* out, std::int64_t nanos, int decimals) {
    auto magnitude = static_cast<std::uint64_t>(nanos);
    if (nanos < 0) {
        *out++ = '-';
        magnitude = 0 - magnitude;  // negating INT64_MIN as a signed number would overflow
    }
    out = std::to_chars(out, out + max_number_chars, magnitude / 1'000'000'000).ptr;
    *out++ = '.';
    // The nine digits of the fraction with their leading zeros: those of
    // 1'000'000'000 + fraction after its '1'.
    char digits[10];
    std::to_chars(digits, digits + sizeof digits, 1'000'000'000 + magnitude % 1'000'000'000);
    std::memcpy(out, digits + 1, static_cast<std::size_t>(decimals));
    return out + decimals;
}
// Milliseconds from nanoseconds with 3 decimals, rounded to the nearest.
char* write_millis(char* out, std::int64_t nanos);

class Writer {
public:
    // A new Writer is as if after a value: its first key() or item() writes
    // a comma (`,"kernel":[...]` appended to an object), unless the record
    // starts with open() or open_array().
    explicit Writer(char* at) : p_(at) {}
    // The end of what was written.
    char* end() const { return p_; }
    // For functions that write a value through a raw pointer (payload
    // previews, note sentences): they write at end(), and skip_to() moves
    // past what they wrote.
    void skip_to(char* end) { p_ = end; }

    void open() { start_list('{'); }
    void close() { end_list('}'); }
    void open_array() { start_list('['); }
    void close_array() { end_list(']'); }

    // The name of the next member of an object (a literal tcpviz owns,
    // copied as it is), after a comma unless it is the first.
    template <std::size_t N>
    void key(const char (&name)[N]) {
        char* p = separate();
        p[0] = '"';
        std::memcpy(p + 1, name, N - 1);
        p[N] = '"';
        p[N + 1] = ':';
        p_ = p + N + 2;
    }
    // The same for a name chosen at run time (a finding's name).
    void key(std::string_view name) {
        char* p = separate();
        p = copy(p, "\"", 1);
        p = copy(p, name.data(), name.size());
        p_ = copy(p, "\":", 2);
    }
    // Before each element of an array: a comma unless it is the first.
    void item() { p_ = separate(); }

    void uint(std::uint64_t v) {
        if (v < 10) {  // flags, window scales, option kinds and lengths: one digit, no call
            *p_++ = static_cast<char>('0' + v);
            return;
        }
        p_ = std::to_chars(p_, p_ + max_number_chars, v).ptr;
    }
    void integer(std::int64_t v) { p_ = std::to_chars(p_, p_ + max_number_chars, v).ptr; }
    void boolean(bool v) { v ? raw("true") : raw("false"); }
    void null() { raw("null"); }
    // Fields the capture did not reach are null, never a made-up 0.
    void uint_or_null(bool known, std::uint64_t v) { known ? uint(v) : null(); }
    template <typename T>
    void uint_or_null(const std::optional<T>& v) {
        v ? uint(*v) : null();
    }
    void seconds(std::int64_t nanos, int decimals) { p_ = write_seconds(p_, nanos, decimals); }
    void millis(std::int64_t nanos) { p_ = write_millis(p_, nanos); }

    // Any text, quoted and escaped (see write_string).
    void string(std::string_view s) { p_ = write_string(p_, s); }
    // A name tcpviz owns ("SYN", "ESTABLISHED"), which needs no escaping:
    // quoted and copied as it is.
    void name(std::string_view s) {
        char* p = copy(p_, "\"", 1);
        p = copy(p, s.data(), s.size());
        p_ = copy(p, "\"", 1);
    }
    // Text that is already JSON: a literal (such as the separator between
    // records), or a finished piece.
    template <std::size_t N>
    void raw(const char (&s)[N]) {
        std::memcpy(p_, s, N - 1);
        p_ += N - 1;
    }
    void raw(std::string_view s) { p_ = copy(p_, s.data(), s.size()); }

private:
    static char* copy(char* out, const char* from, std::size_t n) {
        if (n > 0) std::memcpy(out, from, n);  // an empty view may hold no pointer, which memcpy must not get
        return out + n;
    }
    char* separate() {
        char* p = p_;
        if (!first_) *p++ = ',';
        first_ = false;
        return p;
    }
    void start_list(char c) {
        *p_++ = c;
        first_ = true;
    }
    // A list just closed is a value of the list around it, which is
    // therefore not empty.
    void end_list(char c) {
        *p_++ = c;
        first_ = false;
    }

    char* p_;
    bool first_ = false;
};

// Writes one record of at most `bound` bytes at the end of `out`:
// write(json::Writer&) fills the room, which is then cut to what it wrote.
template <typename Write>
void append_record(std::string& out, std::size_t bound, Write&& write) {
    const std::size_t at = out.size();
    out.resize(at + bound);
    Writer writer(out.data() + at);
    write(writer);
    const auto written = static_cast<std::size_t>(writer.end() - (out.data() + at));
    assert(written <= bound);
    out.resize(at + written);
}

// The same straight into a sink's buffer (the writers' hot path), which is
// flushed when its block is full.
template <typename Write>
void write_record(OutputSink& sink, std::size_t bound, Write&& write) {
    char* const start = sink.reserve(bound);
    Writer writer(start);
    write(writer);
    assert(static_cast<std::size_t>(writer.end() - start) <= bound);
    sink.commit(writer.end());
    sink.maybe_flush();
}

}  // namespace tcpviz::json
