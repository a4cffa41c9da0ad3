#include "tcpviz/chat/stream_io.h"

#include <sys/socket.h>

#include <cerrno>

namespace tcpviz::chat {

ReceiveResult receive_some(int fd, std::span<char> buffer) {
    // recv(): copies bytes that have arrived (and that the kernel already
    // ACKed) out of the socket's receive buffer. Taking them frees room in
    // the buffer, so the window we advertise in our next ACK grows again.
    // Any number of bytes may come: part of a line, several lines, anything.
    const ssize_t n = ::recv(fd, buffer.data(), buffer.size(), 0);
    if (n > 0) return {Received::data, static_cast<std::size_t>(n), 0};
    if (n == 0) return {Received::peer_closed, 0, 0};  // the FIN: end of the peer's stream, not an error
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return {Received::nothing, 0, 0};
    return {Received::error, 0, errno};
}

SendResult send_queued(int fd, OutputQueue& queue) {
    while (!queue.empty()) {
        const std::string_view bytes = queue.pending();
        // send(): copies bytes into the kernel's send buffer and returns; TCP
        // transmits them as segments when the peer's window and the
        // congestion window allow. It may take fewer bytes than offered
        // (a partial send): the rest stays queued for the next POLLOUT.
        // MSG_NOSIGNAL: if the peer has gone, return EPIPE instead of killing
        // the whole program with SIGPIPE.
        const ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (n > 0) {
            queue.consume(static_cast<std::size_t>(n));
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n == 0 || errno == EAGAIN || errno == EWOULDBLOCK) return {Sent::would_block, 0};
        return {Sent::error, errno};
    }
    return {Sent::all, 0};
}

}  // namespace tcpviz::chat
