#include "tcpviz/serve/sse_hub.h"

#include <algorithm>

namespace tcpviz::serve {

std::string sse_message(const char* event, const std::string& data, const std::string& id) {
    // The data is one line of JSON (the writers escape control characters),
    // so it needs no splitting into several data: lines.
    std::string out;
    out.reserve(data.size() + 32);
    out += "event: ";
    out += event;
    out += '\n';
    if (!id.empty()) out += "id: " + id + "\n";
    out += "data: ";
    out += data;
    out += "\n\n";
    return out;
}

void SegmentAggregate::add(std::uint64_t index, std::int64_t conn, std::uint64_t len) {
    if (segments == 0) from_index = index;
    to_index = index + 1;
    ++segments;
    bytes += len;
    ++by_conn[conn];
}

std::string SegmentAggregate::message(const char* reason) const {
    std::string data = "{\"from_index\":" + std::to_string(from_index) + ",\"to_index\":" + std::to_string(to_index) +
                       ",\"segments\":" + std::to_string(segments) + ",\"bytes\":" + std::to_string(bytes) +
                       ",\"by_conn\":{";
    bool first = true;
    for (const auto& [conn, n] : by_conn) {
        if (!first) data += ',';
        first = false;
        data += "\"" + std::to_string(conn) + "\":" + std::to_string(n);
    }
    data += "},\"reason\":\"";
    data += reason;
    data += "\"}";
    return sse_message("aggregate", data);
}

void SseClient::push(const std::string& message, bool is_segment, std::uint64_t index, std::int64_t conn,
                     std::uint64_t len) {
    std::lock_guard lock(mutex_);
    if (closed_) return;
    if (queue_.size() >= max_queued) {
        if (is_segment) missed_.add(index, conn, len);
        return;  // other messages are dropped too: the aggregate says the page is behind
    }
    queue_.push_back(message);
    ready_.notify_one();
}

std::string SseClient::next_batch(std::chrono::milliseconds wait) {
    std::unique_lock lock(mutex_);
    ready_.wait_for(lock, wait, [this] { return !queue_.empty() || closed_; });
    std::string batch;
    // At most a few hundred KiB per write, so one write never holds much.
    while (!queue_.empty() && batch.size() < (256u << 10)) {
        batch += queue_.front();
        queue_.pop_front();
    }
    if (queue_.empty() && !missed_.empty()) {
        batch += missed_.message("slow_client");
        missed_ = SegmentAggregate{};
    }
    return batch;
}

void SseClient::close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    ready_.notify_all();
}

bool SseClient::closed() const {
    std::lock_guard lock(mutex_);
    return closed_;
}

std::shared_ptr<SseClient> SseHub::subscribe(const std::string& hello) {
    std::lock_guard lock(mutex_);
    if (clients_.size() >= max_clients) return nullptr;
    auto client = std::make_shared<SseClient>();
    client->push(hello, false, 0, 0, 0);
    clients_.push_back(client);
    return client;
}

void SseHub::unsubscribe(const std::shared_ptr<SseClient>& client) {
    client->close();
    std::lock_guard lock(mutex_);
    clients_.erase(std::remove(clients_.begin(), clients_.end(), client), clients_.end());
}

void SseHub::broadcast(const std::string& message, bool is_segment, std::uint64_t index, std::int64_t conn,
                       std::uint64_t len) {
    for (const auto& c : clients_) c->push(message, is_segment, index, conn, len);
}

void SseHub::publish(const std::string& message) {
    std::lock_guard lock(mutex_);
    broadcast(message, false, 0, 0, 0);
}

void SseHub::publish_segment(const std::string& message, std::uint64_t index, std::int64_t conn, std::uint64_t len) {
    std::lock_guard lock(mutex_);
    if (sent_this_tick_ >= max_segments_per_tick) {
        rate_.add(index, conn, len);
        return;
    }
    ++sent_this_tick_;
    broadcast(message, true, index, conn, len);
}

void SseHub::on_tick() {
    std::lock_guard lock(mutex_);
    if (!rate_.empty()) broadcast(rate_.message("rate"), false, 0, 0, 0);
    rate_ = SegmentAggregate{};
    sent_this_tick_ = 0;
}

void SseHub::close_all() {
    std::lock_guard lock(mutex_);
    for (const auto& c : clients_) c->close();
}

std::size_t SseHub::clients() const {
    std::lock_guard lock(mutex_);
    return clients_.size();
}

}  // namespace tcpviz::serve
