#include "demo_interrupt.h"

#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>

namespace tcpviz {
namespace {

// Everything the handler touches is a lock-free atomic, and it calls only
// async-signal-safe functions (write, shutdown, sigaction).
std::atomic<int> signals_seen{0};
// The students' sockets, each stored as fd + 1 (0: a free slot). The demo
// has three students.
std::array<std::atomic<int>, 8> student_fds{};
struct sigaction old_int, old_term, old_hup;

void say(const char* text) { [[maybe_unused]] const ssize_t n = ::write(STDERR_FILENO, text, std::strlen(text)); }

void restore_signals() {
    sigaction(SIGINT, &old_int, nullptr);
    sigaction(SIGTERM, &old_term, nullptr);
    sigaction(SIGHUP, &old_hup, nullptr);
}

void on_demo_signal(int) {
    const int saved_errno = errno;
    const int seen = signals_seen.fetch_add(1) + 1;
    if (seen == 1) {
        say("\ndemo: finishing: Ctrl-C again stops now\n");
    } else if (seen == 2) {
        say("\ndemo: stopping the students now, then cleaning up and writing what was captured "
            "(Ctrl-C again kills at once)\n");
        // SHUT_RDWR wakes the client's poll(): recv() says 0, and its run() returns.
        for (auto& slot : student_fds) {
            const int fd = slot.load() - 1;
            if (fd >= 0) ::shutdown(fd, SHUT_RDWR);
        }
        restore_signals();
    }
    errno = saved_errno;
}

}  // namespace

DemoInterruptGuard::DemoInterruptGuard() {
    signals_seen.store(0);
    struct sigaction action {};
    action.sa_handler = on_demo_signal;
    sigemptyset(&action.sa_mask);
    // Each signal runs the handler alone: the count stays exact.
    sigaddset(&action.sa_mask, SIGINT);
    sigaddset(&action.sa_mask, SIGTERM);
    sigaddset(&action.sa_mask, SIGHUP);
    sigaction(SIGINT, &action, &old_int);
    sigaction(SIGTERM, &action, &old_term);
    sigaction(SIGHUP, &action, &old_hup);
}

DemoInterruptGuard::~DemoInterruptGuard() { restore_signals(); }

bool DemoInterruptGuard::interrupted() { return signals_seen.load() >= 1; }

bool DemoInterruptGuard::stopping() { return signals_seen.load() >= 2; }

StudentSocket::StudentSocket(int fd) {
    for (std::size_t i = 0; i < student_fds.size(); ++i) {
        int free = 0;
        if (student_fds[i].compare_exchange_strong(free, fd + 1)) {
            slot_ = static_cast<int>(i);
            break;
        }
    }
    // The second signal came before this socket was listed.
    if (DemoInterruptGuard::stopping()) ::shutdown(fd, SHUT_RDWR);
}

StudentSocket::~StudentSocket() {
    if (slot_ >= 0) student_fds[static_cast<std::size_t>(slot_)].store(0);
}

}  // namespace tcpviz
