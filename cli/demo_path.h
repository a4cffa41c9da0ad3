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
// lasts long enough to be sampled (10 ms apart), with a queue large enough
// never to overflow, so that the one loss is the planned drop
// (add_demo_drop): slow start ends with a loss at a known place, as in the
// course.
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
// Restores the thread's namespace when destroyed. When it could not enter
// (ok() false) the thread is still where it was: whoever opens a socket or
// samples the kernel's must check, or it would work on the wrong machine.
class InNamespace {
public:
    explicit InNamespace(const std::string& netns);
    ~InNamespace();
    InNamespace(const InNamespace&) = delete;
    InNamespace& operator=(const InNamespace&) = delete;
    bool ok() const { return error_.empty(); }
    // "cannot enter it: REASON", for `tcpviz: error: NAMESPACE: ...`.
    const std::string& error() const { return error_; }

private:
    int home_ = -1;
    std::string error_;
};

}  // namespace tcpviz
