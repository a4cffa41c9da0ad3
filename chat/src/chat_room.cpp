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

// Everything the server says starts with this; no name may imitate it.
constexpr std::string_view server_prefix = "*** ";

std::string server_line(std::string_view text) { return std::string(server_prefix) + std::string(text) + "\n"; }

// Non-ASCII characters a name may not contain: they are invisible, reorder
// the text around them, or look like ASCII punctuation (and so like the
// server's "***" or a "name:" of someone else).
bool is_deceptive(char32_t c) {
    if (c < 0xA0) return true;                      // C1 controls (ASCII is checked separately)
    if (c == 0xA0 || c == 0xAD) return true;        // no-break space, soft hyphen
    if (c >= 0x2000 && c <= 0x206F) return true;    // spaces, zero-width and bidi controls, ⁎ and other punctuation
    if (c >= 0x2200 && c <= 0x22FF) return true;    // mathematical operators: ∗ (U+2217) and the like
    if (c >= 0x2600 && c <= 0x27BF) return true;    // symbols and dingbats: ✱ ✲ ✳ ★ ...
    if (c == 0x3000 || c == 0x3164) return true;    // ideographic space, Hangul filler
    if (c >= 0xFE00 && c <= 0xFE0F) return true;    // variation selectors
    if (c >= 0xFE50 && c <= 0xFE6F) return true;    // small forms: ﹡ ﹕
    if (c >= 0xFF00 && c <= 0xFFEF) return true;    // fullwidth and halfwidth forms: ＊ ： ｂｏｂ
    if (c >= 0xFFF0 && c <= 0xFFFF) return true;    // specials, U+FFFD among them
    if (c >= 0xE0000 && c <= 0xE0FFF) return true;  // tags and more variation selectors
    return is_bidi_control(c);
}

}  // namespace

bool ChatRoom::is_valid_nick(std::string_view nick) {
    if (nick.empty() || !is_valid_utf8(nick) || count_characters(nick) > max_nick_characters) return false;
    for (const char32_t c : code_points(nick)) {
        if (c >= 0x80) {
            if (is_deceptive(c)) return false;
            continue;
        }
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                        c == '_' || c == '.';
        if (!ok) return false;
    }
    return true;
}

std::string ChatRoom::fold_nick(std::string_view nick) {
    std::string folded(nick);
    for (char& c : folded) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return folded;
}

bool ChatRoom::nick_taken(std::string_view nick, ClientId except) const {
    const std::string folded = fold_nick(nick);
    for (const auto& [id, name] : members_) {
        if (id != except && fold_nick(name) == folded) return true;
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
    } while (nick_taken(name, id));  // someone may have picked "guest7" as a nick already
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
        notify(id, "a name is 1 to " + std::to_string(max_nick_characters) +
                       " letters, digits, - _ . or non-ASCII letters, without spaces, symbols or invisible characters");
    } else if (wanted == name) {
        notify(id, "you are already " + name);
    } else if (nick_taken(wanted, id)) {
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
    static constexpr std::string_view help_lines[] = {
        "commands:",
        "  /nick NAME   change your name",
        "  /who         who is here",
        "  /quit        leave (ending your input, Ctrl-D, does the same)",
        "  /help        this list",
        "any other line goes to everyone else; start it with // to send a line that begins with /",
    };
    for (const std::string_view line : help_lines) notify(id, line);
}

void ChatRoom::leave(ClientId id, LeaveReason why) {
    const auto it = members_.find(id);
    if (it == members_.end()) return;
    const std::string name = it->second;
    std::string announcement = name + " left";
    switch (why) {
        case LeaveReason::quit:
        case LeaveReason::end_of_input: send(id, server_line("goodbye, " + name)); break;
        case LeaveReason::reset: announcement += " (connection reset)"; break;
        case LeaveReason::not_reading: announcement = name + " was dropped (not reading)"; break;
        case LeaveReason::silent: announcement += " (said nothing)"; break;
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
