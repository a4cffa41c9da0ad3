#include "delay_line.h"

#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <deque>
#include <vector>

namespace tcpviz::lab {
namespace {

using Clock = std::chrono::steady_clock;

// A frame waiting for its time, as read: a virtio-net header (which keeps
// the checksum the sender's kernel left for the interface to finish) and
// the Ethernet frame.
struct Held {
    Clock::time_point due;
    std::vector<unsigned char> bytes;
};

// A packet socket on one interface that sees every frame arriving on it
// (promiscuous: the frames are addressed to the machine beyond), not the
// ones it sends itself. Opened with protocol 0, it receives nothing until
// bind() names the interface and the protocol (ETH_P_ALL): opened with
// ETH_P_ALL it would see, until then, frames of every interface, and could
// pass one to the wrong side.
int open_port(const std::string& interface) {
    const int fd = ::socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    const int on = 1;
    const int buffer = 8 << 20;
    const int index = static_cast<int>(::if_nametoindex(interface.c_str()));
    sockaddr_ll address{};
    address.sll_family = AF_PACKET;
    address.sll_protocol = htons(ETH_P_ALL);
    address.sll_ifindex = index;
    packet_mreq promiscuous{};
    promiscuous.mr_ifindex = index;
    promiscuous.mr_type = PACKET_MR_PROMISC;
    if (index == 0 || ::setsockopt(fd, SOL_PACKET, PACKET_VNET_HDR, &on, sizeof on) != 0 ||
        ::setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &on, sizeof on) != 0 ||
        ::setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &buffer, sizeof buffer) != 0 ||
        ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &promiscuous, sizeof promiscuous) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

// Reads every frame waiting on `from` into `queue`, each due `delay` from now.
bool take_frames(int from, std::chrono::milliseconds delay, std::deque<Held>& queue) {
    unsigned char frame[65536 + 64];
    for (;;) {
        const ssize_t n = ::recv(from, frame, sizeof frame, MSG_DONTWAIT);
        if (n < 0) return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
        queue.push_back({Clock::now() + delay, std::vector<unsigned char>(frame, frame + n)});
    }
}

// Sends the frames whose time has come on `to`. A frame the interface
// refuses is lost, as on a real link.
void pass_due(std::deque<Held>& queue, int to, Clock::time_point now) {
    while (!queue.empty() && queue.front().due <= now) {
        [[maybe_unused]] const ssize_t n = ::send(to, queue.front().bytes.data(), queue.front().bytes.size(), 0);
        queue.pop_front();
    }
}

}  // namespace

int run_delay_line(const DelayLine& line) {
    const int a = open_port(line.a), b = open_port(line.b);
    if (a < 0 || b < 0) {
        std::fprintf(stderr, "tcpviz: delay line %s <-> %s: %s\n", line.a.c_str(), line.b.c_str(),
                     std::strerror(errno));
        return 1;
    }
    const std::chrono::milliseconds a_to_b(line.a_to_b_ms), b_to_a(line.b_to_a_ms);
    std::deque<Held> to_b, to_a;  // first in, first out: a fixed delay keeps the order
    for (;;) {
        const Clock::time_point now = Clock::now();
        pass_due(to_b, b, now);
        pass_due(to_a, a, now);
        // Sleep until a frame arrives or the next one is due.
        Clock::time_point wake = Clock::time_point::max();
        if (!to_b.empty()) wake = std::min(wake, to_b.front().due);
        if (!to_a.empty()) wake = std::min(wake, to_a.front().due);
        timespec timeout{};
        const timespec* wait = nullptr;
        if (wake != Clock::time_point::max()) {
            const auto ns = std::max<long long>(
                0, std::chrono::duration_cast<std::chrono::nanoseconds>(wake - Clock::now()).count());
            timeout.tv_sec = static_cast<time_t>(ns / 1000000000);
            timeout.tv_nsec = static_cast<long>(ns % 1000000000);
            wait = &timeout;
        }
        pollfd ports[2] = {{a, POLLIN, 0}, {b, POLLIN, 0}};
        if (::ppoll(ports, 2, wait, nullptr) < 0 && errno != EINTR) break;
        if ((ports[0].revents & POLLIN) && !take_frames(a, a_to_b, to_b)) break;
        if ((ports[1].revents & POLLIN) && !take_frames(b, b_to_a, to_a)) break;
    }
    std::fprintf(stderr, "tcpviz: delay line %s <-> %s: %s\n", line.a.c_str(), line.b.c_str(), std::strerror(errno));
    return 1;
}

}  // namespace tcpviz::lab
