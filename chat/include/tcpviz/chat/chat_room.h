// ChatRoom: who is in the room and what they say to each other -- the chat's
// rules, with no sockets in sight.
//
// The room decides which line goes to whom; an Outbox delivers it. In the
// server the outbox queues the line on that client's socket; in the unit
// tests it records the lines. (asio's chat example makes the same split:
// room, participant, session.)
//
// The protocol, all plain text lines ending in '\n':
//   client -> server   a message: any line not starting with '/'
//                      /nick NAME, /who, /quit, /help; "//text" sends "/text"
//   server -> client   "NAME: message" for what others say,
//                      "*** ..." for everything from the server itself
// The sender does not get its own messages back.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace tcpviz::chat {

using ClientId = std::uint64_t;

// The course's port: `tcpviz chat server` listens here and `tcpviz chat
// client` connects here unless told otherwise.
inline constexpr std::uint16_t default_port = 6666;

class Outbox {
public:
    // Deliver `line` (it ends in '\n') to client `to`. Must not call back
    // into the room: the room may be walking its member list. (The server
    // notes a full queue here and drops that client afterwards.)
    virtual void send_line(ClientId to, std::string_view line) = 0;

protected:
    ~Outbox() = default;
};

// Why someone left: decides what the room says.
enum class LeaveReason {
    quit,          // typed /quit                      -> goodbye to them, "NAME left" to the others
    end_of_input,  // their FIN: recv() returned 0      -> the same
    reset,         // RST or another socket error       -> "NAME left (connection reset)"
    not_reading,   // they stopped reading              -> "NAME was dropped (not reading)"
    silent,        // no line since connecting          -> "NAME left (said nothing)"
};

class ChatRoom {
public:
    static constexpr std::size_t max_nick_characters = 20;

    enum class After { stay, quit };

    explicit ChatRoom(Outbox& outbox) : outbox_(outbox) {}

    // A new member: gets a guest name, a welcome, and the others are told.
    void join(ClientId id);

    // One complete line from `id`, already sanitized (valid UTF-8, no
    // control characters, no "\n"): a command or a message for the others.
    // Returns After::quit for /quit; the caller then calls leave().
    After handle_line(ClientId id, std::string_view line);

    // `id` leaves; the others are told why. No-op if `id` is not a member.
    void leave(ClientId id, LeaveReason why);

    // "*** text" to one member, e.g. "line too long".
    void notify(ClientId id, std::string_view text);

    // Server shutdown: tells every member, then empties the room without
    // announcing each departure to everyone else.
    void close_room();

    bool contains(ClientId id) const { return members_.count(id) != 0; }
    std::size_t size() const noexcept { return members_.size(); }
    std::string nick_of(ClientId id) const;
    std::vector<std::string> nicks() const;  // in the order people came in
    std::uint64_t messages_relayed() const noexcept { return messages_relayed_; }

    // Whether `nick` is acceptable as a name: 1..max_nick_characters
    // characters, each an ASCII letter, digit, '-', '_', '.', or a
    // non-ASCII character (so 小明 is fine) that cannot pass for something
    // else. No spaces, ':' or '/': a name must not look like part of a
    // message or a command. Not allowed either, because they let one name
    // pose as another or as the server: invisible and bidirectional
    // controls (U+202E turns "bob" around), spaces of every kind, and the
    // symbols and fullwidth forms that imitate ASCII punctuation, such as
    // ＊＊＊ (U+FF0A) posing as the server's "***".
    static bool is_valid_nick(std::string_view nick);

    // The form two names are compared in: ASCII letters lower-cased, so
    // "BOB" and "bob" are the same name.
    static std::string fold_nick(std::string_view nick);

private:
    void broadcast(std::string_view line, ClientId except);
    void send(ClientId to, std::string_view line) { outbox_.send_line(to, line); }
    void change_nick(ClientId id, std::string_view wanted);
    void who(ClientId id);
    void help(ClientId id);
    bool nick_taken(std::string_view nick, ClientId except) const;

    Outbox& outbox_;
    std::map<ClientId, std::string> members_;  // id -> name; ids grow, so this is arrival order
    std::uint64_t next_guest_ = 1;
    std::uint64_t messages_relayed_ = 0;
};

}  // namespace tcpviz::chat
