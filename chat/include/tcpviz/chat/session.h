// Session: the server's side of one TCP connection -- its socket, the line
// buffer for what arrives, the output queue for what leaves, and where it is
// in its life. The states and the only ways between them:
//
//                  their FIN (recv() == 0), or
//                  silent past the login time
//   chatting ─────────────────────────────────► saying_goodbye ── goodbye sent ──► closed
//      │          start_goodbye()                (sending the goodbye)  goodbye_sent():
//      │                                                                close(), our FIN
//      │ /quit, or the server shuts down
//      │ start_lingering()
//      ▼
//   lingering ── goodbye sent ──► lingering, write side shut ── their FIN ──► closed
//   (reading and    goodbye_sent():                              their_fin_after_ours():
//    discarding)    shutdown(SHUT_WR), our FIN                    close()
//
//   Any state ── error (RST), not reading, evicted, time is up ──► closed
//                close() (FIN) or abort() (RST)
//
// Each arrow is one member function, which asserts that it starts from a
// state the diagram allows. The session does the socket calls; the server
// decides when (ChatServer).
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "tcpviz/chat/chat_room.h"
#include "tcpviz/chat/file_descriptor.h"
#include "tcpviz/chat/line_buffer.h"
#include "tcpviz/chat/output_queue.h"
#include "tcpviz/chat/stream_io.h"

namespace tcpviz::chat {

class Session {
public:
    using Clock = std::chrono::steady_clock;

    enum class State { chatting, saying_goodbye, lingering, closed };

    struct Limits {
        std::size_t max_line_bytes;
        std::size_t max_queued_bytes;
    };

    Session(ClientId id, FileDescriptor socket, std::string peer, std::string address, Limits limits);

    ClientId id() const noexcept { return id_; }
    int fd() const noexcept { return socket_.get(); }
    const std::string& peer() const noexcept { return peer_; }        // "198.18.0.2:40012"
    const std::string& address() const noexcept { return address_; }  // "198.18.0.2"
    State state() const noexcept { return state_; }
    int error() const noexcept { return error_; }
    Clock::time_point connected_at() const noexcept { return connected_at_; }

    // One recv() into `buffer`. While chatting, the bytes go to the line
    // buffer; after we have said goodbye they are read only to be thrown
    // away. Reading once per poll() round, not until EAGAIN, keeps a client
    // that floods us from starving the others: everyone gets one turn.
    Received receive(std::span<char> buffer);

    // The next complete line (or too-long notice) received, and the
    // unfinished last line when the peer has closed.
    std::optional<LineBuffer::Item> next_line();
    bool has_lines() const noexcept { return input_.has_lines(); }
    std::optional<std::string> unfinished_line() { return input_.finish(); }
    std::size_t buffered_input() const noexcept { return input_.buffered(); }
    // Whether a complete line has ever arrived (a newcomer that has not sent
    // one yet is "silent", and may be closed when the login time is up).
    bool spoke() const noexcept { return spoke_; }

    // Queues bytes to send; false if the output queue would overflow.
    bool queue(std::string_view bytes) { return output_.push(bytes); }
    std::size_t queued() const noexcept { return output_.size(); }
    // send()s queued bytes until the queue is empty or the kernel's send
    // buffer is full. Remembers whether it had to stop (waiting_for_room()).
    Sent send_queued();
    bool waiting_for_room() const noexcept { return waiting_for_room_; }
    // The peer is gone for sending: what we still had for it is dropped.
    void discard_output();

    // The transitions of the diagram above.
    void start_goodbye(Clock::time_point deadline);
    void start_lingering(Clock::time_point deadline);
    void goodbye_sent();
    void their_fin_after_ours();
    void close();
    void abort();

    // When the server stops waiting for this session to finish closing.
    std::optional<Clock::time_point> deadline() const noexcept { return deadline_; }

    // Backpressure bookkeeping (the server's): since when this reader's
    // queue has been above the high-water mark.
    std::optional<Clock::time_point> backlogged_since;

private:
    ClientId id_;
    FileDescriptor socket_;
    std::string peer_;
    std::string address_;
    LineBuffer input_;
    OutputQueue output_;
    State state_ = State::chatting;
    Clock::time_point connected_at_ = Clock::now();
    std::optional<Clock::time_point> deadline_;
    bool spoke_ = false;
    bool write_shut_ = false;
    bool waiting_for_room_ = false;
    int error_ = 0;
};

}  // namespace tcpviz::chat
