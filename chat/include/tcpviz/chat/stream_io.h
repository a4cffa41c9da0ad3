// recv() and send() on a non-blocking TCP socket, with every outcome named.
// The server's sessions and the client both use these two functions, so the
// lesson about what recv() and send() can return is written down once.
#pragma once

#include <cstddef>
#include <span>

#include "tcpviz/chat/output_queue.h"

namespace tcpviz::chat {

// The outcome of one recv(): the cases every reader must handle.
enum class Received {
    data,         // n > 0: bytes arrived
    peer_closed,  // n == 0: the peer's FIN -- it will send nothing more
    nothing,      // n < 0 with EAGAIN or EINTR: no bytes right now, try later
    error,        // n < 0 otherwise, e.g. ECONNRESET after the peer's RST
};

struct ReceiveResult {
    Received outcome = Received::nothing;
    std::size_t bytes = 0;  // for Received::data: how many bytes are now in the buffer
    int error = 0;          // for Received::error: the errno value
};

// One recv() of at most `buffer.size()` bytes.
ReceiveResult receive_some(int fd, std::span<char> buffer);

enum class Sent {
    all,          // the queue is empty
    would_block,  // the kernel's send buffer is full; wait for POLLOUT
    error,        // EPIPE, ECONNRESET...: the peer is gone
};

struct SendResult {
    Sent outcome = Sent::all;
    int error = 0;  // for Sent::error: the errno value
};

// send()s from the front of `queue` until it is empty or the kernel's send
// buffer is full; what was sent leaves the queue.
SendResult send_queued(int fd, OutputQueue& queue);

}  // namespace tcpviz::chat
