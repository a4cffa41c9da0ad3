// Live capture with libpcap: open an interface, write a pcap file, hand each
// packet to the caller as a PacketRecord, stop on request, a duration or a
// count, and report what the kernel dropped.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "tcpviz/packet.h"

struct pcap;
struct pcap_dumper;
struct pcap_pkthdr;

namespace tcpviz {

struct LiveCaptureOptions {
    std::string interface = "lo";
    std::string filter = "tcp port 6666";  // BPF, run in the kernel
    int snaplen = 262144;                  // bytes kept per packet
    // The kernel ring the packets wait in until we read them. Loopback at full
    // speed outruns a small one; 16 MiB holds a good second of a bulk transfer.
    int buffer_bytes = 16 * 1024 * 1024;
};

struct CaptureError {
    enum class Kind { permission, no_such_interface, bad_filter, other };
    Kind kind = Kind::other;
    std::string message;  // one line, without the interface name
};

struct CaptureCounts {
    std::uint64_t captured = 0;           // handed to us (and written to the file)
    bool kernel_stats = false;            // whether libpcap could tell the two below
    std::uint64_t dropped = 0;            // ps_drop: the ring was full
    std::uint64_t interface_dropped = 0;  // ps_ifdrop: the interface dropped them
};

class LiveCapture {
public:
    // Opens and activates the interface with the filter set. On failure
    // returns nullptr and fills `error`.
    static std::unique_ptr<LiveCapture> open(const LiveCaptureOptions& options, CaptureError& error);
    ~LiveCapture();
    LiveCapture(const LiveCapture&) = delete;
    LiveCapture& operator=(const LiveCapture&) = delete;

    int link_type() const { return link_type_; }
    int time_decimals() const { return nanosecond_ ? 9 : 6; }
    // libpcap's warning from activation (e.g. no promiscuous mode), or empty.
    const std::string& warning() const { return warning_; }

    // Writes every packet captured from now on to a pcap file.
    bool write_to(const std::string& path, std::string& error);

    using Handler = std::function<void(const PacketRecord& record, std::uint64_t frame)>;
    struct Limits {
        std::optional<std::chrono::milliseconds> duration;
        std::uint64_t count = 0;  // 0: no limit
    };
    enum class Stop { requested, duration, count };

    // Captures until request_stop(), the duration or the count. Each packet is
    // written to the file, then given to `handler` (frames numbered from 1).
    // Throws what the handler threw, and std::runtime_error when libpcap fails.
    Stop run(const Limits& limits, const Handler& handler);

    // Asks run() to return, at once. Safe from a signal handler and from any
    // thread: it stores an atomic flag, calls pcap_breakloop() (which libpcap
    // documents as callable from a signal handler) and writes to an eventfd.
    void request_stop();

    // Flushes and closes the pcap file; false with `error` on a write error
    // (a full disk shows up here, not as a silently short file).
    bool close_file(std::string& error);

    CaptureCounts counts() const;

private:
    LiveCapture() = default;
    static void on_packet(unsigned char* user, const ::pcap_pkthdr* header, const unsigned char* bytes);

    pcap* handle_ = nullptr;
    pcap_dumper* dumper_ = nullptr;
    int link_type_ = 0;
    bool nanosecond_ = false;
    std::string warning_;
    int wake_fd_ = -1;  // eventfd that request_stop() writes to
    std::atomic<bool> stop_{false};
    static_assert(std::atomic<bool>::is_always_lock_free, "the flag is set from a signal handler");

    // State of one run(), for the packet callback.
    const Handler* handler_ = nullptr;
    std::uint64_t frames_ = 0;
    std::exception_ptr failure_;
};

}  // namespace tcpviz
