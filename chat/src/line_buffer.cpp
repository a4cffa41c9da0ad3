#include "tcpviz/chat/line_buffer.h"

#include <utility>

namespace tcpviz::chat {

LineBuffer::LineBuffer(std::size_t max_line_bytes) : max_line_(max_line_bytes) {}

void LineBuffer::append(std::string_view bytes) {
    while (!bytes.empty()) {
        const std::size_t newline = bytes.find('\n');
        const bool has_newline = newline != std::string_view::npos;
        const std::string_view piece = bytes.substr(0, newline);  // the bytes before '\n' (all, if none)
        bytes.remove_prefix(has_newline ? newline + 1 : bytes.size());

        if (discarding_) {
            // The tail of an over-long line: its '\n' ends the discarding.
            if (has_newline) discarding_ = false;
            continue;
        }
        // +1: an unfinished line may hold one more byte, the '\r' of a "\r\n"
        // whose '\n' has not arrived yet.
        if (partial_.size() + piece.size() > max_line_ + 1) {
            partial_.clear();
            ready_.push_back(Item{Item::Kind::too_long, {}});
            discarding_ = !has_newline;
            continue;
        }
        partial_.append(piece);
        if (has_newline) complete_line();
    }
}

void LineBuffer::complete_line() {
    if (!partial_.empty() && partial_.back() == '\r') partial_.pop_back();
    if (partial_.size() > max_line_) {
        ready_.push_back(Item{Item::Kind::too_long, {}});
    } else {
        ready_.push_back(Item{Item::Kind::line, std::move(partial_)});
    }
    partial_.clear();
}

std::optional<LineBuffer::Item> LineBuffer::next() {
    if (ready_.empty()) return std::nullopt;
    Item item = std::move(ready_.front());
    ready_.pop_front();
    return item;
}

std::optional<std::string> LineBuffer::finish() {
    const bool was_discarding = std::exchange(discarding_, false);
    std::string tail = std::exchange(partial_, std::string());
    if (was_discarding || tail.empty()) return std::nullopt;
    if (tail.back() == '\r') tail.pop_back();
    if (tail.empty() || tail.size() > max_line_) return std::nullopt;
    return tail;
}

}  // namespace tcpviz::chat
