#include "tcpviz/chat/chat_server.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>

#include "tcpviz/chat/addr_info.h"
#include "tcpviz/chat/chat_error.h"
#include "tcpviz/chat/text.h"

namespace tcpviz::chat {
namespace {

// How much one recv() may take.
constexpr std::size_t kReadChunkBytes = 16 * 1024;
// One client's turn per round: at most this many lines, or lines adding up
// to this many bytes (but always at least one line). A line can fan out to
// every other client, several times larger (name prefix, U+FFFD for bad
// bytes), so a 16 KiB recv() of short lines handled at once could put far
// more than that into each reader's queue before anything is sent. In
// turns, the queues are flushed between rounds, and the client with lines
// still waiting is not read from -- its receive buffer fills and TCP's flow
// control slows the sender down.
constexpr std::size_t kMaxLinesPerTurn = 16;
constexpr std::size_t kMaxBytesPerTurn = 4096;
// At most this many accept()s per round, so a burst of new connections
// cannot starve the clients already here.
constexpr int kMaxAcceptsPerRound = 64;
// Out of file descriptors: stop accepting this long (the pending connection
// would make poll() report the listener ready again at once, forever).
constexpr std::chrono::milliseconds kAcceptPause{100};

static_assert(std::atomic<unsigned>::is_always_lock_free, "stop() must be async-signal-safe");

void set_port(sockaddr_storage& address, std::uint16_t port) {
    // htons(): the port in network byte order (big-endian), as it travels
    // in the TCP header.
    if (address.ss_family == AF_INET) reinterpret_cast<sockaddr_in&>(address).sin_port = htons(port);
    if (address.ss_family == AF_INET6) reinterpret_cast<sockaddr_in6&>(address).sin6_port = htons(port);
}

}  // namespace

ChatServer::ChatServer(ServerConfig config)
    : config_(std::move(config)), room_(*this), read_buffer_(kReadChunkBytes) {
    // The wake pipe (see stop()): poll() watches its read end. Non-blocking,
    // so that neither stop() nor draining it can ever wait.
    int ends[2];
    if (::pipe2(ends, O_NONBLOCK | O_CLOEXEC) != 0) throw ChatError(system_error_text("pipe", errno));
    wake_read_.reset(ends[0]);
    wake_write_.reset(ends[1]);
    open_listeners();
    publish_stats();
}

ChatServer::~ChatServer() = default;

// ---------------------------------------------------------------- listening

void ChatServer::open_listeners() {
    int error = 0;
    if (config_.bind_address.empty()) {
        // No --bind: every local address through ONE IPv6 socket with
        // IPV6_V6ONLY off ("dual stack"). IPv4 clients still send IPv4
        // packets; the socket API shows them as ::ffff:a.b.c.d.
        const AddrInfoList any6 = AddrInfoList::resolve("::", config_.port, AddrInfoList::Purpose::listen);
        const addrinfo* ai = any6.first();
        if (FileDescriptor fd = open_listener(ai->ai_addr, ai->ai_addrlen, false, error)) {
            listeners_.push_back(std::move(fd));
            dual_stack_ = true;
        } else if (error != EAFNOSUPPORT) {
            throw ChatError(explain_listen_error(error, format_endpoint(ai->ai_addr), config_.port));
        } else {
            // This kernel has no IPv6: IPv4 only.
            const AddrInfoList any4 = AddrInfoList::resolve("0.0.0.0", config_.port, AddrInfoList::Purpose::listen);
            ai = any4.first();
            FileDescriptor fd4 = open_listener(ai->ai_addr, ai->ai_addrlen, true, error);
            if (!fd4) throw ChatError(explain_listen_error(error, format_endpoint(ai->ai_addr), config_.port));
            listeners_.push_back(std::move(fd4));
        }
    } else {
        // --bind ADDR: every address the name has ("localhost" may be both
        // ::1 and 127.0.0.1), one socket each. With port 0 they all share
        // the port the kernel picked for the first.
        const AddrInfoList addresses =
            AddrInfoList::resolve(config_.bind_address, config_.port, AddrInfoList::Purpose::listen);
        std::uint16_t port = config_.port;
        std::set<std::string> seen;
        for (const addrinfo* ai = addresses.first(); ai != nullptr; ai = ai->ai_next) {
            sockaddr_storage address{};
            std::memcpy(&address, ai->ai_addr, ai->ai_addrlen);
            set_port(address, port);
            const auto* sa = reinterpret_cast<const sockaddr*>(&address);
            if (!seen.insert(format_endpoint(sa)).second) continue;  // the same address twice
            FileDescriptor fd = open_listener(sa, ai->ai_addrlen, true, error);
            if (!fd) throw ChatError(explain_listen_error(error, format_endpoint(sa), port));
            if (port == 0) port = local_port(fd.get());
            listeners_.push_back(std::move(fd));
        }
    }
    port_ = local_port(listeners_.front().get());
    for (const FileDescriptor& fd : listeners_) endpoints_.push_back(local_endpoint(fd.get()));
    if (dual_stack_) endpoints_.front() = "[::]:" + std::to_string(port_);
}

FileDescriptor ChatServer::open_listener(const sockaddr* address, socklen_t length, bool v6_only, int& error) {
    // socket(): a TCP endpoint, not yet bound to any address. Nothing on the wire.
    FileDescriptor fd(::socket(address->sa_family, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_TCP));
    if (!fd) {
        error = errno;
        return {};
    }
    // SO_REUSEADDR: let bind() succeed although connections from our last
    // run may still sit in TIME_WAIT on this port (the side that closes
    // first keeps its end of the connection for 60 s on Linux, so that late
    // segments cannot be mistaken for a new connection's). Without it, a
    // restart right after a demo fails with "Address already in use".
    const int on = 1;
    ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    if (address->sa_family == AF_INET6) {
        // IPV6_V6ONLY: 0 lets this IPv6 socket also take IPv4 connections
        // (dual stack); 1 keeps it to IPv6, so that an IPv4 socket can have
        // the same port (--bind localhost: ::1 and 127.0.0.1).
        const int only = v6_only ? 1 : 0;
        ::setsockopt(fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, &only, sizeof only);
    }
    // Buffer sizes, MSS and congestion control must be set before listen():
    // the SYN-ACK carries the window scale and MSS they imply, and every
    // accepted connection inherits them.
    const std::vector<std::string> notes = apply_before_handshake(fd.get(), config_.socket);
    if (listeners_.empty()) {
        for (const std::string& note : notes) log(note);
    }
    // bind(): claims this address and port for the socket. Still nothing on
    // the wire -- but a SYN to this port will now find us once we listen.
    if (::bind(fd.get(), address, length) != 0) {
        error = errno;
        return {};
    }
    // listen(): from now on the kernel answers SYNs for us. It replies
    // SYN-ACK, and when the client's ACK arrives the three-way handshake is
    // complete and the connection waits in the accept queue (up to SOMAXCONN
    // of them) until we accept() it. The connection exists before accept().
    if (::listen(fd.get(), SOMAXCONN) != 0) {
        error = errno;
        return {};
    }
    // Non-blocking: between poll() saying "a connection is waiting" and our
    // accept(), the client may reset it; a blocking accept() would then wait
    // for the next client while everyone else waits for us.
    set_nonblocking(fd.get());
    return fd;
}

// ---------------------------------------------------------------- the loop

void ChatServer::run() {
    counters_.running = true;
    publish_stats();
    std::vector<pollfd> fds;
    std::vector<ClientId> polled;  // polled[i] is the session behind fds[first_session + i]
    while (!(shutting_down_ && sessions_.empty())) {
        fds.clear();
        polled.clear();
        fds.push_back(pollfd{wake_read_.get(), POLLIN, 0});
        const bool accepting = !shutting_down_ && Clock::now() >= accept_paused_until_;
        if (accepting) {
            for (const FileDescriptor& listener : listeners_) fds.push_back(pollfd{listener.get(), POLLIN, 0});
        }
        const std::size_t first_session = fds.size();
        bool lines_waiting = false;
        for (const auto& [id, session] : sessions_) {
            short events = 0;
            // saying_goodbye is not polled for input: after the peer's FIN,
            // recv() would return 0 again at once, round after round. Nor is
            // a client whose received lines still wait for their turn.
            const bool waiting = session.state() == Session::State::chatting && session.has_lines();
            lines_waiting = lines_waiting || waiting;
            if (session.state() != Session::State::saying_goodbye && !waiting) events |= POLLIN;
            if (session.queued() > 0) events |= POLLOUT;
            fds.push_back(pollfd{session.fd(), events, 0});
            polled.push_back(id);
        }

        // poll(): sleep until some descriptor is ready or the timeout ends.
        // Nothing goes on the wire; it asks the kernel about socket buffers:
        // POLLIN "bytes, a FIN or a new connection are waiting", POLLOUT
        // "there is room in the send buffer", POLLERR/POLLHUP "reset/closed"
        // (those two are reported whether asked for or not).
        const int ready = ::poll(fds.data(), fds.size(), lines_waiting ? 0 : poll_timeout());
        if (ready < 0) {
            if (errno == EINTR) continue;  // a signal arrived; its handler wrote to the wake pipe
            throw ChatError(system_error_text("poll", errno));
        }
        if (accepting) {
            for (std::size_t i = 1; i < first_session; ++i) {
                if (fds[i].revents & POLLIN) accept_clients(fds[i].fd);
            }
        }
        for (std::size_t i = 0; i < polled.size(); ++i) {
            const short revents = fds[first_session + i].revents;
            Session* session = find(polled[i]);
            if (session == nullptr || session->state() == Session::State::closed) continue;
            if (revents != 0) on_events(*session, revents);
            if (!(revents & (POLLIN | POLLERR | POLLHUP)) && session->state() == Session::State::chatting &&
                session->has_lines()) {
                on_lines(*session);  // the next turn for lines that arrived in an earlier round
                drop_overflowed();
            }
        }
        if (fds[0].revents & POLLIN) on_wakeup();
        expire_deadlines();
        remove_closed();
        publish_stats();
    }
    listeners_.clear();
    counters_.running = false;
    publish_stats();
}

int ChatServer::poll_timeout() const {
    // The nearest deadline: a client's goodbye time, the end of the
    // shutdown drain, the end of an accept pause. None: wait forever.
    std::optional<Clock::time_point> next;
    const auto consider = [&next](Clock::time_point t) {
        if (!next || t < *next) next = t;
    };
    if (shutting_down_) consider(shutdown_deadline_);
    if (!shutting_down_ && Clock::now() < accept_paused_until_) consider(accept_paused_until_);
    for (const auto& [id, session] : sessions_) {
        if (session.deadline()) consider(*session.deadline());
    }
    if (!next) return -1;
    const auto wait = std::chrono::ceil<std::chrono::milliseconds>(*next - Clock::now()).count();
    return static_cast<int>(std::clamp<long long>(wait, 0, 60'000));
}

void ChatServer::accept_clients(int listener) {
    for (int i = 0; i < kMaxAcceptsPerRound; ++i) {
        sockaddr_storage peer{};
        socklen_t length = sizeof peer;
        // accept(): takes the oldest connection from the accept queue. Its
        // handshake (SYN, SYN-ACK, ACK) is already complete: accept() sends
        // nothing, it hands us a new socket for that one client, while the
        // listening socket goes on listening.
        FileDescriptor fd(::accept(listener, reinterpret_cast<sockaddr*>(&peer), &length));
        if (!fd) {
            const int err = errno;
            if (err == EAGAIN || err == EWOULDBLOCK) return;  // the queue is empty
            if (err == EINTR || err == ECONNABORTED) continue;  // a signal; a client that reset while queued
            if (err == EMFILE || err == ENFILE || err == ENOBUFS || err == ENOMEM) {
                log(system_error_text("accept: out of resources, pausing new connections", err));
                accept_paused_until_ = Clock::now() + kAcceptPause;
                return;
            }
            log(system_error_text("accept", err));
            return;
        }
        const std::string peer_name = format_endpoint(reinterpret_cast<const sockaddr*>(&peer));
        try {
            set_nonblocking(fd.get());
            apply_after_accept(fd.get(), config_.socket);
        } catch (const ChatError& e) {
            log(peer_name + ": " + e.what());
            continue;  // fd closes here
        }
        if (sessions_.size() >= config_.max_clients) {
            ++counters_.refused_full;
            const std::string full =
                "*** the room is full (" + std::to_string(config_.max_clients) + " people); try again later\n";
            // One line, then close(): the client gets a data segment and our FIN
            // right after its handshake. Best effort: a new socket's send
            // buffer is empty, so the line fits.
            [[maybe_unused]] const ssize_t n = ::send(fd.get(), full.data(), full.size(), MSG_NOSIGNAL);
            log(peer_name + " turned away: the room is full");
            continue;  // close(): our FIN right after the line
        }
        ++counters_.accepted;
        const ClientId id = next_id_++;
        sessions_.try_emplace(id, id, std::move(fd), peer_name, config_.max_line_bytes,
                              config_.max_queued_bytes);
        room_.join(id);
        log("+ " + room_.nick_of(id) + " joined from " + peer_name + " (" + std::to_string(room_.size()) + " here)");
        on_writable(sessions_.at(id));  // the welcome leaves right after the handshake: the server speaks first
        drop_overflowed();
    }
}

void ChatServer::on_wakeup() {
    // Empty the pipe (the bytes mean nothing; the counter says how many
    // stop() calls there were), or poll() would report it ready forever.
    char bytes[64];
    while (::read(wake_read_.get(), bytes, sizeof bytes) > 0) {
    }
    const unsigned requested = stop_requests_.load();
    if (requested == stops_seen_) return;
    stops_seen_ = requested;
    if (!shutting_down_) {
        begin_shutdown();
    } else {
        close_all("stopped again: closing now");
    }
}

// ---------------------------------------------------------------- one client

void ChatServer::on_events(Session& session, short revents) {
    if (revents & (POLLIN | POLLERR | POLLHUP)) on_readable(session);
    if ((revents & POLLOUT) && session.state() != Session::State::closed) on_writable(session);
    drop_overflowed();
}

void ChatServer::on_readable(Session& session) {
    switch (session.state()) {
    case Session::State::chatting:
        if (session.has_lines()) {
            on_lines(session);  // finish what arrived before reading more
            break;
        }
        switch (session.receive(read_buffer_)) {
        case Session::Received::data:
            on_lines(session);
            break;
        case Session::Received::nothing:
            break;
        case Session::Received::peer_closed:
            on_end_of_input(session);
            break;
        case Session::Received::error:
            on_connection_lost(session);
            break;
        }
        break;
    case Session::State::lingering:
        // We sent our goodbye and FIN; now we only wait for theirs. Whatever
        // else arrives is read and dropped: closing with unread bytes in the
        // receive buffer would send an RST instead of a FIN.
        switch (session.receive(read_buffer_)) {
        case Session::Received::data:
        case Session::Received::nothing:
            break;
        case Session::Received::peer_closed:
            log("  " + name_of(session) + " closed: both FINs sent, connection done");
            session.close();
            break;
        case Session::Received::error:
            session.close();
            break;
        }
        break;
    case Session::State::saying_goodbye:
        // Not polled for input, so this is POLLERR/POLLHUP: the peer reset
        // the connection instead of reading our goodbye.
        session.close();
        break;
    case Session::State::closed:
        break;
    }
}

void ChatServer::on_lines(Session& session) {
    std::size_t lines = 0;
    std::size_t bytes = 0;
    while (session.state() == Session::State::chatting && lines < kMaxLinesPerTurn && bytes < kMaxBytesPerTurn) {
        const std::optional<LineBuffer::Item> item = session.next_line();
        if (!item) break;
        lines += 1;
        bytes += item->text.size() + 1;
        if (item->kind == LineBuffer::Item::Kind::too_long) {
            ++counters_.long_lines;
            room_.notify(session.id(), "line too long (over " + std::to_string(config_.max_line_bytes) +
                                           " bytes): it was not sent");
            log("  " + name_of(session) + ": line too long, discarded");
            continue;
        }
        if (room_.handle_line(session.id(), sanitize_text(item->text)) == ChatRoom::After::quit) {
            start_lingering(session);
        }
    }
}

void ChatServer::on_end_of_input(Session& session) {
    // recv() returned 0: the peer's FIN arrived. It will send nothing more
    // (it called shutdown(SHUT_WR) or close()), but it may still be reading:
    // a half-close. We answer with a goodbye line and then close our side,
    // so a capture shows: their FIN, our data, our FIN -- four segments of
    // teardown with data in the middle.
    //
    // A last line without '\n' still counts: the FIN marks its end.
    if (std::optional<std::string> tail = session.unfinished_line()) {
        room_.handle_line(session.id(), sanitize_text(*tail));
    }
    log("- " + name_of(session) + " left (end of input: FIN received)");
    room_.leave(session.id(), LeaveReason::end_of_input);
    session.set_state(Session::State::saying_goodbye, Clock::now() + config_.goodbye_time);
    on_writable(session);  // try to send the goodbye at once
}

void ChatServer::on_connection_lost(Session& session) {
    // An error from recv() or send(): usually ECONNRESET (the peer sent an
    // RST: it closed with unread data, crashed, or set SO_LINGER 0) or
    // ETIMEDOUT (keepalive probes went unanswered). The connection is gone;
    // there is nobody to say goodbye to.
    ++counters_.connections_lost;
    log("- " + name_of(session) + " lost: " + std::strerror(session.error()));
    room_.leave(session.id(), LeaveReason::reset);
    session.close();
}

void ChatServer::start_lingering(Session& session) {
    log("- " + name_of(session) + " left (/quit)");
    room_.leave(session.id(), LeaveReason::quit);
    session.set_state(Session::State::lingering, Clock::now() + config_.goodbye_time);
    on_writable(session);
}

void ChatServer::on_writable(Session& session) {
    switch (session.send_queued()) {
    case Session::Sent::all:
        on_queue_sent(session);
        break;
    case Session::Sent::would_block:
        break;
    case Session::Sent::error:
        // The peer is gone (usually an RST). Lines it sent before the RST
        // may still sit in our receive buffer: recv() hands over those
        // bytes before it reports the error, so pass them on first.
        while (session.state() == Session::State::chatting && session.receive(read_buffer_) == Session::Received::data) {
        }
        while (session.state() == Session::State::chatting && session.has_lines()) on_lines(session);
        on_connection_lost(session);
        break;
    }
}

void ChatServer::on_queue_sent(Session& session) {
    if (session.state() == Session::State::saying_goodbye) {
        // The goodbye is in the kernel's hands; close() sends our FIN after it.
        session.close();
    } else if (session.state() == Session::State::lingering) {
        // Our FIN, but keep reading until theirs arrives (see on_readable).
        session.shutdown_write();
    }
}

void ChatServer::drop_overflowed() {
    // A client whose output queue is full has stopped reading (its receive
    // window is zero and our send buffer is full too). Waiting would cost
    // memory without limit, so it goes -- with an RST, so that the kernel
    // also throws away what it still holds for it.
    while (!overflowed_.empty()) {
        const ClientId id = overflowed_.back();
        overflowed_.pop_back();
        Session* session = find(id);
        if (session == nullptr || session->state() == Session::State::closed) continue;
        ++counters_.dropped_not_reading;
        log("- " + name_of(*session) + " dropped: not reading (" + std::to_string(session->queued()) +
            " bytes waiting)");
        room_.leave(id, LeaveReason::not_reading);  // may overflow someone else: the loop takes them too
        session->abort();
    }
}

void ChatServer::send_line(ClientId to, std::string_view line) {
    Session* session = find(to);
    if (session == nullptr || session->state() == Session::State::closed || session->overflowed) return;
    if (!session->queue(line)) {
        session->overflowed = true;
        overflowed_.push_back(to);
        return;
    }
    counters_.peak_client_queue = std::max(counters_.peak_client_queue, session->queued());
}

// ---------------------------------------------------------------- shutting down

void ChatServer::stop() noexcept {
    const int saved_errno = errno;  // a signal handler must leave errno as it found it
    stop_requests_.fetch_add(1);
    const char byte = 's';
    // EAGAIN (pipe full) is fine: a wakeup is already waiting.
    [[maybe_unused]] const ssize_t n = ::write(wake_write_.get(), &byte, 1);
    errno = saved_errno;
}

void ChatServer::begin_shutdown() {
    shutting_down_ = true;
    // close() on the listening sockets: from now on a SYN to our port is
    // answered with an RST ("connection refused").
    listeners_.clear();
    log("shutting down: telling " + std::to_string(room_.size()) + " clients, waiting up to " +
        std::to_string(config_.drain_time.count()) + " ms for them to close");
    room_.close_room();
    for (auto& [id, session] : sessions_) {
        if (session.state() == Session::State::chatting) {
            session.set_state(Session::State::lingering);
            on_writable(session);  // goodbye, then our FIN
        }
    }
    drop_overflowed();
    shutdown_deadline_ = Clock::now() + config_.drain_time;
}

void ChatServer::close_all(const char* why) {
    std::size_t open = 0;
    for (auto& [id, session] : sessions_) {
        if (session.state() != Session::State::closed) {
            ++open;
            session.close();
        }
    }
    if (open > 0) log(std::string(why) + ": closed " + std::to_string(open) + " connections");
}

void ChatServer::expire_deadlines() {
    const Clock::time_point now = Clock::now();
    if (shutting_down_ && now >= shutdown_deadline_) {
        close_all("drain time is up");
        return;
    }
    for (auto& [id, session] : sessions_) {
        if (session.state() != Session::State::closed && session.deadline() && *session.deadline() <= now) {
            log("  " + name_of(session) + ": gave up waiting for the connection to finish closing");
            session.close();
        }
    }
}

void ChatServer::remove_closed() {
    std::erase_if(sessions_, [](const auto& entry) { return entry.second.state() == Session::State::closed; });
}

// ---------------------------------------------------------------- reporting

void ChatServer::publish_stats() {
    counters_.clients = room_.size();
    counters_.connections = sessions_.size();
    counters_.queued_bytes = 0;
    counters_.buffered_input_bytes = 0;
    for (const auto& [id, session] : sessions_) {
        counters_.queued_bytes += session.queued();
        counters_.buffered_input_bytes += session.buffered_input();
    }
    counters_.peak_queued_bytes = std::max(counters_.peak_queued_bytes, counters_.queued_bytes);
    counters_.messages_relayed = room_.messages_relayed();
    {
        const std::lock_guard lock(stats_mutex_);
        published_ = counters_;
    }
    stats_changed_.notify_all();
}

ServerStats ChatServer::stats() const {
    const std::lock_guard lock(stats_mutex_);
    return published_;
}

bool ChatServer::wait_until(const std::function<bool(const ServerStats&)>& condition,
                            std::chrono::milliseconds timeout) const {
    std::unique_lock lock(stats_mutex_);
    return stats_changed_.wait_for(lock, timeout, [&] { return condition(published_); });
}

void ChatServer::log(const std::string& line) const {
    if (config_.log) config_.log(line);
}

std::string ChatServer::name_of(const Session& session) const {
    const std::string nick = room_.nick_of(session.id());
    return nick.empty() ? session.peer() : nick + " (" + session.peer() + ")";
}

Session* ChatServer::find(ClientId id) {
    const auto it = sessions_.find(id);
    return it == sessions_.end() ? nullptr : &it->second;
}

}  // namespace tcpviz::chat
