#include "tcpviz/chat/text.h"

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
    unsigned char low = 0x80;   // allowed range of the second byte
    unsigned char high = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;             // C0 and C1 would be overlong forms of ASCII
    } else if (lead == 0xE0) {
        length = 3;
        low = 0xA0;   // E0 80..9F would be overlong
    } else if ((lead >= 0xE1 && lead <= 0xEC) || lead == 0xEE || lead == 0xEF) {
        length = 3;
    } else if (lead == 0xED) {
        length = 3;
        high = 0x9F;  // ED A0..BF would be UTF-16 surrogates D800..DFFF
    } else if (lead == 0xF0) {
        length = 4;
        low = 0x90;   // F0 80..8F would be overlong
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

// Control characters: C0 (00..1F) except TAB, DEL (7F), and C1 (U+0080..U+009F,
// which UTF-8 writes as C2 80..C2 9F).
bool is_control(std::string_view s, std::size_t i, std::size_t length) {
    const unsigned char lead = byte_at(s, i);
    if (length == 1) return (lead < 0x20 && lead != '\t') || lead == 0x7F;
    return length == 2 && lead == 0xC2 && byte_at(s, i + 1) < 0xA0;
}

}  // namespace

std::string sanitize_text(std::string_view raw) {
    std::string clean;
    clean.reserve(raw.size());
    for (std::size_t i = 0; i < raw.size();) {
        const std::size_t length = sequence_length(raw, i);
        if (length == 0) {
            clean.append(kReplacementCharacter);  // one invalid byte, one U+FFFD
            i += 1;
        } else if (is_control(raw, i, length)) {
            clean.append(kReplacementCharacter);
            i += length;
        } else {
            clean.append(raw.substr(i, length));
            i += length;
        }
    }
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
