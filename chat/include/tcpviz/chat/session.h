// Session: the server's side of one TCP connection -- its socket, the line
// buffer for what arrives, the output queue for what leaves, and where it is
// in its life.
//
//                 recv() == 0 (their FIN)
//   chatting ──────────────────────────────► saying_goodbye ── queue sent ──► close(): our FIN
//      │                                     (sending the goodbye)
//      │ /quit, or server shutdown
//      ▼
//   lingering ── queue sent ──► shutdown(SHUT_WR): our FIN ── recv() == 0 (their FIN) ──► close()
//   (reading and discarding)
//
//   Any state: an error (RST) or a full output queue ──► closed at once.
//
// The session does the socket calls; the server decides when (ChatServer).
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

namespace tcpviz::chat {

class Session {
public:
    using Clock = std::chrono::steady_clock;

    enum class State { chatting, saying_goodbye, lingering, closed };

    // The outcome of one recv(): the three cases every reader must handle.
    enum class Received {
        data,         // n > 0: bytes arrived (fed to the line buffer while chatting)
        peer_closed,  // n == 0: the peer's FIN -- it will send nothing more
        nothing,      // n < 0 with EAGAIN or EINTR: no bytes right now, try later
        error,        // n < 0 otherwise, e.g. ECONNRESET after the peer's RST; see error()
    };

    enum class Sent {
        all,          // the queue is empty
        would_block,  // the kernel's send buffer is full; wait for POLLOUT
        error,        // EPIPE, ECONNRESET...: the peer is gone; see error()
    };

    Session(ClientId id, FileDescriptor socket, std::string peer, std::size_t max_line_bytes,
            std::size_t max_queued_bytes);

    ClientId id() const noexcept { return id_; }
    int fd() const noexcept { return socket_.get(); }
    const std::string& peer() const noexcept { return peer_; }
    State state() const noexcept { return state_; }
    int error() const noexcept { return error_; }

    // One recv() of at most `buffer.size()` bytes. Reading once per poll()
    // round, not until EAGAIN, keeps a client that floods us from starving
    // the others: everyone gets one turn per round.
    Received receive(std::span<char> buffer);

    // The next complete line (or too-long notice) received, and the
    // unfinished last line when the peer has closed.
    std::optional<LineBuffer::Item> next_line() { return input_.next(); }
    bool has_lines() const noexcept { return input_.has_lines(); }
    std::optional<std::string> unfinished_line() { return input_.finish(); }
    std::size_t buffered_input() const noexcept { return input_.buffered(); }

    // Queues bytes to send; false if the output queue would overflow.
    bool queue(std::string_view bytes) { return output_.push(bytes); }
    std::size_t queued() const noexcept { return output_.size(); }

    // send()s queued bytes until the queue is empty or the kernel's send
    // buffer is full.
    Sent send_queued();

    // shutdown(SHUT_WR): our FIN, keeping the socket open for reading.
    void shutdown_write();
    bool write_shut() const noexcept { return write_shut_; }

    // close(): our FIN (or an RST if unread bytes remain).
    void close();
    // SO_LINGER {1, 0} then close(): an RST, unsent bytes discarded.
    void abort();

    void set_state(State state, std::optional<Clock::time_point> deadline = std::nullopt) {
        state_ = state;
        deadline_ = deadline;
    }
    // When the server stops waiting for this session to finish closing.
    std::optional<Clock::time_point> deadline() const noexcept { return deadline_; }

    // The output queue overflowed; the server drops this session soon.
    bool overflowed = false;

private:
    ClientId id_;
    FileDescriptor socket_;
    std::string peer_;
    LineBuffer input_;
    OutputQueue output_;
    State state_ = State::chatting;
    std::optional<Clock::time_point> deadline_;
    bool write_shut_ = false;
    int error_ = 0;
};

}  // namespace tcpviz::chat
