// UTF-8 for text shown in a terminal: decoding, display width, and making
// control characters visible.
//
// Anything tcpviz prints that came from a capture, a timeline or a peer is
// attacker-controlled. A terminal obeys control characters: ESC starts
// sequences that move the cursor, clear the screen or retitle the window, BEL
// rings, the C1 character U+009B is a one-character ESC [, and the bidi
// overrides (U+202E and friends) reorder what follows so that a line reads
// differently from what it contains. make_visible() writes each of them as
// an escape (\x1b, \u009b, \u202e) so the reader sees that it is there and
// the terminal never acts on it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace tcpviz::utf8 {

// One character decoded from UTF-8. `length` is 0 when the bytes at that
// point are not a well-formed sequence (RFC 3629: no overlong forms, no
// surrogates, nothing past U+10FFFF, not cut short).
struct Decoded {
    char32_t code_point = 0;
    std::size_t length = 0;
};
Decoded decode(std::string_view text, std::size_t at);

// Length of the well-formed sequence at p[0] (n bytes available), or 0 (as
// decode()). Inline: the payload preview asks it for every non-ASCII byte.
inline std::size_t sequence_length(const unsigned char* p, std::size_t n) {
    if (n == 0) return 0;
    const unsigned char lead = p[0];
    if (lead < 0x80) return 1;
    const auto continuation = [&](std::size_t i) { return i < n && (p[i] & 0xC0) == 0x80; };
    if (lead >= 0xC2 && lead <= 0xDF) return continuation(1) ? 2 : 0;  // C0, C1: overlong ASCII
    if (lead >= 0xE0 && lead <= 0xEF) {
        if (n < 2) return 0;
        if (lead == 0xE0 && p[1] < 0xA0) return 0;  // overlong
        if (lead == 0xED && p[1] > 0x9F) return 0;  // a UTF-16 surrogate
        return continuation(1) && continuation(2) ? 3 : 0;
    }
    if (lead >= 0xF0 && lead <= 0xF4) {
        if (n < 2) return 0;
        if (lead == 0xF0 && p[1] < 0x90) return 0;  // overlong
        if (lead == 0xF4 && p[1] > 0x8F) return 0;  // beyond U+10FFFF
        return continuation(1) && continuation(2) && continuation(3) ? 4 : 0;
    }
    return 0;  // a continuation byte, or F5..FF which never occur
}

// Whether the text is well-formed UTF-8 throughout.
bool is_valid(std::string_view text);

// Columns a terminal gives a character: 2 for East Asian Wide and Fullwidth
// (CJK, Hangul, fullwidth forms, most emoji), 1 for the rest ("→" is 1).
bool is_wide(char32_t code_point);
std::size_t width(char32_t code_point);

// Columns of a text; each byte of an invalid sequence counts one.
std::size_t display_width(std::string_view text);

// The longest prefix of `text` that fits in `columns`, never cutting a
// character in two.
std::string_view fit(std::string_view text, std::size_t columns);

// Characters a terminal must not receive as they are: C0 controls
// (U+0000..U+001F), DEL, C1 controls (U+0080..U+009F), the bidi embeddings,
// overrides, isolates and marks (U+061C, U+200E, U+200F, U+202A..U+202E,
// U+2066..U+2069), and the line and paragraph separators U+2028, U+2029.
bool is_unsafe(char32_t code_point);

// `text` with every unsafe character written as an escape: \n \r \t for
// those three, \xNN for other C0 controls, DEL and bytes that are not UTF-8,
// \uNNNN for the rest. Everything else, backslashes included, is copied as
// it is, so text already escaped (a payload preview) is not escaped twice.
std::string make_visible(std::string_view text);
void append_visible(std::string_view text, std::string& out);

}  // namespace tcpviz::utf8
