#include "tcpviz/chat/server_stats.h"

namespace tcpviz::chat {

void StatsBoard::publish(const ServerStats& stats) {
    {
        const std::lock_guard lock(mutex_);
        published_ = stats;
    }
    changed_.notify_all();
}

ServerStats StatsBoard::snapshot() const {
    const std::lock_guard lock(mutex_);
    return published_;
}

bool StatsBoard::wait_until(const std::function<bool(const ServerStats&)>& condition,
                            std::chrono::milliseconds timeout) const {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return condition(published_); });
}

}  // namespace tcpviz::chat
