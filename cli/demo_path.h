// Where `tcpviz demo` runs its students. As root: the labs' routed path
// (lab/src/network.cpp: client - router - server namespaces, a token-bucket
// bottleneck on the router's way to the server), so that bob's bulk block
// shows slow start as the textbook draws it. Without it: a loopback, where
// the block is over in milliseconds.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "tcpviz/lab/network.h"

namespace tcpviz {

// The demo's bottleneck: slow enough that each round trip of slow start
// lasts long enough to be sampled (10 ms apart), small enough a queue that
// it overflows while cwnd still doubles, so that slow start ends with a
// loss, as in the course.
lab::Bottleneck demo_bottleneck();

// The three namespaces and what the demo tells about them.
struct DemoPath {
    lab::Network net{"demo"};
    lab::Path path;
    lab::Bottleneck bottleneck = demo_bottleneck();
};

// Builds the routed path (needs root); nullptr with `why` set when it cannot.
std::unique_ptr<DemoPath> build_demo_path(std::string& why);

// Slow start ends with a loss: the server's firewall (iptables) drops, once,
// the first segment of bob's bulk block that holds this text (its lines
// "bulk 00000700 ..." to "bulk 00000709 ...", some 70 KB in, while cwnd is
// still doubling), as the slow-start lab does.
constexpr const char* demo_drop_marker = "bulk 0000070";
// Adds that drop for the chat server's port; false with `why` set on failure.
bool add_demo_drop(DemoPath& path, int port, std::string& why);

// Lines that say what the path is and why slow start shows on it.
std::vector<std::string> describe_demo_path(const DemoPath& path);

// While alive, the calling thread (and threads it starts) lives in network
// namespace `netns` ("" = stay where it is): sockets it opens belong there.
// Restores the thread's namespace when destroyed.
class InNamespace {
public:
    explicit InNamespace(const std::string& netns);
    ~InNamespace();
    InNamespace(const InNamespace&) = delete;
    InNamespace& operator=(const InNamespace&) = delete;
    bool ok() const { return ok_; }

private:
    int home_ = -1;
    bool ok_ = true;
};

// While alive, Ctrl-C (SIGINT), SIGTERM and SIGHUP only set a flag the demo
// reads, so it can remove its namespaces before it exits; a second signal
// acts as usual (the next demo or lab removes what is left).
class DemoInterruptGuard {
public:
    DemoInterruptGuard();
    ~DemoInterruptGuard();
    DemoInterruptGuard(const DemoInterruptGuard&) = delete;
    DemoInterruptGuard& operator=(const DemoInterruptGuard&) = delete;
    static bool interrupted();
};

}  // namespace tcpviz
