#include "tcpviz/chat/text.h"

#include <algorithm>

namespace tcpviz::chat {
namespace {

unsigned char byte_at(std::string_view s, std::size_t i) { return static_cast<unsigned char>(s[i]); }

// Length of the well-formed UTF-8 sequence that starts at s[i], or 0 if the
// bytes there are not one. The ranges are those of table 3-7 in the Unicode
// Standard: the lead byte fixes the length, and for a few lead bytes the
// second byte has a narrower range than 80..BF.
std::size_t sequence_length(std::string_view s, std::size_t i) {
    const unsigned char lead = byte_at(s, i);
    if (lead < 0x80) return 1;  // ASCII
    std::size_t length = 0;
    unsigned char low = 0x80;  // allowed range of the second byte
    unsigned char high = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;  // C0 and C1 would be overlong forms of ASCII
    } else if (lead == 0xE0) {
        length = 3;
        low = 0xA0;  // E0 80..9F would be overlong
    } else if ((lead >= 0xE1 && lead <= 0xEC) || lead == 0xEE || lead == 0xEF) {
        length = 3;
    } else if (lead == 0xED) {
        length = 3;
        high = 0x9F;  // ED A0..BF would be UTF-16 surrogates D800..DFFF
    } else if (lead == 0xF0) {
        length = 4;
        low = 0x90;  // F0 80..8F would be overlong
    } else if (lead >= 0xF1 && lead <= 0xF3) {
        length = 4;
    } else if (lead == 0xF4) {
        length = 4;
        high = 0x8F;  // F4 90.. would be beyond U+10FFFF
    } else {
        return 0;  // 80..BF continue a sequence, never start one; F5..FF never occur
    }
    if (i + length > s.size()) return 0;  // cut short
    if (byte_at(s, i + 1) < low || byte_at(s, i + 1) > high) return 0;
    for (std::size_t k = 2; k < length; ++k) {
        if ((byte_at(s, i + k) & 0xC0) != 0x80) return 0;  // not a continuation byte 10xxxxxx
    }
    return length;
}

// Whether `tail` (shorter than a whole character) could still become a
// well-formed sequence when more bytes arrive: its first bytes pass the
// same checks sequence_length() makes.
bool could_continue(std::string_view tail) {
    if (tail.size() >= 4) return false;
    std::string padded(tail);
    // Complete it with the smallest continuation bytes the lead allows; if
    // that is well-formed, the real bytes may be too.
    for (const unsigned char next : {0x80, 0x90, 0xA0}) {
        padded.assign(tail);
        while (padded.size() < 4) padded.push_back(static_cast<char>(next));
        const std::size_t length = sequence_length(padded, 0);
        if (length > tail.size()) return true;
    }
    return false;
}

// The code point of the well-formed sequence of `length` bytes at s[i].
char32_t decode(std::string_view s, std::size_t i, std::size_t length) {
    static constexpr unsigned char lead_mask[] = {0, 0x7F, 0x1F, 0x0F, 0x07};
    char32_t c = byte_at(s, i) & lead_mask[length];
    for (std::size_t k = 1; k < length; ++k) c = (c << 6) | (byte_at(s, i + k) & 0x3F);
    return c;
}

// Control characters: C0 (00..1F) except TAB, DEL (7F), C1 (U+0080..U+009F,
// which UTF-8 writes as C2 80..C2 9F), and the bidirectional controls.
bool is_control(std::string_view s, std::size_t i, std::size_t length) {
    const char32_t c = decode(s, i, length);
    return (c < 0x20 && c != '\t') || (c >= 0x7F && c <= 0x9F) || is_bidi_control(c);
}

// Like sanitize_text, but for a piece of a stream: '\n' passes, and an
// unfinished sequence at the very end is left for the next piece (its
// length is returned in `held`).
std::string sanitize_piece(std::string_view raw, bool keep_newline, bool at_end, std::size_t& held) {
    std::string clean;
    clean.reserve(raw.size());
    held = 0;
    for (std::size_t i = 0; i < raw.size();) {
        const std::size_t length = sequence_length(raw, i);
        if (length == 0 && !at_end && could_continue(raw.substr(i))) {
            held = raw.size() - i;  // a character cut by the end of this piece
            break;
        }
        if (length == 0) {
            clean.append(replacement_character);  // one invalid byte, one U+FFFD
            i += 1;
        } else if (is_control(raw, i, length) && !(keep_newline && raw[i] == '\n')) {
            clean.append(replacement_character);
            i += length;
        } else {
            clean.append(raw.substr(i, length));
            i += length;
        }
    }
    return clean;
}

}  // namespace

std::string sanitize_text(std::string_view raw) {
    std::size_t held = 0;
    return sanitize_piece(raw, false, true, held);
}

bool is_bidi_control(char32_t c) {
    return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x200E || c == 0x200F || c == 0x061C;
}

std::u32string code_points(std::string_view text) {
    std::u32string points;
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t length = std::max<std::size_t>(sequence_length(text, i), 1);
        points.push_back(decode(text, i, length));
        i += length;
    }
    return points;
}

std::string TerminalFilter::filter(std::string_view bytes) {
    held_.append(bytes);
    std::size_t held = 0;
    std::string clean = sanitize_piece(held_, true, false, held);
    held_.erase(0, held_.size() - held);
    return clean;
}

std::string TerminalFilter::finish() {
    std::size_t held = 0;
    std::string clean = sanitize_piece(held_, true, true, held);
    held_.clear();
    return clean;
}

bool is_valid_utf8(std::string_view text) {
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t length = sequence_length(text, i);
        if (length == 0) return false;
        i += length;
    }
    return true;
}

std::size_t count_characters(std::string_view text) {
    std::size_t count = 0;
    for (const char c : text) {
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;  // every byte but continuation bytes
    }
    return count;
}

}  // namespace tcpviz::chat
