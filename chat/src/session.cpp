#include "tcpviz/chat/session.h"

#include <sys/socket.h>

#include <cerrno>
#include <utility>

#include "tcpviz/chat/socket_options.h"

namespace tcpviz::chat {

Session::Session(ClientId id, FileDescriptor socket, std::string peer, std::size_t max_line_bytes,
                 std::size_t max_queued_bytes)
    : id_(id), socket_(std::move(socket)), peer_(std::move(peer)), input_(max_line_bytes), output_(max_queued_bytes) {}

Session::Received Session::receive(std::span<char> buffer) {
    // recv(): copies bytes that have arrived (and that the kernel already
    // ACKed) out of the socket's receive buffer. Taking them frees room in
    // the buffer, so the window we advertise in our next ACK grows again.
    const ssize_t n = ::recv(socket_.get(), buffer.data(), buffer.size(), 0);
    if (n > 0) {
        // Any number of bytes: part of a line, several lines, anything. The
        // line buffer puts lines back together; after we have said goodbye,
        // bytes are only read to be thrown away.
        if (state_ == State::chatting) input_.append(std::string_view(buffer.data(), static_cast<std::size_t>(n)));
        return Received::data;
    }
    if (n == 0) return Received::peer_closed;  // the FIN: end of the peer's stream, not an error
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return Received::nothing;
    error_ = errno;
    return Received::error;
}

Session::Sent Session::send_queued() {
    while (!output_.empty()) {
        const std::string_view bytes = output_.pending();
        // send(): copies bytes into the kernel's send buffer and returns; TCP
        // transmits them as segments when the peer's window and the
        // congestion window allow. It may take fewer bytes than offered
        // (a partial send): the rest stays queued for the next POLLOUT.
        // MSG_NOSIGNAL: if the peer has gone, return EPIPE instead of killing
        // the whole server with SIGPIPE.
        const ssize_t n = ::send(socket_.get(), bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (n > 0) {
            output_.consume(static_cast<std::size_t>(n));
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n == 0 || errno == EAGAIN || errno == EWOULDBLOCK) return Sent::would_block;
        error_ = errno;
        return Sent::error;
    }
    return Sent::all;
}

void Session::shutdown_write() {
    if (write_shut_) return;
    // shutdown(SHUT_WR): sends our FIN after the bytes already in the send
    // buffer -- "I will send nothing more" -- but we can still receive. The
    // peer's recv() returns 0 once it has read everything before the FIN.
    ::shutdown(socket_.get(), SHUT_WR);
    write_shut_ = true;
}

void Session::close() {
    socket_.reset();  // close(): FIN, or RST if unread bytes are left
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
