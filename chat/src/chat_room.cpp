#include "tcpviz/chat/chat_room.h"

#include "tcpviz/chat/text.h"

namespace tcpviz::chat {
namespace {

// Splits "/nick alice" into "/nick" and "alice" (spaces around the
// argument are trimmed).
std::pair<std::string_view, std::string_view> split_command(std::string_view line) {
    const std::size_t space = line.find(' ');
    if (space == std::string_view::npos) return {line, {}};
    std::string_view argument = line.substr(space + 1);
    while (!argument.empty() && argument.front() == ' ') argument.remove_prefix(1);
    while (!argument.empty() && argument.back() == ' ') argument.remove_suffix(1);
    return {line.substr(0, space), argument};
}

std::string server_line(std::string_view text) { return "*** " + std::string(text) + "\n"; }

}  // namespace

bool ChatRoom::is_valid_nick(std::string_view nick) {
    if (nick.empty() || !is_valid_utf8(nick) || count_characters(nick) > kMaxNickCharacters) return false;
    for (const char c : nick) {
        const auto b = static_cast<unsigned char>(c);
        if (b >= 0x80) continue;  // part of a non-ASCII character
        const bool ok = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == '-' ||
                        b == '_' || b == '.';
        if (!ok) return false;
    }
    // sanitize_text() turns controls into U+FFFD; a name should not contain one.
    return nick.find(kReplacementCharacter) == std::string_view::npos;
}

bool ChatRoom::nick_taken(std::string_view nick) const {
    for (const auto& [id, name] : members_) {
        if (name == nick) return true;
    }
    return false;
}

std::string ChatRoom::nick_of(ClientId id) const {
    const auto it = members_.find(id);
    return it == members_.end() ? std::string() : it->second;
}

std::vector<std::string> ChatRoom::nicks() const {
    std::vector<std::string> names;
    names.reserve(members_.size());
    for (const auto& [id, name] : members_) names.push_back(name);
    return names;
}

void ChatRoom::join(ClientId id) {
    std::string name;
    do {
        name = "guest" + std::to_string(next_guest_++);
    } while (nick_taken(name));  // someone may have picked "guest7" as a nick already
    members_[id] = name;
    const std::size_t here = members_.size();
    send(id, server_line("welcome to the tcpviz chat, " + name + "! " + std::to_string(here) +
                         (here == 1 ? " person" : " people") + " here. /help lists the commands"));
    broadcast(server_line(name + " joined"), id);
}

ChatRoom::After ChatRoom::handle_line(ClientId id, std::string_view line) {
    if (!contains(id) || line.empty()) return After::stay;  // an empty line (just Enter) says nothing
    if (line.front() == '/' && !line.starts_with("//")) {
        const auto [command, argument] = split_command(line);
        if (command == "/nick") {
            change_nick(id, argument);
        } else if (command == "/who") {
            who(id);
        } else if (command == "/help") {
            help(id);
        } else if (command == "/quit") {
            return After::quit;
        } else {
            notify(id, "unknown command " + std::string(command) + "; /help lists the commands");
        }
        return After::stay;
    }
    if (line.starts_with("//")) line.remove_prefix(1);  // "//etc" is the message "/etc"
    broadcast(members_[id] + ": " + std::string(line) + "\n", id);
    ++messages_relayed_;
    return After::stay;
}

void ChatRoom::change_nick(ClientId id, std::string_view wanted) {
    std::string& name = members_[id];
    if (wanted.empty()) {
        notify(id, "you are " + name + "; to change it: /nick NAME");
    } else if (!is_valid_nick(wanted)) {
        notify(id, "a name is 1 to " + std::to_string(kMaxNickCharacters) +
                       " letters, digits, - _ . or non-ASCII characters, without spaces");
    } else if (wanted == name) {
        notify(id, "you are already " + name);
    } else if (nick_taken(wanted)) {
        notify(id, "the name " + std::string(wanted) + " is taken; pick another");
    } else {
        const std::string old = name;
        name = std::string(wanted);
        notify(id, "you are now " + name);
        broadcast(server_line(old + " is now " + name), id);
    }
}

void ChatRoom::who(ClientId id) {
    std::string list;
    for (const auto& [member, name] : members_) {
        if (!list.empty()) list += ", ";
        list += name;
    }
    notify(id, std::to_string(members_.size()) + " here: " + list);
}

void ChatRoom::help(ClientId id) {
    static constexpr std::string_view kHelp[] = {
        "commands:",
        "  /nick NAME   change your name",
        "  /who         who is here",
        "  /quit        leave (ending your input, Ctrl-D, does the same)",
        "  /help        this list",
        "any other line goes to everyone else; start it with // to send a line that begins with /",
    };
    for (const std::string_view line : kHelp) notify(id, line);
}

void ChatRoom::leave(ClientId id, LeaveReason why) {
    const auto it = members_.find(id);
    if (it == members_.end()) return;
    const std::string name = it->second;
    std::string announcement = name + " left";
    switch (why) {
    case LeaveReason::quit:
    case LeaveReason::end_of_input:
        send(id, server_line("goodbye, " + name));
        break;
    case LeaveReason::reset:
        announcement += " (connection reset)";
        break;
    case LeaveReason::not_reading:
        announcement = name + " was dropped (not reading)";
        break;
    }
    members_.erase(it);
    broadcast(server_line(announcement), id);
}

void ChatRoom::notify(ClientId id, std::string_view text) {
    if (contains(id)) send(id, server_line(text));
}

void ChatRoom::close_room() {
    const std::string line = server_line("the server is shutting down; goodbye");
    for (const auto& [id, name] : members_) send(id, line);
    members_.clear();
}

void ChatRoom::broadcast(std::string_view line, ClientId except) {
    // The same line to every other member, in the order they came in. Each
    // copy goes into that member's own output queue: one slow reader never
    // holds up the others.
    for (const auto& [id, name] : members_) {
        if (id != except) send(id, line);
    }
}

}  // namespace tcpviz::chat
