#include "tcpviz/chat/file_descriptor.h"

#include <unistd.h>

namespace tcpviz::chat {

void FileDescriptor::reset(int fd) noexcept {
    if (fd_ >= 0) {
        // Never retry close() after EINTR: on Linux the descriptor is already
        // released, and a retry could close a descriptor another thread just
        // opened with the same number.
        ::close(fd_);
    }
    fd_ = fd;
}

}  // namespace tcpviz::chat
