// Fan-out of the live capture's events to every open page, as Server-Sent
// Events, without ever making the capture wait for a page.
//
//   capture thread --publish()--> [client queue] --next_batch()--> that client's HTTP thread
//                                 [client queue] ---------------->  ...
//
// Each client has a bounded queue. A client that falls behind (a slow
// projector laptop, a closed lid) loses messages, never the capture's time:
// when its queue is full the segments it misses are counted and, once it
// catches up, it gets one `aggregate` saying how many and which. When
// segments come faster than a page can draw them (more than
// `max_segments_per_tick` in one tick), the rest of the tick is sent as one
// `aggregate` to everyone.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace tcpviz::serve {

// Counts of segments not sent one by one.
struct SegmentAggregate {
    std::uint64_t from_index = 0, to_index = 0;  // [from, to)
    std::uint64_t segments = 0, bytes = 0;
    std::map<std::int64_t, std::uint64_t> by_conn;

    void add(std::uint64_t index, std::int64_t conn, std::uint64_t len);
    bool empty() const { return segments == 0; }
    std::string message(const char* reason) const;  // the SSE text of an `aggregate` event
};

class SseClient {
public:
    static constexpr std::size_t max_queued = 4096;

    // Waits up to `wait` for messages; returns them joined (empty: none came).
    std::string next_batch(std::chrono::milliseconds wait);
    void close();
    bool closed() const;

private:
    friend class SseHub;
    void push(const std::string& message, bool is_segment, std::uint64_t index, std::int64_t conn, std::uint64_t len);

    mutable std::mutex mutex_;
    std::condition_variable ready_;
    std::deque<std::string> queue_;
    SegmentAggregate missed_;  // segments dropped because the queue was full
    bool closed_ = false;
};

class SseHub {
public:
    static constexpr std::size_t max_clients = 64;
    static constexpr std::uint64_t max_segments_per_tick = 200;
    static constexpr std::chrono::milliseconds tick{100};

    // A new client with `hello` queued first; nullptr when max_clients are open.
    std::shared_ptr<SseClient> subscribe(const std::string& hello);
    void unsubscribe(const std::shared_ptr<SseClient>& client);

    // A message that is not a segment (connection, kernel): always queued.
    void publish(const std::string& message);
    // A segment: sent as itself, or counted into this tick's aggregate when
    // the tick already carried max_segments_per_tick.
    void publish_segment(const std::string& message, std::uint64_t index, std::int64_t conn, std::uint64_t len);
    // Called every `tick`: sends the aggregate of the tick that ended.
    void on_tick();
    // Closes every client (the server is stopping).
    void close_all();

    std::size_t clients() const;

private:
    void broadcast(const std::string& message, bool is_segment, std::uint64_t index, std::int64_t conn,
                   std::uint64_t len);

    mutable std::mutex mutex_;
    std::vector<std::shared_ptr<SseClient>> clients_;
    std::uint64_t sent_this_tick_ = 0;
    SegmentAggregate rate_;  // segments over the rate in this tick
};

// "event: NAME\ndata: DATA\n\n" (with "id: ID\n" when id is given).
std::string sse_message(const char* event, const std::string& data, const std::string& id = {});

}  // namespace tcpviz::serve
