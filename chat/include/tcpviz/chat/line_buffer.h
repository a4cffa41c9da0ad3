// LineBuffer: turns a TCP byte stream back into lines.
//
// THE LESSON ABOUT MESSAGE BOUNDARIES. TCP delivers a stream of bytes, not
// messages. If a client calls send("hello\n") and then send("world\n"), the
// server's recv() may return "hel", then "lo\nwor", then "ld\n" -- or both
// lines at once. TCP keeps the bytes in order and loses none, but it does not
// remember where one send() ended. So a protocol has to mark the boundaries
// itself; ours ends every message with '\n'. The receiver keeps the bytes of
// an unfinished line until its '\n' arrives, whichever recv() brings it.
// (The course's first program prints each recv() result as if it were one
// message; this class is the fix.)
//
// Rules of this codec:
//   - a line ends at '\n'; a '\r' just before it is dropped too, so telnet
//     and Windows clients ("\r\n") work;
//   - a line may be at most max_line_bytes long (not counting "\r\n"). A
//     longer one is reported once, as soon as it grows past the limit, and
//     the rest of it, up to and including its '\n', is thrown away. So a
//     client that sends a megabyte without a newline costs us at most
//     max_line_bytes of memory, never the megabyte;
//   - the bytes are not interpreted here (UTF-8 checking is sanitize_text()).
//
// Memory: partial_ never holds more than max_line_bytes + 1 bytes; ready_
// holds the complete lines of the last append(), which the caller takes
// with next() before the next recv().
#pragma once

#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <string_view>

namespace tcpviz::chat {

class LineBuffer {
public:
    // 4 KiB: longer than any line a person types, short enough that a few
    // hundred clients each holding an unfinished line cost little.
    static constexpr std::size_t default_max_line_bytes = 4096;

    struct Item {
        enum class Kind {
            line,      // a complete line, without its "\n" or "\r\n"
            too_long,  // a line went over the limit; it is being discarded
        };
        Kind kind = Kind::line;
        std::string text;  // the line (empty for too_long)
        bool operator==(const Item&) const = default;
    };

    explicit LineBuffer(std::size_t max_line_bytes = default_max_line_bytes);

    // Feeds the bytes one recv() returned, however they are split.
    void append(std::string_view bytes);

    // The next complete line (or too_long notice), oldest first.
    std::optional<Item> next();

    // At end of stream (the peer's FIN): the bytes after the last '\n', if
    // any, as a line of their own -- the FIN marks where that message ends.
    // Nothing if the tail is empty or was part of an over-long line.
    std::optional<std::string> finish();

    // Whether complete lines are waiting for next().
    bool has_lines() const noexcept { return !ready_.empty(); }

    // Bytes of the unfinished line held now.
    std::size_t buffered() const noexcept { return partial_.size(); }

private:
    void complete_line();

    std::size_t max_line_;
    std::string partial_;      // the line being received, no '\n' yet
    bool discarding_ = false;  // inside an over-long line: drop bytes up to the next '\n'
    std::deque<Item> ready_;   // complete lines not yet taken by next()
};

}  // namespace tcpviz::chat
