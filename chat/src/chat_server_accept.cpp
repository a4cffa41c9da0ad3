// accept(): taking finished handshakes from the kernel, and deciding who may
// come in. A room has a size; so does the share of one address; and a
// newcomer that has not said anything yet (a "silent" one: no complete line)
// is the first to make room for the next. So idle connections -- a student's
// forgotten nc, or an attacker's thousand -- can never lock others out.
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>

#include "tcpviz/chat/addr_info.h"
#include "tcpviz/chat/chat_error.h"
#include "tcpviz/chat/chat_server.h"

namespace tcpviz::chat {
namespace {

// At most this many accept()s per round, so a burst of new connections
// cannot starve the clients already here.
constexpr int max_accepts_per_round = 64;
// Out of descriptors with nobody silent to close: stop accepting this long
// (the pending connection would make poll() report the listener ready again
// at once, forever).
constexpr std::chrono::milliseconds accept_pause{100};

bool out_of_resources(int err) { return err == EMFILE || err == ENFILE || err == ENOBUFS || err == ENOMEM; }

}  // namespace

void ChatServer::accept_clients(int listener) {
    for (int i = 0; i < max_accepts_per_round; ++i) {
        sockaddr_storage peer{};
        socklen_t length = sizeof peer;
        // accept(): takes the oldest connection from the accept queue. Its
        // handshake (SYN, SYN-ACK, ACK) is already complete: accept() sends
        // nothing, it hands us a new socket for that one client, while the
        // listening socket goes on listening.
        FileDescriptor fd(::accept(listener, reinterpret_cast<sockaddr*>(&peer), &length));
        if (!fd) {
            const int err = errno;
            if (err == EAGAIN || err == EWOULDBLOCK) return;    // the queue is empty
            if (err == EINTR || err == ECONNABORTED) continue;  // a signal; a client that reset while queued
            if (out_of_resources(err) && evict_oldest_silent("")) continue;  // a descriptor is free again
            log(system_error_text(
                out_of_resources(err) ? "accept: out of resources, pausing new connections" : "accept", err));
            accept_paused_until_ = Clock::now() + accept_pause;
            return;
        }
        const auto* peer_address = reinterpret_cast<const sockaddr*>(&peer);
        const std::string peer_name = format_endpoint(peer_address);
        try {
            set_nonblocking(fd.get());
            apply_after_accept(fd.get(), config_.socket);
        } catch (const ChatError& e) {
            log(peer_name + ": " + e.what());
            continue;  // fd closes here
        }
        admit(std::move(fd), peer_name, format_address(peer_address));
    }
}

void ChatServer::admit(FileDescriptor fd, const std::string& peer, const std::string& address) {
    if (connections_from(address) >= config_.max_per_address && !evict_oldest_silent(address)) {
        ++counters_.refused_address;
        refuse(fd.get(), "*** too many connections from " + address + " (" + std::to_string(config_.max_per_address) +
                             "); close one and try again\n");
        log(peer + " turned away: too many connections from its address");
        return;
    }
    if (sessions_.size() >= config_.max_clients && !evict_oldest_silent("")) {
        ++counters_.refused_full;
        refuse(fd.get(),
               "*** the room is full (" + std::to_string(config_.max_clients) + " people); try again later\n");
        log(peer + " turned away: the room is full");
        return;
    }
    ++counters_.accepted;
    const ClientId id = next_id_++;
    sessions_.try_emplace(id, id, std::move(fd), peer, address,
                          Session::Limits{config_.max_line_bytes, config_.max_queued_bytes});
    room_.join(id);  // the welcome is queued; flush_output sends it this round: the server speaks first
    log("+ " + room_.nick_of(id) + " joined from " + peer + " (" + std::to_string(room_.size()) + " here)");
}

std::size_t ChatServer::connections_from(const std::string& address) const {
    std::size_t count = 0;
    for (const auto& [id, session] : sessions_) {
        if (session.state() != Session::State::closed && session.address() == address) ++count;
    }
    return count;
}

bool ChatServer::evict_oldest_silent(const std::string& address) {
    // Sessions are kept in arrival order: the first silent one is the oldest.
    for (auto& [id, session] : sessions_) {
        if (session.state() != Session::State::chatting || session.spoke()) continue;
        if (!address.empty() && session.address() != address) continue;
        ++counters_.evicted_silent;
        log("- " + name_of(session) + " closed: silent, making room for a newcomer");
        room_.leave(id, LeaveReason::silent);
        session.abort();  // an RST: the descriptor is free at once
        return true;
    }
    return false;
}

void ChatServer::refuse(int fd, const std::string& line) {
    // One line, then close() (when the caller's descriptor goes): the
    // client gets a data segment and our FIN right after its handshake.
    // Best effort: a new socket's send buffer is empty, so the line fits.
    [[maybe_unused]] const ssize_t n = ::send(fd, line.data(), line.size(), MSG_NOSIGNAL);
}

}  // namespace tcpviz::chat
