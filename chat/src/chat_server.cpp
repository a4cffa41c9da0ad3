// The chat server's loop: one round per poll(), and the timers and shutdown
// around it. The sockets lesson in order: the listening socket
// (listener.cpp), accept() (chat_server_accept.cpp), then poll() here, then
// recv()/send() for each client (chat_server_client.cpp, session.cpp),
// then shutdown() and close().
#include "tcpviz/chat/chat_server.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "tcpviz/chat/chat_error.h"

namespace tcpviz::chat {
namespace {

// How much one recv() may take.
constexpr std::size_t read_chunk_bytes = 16 * 1024;

static_assert(std::atomic<unsigned>::is_always_lock_free, "stop() must be async-signal-safe");

}  // namespace

ChatServer::ChatServer(ServerConfig config)
    : config_(std::move(config)),
      room_(*this),
      listeners_(config_.bind_address, config_.port, config_.socket, config_.log),
      read_buffer_(read_chunk_bytes) {
    if (config_.queue_low_water > config_.queue_high_water || config_.queue_high_water >= config_.max_queued_bytes) {
        throw ChatError("the output queue marks must be low <= high < limit (now " +
                        std::to_string(config_.queue_low_water) + ", " + std::to_string(config_.queue_high_water) +
                        ", " + std::to_string(config_.max_queued_bytes) + ")");
    }
    // The wake pipe (see stop()): poll() watches its read end. Non-blocking,
    // so that neither stop() nor draining it can ever wait.
    int ends[2];
    if (::pipe2(ends, O_NONBLOCK | O_CLOEXEC) != 0) throw ChatError(system_error_text("pipe", errno));
    wake_read_.reset(ends[0]);
    wake_write_.reset(ends[1]);
    // Every client costs one descriptor; idle attackers cost one each too.
    const std::size_t descriptors = raise_descriptor_limit();
    if (config_.max_clients + 64 > descriptors) {
        log("note: only " + std::to_string(descriptors) + " descriptors (ulimit -n) for up to " +
            std::to_string(config_.max_clients) + " clients; silent newcomers make room for others");
    }
    publish_stats();
}

ChatServer::~ChatServer() = default;

void ChatServer::run() {
    counters_.running = true;
    publish_stats();
    while (!(shutting_down_ && sessions_.empty())) {
        poll_once();
        expire_deadlines();
        drop_overflowed();
        flush_output();
        remove_closed();
        publish_stats();
    }
    listeners_.close();
    counters_.running = false;
    publish_stats();
}

// One round: ask poll() what is ready, then give each ready socket its turn.
// Input is taken first (it may queue lines for others); every queue is
// flushed afterwards by run(), so no handler ever calls another in a circle.
void ChatServer::poll_once() {
    std::vector<pollfd> fds{pollfd{wake_read_.get(), POLLIN, 0}};
    const bool accepting = !shutting_down_ && Clock::now() >= accept_paused_until_;
    if (accepting) {
        for (const FileDescriptor& listener : listeners_.sockets()) fds.push_back(pollfd{listener.get(), POLLIN, 0});
    }
    const std::size_t first_session = fds.size();
    std::vector<ClientId> polled;  // polled[i] is the session behind fds[first_session + i]
    bool turns_waiting = false;
    for (auto& [id, session] : sessions_) {
        update_backlog(session);
        short events = 0;
        if (session.state() == Session::State::chatting) {
            // Not read from: a client whose earlier lines still wait for
            // their turn, and everyone while some reader is behind
            // (backpressure: the kernel's buffers fill, TCP's flow control
            // slows the senders down).
            const bool lines_waiting = session.has_lines();
            turns_waiting = turns_waiting || (lines_waiting && !reading_paused());
            if (!lines_waiting && !reading_paused()) events |= POLLIN;
        } else if (session.state() == Session::State::lingering) {
            events |= POLLIN;  // read and discard, waiting for their FIN
        }
        // saying_goodbye is not polled for input: after the peer's FIN,
        // recv() would return 0 again at once, round after round.
        if (session.waiting_for_room()) events |= POLLOUT;
        // A socket we want nothing from is left out: poll() reports errors
        // whether asked or not, and an RST we may not handle yet (its lines
        // must wait their turn) would wake us again and again.
        if (events == 0) continue;
        fds.push_back(pollfd{session.fd(), events, 0});
        polled.push_back(id);
    }
    int timeout = -1;
    if (turns_waiting) {
        timeout = 0;
    } else if (const std::optional<Clock::time_point> next = next_deadline()) {
        const auto wait = std::chrono::ceil<std::chrono::milliseconds>(*next - Clock::now()).count();
        timeout = static_cast<int>(std::clamp<long long>(wait, 0, 60'000));
    }

    // poll(): sleep until some descriptor is ready or the timeout ends.
    // Nothing goes on the wire; it asks the kernel about socket buffers:
    // POLLIN "bytes, a FIN or a new connection are waiting", POLLOUT
    // "there is room in the send buffer", POLLERR/POLLHUP "reset/closed"
    // (those two are reported whether asked for or not).
    if (::poll(fds.data(), fds.size(), timeout) < 0) {
        if (errno == EINTR) return;  // a signal arrived; its handler wrote to the wake pipe
        throw ChatError(system_error_text("poll", errno));
    }
    for (std::size_t i = 1; i < first_session; ++i) {
        if (fds[i].revents & POLLIN) accept_clients(fds[i].fd);
    }
    // The next turn for lines that arrived in an earlier round (these
    // clients were not polled for input)...
    for (auto& [id, session] : sessions_) {
        if (session.state() == Session::State::chatting && session.has_lines()) take_turn(session);
        drop_overflowed();
    }
    // ...then one recv() for each client with something new.
    writable_.clear();
    for (std::size_t i = 0; i < polled.size(); ++i) {
        const short revents = fds[first_session + i].revents;
        if (revents & (POLLOUT | POLLERR | POLLHUP)) writable_.push_back(polled[i]);
        Session* session = find(polled[i]);
        if (session != nullptr && (revents & (POLLIN | POLLERR | POLLHUP))) take_input(*session, revents);
        drop_overflowed();
    }
    if (fds[0].revents & POLLIN) on_wakeup();
}

std::optional<ChatServer::Clock::time_point> ChatServer::next_deadline() const {
    // The nearest of: a client's goodbye time, login time or stall time, the
    // end of the shutdown drain, the end of an accept pause.
    std::optional<Clock::time_point> next;
    const auto consider = [&next](Clock::time_point t) {
        if (!next || t < *next) next = t;
    };
    if (shutting_down_) consider(shutdown_deadline_);
    if (!shutting_down_ && Clock::now() < accept_paused_until_) consider(accept_paused_until_);
    for (const auto& [id, session] : sessions_) {
        if (session.deadline()) consider(*session.deadline());
        if (session.state() == Session::State::chatting && !session.spoke()) {
            consider(session.connected_at() + config_.login_time);
        }
        if (session.backlogged_since) consider(*session.backlogged_since + config_.stall_time);
    }
    return next;
}

void ChatServer::expire_deadlines() {
    const Clock::time_point now = Clock::now();
    if (shutting_down_ && now >= shutdown_deadline_) {
        close_all("drain time is up");
        return;
    }
    for (auto& [id, session] : sessions_) {
        if (session.state() == Session::State::closed) continue;
        if (session.deadline() && *session.deadline() <= now) {
            log("  " + name_of(session) + ": gave up waiting for the connection to finish closing");
            session.close();
        } else if (session.backlogged_since && *session.backlogged_since + config_.stall_time <= now) {
            drop_not_reading(session, "no progress for " + std::to_string(config_.stall_time.count()) + " ms");
        } else if (session.state() == Session::State::chatting && !session.spoke() &&
                   session.connected_at() + config_.login_time <= now) {
            on_login_time_up(session);
        }
    }
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

void ChatServer::on_wakeup() {
    // Empty the pipe (the bytes mean nothing; the counter says how many
    // stop() calls there were), or poll() would report it ready forever.
    char bytes[64];
    ssize_t n = 0;
    do {
        n = ::read(wake_read_.get(), bytes, sizeof bytes);
    } while (n > 0);
    const unsigned requested = stop_requests_.load();
    if (requested == stops_seen_) return;
    stops_seen_ = requested;
    if (!shutting_down_) {
        begin_shutdown();
    } else {
        close_all("stopped again: closing now");
    }
}

void ChatServer::begin_shutdown() {
    shutting_down_ = true;
    listeners_.close();  // close(): a SYN to our port now gets an RST ("connection refused")
    log("shutting down: telling " + std::to_string(room_.size()) + " clients, waiting up to " +
        std::to_string(config_.drain_time.count()) + " ms for them to close");
    room_.close_room();  // queues the goodbye for every member
    for (auto& [id, session] : sessions_) {
        // The goodbye, then our FIN (flush_output), then we wait for theirs.
        if (session.state() == Session::State::chatting) session.start_lingering(Clock::now() + config_.drain_time);
    }
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

void ChatServer::remove_closed() {
    for (auto it = sessions_.begin(); it != sessions_.end();) {
        if (it->second.state() == Session::State::closed) {
            backlogged_.erase(it->first);
            it = sessions_.erase(it);
        } else {
            ++it;
        }
    }
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
    counters_.reading_paused = reading_paused();
    board_.publish(counters_);
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
