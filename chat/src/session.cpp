#include "tcpviz/chat/session.h"

#include <sys/socket.h>

#include <cassert>
#include <utility>

#include "tcpviz/chat/socket_options.h"

namespace tcpviz::chat {

Session::Session(ClientId id, FileDescriptor socket, std::string peer, std::string address, Limits limits)
    : id_(id),
      socket_(std::move(socket)),
      peer_(std::move(peer)),
      address_(std::move(address)),
      input_(limits.max_line_bytes),
      output_(limits.max_queued_bytes) {}

Received Session::receive(std::span<char> buffer) {
    const ReceiveResult result = receive_some(socket_.get(), buffer);
    if (result.outcome == Received::error) error_ = result.error;
    if (result.outcome == Received::data && state_ == State::chatting) {
        // The line buffer puts lines back together, however the bytes were cut.
        input_.append(std::string_view(buffer.data(), result.bytes));
    }
    return result.outcome;
}

std::optional<LineBuffer::Item> Session::next_line() {
    std::optional<LineBuffer::Item> item = input_.next();
    if (item) spoke_ = true;
    return item;
}

Sent Session::send_queued() {
    const SendResult result = chat::send_queued(socket_.get(), output_);
    waiting_for_room_ = result.outcome == Sent::would_block;
    if (result.outcome == Sent::error) error_ = result.error;
    return result.outcome;
}

void Session::discard_output() {
    output_.consume(output_.size());
    waiting_for_room_ = false;
}

void Session::start_goodbye(Clock::time_point deadline) {
    assert(state_ == State::chatting);
    state_ = State::saying_goodbye;
    deadline_ = deadline;
}

void Session::start_lingering(Clock::time_point deadline) {
    assert(state_ == State::chatting);
    state_ = State::lingering;
    deadline_ = deadline;
}

void Session::goodbye_sent() {
    assert(state_ == State::saying_goodbye || state_ == State::lingering);
    if (state_ == State::saying_goodbye) {
        close();  // the goodbye is in the kernel's hands; close() sends our FIN after it
        return;
    }
    if (write_shut_) return;
    // shutdown(SHUT_WR): sends our FIN after the bytes already in the send
    // buffer -- "I will send nothing more" -- but we can still receive. The
    // peer's recv() returns 0 once it has read everything before the FIN.
    ::shutdown(socket_.get(), SHUT_WR);
    write_shut_ = true;
}

void Session::their_fin_after_ours() {
    assert(state_ == State::lingering);
    close();  // both FINs sent: the connection is done
}

void Session::close() {
    socket_.reset();  // close(): our FIN, or an RST if unread bytes are left
    state_ = State::closed;
}

void Session::abort() {
    if (socket_.valid()) {
        try {
            set_linger_reset(socket_.get());
        } catch (...) {
            // Could not arm the RST: a plain close() still ends the connection.
        }
    }
    close();
}

}  // namespace tcpviz::chat
