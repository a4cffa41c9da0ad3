// ServerStats: a snapshot of the chat server, for tests and curious teachers;
// StatsBoard: where the server's loop publishes it for other threads.
//
// Byte counts are the server's own buffers (what it could be made to hold),
// not the kernel's. Nothing here touches a socket: the loop keeps its own
// copy of the counters and publishes it once per round, under a mutex, so a
// test on another thread can wait for "3 clients in the room" without
// racing the loop.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>

namespace tcpviz::chat {

struct ServerStats {
    bool running = false;
    std::size_t clients = 0;                // in the room now
    std::size_t connections = 0;            // open sockets, including ones saying goodbye
    std::size_t queued_bytes = 0;           // all output queues together, now
    std::size_t peak_queued_bytes = 0;      // the most they ever held together
    std::size_t peak_client_queue = 0;      // the most one client's queue ever held
    std::size_t buffered_input_bytes = 0;   // unfinished lines held, now
    bool reading_paused = false;            // backpressure: some reader is behind, nobody is read from
    std::uint64_t accepted = 0;             // connections accepted
    std::uint64_t refused_full = 0;         // turned away: room full
    std::uint64_t refused_address = 0;      // turned away: too many connections from that address
    std::uint64_t evicted_silent = 0;       // silent newcomers closed to make room for another
    std::uint64_t login_timeouts = 0;       // closed: no complete line within the login time
    std::uint64_t read_pauses = 0;          // times reading paused because a reader fell behind
    std::uint64_t messages_relayed = 0;     // chat lines passed on
    std::uint64_t long_lines = 0;           // lines rejected for length
    std::uint64_t dropped_not_reading = 0;  // clients dropped: stalled above the high-water mark, or queue full
    std::uint64_t connections_lost = 0;     // ended by RST or another socket error
};

class StatsBoard {
public:
    void publish(const ServerStats& stats);
    ServerStats snapshot() const;
    // Waits until `condition` holds for the published stats, or `timeout`.
    bool wait_until(const std::function<bool(const ServerStats&)>& condition, std::chrono::milliseconds timeout) const;

private:
    mutable std::mutex mutex_;
    mutable std::condition_variable changed_;
    ServerStats published_;
};

}  // namespace tcpviz::chat
