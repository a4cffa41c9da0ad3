#include "process.h"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <thread>

namespace tcpviz::lab {
namespace {

std::atomic<bool> stop_requested{false};
struct sigaction old_int, old_term, old_hup;

void on_signal(int) { stop_requested.store(true); }

double now_seconds() {
    using namespace std::chrono;
    return duration<double>(steady_clock::now().time_since_epoch()).count();
}

// In a child: die with the lab, take default signals, enter the namespace.
void become_child(const std::string& netns) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    std::signal(SIGHUP, SIG_DFL);
    std::signal(SIGPIPE, SIG_DFL);
    if (netns.empty()) return;
    const std::string path = "/run/netns/" + netns;
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0 || ::setns(fd, CLONE_NEWNET) != 0) {
        std::fprintf(stderr, "tcpviz: error: %s: cannot enter: %s\n", netns.c_str(), std::strerror(errno));
        ::_exit(126);
    }
    ::close(fd);
}

}  // namespace

InterruptGuard::InterruptGuard() {
    stop_requested.store(false);
    struct sigaction action {};
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, &old_int);
    sigaction(SIGTERM, &action, &old_term);
    sigaction(SIGHUP, &action, &old_hup);
}

InterruptGuard::~InterruptGuard() {
    sigaction(SIGINT, &old_int, nullptr);
    sigaction(SIGTERM, &old_term, nullptr);
    sigaction(SIGHUP, &old_hup, nullptr);
}

bool interrupted() { return stop_requested.load(); }

void throw_if_interrupted() {
    if (interrupted()) throw Interrupted();
}

void pause_for(double seconds) {
    const double end = now_seconds() + seconds;
    while (now_seconds() < end) {
        throw_if_interrupted();
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    throw_if_interrupted();
}

std::string self_exe() {
    char path[4096];
    const ssize_t n = ::readlink("/proc/self/exe", path, sizeof path - 1);
    return n > 0 ? std::string(path, static_cast<std::size_t>(n)) : std::string("tcpviz");
}

int run_command(const std::vector<std::string>& argv, std::string* output) {
    int pipe_fds[2] = {-1, -1};
    if (output && ::pipe2(pipe_fds, O_CLOEXEC) != 0) return 127;
    const pid_t pid = ::fork();
    if (pid < 0) return 127;
    if (pid == 0) {
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        const int sink = output ? pipe_fds[1] : ::open("/dev/null", O_WRONLY);
        ::dup2(sink, 1);
        ::dup2(sink, 2);
        std::vector<char*> args;
        for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        ::execvp(args[0], args.data());
        ::_exit(127);
    }
    if (output) {
        ::close(pipe_fds[1]);
        char buffer[4096];
        ssize_t n;
        while ((n = ::read(pipe_fds[0], buffer, sizeof buffer)) > 0 || (n < 0 && errno == EINTR)) {
            if (n > 0) output->append(buffer, static_cast<std::size_t>(n));
        }
        ::close(pipe_fds[0]);
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

Child::Child(Child&& other) noexcept : pid_(other.pid_), ready_fd_(other.ready_fd_), status_(other.status_) {
    other.pid_ = -1;
    other.ready_fd_ = -1;
}

Child& Child::operator=(Child&& other) noexcept {
    if (this != &other) {
        kill();
        pid_ = other.pid_;
        ready_fd_ = other.ready_fd_;
        status_ = other.status_;
        other.pid_ = -1;
        other.ready_fd_ = -1;
    }
    return *this;
}

Child::~Child() { kill(); }

std::string Child::wait_ready(double timeout_seconds) {
    std::string line;
    const double end = now_seconds() + timeout_seconds;
    while (ready_fd_ >= 0) {
        throw_if_interrupted();
        if (now_seconds() > end) throw std::runtime_error("a program did not get ready in time");
        pollfd p{ready_fd_, POLLIN, 0};
        if (::poll(&p, 1, 20) <= 0) continue;
        char c;
        const ssize_t n = ::read(ready_fd_, &c, 1);
        if (n == 0) throw std::runtime_error("a program ended before it was ready");
        if (n < 0) continue;
        if (c == '\n') return line;
        line += c;
    }
    throw std::runtime_error("a program has no ready pipe");
}

int Child::wait(double timeout_seconds) {
    const double end = now_seconds() + timeout_seconds;
    while (pid_ > 0) {
        int status = 0;
        const pid_t r = ::waitpid(pid_, &status, WNOHANG);
        if (r == pid_) {
            pid_ = -1;
            status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            break;
        }
        throw_if_interrupted();
        if (now_seconds() > end) return -1;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (ready_fd_ >= 0) {
        ::close(ready_fd_);
        ready_fd_ = -1;
    }
    return status_;
}

void Child::signal(int sig) {
    if (pid_ > 0) ::kill(pid_, sig);
}

void Child::kill() {
    if (pid_ > 0) {
        ::kill(pid_, SIGKILL);
        int status = 0;
        while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
        }
        pid_ = -1;
    }
    if (ready_fd_ >= 0) {
        ::close(ready_fd_);
        ready_fd_ = -1;
    }
}

Child spawn_in(const std::string& netns, const std::function<int(const ReadyFn& ready)>& body) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
    std::fflush(nullptr);
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
    if (pid == 0) {
        ::close(fds[0]);
        become_child(netns);
        const int write_fd = fds[1];
        const ReadyFn ready = [write_fd](const std::string& line) {
            const std::string text = line + "\n";
            [[maybe_unused]] ssize_t n = ::write(write_fd, text.data(), text.size());
        };
        int code = 125;
        try {
            code = body(ready);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "tcpviz: lab peer: %s\n", e.what());
        }
        std::fflush(nullptr);
        ::_exit(code);
    }
    ::close(fds[1]);
    return Child(pid, fds[0]);
}

Child exec_in(const std::string& netns, const std::vector<std::string>& argv, const std::string& log) {
    std::fflush(nullptr);
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
    if (pid == 0) {
        become_child(netns);
        const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        if (fd >= 0) {
            ::dup2(fd, 1);
            ::dup2(fd, 2);
        }
        const int null_in = ::open("/dev/null", O_RDONLY);
        if (null_in >= 0) ::dup2(null_in, 0);
        std::vector<char*> args;
        for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        ::execvp(args[0], args.data());
        ::_exit(127);
    }
    return Child(pid, -1);
}

std::string shell_line(const std::vector<std::string>& argv) {
    std::string line;
    for (const std::string& a : argv) {
        if (!line.empty()) line += ' ';
        const bool plain = !a.empty() && a.find_first_of(" \"'$\\*?;&|<>()[]{}!#") == std::string::npos;
        line += plain ? a : "'" + a + "'";
    }
    return line;
}

}  // namespace tcpviz::lab
