// Helpers for the chat tests: a blocking loopback client whose reads all
// time out (so a bug fails a test instead of hanging it), the server running
// in-process on a thread, and child processes with pipes.
//
// Synchronisation is always "wait for a line", never "sleep and hope". The
// server's stats are published at the end of each round of its loop, which
// may come after a client has already seen the effect: read them with
// ChatServer::wait_until, not stats().
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "tcpviz/chat/chat_server.h"
#include "tcpviz/chat/file_descriptor.h"

namespace tcpviz::chat::testing {

using namespace std::chrono_literals;

// How long any single wait may take before the test fails.
inline constexpr std::chrono::milliseconds test_timeout = 10s;

// Reads '\n'-terminated lines from a socket or pipe, with a timeout.
class LineReader {
public:
    explicit LineReader(int fd = -1) : fd_(fd) {}
    void reset(int fd) { fd_ = fd; }

    // The next line (without "\n"), or nothing on timeout, end or error.
    std::optional<std::string> next(std::chrono::milliseconds timeout = test_timeout);
    // Skips lines until one contains `text`; returns it, or nothing.
    std::optional<std::string> find(std::string_view text, std::chrono::milliseconds timeout = test_timeout);
    // Every line until the end of the stream; `ended` tells whether it came.
    std::vector<std::string> rest(bool& ended, std::chrono::milliseconds timeout = test_timeout);

    bool at_end() const noexcept { return ended_; }
    int error() const noexcept { return error_; }  // errno if the stream ended with an error
    const std::vector<std::string>& history() const noexcept { return history_; }  // every line read
    void keep_history(bool keep) { keep_history_ = keep; }                         // off for floods of lines
    std::string unterminated() const { return buffer_.substr(start_); }

private:
    int fd_;
    std::string buffer_;  // bytes read, not yet returned as lines, from start_ on
    std::size_t start_ = 0;
    bool ended_ = false;
    int error_ = 0;
    std::vector<std::string> history_;
    bool keep_history_ = true;
};

// A blocking TCP client on loopback, the way a student's nc would talk.
class TestClient {
public:
    struct Options {
        int receive_buffer = 0;  // SO_RCVBUF before connect(), 0 = default
        bool no_delay = false;
    };
    // `source_address`: bind() to this local address first, e.g. "127.0.0.2"; "" = any.
    static TestClient connect(const std::string& host, std::uint16_t port, Options options,
                              const std::string& source_address = "");
    static TestClient connect(const std::string& host, std::uint16_t port) { return connect(host, port, Options{}); }

    void send_bytes(std::string_view bytes);  // all of them (blocking)
    void say(std::string_view line) { send_bytes(std::string(line) + "\n"); }
    void half_close();  // shutdown(SHUT_WR)
    void reset();       // SO_LINGER 0 + close(): RST
    LineReader& in() { return reader_; }
    int fd() const { return fd_.get(); }

    // Sends /nick and waits for the confirmation.
    void set_nick(const std::string& nick);
    // Sends /who and reads up to its answer: every line the server queued
    // for us before it is read (and kept in history()).
    void sync();

private:
    explicit TestClient(FileDescriptor fd) : fd_(std::move(fd)), reader_(fd_.get()) {}
    FileDescriptor fd_;
    LineReader reader_;
};

// A ChatServer running run() on its own thread; stopped and joined on destruction.
class RunningServer {
public:
    explicit RunningServer(ServerConfig config);
    ~RunningServer();
    RunningServer(const RunningServer&) = delete;
    RunningServer& operator=(const RunningServer&) = delete;

    ChatServer& server() { return server_; }
    std::uint16_t port() const { return server_.port(); }
    // stop() and join; true if run() returned within `timeout`.
    bool stop_and_join(std::chrono::milliseconds timeout = test_timeout);

private:
    ChatServer server_;
    std::thread thread_;
};

// A server configuration on 127.0.0.1 (or `host`), port chosen by the kernel.
ServerConfig loopback_config(const std::string& host = "127.0.0.1");

// A child process with stdin, stdout and stderr on pipes.
class ChildProcess {
public:
    explicit ChildProcess(const std::vector<std::string>& argv);
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    void write_stdin(std::string_view bytes);
    void close_stdin();
    LineReader& out() { return out_; }
    LineReader& err() { return err_; }
    pid_t pid() const { return pid_; }
    void signal(int signal_number);
    // Exit status, or -1 if it did not exit within `timeout` (it is then killed).
    int wait(std::chrono::milliseconds timeout = test_timeout);

private:
    pid_t pid_ = -1;
    FileDescriptor stdin_;
    FileDescriptor stdout_;
    FileDescriptor stderr_;
    LineReader out_;
    LineReader err_;
    bool reaped_ = false;
    int status_ = -1;
};

// The port in "... listening on 127.0.0.1:41234 ..." (0 if none).
std::uint16_t port_in(std::string_view line);

// A process's memory high-water mark (VmHWM) in KiB, from /proc/PID/status.
long peak_rss_kib(pid_t pid);
// A process's resident memory now (VmRSS) in KiB, and its open descriptors.
long rss_kib(pid_t pid);
int open_descriptors(pid_t pid);

// Reads lines at about `bytes_per_second`, like a terminal or a program
// that cannot go faster: after each line, if it is ahead of that pace, it
// sleeps until it is not.
class PacedReader {
public:
    PacedReader(LineReader& reader, double bytes_per_second);
    std::optional<std::string> next(std::chrono::milliseconds timeout = test_timeout);

private:
    LineReader& reader_;
    double rate_;
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
    double bytes_ = 0;
};

}  // namespace tcpviz::chat::testing
