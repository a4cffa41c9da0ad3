// OutputQueue: the bytes waiting to be sent to one peer, with a hard limit.
//
// Why a queue at all: send() on a non-blocking socket takes only as many
// bytes as fit in the kernel's send buffer, possibly fewer than we asked
// ("partial send"), and returns EAGAIN when the buffer is full. The rest must
// wait here until poll() reports POLLOUT (room again) -- we must never block
// the whole server on one slow reader.
//
// Why a limit: a client that stops reading fills its receive window, then our
// send buffer, then this queue. Without a limit, one such client could make
// the server grow without bound. With one, push() fails and the server drops
// that client; everyone else carries on.
//
// Layout (like muduo's Buffer):
//
//   | already sent | pending: not yet accepted by send() |
//   0           read_                              data_.size()
//
//   invariant: 0 <= read_ <= data_.size(),  size() == data_.size() - read_ <= limit()
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace tcpviz::chat {

class OutputQueue {
public:
    // 256 KiB: thousands of chat lines, so a reader that is only slow for a
    // moment catches up; a reader that stopped for good is found quickly.
    static constexpr std::size_t default_limit = 256 * 1024;

    explicit OutputQueue(std::size_t limit = default_limit) : limit_(limit) {}

    // Queues all of `bytes`, or nothing if that would go over the limit --
    // a peer never receives half a line because the queue was full.
    bool push(std::string_view bytes);

    // The bytes still to send, oldest first; hand them to send().
    std::string_view pending() const noexcept { return std::string_view(data_).substr(read_); }

    // send() took the first `n` bytes of pending().
    void consume(std::size_t n);

    std::size_t size() const noexcept { return data_.size() - read_; }
    bool empty() const noexcept { return size() == 0; }
    std::size_t limit() const noexcept { return limit_; }

private:
    // After a burst drains, memory above this is given back, so a hundred idle
    // clients that once received a lot do not each keep a large buffer.
    static constexpr std::size_t keep_capacity = 64 * 1024;

    std::size_t limit_;
    std::string data_;
    std::size_t read_ = 0;
};

}  // namespace tcpviz::chat
