#include "chat_test_support.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <stdexcept>

namespace tcpviz::chat::testing {
namespace {

using Clock = std::chrono::steady_clock;

// Tests write to sockets and pipes whose other end may be gone.
const bool sigpipe_ignored = [] {
    ::signal(SIGPIPE, SIG_IGN);
    return true;
}();

[[noreturn]] void fail(const std::string& what) { throw std::runtime_error(what + ": " + std::strerror(errno)); }

void write_all(int fd, std::string_view bytes) {
    while (!bytes.empty()) {
        const ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (n < 0 && errno == ENOTSOCK) {
            const ssize_t w = ::write(fd, bytes.data(), bytes.size());
            if (w < 0 && errno == EINTR) continue;
            if (w < 0) fail("write");
            bytes.remove_prefix(static_cast<std::size_t>(w));
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) fail("send");
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
}

}  // namespace

// ---------------------------------------------------------------- LineReader

std::optional<std::string> LineReader::next(std::chrono::milliseconds timeout) {
    const Clock::time_point deadline = Clock::now() + timeout;
    while (true) {
        const std::size_t newline = buffer_.find('\n', start_);
        if (newline != std::string::npos) {
            std::string line = buffer_.substr(start_, newline - start_);
            start_ = newline + 1;
            if (keep_history_) history_.push_back(line);
            return line;
        }
        buffer_.erase(0, start_);  // all lines taken: drop them before reading more
        start_ = 0;
        if (ended_) return std::nullopt;
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (left <= 0) return std::nullopt;
        pollfd p{fd_, POLLIN, 0};
        const int ready = ::poll(&p, 1, static_cast<int>(left));
        if (ready < 0 && errno == EINTR) continue;
        if (ready <= 0) return std::nullopt;
        char chunk[65536];
        const ssize_t n = ::read(fd_, chunk, sizeof chunk);
        if (n > 0) {
            buffer_.append(chunk, static_cast<std::size_t>(n));
        } else if (n == 0) {
            ended_ = true;
        } else if (errno != EINTR && errno != EAGAIN) {
            error_ = errno;
            ended_ = true;
        }
    }
}

std::optional<std::string> LineReader::find(std::string_view text, std::chrono::milliseconds timeout) {
    const Clock::time_point deadline = Clock::now() + timeout;
    while (true) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        std::optional<std::string> line = next(std::max(left, std::chrono::milliseconds(0)));
        if (!line) return std::nullopt;
        if (line->find(text) != std::string::npos) return line;
    }
}

std::vector<std::string> LineReader::rest(bool& ended, std::chrono::milliseconds timeout) {
    const Clock::time_point deadline = Clock::now() + timeout;
    std::vector<std::string> lines;
    while (true) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        std::optional<std::string> line = next(std::max(left, std::chrono::milliseconds(0)));
        if (!line) break;
        lines.push_back(*line);
    }
    ended = ended_;
    return lines;
}

// ---------------------------------------------------------------- TestClient

TestClient TestClient::connect(const std::string& host, std::uint16_t port, Options options,
                               const std::string& source_address) {
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;  // loopback addresses only, never DNS
    addrinfo* list = nullptr;
    if (::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &list) != 0) {
        throw std::runtime_error("bad test address " + host);
    }
    FileDescriptor fd(::socket(list->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd) {
        ::freeaddrinfo(list);
        fail("socket");
    }
    if (options.receive_buffer > 0) {
        ::setsockopt(fd.get(), SOL_SOCKET, SO_RCVBUF, &options.receive_buffer, sizeof options.receive_buffer);
    }
    if (options.no_delay) {
        const int on = 1;
        ::setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    }
    if (!source_address.empty()) {
        addrinfo* local = nullptr;
        if (::getaddrinfo(source_address.c_str(), "0", &hints, &local) != 0) {
            ::freeaddrinfo(list);
            throw std::runtime_error("bad source address " + source_address);
        }
        const int bound = ::bind(fd.get(), local->ai_addr, local->ai_addrlen);
        ::freeaddrinfo(local);
        if (bound != 0) {
            ::freeaddrinfo(list);
            fail("bind to " + source_address);
        }
    }
    const int rc = ::connect(fd.get(), list->ai_addr, list->ai_addrlen);
    ::freeaddrinfo(list);
    if (rc != 0) fail("connect to " + host + ":" + std::to_string(port));
    return TestClient(std::move(fd));
}

void TestClient::send_bytes(std::string_view bytes) { write_all(fd_.get(), bytes); }

void TestClient::half_close() { ::shutdown(fd_.get(), SHUT_WR); }

void TestClient::reset() {
    const linger abort_on_close{1, 0};
    ::setsockopt(fd_.get(), SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof abort_on_close);
    fd_.reset();
    reader_.reset(-1);
}

void TestClient::set_nick(const std::string& nick) {
    say("/nick " + nick);
    if (!reader_.find("*** you are now " + nick)) throw std::runtime_error("no confirmation for /nick " + nick);
}

void TestClient::sync() {
    say("/who");
    if (!reader_.find(" here: ")) throw std::runtime_error("no answer to /who");
}

// ---------------------------------------------------------------- RunningServer

ServerConfig loopback_config(const std::string& host) {
    ServerConfig config;
    config.bind_address = host;
    config.port = 0;
    if (std::getenv("TCPVIZ_TEST_VERBOSE") != nullptr) {
        config.log = [](const std::string& line) { std::cerr << "[server] " << line << "\n"; };
    }
    return config;
}

RunningServer::RunningServer(ServerConfig config) : server_(std::move(config)), thread_([this] { server_.run(); }) {}

RunningServer::~RunningServer() { stop_and_join(); }

bool RunningServer::stop_and_join(std::chrono::milliseconds timeout) {
    if (!thread_.joinable()) return true;
    server_.stop();
    const bool in_time = server_.wait_until([](const ServerStats& s) { return !s.running; }, timeout);
    if (!in_time) server_.stop();  // a second stop() closes everything at once
    thread_.join();
    return in_time;
}

// ---------------------------------------------------------------- ChildProcess

ChildProcess::ChildProcess(const std::vector<std::string>& argv) {
    int in[2], out[2], err[2];
    if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0) fail("pipe");
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    pid_ = ::fork();
    if (pid_ < 0) fail("fork");
    if (pid_ == 0) {
        ::dup2(in[0], STDIN_FILENO);
        ::dup2(out[1], STDOUT_FILENO);
        ::dup2(err[1], STDERR_FILENO);
        ::signal(SIGPIPE, SIG_DFL);
        ::execv(args[0], args.data());
        _exit(127);
    }
    ::close(in[0]);
    ::close(out[1]);
    ::close(err[1]);
    stdin_.reset(in[1]);
    stdout_.reset(out[0]);
    stderr_.reset(err[0]);
    out_.reset(stdout_.get());
    err_.reset(stderr_.get());
}

ChildProcess::~ChildProcess() {
    if (!reaped_ && pid_ > 0) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
    }
}

void ChildProcess::write_stdin(std::string_view bytes) { write_all(stdin_.get(), bytes); }

void ChildProcess::close_stdin() { stdin_.reset(); }

void ChildProcess::signal(int signal_number) {
    if (!reaped_) ::kill(pid_, signal_number);
}

int ChildProcess::wait(std::chrono::milliseconds timeout) {
    if (reaped_) return status_;
    const Clock::time_point deadline = Clock::now() + timeout;
    int status = 0;
    while (true) {
        const pid_t done = ::waitpid(pid_, &status, WNOHANG);
        if (done == pid_) break;
        if (Clock::now() >= deadline) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, &status, 0);
            reaped_ = true;
            return status_ = -1;
        }
        std::this_thread::sleep_for(2ms);  // polling a process's exit, not synchronising with it
    }
    reaped_ = true;
    status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return status_;
}

std::uint16_t port_in(std::string_view line) {
    const std::size_t at = line.find("listening on ");
    if (at == std::string_view::npos) return 0;
    const std::size_t colon = line.find_first_of(' ', at + 13);
    const std::string_view endpoint = line.substr(at + 13, colon - (at + 13));
    const std::size_t last = endpoint.rfind(':');
    if (last == std::string_view::npos) return 0;
    return static_cast<std::uint16_t>(std::atoi(std::string(endpoint.substr(last + 1)).c_str()));
}

long peak_rss_kib(pid_t pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string key;
    while (status >> key) {
        if (key == "VmHWM:") {
            long kib = -1;
            status >> kib;
            return kib;
        }
        status.ignore(4096, '\n');
    }
    return -1;
}

long rss_kib(pid_t pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string key;
    while (status >> key) {
        if (key == "VmRSS:") {
            long kib = -1;
            status >> kib;
            return kib;
        }
    }
    return -1;
}

int open_descriptors(pid_t pid) {
    const std::string dir = "/proc/" + std::to_string(pid) + "/fd";
    DIR* d = ::opendir(dir.c_str());
    if (d == nullptr) return -1;
    int count = 0;
    while (const dirent* entry = ::readdir(d)) {
        if (entry->d_name[0] != '.') ++count;
    }
    ::closedir(d);
    return count - 1;  // the descriptor opendir() itself holds
}

PacedReader::PacedReader(LineReader& reader, double bytes_per_second) : reader_(reader), rate_(bytes_per_second) {}

std::optional<std::string> PacedReader::next(std::chrono::milliseconds timeout) {
    std::optional<std::string> line = reader_.next(timeout);
    if (!line) return line;
    bytes_ += static_cast<double>(line->size() + 1);
    const auto due =
        start_ + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(bytes_ / rate_));
    if (due > Clock::now() + 2ms) std::this_thread::sleep_until(due);  // pacing a reader, not synchronisation
    return line;
}

}  // namespace tcpviz::chat::testing
