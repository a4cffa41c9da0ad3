// ChatServer: the chat room on the network. One thread, one poll() loop,
// non-blocking sockets, any number of clients.
//
// Each round of the loop asks poll() which sockets are ready, then gives
// every ready socket one turn: accept new connections, recv() once from each
// readable client, send() queued bytes to each writable one. No call ever
// waits for a single client, so a client that stalls, floods, sends garbage
// or vanishes cannot hold up the others. (poll() scans the whole list each
// round; for a class of a few hundred that costs microseconds. epoll is the
// scalable version of the same idea.)
//
// One thing is shared, though: a line goes to every reader, so the room
// moves at the pace of its slowest reader. While one reader is behind, the
// server reads from nobody (backpressure, chat_server_client.cpp); a reader
// that has stopped for good is dropped after the stall time.
//
// Usage:
//   ChatServer server(config);   // socket(), bind(), listen(): errors here
//   std::thread t([&] { server.run(); });
//   ...
//   server.stop();               // async-signal-safe; graceful shutdown
//   t.join();
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "tcpviz/chat/chat_room.h"
#include "tcpviz/chat/file_descriptor.h"
#include "tcpviz/chat/line_buffer.h"
#include "tcpviz/chat/listener.h"
#include "tcpviz/chat/output_queue.h"
#include "tcpviz/chat/server_stats.h"
#include "tcpviz/chat/session.h"
#include "tcpviz/chat/socket_options.h"

namespace tcpviz::chat {

struct ServerConfig {
    static constexpr std::size_t default_max_clients = 512;
    // Shutdown: how long clients get to read the goodbye and close.
    static constexpr std::chrono::milliseconds default_drain_time{2000};
    // A client that closed (or typed /quit) gets this long to take its
    // goodbye and, after /quit, to send its FIN.
    static constexpr std::chrono::milliseconds default_goodbye_time{5000};
    // Backpressure: while any reader's queue holds more than the high-water
    // mark, the server reads from nobody; it reads again once that queue is
    // back at the low-water mark. A reader above the mark for the whole
    // stall time is taken to have stopped reading, and is dropped.
    static constexpr std::size_t default_high_water = 64 * 1024;
    static constexpr std::size_t default_low_water = 16 * 1024;
    static constexpr std::chrono::milliseconds default_stall_time{5000};
    // A newcomer must send a complete line (a /nick or a message) within
    // this time, like nginx's client_header_timeout.
    static constexpr std::chrono::milliseconds default_login_time{60000};
    static constexpr std::size_t default_max_per_address = 64;

    std::string bind_address;           // "" = all local addresses, IPv6 and IPv4
    std::uint16_t port = default_port;  // 0 = let the kernel choose (see ChatServer::port())
    std::size_t max_clients = default_max_clients;
    std::size_t max_line_bytes = LineBuffer::default_max_line_bytes;
    std::size_t max_queued_bytes = OutputQueue::default_limit;  // per client: a hard limit, over it a client is dropped
    std::size_t queue_high_water = default_high_water;          // per client: above it, reading pauses
    std::size_t queue_low_water = default_low_water;            // ... until the queue is down to this
    std::chrono::milliseconds stall_time = default_stall_time;  // above the high mark this long: dropped
    std::chrono::milliseconds login_time = default_login_time;  // no complete line this long after connecting: closed
    std::size_t max_per_address = default_max_per_address;      // connections from one IP address at once
    std::chrono::milliseconds drain_time = default_drain_time;
    std::chrono::milliseconds goodbye_time = default_goodbye_time;
    SocketOptions socket;                         // applied to the listening socket(s), inherited by connections
    std::function<void(const std::string&)> log;  // one line per event (joins, leaves, drops); may be empty
};

class ChatServer final : private Outbox {
public:
    // Opens the listening socket(s): socket(), bind(), listen(). Throws
    // ChatError with advice (port in use, no permission, bad address).
    explicit ChatServer(ServerConfig config);
    ~ChatServer();
    ChatServer(const ChatServer&) = delete;
    ChatServer& operator=(const ChatServer&) = delete;

    // Where we listen, e.g. {"[::]:6666"} or {"127.0.0.1:41234"}.
    const std::vector<std::string>& endpoints() const noexcept { return listeners_.endpoints(); }
    // The port we listen on (the kernel's choice if config.port was 0).
    std::uint16_t port() const noexcept { return listeners_.port(); }
    // Whether one socket takes IPv6 and IPv4 (the default without --bind).
    bool dual_stack() const noexcept { return listeners_.dual_stack(); }

    // The event loop. Returns after stop() once every client has closed or
    // the drain time is up.
    void run();

    // Asks run() to shut down gracefully: stop accepting, tell every client,
    // send our FIN, wait (bounded) for theirs, close. A second stop() closes
    // at once. Safe from a signal handler and from any thread: it only
    // bumps an atomic counter and write()s one byte to a pipe.
    void stop() noexcept;

    ServerStats stats() const { return board_.snapshot(); }
    // Waits until `condition` holds for the published stats, or `timeout`.
    bool wait_until(const std::function<bool(const ServerStats&)>& condition, std::chrono::milliseconds timeout) const {
        return board_.wait_until(condition, timeout);
    }

private:
    using Clock = Session::Clock;

    // chat_server.cpp: the loop, its timers, shutting down.
    void poll_once();
    std::optional<Clock::time_point> next_deadline() const;
    void on_wakeup();
    void begin_shutdown();
    void close_all(const char* why);
    void expire_deadlines();
    void remove_closed();
    void publish_stats();

    // chat_server_accept.cpp: accept() and who may come in.
    void accept_clients(int listener);
    void admit(FileDescriptor fd, const std::string& peer, const std::string& address);
    std::size_t connections_from(const std::string& address) const;
    bool evict_oldest_silent(const std::string& address);
    void refuse(int fd, const std::string& line);

    // chat_server_client.cpp: one client's input, output, and departure.
    void take_input(Session& session, short revents);
    void take_turn(Session& session);
    void on_end_of_input(Session& session);
    void on_connection_lost(Session& session);
    void on_quit(Session& session);
    void on_login_time_up(Session& session);
    void flush_output();
    void on_send_failed(Session& session);
    void update_backlog(Session& session);
    bool reading_paused() const noexcept { return !backlogged_.empty(); }
    void drop_not_reading(Session& session, const std::string& why);
    void drop_overflowed();
    void send_line(ClientId to, std::string_view line) override;  // Outbox: the room hands us a line
    std::string name_of(const Session& session) const;
    Session* find(ClientId id);
    void log(const std::string& line) const;

    ServerConfig config_;
    ChatRoom room_;
    Listeners listeners_;
    std::map<ClientId, Session> sessions_;  // ids grow, so this is the order they came in
    ClientId next_id_ = 1;
    std::set<ClientId> backlogged_;     // chatting sessions whose queue is above the high-water mark
    std::vector<ClientId> overflowed_;  // sessions whose queue overflowed, to drop after this step
    std::vector<ClientId> writable_;    // sessions poll() found writable this round, in id order
    std::vector<char> read_buffer_;

    // Wakes poll() for stop(): the "self-pipe trick". A signal handler may
    // not do much, but it may write() a byte to a pipe that poll() watches.
    FileDescriptor wake_read_;
    FileDescriptor wake_write_;
    std::atomic<unsigned> stop_requests_{0};
    unsigned stops_seen_ = 0;
    bool shutting_down_ = false;
    Clock::time_point shutdown_deadline_{};
    Clock::time_point accept_paused_until_{};

    ServerStats counters_;  // the loop's own copy, published once a round
    StatsBoard board_;
};

}  // namespace tcpviz::chat
