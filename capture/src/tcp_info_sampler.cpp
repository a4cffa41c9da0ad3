#include "tcpviz/tcp_info_sampler.h"

#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <ctime>

namespace tcpviz {
namespace {

// Large enough for any one message batch the kernel sends in a dump (it
// fills at most about 32 KiB per recv); a bigger batch is reported as cut.
constexpr std::size_t receive_buffer_size = 64 * 1024;

Nanos realtime_now() {
    timespec ts{};
    ::clock_gettime(CLOCK_REALTIME, &ts);  // the clock libpcap stamps packets with
    return Nanos{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

std::string errno_text(const char* what) { return std::string(what) + ": " + std::strerror(errno); }

}  // namespace

TcpInfoSampler::TcpInfoSampler(const SamplerOptions& options) : options_(options), buffer_(receive_buffer_size) {}

std::unique_ptr<TcpInfoSampler> TcpInfoSampler::start(const SamplerOptions& options, std::string& error) {
    std::unique_ptr<TcpInfoSampler> sampler(new TcpInfoSampler(options));
    sampler->fd_ = ::socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
    if (sampler->fd_ < 0) {
        error = errno_text("netlink sock_diag socket");
        return nullptr;
    }
    // A kernel that never answers must not hang the capture at its end.
    const timeval timeout{1, 0};
    ::setsockopt(sampler->fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    if (!sampler->sample_once(error)) return nullptr;

    // The thread must not take the capture's Ctrl-C: with SIGINT and SIGTERM
    // blocked here, the kernel delivers them to the capturing thread, whose
    // poll() they interrupt. A new thread inherits the creator's mask.
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    sampler->thread_ = std::thread(&TcpInfoSampler::run, sampler.get());
    pthread_sigmask(SIG_SETMASK, &old, nullptr);
    return sampler;
}

TcpInfoSampler::~TcpInfoSampler() {
    stop();
    if (fd_ >= 0) ::close(fd_);
}

void TcpInfoSampler::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

std::vector<TcpInfoSample> TcpInfoSampler::take_samples() {
    stop();
    return std::move(samples_);
}

std::vector<TcpInfoSample> TcpInfoSampler::take_new() {
    std::lock_guard lock(mutex_);
    std::vector<TcpInfoSample> fresh(samples_.begin() + static_cast<std::ptrdiff_t>(handed_out_), samples_.end());
    handed_out_ = samples_.size();
    return fresh;
}

std::string TcpInfoSampler::warning() const {
    std::lock_guard lock(mutex_);
    return warning_;
}

void TcpInfoSampler::run() {
    // Absolute deadlines keep the cadence steady however long a dump takes;
    // after a stall the next sample is taken at once, not a burst of them.
    auto next = std::chrono::steady_clock::now() + options_.interval;
    std::unique_lock lock(mutex_);
    while (!wake_.wait_until(lock, next, [this] { return stopping_; })) {
        lock.unlock();
        std::string error;
        const bool ok = sample_once(error);
        lock.lock();
        if (!ok) {
            warning_ = "kernel sampling stopped: " + error;
            return;
        }
        if (samples_.size() >= options_.max_samples) {
            warning_ = "kernel sampling stopped after " + std::to_string(samples_.size()) + " samples (the limit)";
            return;
        }
        next = std::max(next + options_.interval, std::chrono::steady_clock::now());
    }
}

bool TcpInfoSampler::wanted(const DiagSocket& s) const {
    if (!s.info || s.remote.port == 0) return false;  // no tcp_info (TIME-WAIT), or a listener: no connection
    return std::find_if(options_.ports.begin(), options_.ports.end(), [&](std::uint16_t p) {
               return p == s.local.port || p == s.remote.port;
           }) != options_.ports.end();
}

bool TcpInfoSampler::sample_once(std::string& error) {
    std::unordered_map<std::uint64_t, TcpInfo> seen;
    std::vector<TcpInfoSample> fresh;
    for (const std::uint8_t family : {std::uint8_t{AF_INET}, std::uint8_t{AF_INET6}}) {
        std::vector<DiagSocket> sockets;
        // The dump takes a few microseconds; its middle is the sample's time.
        const Nanos before = realtime_now();
        if (!dump(family, sockets, error)) return false;
        const Nanos time = before + (realtime_now() - before) / 2;
        for (const DiagSocket& s : sockets) {
            if (!wanted(s)) continue;
            seen[s.cookie] = *s.info;
            const auto last = last_.find(s.cookie);
            if (last != last_.end() && last->second == *s.info) continue;  // nothing changed
            fresh.push_back(TcpInfoSample{time, s.local, s.remote, *s.info});
        }
    }
    last_ = std::move(seen);       // forgets closed sockets
    std::lock_guard lock(mutex_);  // take_new() may be reading samples_
    samples_.insert(samples_.end(), fresh.begin(), fresh.end());
    return true;
}

bool TcpInfoSampler::dump(std::uint8_t family, std::vector<DiagSocket>& sockets, std::string& error) {
    const std::vector<std::byte> request = build_diag_request(family, ++sequence_);
    sockaddr_nl kernel{};
    kernel.nl_family = AF_NETLINK;  // nl_pid 0: the kernel
    if (::sendto(fd_, request.data(), request.size(), 0, reinterpret_cast<const sockaddr*>(&kernel), sizeof kernel) <
        0) {
        error = errno_text("sock_diag request");
        return false;
    }
    while (true) {
        iovec iov{buffer_.data(), buffer_.size()};
        msghdr message{};
        message.msg_iov = &iov;
        message.msg_iovlen = 1;
        const ssize_t n = ::recvmsg(fd_, &message, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            error = errno_text("sock_diag reply");
            return false;
        }
        if (n == 0) {
            error = "sock_diag reply: empty";
            return false;
        }
        if (message.msg_flags & MSG_TRUNC) {
            error = "sock_diag reply larger than " + std::to_string(buffer_.size()) + " bytes";
            return false;
        }
        DiagReply reply = decode_diag_reply(Bytes(buffer_.data(), static_cast<std::size_t>(n)));
        sockets.insert(sockets.end(), reply.sockets.begin(), reply.sockets.end());
        if (!reply.problem.empty()) {
            error = "sock_diag reply: " + reply.problem;
            return false;
        }
        if (reply.error != 0) {
            error = std::string("sock_diag: ") + std::strerror(reply.error);
            return false;
        }
        if (reply.done) return true;
    }
}

}  // namespace tcpviz
