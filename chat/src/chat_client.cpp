#include "tcpviz/chat/chat_client.h"

#include <linux/sockios.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <deque>
#include <optional>
#include <thread>

#include "tcpviz/chat/addr_info.h"
#include "tcpviz/chat/chat_error.h"

namespace tcpviz::chat {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t kReadChunkBytes = 64 * 1024;
// Stop reading stdin while this much is still waiting to be sent: if the
// server reads slowly, we slow down too instead of buffering without end.
constexpr std::size_t kInputHighWater = 64 * 1024;
// --bulk lines are made as the queue drains, keeping about this much queued.
constexpr std::size_t kBulkQueueTarget = 64 * 1024;
// Before an RST: how long to wait for the server to acknowledge our data.
constexpr std::chrono::milliseconds kResetAckWait{1000};

struct ScriptLine {
    Clock::time_point at;
    std::string text;  // with its '\n'
};

// A connect() that a signal interrupted has not failed: the handshake goes
// on in the kernel. Wait until the socket is writable; SO_ERROR then holds
// the outcome (0 = connected).
int finish_interrupted_connect(int fd) {
    pollfd p{fd, POLLOUT, 0};
    while (::poll(&p, 1, -1) < 0) {
        if (errno != EINTR) return errno;
    }
    int error = 0;
    socklen_t length = sizeof error;
    if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0) return errno;
    return error;
}

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

ChatClient::ChatClient(ClientConfig config) : config_(std::move(config)), bulk_left_(config_.bulk_bytes) {
    connect_to_server();
}

void ChatClient::connect_to_server() {
    const AddrInfoList addresses = AddrInfoList::resolve(config_.host, config_.port, AddrInfoList::Purpose::connect);
    int error = 0;
    std::string endpoint;
    // A name can have several addresses ("localhost": ::1 and 127.0.0.1);
    // try them in the order getaddrinfo() gives.
    for (const addrinfo* ai = addresses.first(); ai != nullptr; ai = ai->ai_next) {
        endpoint = format_endpoint(ai->ai_addr);
        // socket(): a TCP endpoint of the address's family. Nothing on the wire.
        FileDescriptor fd(::socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_TCP));
        if (!fd) {
            error = errno;
            continue;
        }
        const std::vector<std::string> notes = apply_before_handshake(fd.get(), config_.socket);
        if (config_.bind_port != 0) bind_local_port(fd.get(), ai->ai_family);
        // connect(): sends the SYN (with our MSS, window scale and initial
        // sequence number) and returns once the SYN-ACK has arrived and our
        // ACK is sent: the three-way handshake. Without bind() first, the
        // kernel picks our source port here, an ephemeral one.
        error = ::connect(fd.get(), ai->ai_addr, ai->ai_addrlen) == 0 ? 0 : errno;
        if (error == EINTR) error = finish_interrupted_connect(fd.get());
        if (error == 0) {
            socket_ = std::move(fd);
            local_ = chat::local_endpoint(socket_.get());
            remote_ = endpoint;
            for (const std::string& note : notes) log(note);
            // From here on the socket is non-blocking: poll() tells us when
            // to read or write, and send() may take only part of our bytes.
            set_nonblocking(socket_.get());
            return;
        }
    }
    throw ChatError(explain_connect_error(error, endpoint, config_.port));
}

void ChatClient::bind_local_port(int fd, int family) const {
    // --bind-port: choose our source port instead of letting connect() pick
    // one. Rarely wanted: the course's client bound port 8888, so a second
    // client on the same machine failed, and so did a restart while the last
    // connection sat in TIME_WAIT (SO_REUSEADDR helps with that one).
    const int on = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    sockaddr_storage address{};
    socklen_t length = 0;
    if (family == AF_INET6) {
        auto& v6 = reinterpret_cast<sockaddr_in6&>(address);
        v6.sin6_family = AF_INET6;
        v6.sin6_addr = in6addr_any;
        v6.sin6_port = htons(config_.bind_port);  // htons(): to network byte order
        length = sizeof v6;
    } else {
        auto& v4 = reinterpret_cast<sockaddr_in&>(address);
        v4.sin_family = AF_INET;
        v4.sin_addr.s_addr = htonl(INADDR_ANY);  // 0.0.0.0; htonl(): 32 bits to network order
        v4.sin_port = htons(config_.bind_port);
        length = sizeof v4;
    }
    // bind(): claims the local port. Nothing on the wire.
    if (::bind(fd, reinterpret_cast<const sockaddr*>(&address), length) != 0) {
        throw ChatError(explain_bind_port_error(errno, config_.bind_port));
    }
}

int ChatClient::run() {
    const Clock::time_point start = Clock::now();
    const bool scripted = !config_.say.empty() || config_.bulk_bytes > 0 || config_.quit_after.count() > 0;
    std::deque<ScriptLine> script;
    if (!config_.nick.empty()) script.push_back({start, "/nick " + config_.nick + "\n"});
    for (std::size_t i = 0; i < config_.say.size(); ++i) {
        script.push_back({start + static_cast<int>(i) * config_.interval, config_.say[i] + "\n"});
    }
    std::optional<Clock::time_point> quit_at;
    if (config_.quit_after.count() > 0) quit_at = start + config_.quit_after;
    Clock::time_point read_from = start + config_.pause_reading;
    if (config_.pause_reading.count() > 0) {
        log("not reading for " + std::to_string(config_.pause_reading.count()) +
            " ms: our receive buffer fills and the window we advertise shrinks to zero");
    }
    bool input_done = false;  // nothing more to send: end of stdin or script, or --quit-after
    std::vector<char> buffer(kReadChunkBytes);

    while (true) {
        const Clock::time_point now = Clock::now();

        // 1. What is due goes to the output queue: script lines, bulk data.
        while (!input_done && !script.empty() && script.front().at <= now && output_.push(script.front().text)) {
            script.pop_front();
        }
        if (!input_done && script.empty()) refill_bulk();

        // 2. Is our side finished?
        if (!input_done && quit_at && now >= *quit_at) {
            log("--quit-after: ending our side");
            input_done = true;
        }
        if (!input_done && scripted && !quit_at && script.empty() && bulk_left_ == 0) input_done = true;
        if (input_done && output_.empty() && !write_shut_) {
            if (config_.linger_reset) return reset_connection();
            end_of_input();
        }

        // 3. Wait for the socket, the input, or the next timed step.
        const bool reading = now >= read_from;
        pollfd fds[2] = {{socket_.get(), 0, 0}, {config_.input_fd, 0, 0}};
        if (reading) fds[0].events |= POLLIN;
        if (!output_.empty() && !write_shut_) fds[0].events |= POLLOUT;
        const bool want_input = !scripted && !input_done && output_.size() < kInputHighWater;
        if (want_input) fds[1].events = POLLIN;
        std::optional<Clock::time_point> wake;
        const auto consider = [&wake](Clock::time_point t) {
            if (!wake || t < *wake) wake = t;
        };
        if (!input_done && !script.empty()) consider(script.front().at);
        if (!reading) consider(read_from);
        if (!input_done && quit_at) consider(*quit_at);
        int timeout = -1;
        if (wake) {
            timeout = static_cast<int>(
                std::max<long long>(0, std::chrono::ceil<std::chrono::milliseconds>(*wake - now).count()));
        }
        // poll(): sleep until the socket has bytes (or the server's FIN),
        // the send buffer has room, stdin has input, or the next timed step
        // is due. This is what makes the client full duplex in one thread.
        if (::poll(fds, want_input ? 2 : 1, timeout) < 0) {
            if (errno == EINTR) continue;
            log(system_error_text("poll", errno));
            return 1;
        }

        // 4. The socket.
        if (!reading && (fds[0].revents & (POLLERR | POLLHUP))) {
            read_from = now;  // the connection ended during the pause: read what is left now
            continue;
        }
        if (reading && (fds[0].revents & (POLLIN | POLLERR | POLLHUP))) {
            // recv(), and its three outcomes.
            const ssize_t n = ::recv(socket_.get(), buffer.data(), buffer.size(), 0);
            if (n > 0) {
                // Whatever arrived, maybe half a line: print it as it is. The
                // terminal does not care where the segments were cut.
                if (!write_output(buffer.data(), static_cast<std::size_t>(n))) return 1;
            } else if (n == 0) {
                // The server's FIN: it has nothing more to say.
                log(write_shut_ ? "the server closed its side too: the conversation is over"
                                : "the server closed the connection");
                return 0;
            } else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
                log(system_error_text("connection lost", errno));
                return 1;
            }
        }
        if ((fds[0].revents & POLLOUT) && !output_.empty()) {
            // send() takes what fits in the kernel's send buffer; the rest
            // stays queued for the next POLLOUT (a partial send).
            // MSG_NOSIGNAL: a closed connection gives EPIPE, not SIGPIPE.
            const std::string_view bytes = output_.pending();
            const ssize_t n = ::send(socket_.get(), bytes.data(), bytes.size(), MSG_NOSIGNAL);
            if (n > 0) {
                output_.consume(static_cast<std::size_t>(n));
            } else if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
                log(system_error_text("connection lost", errno));
                return 1;
            }
        }

        // 5. The input. stdin is NOT made non-blocking: it is shared with
        // the shell, which would then see EAGAIN too. poll() said it is
        // readable, so this one read() returns at once.
        if (want_input && (fds[1].revents & (POLLIN | POLLHUP | POLLERR))) {
            const ssize_t n = ::read(config_.input_fd, buffer.data(), buffer.size());
            if (n > 0) {
                // Bytes as typed, line by line from a terminal. The server
                // reassembles lines, so it does not matter how they are cut.
                output_.push(std::string_view(buffer.data(), static_cast<std::size_t>(n)));
            } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
                input_done = true;  // end of input (Ctrl-D), or input we cannot read
            }
        }
    }
}

void ChatClient::refill_bulk() {
    // Bulk lines are made as the queue drains, so a large --bulk never sits
    // in memory all at once.
    while (bulk_left_ > 0 && output_.size() + kBulkLineBytes <= kBulkQueueTarget) {
        const std::string line = make_bulk_line(++bulk_lines_, std::min(bulk_left_, kBulkLineBytes));
        output_.push(line);
        bulk_left_ -= line.size();
    }
}

void ChatClient::end_of_input() {
    // shutdown(SHUT_WR): sends our FIN -- "I have nothing more to say" --
    // after everything already sent. Reading still works: the server can
    // answer (our chat server says goodbye) and then send its own FIN.
    ::shutdown(socket_.get(), SHUT_WR);
    write_shut_ = true;
    log("end of input: sent our FIN with shutdown(SHUT_WR); still reading until the server closes");
}

int ChatClient::reset_connection() {
    // An RST throws away whatever the kernel has not delivered yet, so first
    // wait (briefly) until the server has acknowledged all our bytes:
    // SIOCOUTQ counts those sent but not acknowledged, or not sent yet.
    const Clock::time_point give_up = Clock::now() + kResetAckWait;
    int unacknowledged = 0;
    while (::ioctl(socket_.get(), SIOCOUTQ, &unacknowledged) == 0 && unacknowledged > 0 && Clock::now() < give_up) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    set_linger_reset(socket_.get());
    socket_.reset();  // close() with SO_LINGER {1, 0}: an RST instead of a FIN
    log("closed with SO_LINGER 0: sent an RST instead of a FIN");
    return 0;
}

bool ChatClient::write_output(const char* data, std::size_t size) {
    // write() may also write only part (a pipe that is nearly full), and a
    // signal may interrupt it: loop until all is written.
    while (size > 0) {
        const ssize_t n = ::write(config_.output_fd, data, size);
        if (n < 0) {
            if (errno == EINTR) continue;
            log(system_error_text("cannot write the output", errno));
            return false;
        }
        data += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

void ChatClient::log(const std::string& line) const {
    if (config_.log) config_.log(line);
}

}  // namespace tcpviz::chat
