#include "tcpviz/stop_signals.h"

#include <atomic>
#include <csignal>

#include "tcpviz/live_capture.h"

namespace tcpviz {
namespace {

// A signal handler may only touch lock-free atomics (and async-signal-safe
// calls): the capture to stop is published here.
std::atomic<LiveCapture*> target{nullptr};
static_assert(std::atomic<LiveCapture*>::is_always_lock_free);

struct sigaction old_int, old_term;

void on_stop_signal(int) {
    if (LiveCapture* capture = target.load()) capture->request_stop();
}

}  // namespace

StopOnSignals::StopOnSignals(LiveCapture& capture) {
    target.store(&capture);
    struct sigaction action {};
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    // No SA_RESTART: poll() returns EINTR, so the capture stops at once.
    action.sa_flags = SA_RESETHAND;
    sigaction(SIGINT, &action, &old_int);
    sigaction(SIGTERM, &action, &old_term);
}

StopOnSignals::~StopOnSignals() {
    sigaction(SIGINT, &old_int, nullptr);
    sigaction(SIGTERM, &old_term, nullptr);
    target.store(nullptr);
}

}  // namespace tcpviz
