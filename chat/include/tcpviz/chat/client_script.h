// ClientScript: the client's demo knobs, apart from its duplex loop. It
// decides what a scripted client sends and when: "/nick NAME" first, then
// each --say line --interval apart, then --bulk bytes of numbered lines made
// as the send queue drains; and when its input ends -- after the last line,
// or at --quit-after.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>

#include "tcpviz/chat/output_queue.h"

namespace tcpviz::chat {

struct ClientConfig;

class ClientScript {
public:
    using Clock = std::chrono::steady_clock;

    // --bulk lines are this long, '\n' included.
    static constexpr std::size_t bulk_line_bytes = 100;

    ClientScript(const ClientConfig& config, Clock::time_point start);

    // Whether stdin is left alone (any of --say, --bulk, --quit-after).
    bool scripted() const noexcept { return scripted_; }

    // Moves what is due at `now` into `queue`.
    void feed(Clock::time_point now, OutputQueue& queue);
    // Whether our input has ended: everything scripted is queued, or
    // --quit-after has come. (An interactive client's input ends with stdin.)
    bool finished(Clock::time_point now) const;
    bool quit_time_came(Clock::time_point now) const { return quit_at_ && now >= *quit_at_; }
    // When the script next has something to do, if it waits for a time.
    std::optional<Clock::time_point> next_step() const;

private:
    struct Line {
        Clock::time_point at;
        std::string text;  // with its '\n'
    };
    void refill_bulk(OutputQueue& queue);

    bool scripted_ = false;
    std::deque<Line> lines_;
    std::size_t bulk_left_ = 0;
    std::uint64_t bulk_lines_ = 0;
    std::optional<Clock::time_point> quit_at_;
};

// Bulk line number `number`, exactly `length` bytes (>= 1) ending in '\n':
// "bulk 00000042 abcdefghij...\n". Numbered, so a reader can check that none
// was lost; shorter than 16 bytes it is only letters.
std::string make_bulk_line(std::uint64_t number, std::size_t length);

}  // namespace tcpviz::chat
