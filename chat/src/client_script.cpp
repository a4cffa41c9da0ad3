#include "tcpviz/chat/client_script.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>

#include "tcpviz/chat/chat_client.h"

namespace tcpviz::chat {
namespace {

// --bulk lines are made as the queue drains, keeping about this much queued,
// so a large --bulk never sits in memory all at once.
constexpr std::size_t bulk_queue_target = 64 * 1024;

}  // namespace

std::string make_bulk_line(std::uint64_t number, std::size_t length) {
    std::string line;
    line.reserve(length);
    if (length >= 16) {
        char prefix[32];
        std::snprintf(prefix, sizeof prefix, "bulk %08" PRIu64 " ", number % 100000000);
        line = prefix;
    }
    for (std::size_t i = 0; line.size() + 1 < length; ++i) line.push_back(static_cast<char>('a' + i % 26));
    line.push_back('\n');
    return line;
}

ClientScript::ClientScript(const ClientConfig& config, Clock::time_point start)
    : scripted_(!config.say.empty() || config.bulk_bytes > 0 || config.quit_after.count() > 0),
      bulk_left_(config.bulk_bytes) {
    if (!config.nick.empty()) lines_.push_back({start, "/nick " + config.nick + "\n"});
    for (std::size_t i = 0; i < config.say.size(); ++i) {
        lines_.push_back({start + static_cast<int>(i) * config.interval, config.say[i] + "\n"});
    }
    if (config.quit_after.count() > 0) quit_at_ = start + config.quit_after;
}

void ClientScript::feed(Clock::time_point now, OutputQueue& queue) {
    while (!lines_.empty() && lines_.front().at <= now && queue.push(lines_.front().text)) lines_.pop_front();
    if (lines_.empty()) refill_bulk(queue);
}

void ClientScript::refill_bulk(OutputQueue& queue) {
    while (bulk_left_ > 0 && queue.size() + bulk_line_bytes <= bulk_queue_target) {
        const std::string line = make_bulk_line(++bulk_lines_, std::min(bulk_left_, bulk_line_bytes));
        queue.push(line);
        bulk_left_ -= line.size();
    }
}

bool ClientScript::finished(Clock::time_point now) const {
    if (quit_at_) return now >= *quit_at_;  // a listener: input ends at --quit-after, not before
    return scripted_ && lines_.empty() && bulk_left_ == 0;
}

std::optional<ClientScript::Clock::time_point> ClientScript::next_step() const {
    std::optional<Clock::time_point> next;
    if (!lines_.empty()) next = lines_.front().at;
    if (quit_at_ && (!next || *quit_at_ < *next)) next = quit_at_;
    return next;
}

}  // namespace tcpviz::chat
