#include "demo_path.h"

#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace tcpviz {

lab::Bottleneck demo_bottleneck() {
    lab::Bottleneck b;
    // 4 Mbit/s: a full segment of bob's (MSS 1400: 1388 bytes of data after
    // the timestamp option, 1454 bytes in the Ethernet frame) takes 2.9 ms
    // to leave the router, so a round trip of 10 segments lasts about 30 ms
    // and one of 40 about 120 ms: each round of slow start spans several of
    // the sampler's 10 ms ticks.
    b.rate_kbit = 4000;
    // A round trip of 80 ms, as across a continent, made by netem or, on a
    // kernel without it, by a bridge in user space: slow start's rounds are
    // 80 ms apart, each eight samples long. With a queue as the only delay
    // the round trip would grow with cwnd and hide the doubling.
    b.delay_ms = 80;
    b.delay_without_netem = true;
    // A queue that never overflows in the demo (the path holds about 27
    // segments, cwnd stays under 110): the one loss is the planned drop.
    b.queue_bytes = 150000;
    return b;
}

std::unique_ptr<DemoPath> build_demo_path(std::string& why) {
    if (::geteuid() != 0) {
        why = "it needs root (network namespaces and a qdisc)";
        return nullptr;
    }
    lab::remove_stale_namespaces();
    try {
        auto path = std::make_unique<DemoPath>();
        path->path = path->net.routed(path->bottleneck);
        return path;
    } catch (const std::exception& e) {
        why = e.what();
        return nullptr;
    }
}

bool add_demo_drop(DemoPath& path, int port, std::string& why) {
    try {
        path.net.drop_once(path.path.server.netns, port, demo_drop_marker);
        return true;
    } catch (const std::exception& e) {
        why = e.what();
        return false;
    }
}

std::vector<std::string> describe_demo_path(const DemoPath& p) {
    const std::string rate = std::to_string(p.bottleneck.rate_kbit / 1000) + " Mbit/s";
    const std::string queue = std::to_string(p.bottleneck.queue_bytes / 1000) + " KB";
    std::vector<std::string> lines{"the students in " + p.path.client.netns + " (" + p.path.client.address +
                                   "), the chat server in " + p.path.server.netns + " (" + p.path.server.address +
                                   "), a router between them whose way to the server is a " + rate +
                                   " bottleneck (tbf) with a " + queue + " queue"};
    const std::string delay = std::to_string(p.bottleneck.delay_ms) + " ms";
    if (p.path.netem) {
        lines.push_back("delay: netem, " + delay + " on the way back, plus the queue's waiting time");
    } else if (p.path.delay_line) {
        lines.push_back("delay: this kernel has no netem, so a bridge in user space (namespace " + p.net.name("d") +
                        ") holds every frame on the way back for " + delay + ", plus the queue's waiting time");
    } else {
        lines.push_back("delay: none but the bottleneck's queue (no netem on this kernel)");
    }
    lines.push_back(std::string("bob's bulk block, reno pinned on his socket: slow start doubles cwnd every round trip "
                                "until the server's firewall drops, once, the first segment holding \"") +
                    demo_drop_marker +
                    "\" (some 70 KB in); then ssthresh is half the window and cwnd grows by one segment per round "
                    "trip (congestion avoidance)");
    return lines;
}

InNamespace::InNamespace(const std::string& netns) {
    if (netns.empty()) return;
    home_ = ::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
    if (home_ < 0) {
        error_ = std::string("cannot enter it: cannot note this thread's own namespace: ") + std::strerror(errno);
        return;
    }
    const int target = ::open(("/run/netns/" + netns).c_str(), O_RDONLY | O_CLOEXEC);
    if (target < 0 || ::setns(target, CLONE_NEWNET) != 0)
        error_ = std::string("cannot enter it: ") + std::strerror(errno);
    if (target >= 0) ::close(target);
}

InNamespace::~InNamespace() {
    if (home_ < 0) return;
    (void)::setns(home_, CLONE_NEWNET);
    ::close(home_);
}

}  // namespace tcpviz
