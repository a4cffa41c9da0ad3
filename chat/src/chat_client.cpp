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
#include "tcpviz/chat/stream_io.h"

namespace tcpviz::chat {
namespace {

constexpr std::size_t read_chunk_bytes = 64 * 1024;
// Stop reading stdin while this much is still waiting to be sent: if the
// server reads slowly, we slow down too instead of buffering without end.
constexpr std::size_t input_high_water = 64 * 1024;
// Before an RST: how long to wait for the server to acknowledge our data.
constexpr std::chrono::milliseconds reset_ack_wait{1000};

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

ChatClient::ChatClient(ClientConfig config) : config_(std::move(config)), buffer_(read_chunk_bytes) {
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
    ClientScript script(config_, start);  // the demo knobs: --nick, --say, --bulk, --quit-after
    Clock::time_point read_from = start + config_.pause_reading;
    if (config_.pause_reading.count() > 0) {
        log("not reading for " + std::to_string(config_.pause_reading.count()) +
            " ms: our receive buffer fills and the window we advertise shrinks to zero");
    }
    while (true) {
        const Clock::time_point now = Clock::now();
        step_script(script, now);
        if (input_done_ && output_.empty() && !write_shut_) {
            if (config_.linger_reset) return reset_connection();
            end_of_input();
        }

        // Wait for the socket, the input, or the next timed step.
        const bool reading = now >= read_from;
        const bool want_input = !script.scripted() && !input_done_ && output_.size() < input_high_water;
        pollfd fds[2] = {{socket_.get(), 0, 0}, {config_.input_fd, want_input ? short{POLLIN} : short{0}, 0}};
        if (reading) fds[0].events |= POLLIN;
        if (!output_.empty() && !write_shut_) fds[0].events |= POLLOUT;
        std::optional<Clock::time_point> wake = input_done_ ? std::nullopt : script.next_step();
        if (!reading && (!wake || read_from < *wake)) wake = read_from;
        const int timeout = wake ? static_cast<int>(std::max<long long>(
                                       0, std::chrono::ceil<std::chrono::milliseconds>(*wake - now).count()))
                                 : -1;
        // poll(): sleep until the socket has bytes (or the server's FIN),
        // the send buffer has room, stdin has input, or the next timed step
        // is due. This is what makes the client full duplex in one thread.
        if (::poll(fds, want_input ? 2 : 1, timeout) < 0) {
            if (errno == EINTR) continue;
            log(system_error_text("poll", errno));
            return 1;
        }

        if (!reading && (fds[0].revents & (POLLERR | POLLHUP))) {
            read_from = now;  // the connection ended during the pause: read what is left now
            continue;
        }
        if (reading && (fds[0].revents & (POLLIN | POLLERR | POLLHUP))) {
            if (const std::optional<int> status = receive_from_server()) return *status;
        }
        if (fds[0].revents & POLLOUT) {
            if (const std::optional<int> status = send_to_server()) return *status;
        }
        if (want_input && (fds[1].revents & (POLLIN | POLLHUP | POLLERR))) read_input();
    }
}

void ChatClient::step_script(ClientScript& script, Clock::time_point now) {
    if (input_done_) return;
    script.feed(now, output_);
    if (script.quit_time_came(now)) log("--quit-after: ending our side");
    if (script.finished(now)) input_done_ = true;
}

std::optional<int> ChatClient::receive_from_server() {
    const ReceiveResult received = receive_some(socket_.get(), buffer_);
    switch (received.outcome) {
        case Received::data:
            // Whatever arrived, maybe half a line: print it as it is -- but with
            // control bytes made visible. The terminal does not care where the
            // segments were cut.
            if (!write_output(terminal_.filter(std::string_view(buffer_.data(), received.bytes)))) return 1;
            return std::nullopt;
        case Received::nothing: return std::nullopt;
        case Received::peer_closed:
            // The server's FIN: it has nothing more to say.
            if (!write_output(terminal_.finish())) return 1;
            log(write_shut_ ? "the server closed its side too: the conversation is over"
                            : "the server closed the connection");
            return 0;
        case Received::error: log(system_error_text("connection lost", received.error)); return 1;
    }
    return std::nullopt;
}

std::optional<int> ChatClient::send_to_server() {
    // send() takes what fits in the kernel's send buffer; the rest stays
    // queued for the next POLLOUT (a partial send).
    const SendResult sent = send_queued(socket_.get(), output_);
    if (sent.outcome != Sent::error) return std::nullopt;
    log(system_error_text("connection lost", sent.error));
    return 1;
}

void ChatClient::read_input() {
    // stdin is NOT made non-blocking: it is shared with the shell, which
    // would then see EAGAIN too. poll() said it is readable, so this one
    // read() returns at once.
    const ssize_t n = ::read(config_.input_fd, buffer_.data(), buffer_.size());
    if (n > 0) {
        // Bytes as typed, line by line from a terminal. The server
        // reassembles lines, so it does not matter how they are cut.
        output_.push(std::string_view(buffer_.data(), static_cast<std::size_t>(n)));
    } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
        input_done_ = true;  // end of input (Ctrl-D), or input we cannot read
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
    const Clock::time_point give_up = Clock::now() + reset_ack_wait;
    int unacknowledged = 0;
    while (::ioctl(socket_.get(), SIOCOUTQ, &unacknowledged) == 0 && unacknowledged > 0 && Clock::now() < give_up) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    set_linger_reset(socket_.get());
    socket_.reset();  // close() with SO_LINGER {1, 0}: an RST instead of a FIN
    log("closed with SO_LINGER 0: sent an RST instead of a FIN");
    return 0;
}

bool ChatClient::write_output(std::string_view bytes) {
    const char* data = bytes.data();
    std::size_t size = bytes.size();
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
