#include "tcpviz/live_capture.h"

#include "tcpviz/filter_length.h"

#include <pcap/pcap.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

namespace tcpviz {
namespace {

// How long run() sleeps in poll() at most: how often the pcap file is
// flushed while no packet comes.
constexpr std::chrono::milliseconds idle_tick{200};

CaptureError activation_error(pcap_t* handle, int status) {
    using Kind = CaptureError::Kind;
    switch (status) {
        case PCAP_ERROR_PERM_DENIED: return {Kind::permission, "no permission to capture"};
        case PCAP_ERROR_NO_SUCH_DEVICE:
            return {Kind::no_such_interface, "no such interface (tcpviz capture --list-interfaces shows them)"};
        case PCAP_ERROR_IFACE_NOT_UP: return {Kind::other, "the interface is down"};
        default: {
            // PCAP_ERROR carries its reason in pcap_geterr; the others are named by their code.
            const char* detail = status == PCAP_ERROR ? pcap_geterr(handle) : pcap_statustostr(status);
            std::string message = detail;
            // libpcap words some permission failures as a plain error ("socket: Operation not permitted").
            if (message.find("ermission") != std::string::npos || message.find("not permitted") != std::string::npos) {
                return {Kind::permission, "no permission to capture"};
            }
            return {Kind::other, message};
        }
    }
}

}  // namespace

std::unique_ptr<LiveCapture> LiveCapture::open(const LiveCaptureOptions& options, CaptureError& error) {
    char errbuf[PCAP_ERRBUF_SIZE] = {};
    pcap_t* handle = pcap_create(options.interface.c_str(), errbuf);
    if (handle == nullptr) {
        error = {CaptureError::Kind::other, errbuf};
        return nullptr;
    }
    std::unique_ptr<LiveCapture> capture(new LiveCapture());
    capture->handle_ = handle;  // closed by the destructor from here on

    pcap_set_snaplen(handle, options.snaplen);
    pcap_set_promisc(handle, 0);  // loopback and our own traffic need no promiscuous mode
    // Immediate mode: each packet is delivered as it arrives, not when a
    // buffer block fills, so the live ladder keeps up with the conversation.
    pcap_set_immediate_mode(handle, 1);
    pcap_set_buffer_size(handle, options.buffer_bytes);
    capture->nanosecond_ = pcap_set_tstamp_precision(handle, PCAP_TSTAMP_PRECISION_NANO) == 0;

    const int status = pcap_activate(handle);
    if (status < 0) {
        error = activation_error(handle, status);
        return nullptr;
    }
    if (status > 0) capture->warning_ = pcap_statustostr(status);
    capture->nanosecond_ = pcap_get_tstamp_precision(handle) == PCAP_TSTAMP_PRECISION_NANO;
    capture->link_type_ = pcap_datalink(handle);

    if (std::string too_long = filter_length_problem(options.filter); !too_long.empty()) {
        error = {CaptureError::Kind::bad_filter, std::move(too_long)};
        return nullptr;
    }
    bpf_program program{};
    if (pcap_compile(handle, &program, options.filter.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0) {
        error = {CaptureError::Kind::bad_filter, "bad filter \"" + options.filter + "\": " + pcap_geterr(handle)};
        return nullptr;
    }
    const int set = pcap_setfilter(handle, &program);
    pcap_freecode(&program);
    if (set != 0) {
        error = {CaptureError::Kind::other, std::string("cannot set the filter: ") + pcap_geterr(handle)};
        return nullptr;
    }
    // Non-blocking reads with our own poll(): run() decides how long to wait,
    // so a duration ends on time even when no packet arrives.
    if (pcap_setnonblock(handle, 1, errbuf) != 0 || pcap_get_selectable_fd(handle) < 0) {
        error = {CaptureError::Kind::other, std::string("cannot poll the capture: ") + errbuf};
        return nullptr;
    }
    // request_stop() writes here to wake that poll() at once, from a signal
    // handler or from another thread (a write to an eventfd is async-signal-safe).
    capture->wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (capture->wake_fd_ < 0) {
        error = {CaptureError::Kind::other, std::string("eventfd: ") + std::strerror(errno)};
        return nullptr;
    }
    return capture;
}

LiveCapture::~LiveCapture() {
    if (dumper_) pcap_dump_close(dumper_);
    if (handle_) pcap_close(handle_);
    if (wake_fd_ >= 0) ::close(wake_fd_);
}

bool LiveCapture::write_to(const std::string& path, std::string& error) {
    // The file takes the handle's link type and precision: a nanosecond pcap,
    // which Wireshark and tcpdump read.
    dumper_ = pcap_dump_open(handle_, path.c_str());
    if (dumper_ == nullptr) {
        error = pcap_geterr(handle_);
        return false;
    }
    return true;
}

void LiveCapture::request_stop() {
    stop_.store(true);
    pcap_breakloop(handle_);  // ends a pcap_dispatch() under way
    const std::uint64_t one = 1;
    [[maybe_unused]] const ssize_t n = ::write(wake_fd_, &one, sizeof one);  // ends a poll() under way
}

void LiveCapture::on_packet(unsigned char* user, const ::pcap_pkthdr* header, const unsigned char* bytes) {
    auto* self = reinterpret_cast<LiveCapture*>(user);
    if (self->failure_) return;  // the handler failed; pcap_breakloop() is on its way
    ++self->frames_;
    if (self->dumper_) pcap_dump(reinterpret_cast<unsigned char*>(self->dumper_), header, bytes);
    PacketRecord record;
    record.ts_sec = header->ts.tv_sec;
    // With nanosecond precision libpcap puts nanoseconds in tv_usec.
    record.ts_nsec = static_cast<std::int32_t>(self->nanosecond_ ? header->ts.tv_usec : header->ts.tv_usec * 1000);
    record.wire_length = header->len;
    record.data = Bytes(reinterpret_cast<const std::byte*>(bytes), header->caplen);
    // An exception must not unwind through libpcap's C frames: keep it, stop,
    // and let run() rethrow it.
    try {
        (*self->handler_)(record, self->frames_);
    } catch (...) {
        self->failure_ = std::current_exception();
        pcap_breakloop(self->handle_);
    }
}

LiveCapture::Stop LiveCapture::run(const Limits& limits, const Handler& handler) {
    handler_ = &handler;
    failure_ = nullptr;
    const auto start = std::chrono::steady_clock::now();
    pollfd waiting[2] = {{pcap_get_selectable_fd(handle_), POLLIN, 0}, {wake_fd_, POLLIN, 0}};
    while (true) {
        if (stop_.load()) return Stop::requested;
        if (limits.count > 0 && frames_ >= limits.count) return Stop::count;
        auto wait = idle_tick;
        if (limits.duration) {
            const auto left = *limits.duration - std::chrono::duration_cast<std::chrono::milliseconds>(
                                                     std::chrono::steady_clock::now() - start);
            if (left <= std::chrono::milliseconds(0)) return Stop::duration;
            wait = std::min(wait, left);
        }
        const int most =
            limits.count > 0 ? static_cast<int>(std::min<std::uint64_t>(limits.count - frames_, 1 << 20)) : -1;
        const int n = pcap_dispatch(handle_, most, &LiveCapture::on_packet, reinterpret_cast<unsigned char*>(this));
        if (failure_) std::rethrow_exception(failure_);
        if (n == PCAP_ERROR_BREAK) continue;  // request_stop(): the loop top sees the flag
        if (n < 0) throw std::runtime_error(std::string("capture failed: ") + pcap_geterr(handle_));
        if (n > 0) continue;
        // Nothing waiting: a good moment to push the file to disk, then sleep
        // until a packet comes or request_stop() wakes us.
        if (dumper_) pcap_dump_flush(dumper_);
        if (::poll(waiting, 2, static_cast<int>(wait.count())) < 0 && errno != EINTR) {
            throw std::runtime_error(std::string("poll: ") + std::strerror(errno));
        }
    }
}

bool LiveCapture::close_file(std::string& error) {
    if (dumper_ == nullptr) return true;
    // pcap_dump() writes through stdio and reports nothing; a write error
    // sticks to the FILE, so flushing and asking it tells us. (The final
    // fclose() inside pcap_dump_close() has nothing left to write.)
    errno = 0;
    const bool flushed = pcap_dump_flush(dumper_) == 0 && std::ferror(pcap_dump_file(dumper_)) == 0;
    const int saved = errno;
    pcap_dump_close(dumper_);
    dumper_ = nullptr;
    if (!flushed) error = std::strerror(saved != 0 ? saved : EIO);
    return flushed;
}

CaptureCounts LiveCapture::counts() const {
    CaptureCounts counts;
    counts.captured = frames_;
    pcap_stat stat{};
    if (pcap_stats(handle_, &stat) == 0) {
        counts.kernel_stats = true;
        counts.dropped = stat.ps_drop;
        counts.interface_dropped = stat.ps_ifdrop;
    }
    return counts;
}

}  // namespace tcpviz
