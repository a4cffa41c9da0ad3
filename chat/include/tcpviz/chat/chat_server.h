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
// Usage:
//   ChatServer server(config);   // socket(), bind(), listen(): errors here
//   std::thread t([&] { server.run(); });
//   ...
//   server.stop();               // async-signal-safe; graceful shutdown
//   t.join();
#pragma once

#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "tcpviz/chat/chat_room.h"
#include "tcpviz/chat/file_descriptor.h"
#include "tcpviz/chat/line_buffer.h"
#include "tcpviz/chat/output_queue.h"
#include "tcpviz/chat/session.h"
#include "tcpviz/chat/socket_options.h"

namespace tcpviz::chat {

struct ServerConfig {
    static constexpr std::size_t kDefaultMaxClients = 512;
    // Shutdown: how long clients get to read the goodbye and close.
    static constexpr std::chrono::milliseconds kDefaultDrainTime{2000};
    // A client that closed (or typed /quit) gets this long to take its
    // goodbye and, after /quit, to send its FIN.
    static constexpr std::chrono::milliseconds kDefaultGoodbyeTime{5000};

    std::string bind_address;               // "" = all local addresses, IPv6 and IPv4
    std::uint16_t port = kDefaultPort;      // 0 = let the kernel choose (see ChatServer::port())
    std::size_t max_clients = kDefaultMaxClients;
    std::size_t max_line_bytes = LineBuffer::kDefaultMaxLineBytes;
    std::size_t max_queued_bytes = OutputQueue::kDefaultLimit;  // per client
    std::chrono::milliseconds drain_time = kDefaultDrainTime;
    std::chrono::milliseconds goodbye_time = kDefaultGoodbyeTime;
    SocketOptions socket;                   // applied to the listening socket(s), inherited by connections
    std::function<void(const std::string&)> log;  // one line per event (joins, leaves, drops); may be empty
};

// A snapshot of the server, for tests and curious teachers. Byte counts are
// the server's own buffers (what it could be made to hold), not the kernel's.
struct ServerStats {
    bool running = false;
    std::size_t clients = 0;               // in the room now
    std::size_t connections = 0;           // open sockets, including ones saying goodbye
    std::size_t queued_bytes = 0;          // all output queues together, now
    std::size_t peak_queued_bytes = 0;     // the most they ever held together
    std::size_t peak_client_queue = 0;     // the most one client's queue ever held
    std::size_t buffered_input_bytes = 0;  // unfinished lines held, now
    std::uint64_t accepted = 0;            // connections accepted
    std::uint64_t refused_full = 0;        // turned away: room full
    std::uint64_t messages_relayed = 0;    // chat lines passed on
    std::uint64_t long_lines = 0;          // lines rejected for length
    std::uint64_t dropped_not_reading = 0; // clients dropped for a full output queue
    std::uint64_t connections_lost = 0;    // ended by RST or another socket error
};

class ChatServer : private Outbox {
public:
    // Opens the listening socket(s): socket(), bind(), listen(). Throws
    // ChatError with advice (port in use, no permission, bad address).
    explicit ChatServer(ServerConfig config);
    ~ChatServer();
    ChatServer(const ChatServer&) = delete;
    ChatServer& operator=(const ChatServer&) = delete;

    // Where we listen, e.g. {"[::]:6666"} or {"127.0.0.1:41234"}.
    const std::vector<std::string>& endpoints() const noexcept { return endpoints_; }
    // The port we listen on (the kernel's choice if config.port was 0).
    std::uint16_t port() const noexcept { return port_; }
    // Whether one socket takes IPv6 and IPv4 (the default without --bind).
    bool dual_stack() const noexcept { return dual_stack_; }

    // The event loop. Returns after stop() once every client has closed or
    // the drain time is up.
    void run();

    // Asks run() to shut down gracefully: stop accepting, tell every client,
    // send our FIN, wait (bounded) for theirs, close. A second stop() closes
    // at once. Safe from a signal handler and from any thread: it only
    // bumps an atomic counter and write()s one byte to a pipe.
    void stop() noexcept;

    ServerStats stats() const;
    // Waits until `condition` holds for the published stats, or `timeout`.
    bool wait_until(const std::function<bool(const ServerStats&)>& condition,
                    std::chrono::milliseconds timeout) const;

private:
    using Clock = Session::Clock;

    void open_listeners();
    FileDescriptor open_listener(const sockaddr* address, socklen_t length, bool v6_only, int& error);
    int poll_timeout() const;

    void accept_clients(int listener);
    void on_wakeup();
    void on_events(Session& session, short revents);
    void on_readable(Session& session);
    void on_writable(Session& session);
    void on_lines(Session& session);
    void on_end_of_input(Session& session);
    void on_connection_lost(Session& session);
    void on_queue_sent(Session& session);
    void start_lingering(Session& session);
    void drop_overflowed();
    void begin_shutdown();
    void close_all(const char* why);
    void expire_deadlines();
    void remove_closed();
    void publish_stats();
    void log(const std::string& line) const;
    std::string name_of(const Session& session) const;
    Session* find(ClientId id);

    // Outbox: the room hands us lines for one client.
    void send_line(ClientId to, std::string_view line) override;

    ServerConfig config_;
    ChatRoom room_;
    std::vector<FileDescriptor> listeners_;
    std::vector<std::string> endpoints_;
    std::uint16_t port_ = 0;
    bool dual_stack_ = false;
    std::map<ClientId, Session> sessions_;
    ClientId next_id_ = 1;
    std::vector<ClientId> overflowed_;  // sessions whose queue overflowed, to drop after this event
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

    ServerStats counters_;  // the loop's own copy
    mutable std::mutex stats_mutex_;
    mutable std::condition_variable stats_changed_;
    ServerStats published_;
};

}  // namespace tcpviz::chat
