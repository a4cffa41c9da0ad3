// The live capture as a session: packets from libpcap (capture/, as `tcpviz
// capture` takes them) go through a TimelineSession (session/) as they come;
// their events are kept in a bounded ring for pages that open late and pushed
// to every open page through the SseHub. The kernel's TCP_INFO samples are
// given to the TimelineSession every tick, which matches them to connections;
// they are pushed too.
#pragma once

#include <atomic>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "tcpviz/analyzer.h"
#include "tcpviz/kernel_timeline.h"
#include "tcpviz/serve/series.h"
#include "tcpviz/serve/session.h"
#include "tcpviz/serve/sse_hub.h"
#include "tcpviz/timeline_session.h"

namespace tcpviz {
class LiveCapture;
class TcpInfoSampler;
}  // namespace tcpviz

namespace tcpviz::serve {

struct LiveOptions {
    std::string interface = "lo";
    std::string filter = "tcp port 6666";  // the chat's port, as `tcpviz capture`
    int sample_ms = 10;                    // kernel TCP_INFO cadence; 0: none
};

class LiveSession : public Session {
public:
    static constexpr std::size_t kept_events = 20000;
    // Series columns stop growing past this many segments (about 150 MB).
    static constexpr std::uint64_t max_column_segments = 6'000'000;

    // Opens the interface (needs CAP_NET_RAW) and the sampler. nullptr with
    // `error` set when the capture cannot start; `warnings` for what goes
    // on without (no kernel samples).
    static std::unique_ptr<LiveSession> open(const LiveOptions& options, std::string& error,
                                             std::vector<std::string>& warnings);
    ~LiveSession() override;

    // Starts the capture and ticker threads; `id` is this session's id.
    void start(std::size_t id);
    void stop();
    SseHub& hub() { return hub_; }
    // The `hello` message a new page gets first.
    std::string hello() const;
    const LiveOptions& options() const { return options_; }

    SessionSummary summary() const override;
    Answer meta() const override;
    Answer events(std::uint64_t from, std::uint64_t count) const override;
    Answer frame(std::uint64_t frame) const override;
    Answer series(const SeriesQuery& query) const override;

private:
    explicit LiveSession(const LiveOptions& options);
    void on_packet(const PacketRecord& record, std::uint64_t frame);
    void on_event(const Event& e);
    void on_tick();
    void add_kernel_samples(const std::vector<TcpInfoSample>& samples);
    void on_kernel_sample(std::uint32_t conn, const KernelTimeline::Entry& entry, const std::string& json);

    LiveOptions options_;
    std::unique_ptr<LiveCapture> capture_;
    std::unique_ptr<TcpInfoSampler> sampler_;
    SseHub hub_;
    std::size_t id_ = 0;
    std::thread capture_thread_, ticker_;
    std::atomic<bool> stopping_{false};
    std::string capture_error_;

    mutable std::mutex mutex_;  // guards everything below
    std::unique_ptr<TimelineSession> timeline_;
    int time_decimals_ = 6;
    std::uint64_t total_ = 0;       // events so far
    std::deque<std::string> kept_;  // the JSON of events [total_ - kept_.size(), total_)
    std::deque<std::uint64_t> kept_frames_;
    std::vector<ConnectionColumns> columns_;
    std::vector<std::vector<KernelPoint>> kernel_points_;
    std::vector<std::size_t> states_sent_;  // per connection: states pushed so far (+1 once announced)
};

}  // namespace tcpviz::serve
