// FileDescriptor: owns one Unix file descriptor (a socket or a pipe end) and
// closes it exactly once.
//
// Why a class for an int: Beej's pollserver.c, the classic poll() example,
// forgets to close on an error path. A plain `int fd` leaks whenever a
// function returns early; with RAII the destructor remembers for us, and
// because the class can be moved but not copied, exactly one owner closes it.
#pragma once

#include <utility>

namespace tcpviz::chat {

class FileDescriptor {
public:
    FileDescriptor() = default;
    explicit FileDescriptor(int fd) noexcept : fd_(fd) {}
    ~FileDescriptor() { reset(); }

    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;
    FileDescriptor(FileDescriptor&& other) noexcept : fd_(other.release()) {}
    FileDescriptor& operator=(FileDescriptor&& other) noexcept {
        if (this != &other) reset(other.release());
        return *this;
    }

    int get() const noexcept { return fd_; }
    bool valid() const noexcept { return fd_ >= 0; }
    explicit operator bool() const noexcept { return valid(); }

    // Gives up ownership without closing.
    int release() noexcept { return std::exchange(fd_, -1); }

    // Closes what we hold (if anything) and holds `fd` instead.
    //
    // For a TCP socket, close() is the end of the conversation: the kernel
    // sends our FIN after any data still in the send buffer, or an RST if
    // bytes we never read are still waiting in the receive buffer (or if
    // SO_LINGER was set to {on, 0 seconds}).
    void reset(int fd = -1) noexcept;

private:
    int fd_ = -1;
};

}  // namespace tcpviz::chat
