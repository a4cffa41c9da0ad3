// Samples the kernel's TCP_INFO for the sockets on some ports, every few
// milliseconds, on a thread of its own, while a capture runs.
//
// A packet capture shows what went over the wire; only the kernel knows why:
// the congestion window, slow-start threshold and smoothed RTT that decided
// when each segment was sent. The samples share CLOCK_REALTIME with pcap
// timestamps, so they line up with the segments of the timeline.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "tcpviz/sock_diag.h"

namespace tcpviz {

struct TcpInfoSample {
    Nanos time = 0;  // CLOCK_REALTIME, nanoseconds since the epoch
    Endpoint local;  // the socket's own address and port
    Endpoint remote;
    TcpInfo info;
};

struct SamplerOptions {
    std::vector<std::uint16_t> ports;  // a socket is sampled when its local or remote port is one of these
    std::chrono::milliseconds interval{10};
    // Samples are kept only when a value changed, so an idle chat costs
    // nothing; this bounds a long busy capture (about 100 bytes a sample).
    std::size_t max_samples = 500'000;
};

class TcpInfoSampler {
public:
    // Opens the netlink socket, takes a first sample (so that a kernel without
    // sock_diag is reported before the capture starts) and starts the thread.
    // nullptr with `error` set on failure.
    static std::unique_ptr<TcpInfoSampler> start(const SamplerOptions& options, std::string& error);
    ~TcpInfoSampler();
    TcpInfoSampler(const TcpInfoSampler&) = delete;
    TcpInfoSampler& operator=(const TcpInfoSampler&) = delete;

    // Stops the thread and waits for it. Idempotent.
    void stop();
    // After stop(): the samples in time order, and why sampling ended early
    // (empty if it did not).
    std::vector<TcpInfoSample> take_samples();
    // While sampling goes on: the samples taken since the last call (all of
    // them are still kept for take_samples()). `tcpviz serve --live` pushes
    // these to the open pages.
    std::vector<TcpInfoSample> take_new();
    std::string warning() const;

private:
    explicit TcpInfoSampler(const SamplerOptions& options);
    void run();
    // One dump of both families; false with `error` set when netlink fails.
    bool sample_once(std::string& error);
    bool dump(std::uint8_t family, std::vector<DiagSocket>& sockets, std::string& error);
    bool wanted(const DiagSocket& s) const;

    SamplerOptions options_;
    int fd_ = -1;
    std::uint32_t sequence_ = 0;
    std::vector<std::byte> buffer_;

    std::vector<TcpInfoSample> samples_;               // guarded by mutex_ while the thread runs
    std::size_t handed_out_ = 0;                       // samples_[0, handed_out_) went to take_new(); guarded by mutex_
    std::unordered_map<std::uint64_t, TcpInfo> last_;  // by socket cookie: the last values kept
    std::string warning_;

    std::thread thread_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;  // guarded by mutex_
};

}  // namespace tcpviz
