#include "tcpviz/chat/output_queue.h"

namespace tcpviz::chat {

bool OutputQueue::push(std::string_view bytes) {
    if (bytes.size() > limit_ - size()) return false;  // size() <= limit_, so no underflow
    if (read_ > 0 && read_ >= data_.size() / 2) {
        // Move the pending bytes to the front. Done only when at least half
        // the buffer is already sent, so each byte is moved O(1) times.
        data_.erase(0, read_);
        read_ = 0;
    }
    data_.append(bytes);
    return true;
}

void OutputQueue::consume(std::size_t n) {
    read_ += n < size() ? n : size();
    if (read_ == data_.size()) {
        data_.clear();
        read_ = 0;
        if (data_.capacity() > keep_capacity) data_.shrink_to_fit();
    }
}

}  // namespace tcpviz::chat
