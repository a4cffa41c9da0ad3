// Text checks for chat lines: what the server lets through to other people's
// terminals.
//
// The protocol is lines of UTF-8 text, Chinese included. A client may send
// anything, though: broken UTF-8, NUL bytes, binary garbage, or terminal
// control sequences (ESC [ 2 J clears the screen; a bare '\r' moves the
// cursor back so "bob: hi\ralice: ..." could forge a line). The server
// REPLACES, it does not reject: every byte that is not part of well-formed
// UTF-8, and every control character except TAB (C0 controls including NUL
// and '\r', DEL, the C1 controls U+0080..U+009F, and the bidirectional
// controls that reorder what follows them on screen, U+202A..U+202E,
// U+2066..U+2069, U+200E, U+200F, U+061C), becomes U+FFFD "�". The rest of
// the message still gets through, and what the others receive is always
// valid UTF-8 with no control characters.
//
// The client does the same to everything it prints (TerminalFilter), '\n'
// excepted: a hostile server must not drive the terminal either.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace tcpviz::chat {

// U+FFFD REPLACEMENT CHARACTER, in UTF-8.
inline constexpr std::string_view replacement_character = "\xEF\xBF\xBD";

// The replacement described above. The result is at most three times longer
// than `raw` (one byte -> the three bytes of U+FFFD).
std::string sanitize_text(std::string_view raw);

// Whether `text` is well-formed UTF-8 (Unicode 15, table 3-7: no overlong
// forms, no surrogates, nothing above U+10FFFF).
bool is_valid_utf8(std::string_view text);

// Characters (code points) in valid UTF-8 `text`.
std::size_t count_characters(std::string_view text);

// The code points of valid UTF-8 `text` (what is_valid_utf8 accepts).
std::u32string code_points(std::string_view text);

// The bidirectional formatting controls listed above.
bool is_bidi_control(char32_t c);

// sanitize_text() for a stream cut anywhere, even inside a character: what
// the client prints. '\n' passes (the stream is lines); an unfinished
// UTF-8 sequence at the end of one piece waits for the next.
class TerminalFilter {
public:
    // The printable form of `bytes`, which continue the earlier ones.
    std::string filter(std::string_view bytes);
    // At the end of the stream: the bytes still held (each one U+FFFD).
    std::string finish();

private:
    std::string held_;  // at most 3 bytes: the start of a character cut off by the last piece
};

}  // namespace tcpviz::chat
