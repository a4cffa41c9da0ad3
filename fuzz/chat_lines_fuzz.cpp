// The chat server's line handling without sockets: bytes from three clients
// arrive in pieces of any size, LineBuffer cuts them into lines,
// sanitize_text cleans them and the room acts on them (nicks, /who, /quit,
// messages), as chat_server.cpp does. Every line the room sends must be
// valid UTF-8 without control characters, ending in one '\n'.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "tcpviz/chat/chat_room.h"
#include "tcpviz/chat/line_buffer.h"
#include "tcpviz/chat/text.h"

namespace {

using namespace tcpviz::chat;

class CheckingOutbox : public Outbox {
public:
    void send_line(ClientId, std::string_view line) override {
        if (line.empty() || line.back() != '\n') __builtin_trap();
        const std::string_view body = line.substr(0, line.size() - 1);
        if (!is_valid_utf8(body) || sanitize_text(body) != body) __builtin_trap();
    }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    CheckingOutbox outbox;
    ChatRoom room(outbox);
    constexpr std::size_t clients = 3;
    const std::size_t max_line[clients] = {64, 64, LineBuffer::default_max_line_bytes};
    LineBuffer buffers[clients] = {LineBuffer(max_line[0]), LineBuffer(max_line[1]), LineBuffer(max_line[2])};
    bool joined[clients] = {};
    std::size_t at = 0;
    while (at < size) {
        // One control byte: which client, and how many bytes its recv() returns.
        const std::uint8_t control = data[at++];
        const std::size_t who = control % clients;
        const std::size_t n = std::min<std::size_t>(control / clients + 1, size - at);
        if (!joined[who]) {
            room.join(who + 1);
            joined[who] = true;
        }
        buffers[who].append(std::string_view(reinterpret_cast<const char*>(data + at), n));
        at += n;
        if (buffers[who].buffered() > max_line[who] + 1) __builtin_trap();
        while (auto item = buffers[who].next()) {
            if (item->kind == LineBuffer::Item::Kind::too_long) continue;
            if (room.handle_line(who + 1, sanitize_text(item->text)) == ChatRoom::After::quit) {
                room.leave(who + 1, LeaveReason::quit);
                joined[who] = false;
                buffers[who] = LineBuffer(max_line[who]);
                break;
            }
        }
    }
    for (std::size_t who = 0; who < clients; ++who) {
        if (!joined[who]) continue;
        if (auto tail = buffers[who].finish()) room.handle_line(who + 1, sanitize_text(*tail));
        room.leave(who + 1, LeaveReason::end_of_input);
    }
    return 0;
}
