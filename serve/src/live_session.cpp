#include "tcpviz/serve/live_session.h"

#include <algorithm>
#include <cstdio>

#include "tcpviz/filter_ports.h"
#include "tcpviz/json_text.h"
#include "tcpviz/kernel_timeline.h"
#include "tcpviz/link_layer.h"
#include "tcpviz/live_capture.h"
#include "tcpviz/tcp_info_sampler.h"
#include "tcpviz/timeline_writer.h"

namespace tcpviz::serve {
namespace {

double seconds(Nanos n) { return static_cast<double>(n) / 1e9; }

}  // namespace

std::unique_ptr<LiveSession> LiveSession::open(const LiveOptions& options, std::string& error,
                                               std::vector<std::string>& warnings) {
    std::unique_ptr<LiveSession> live(new LiveSession(options));
    LiveCaptureOptions capture_options;
    capture_options.interface = options.interface;
    capture_options.filter = options.filter;
    CaptureError capture_error;
    live->capture_ = LiveCapture::open(capture_options, capture_error);
    if (!live->capture_) {
        error = options.interface + ": " + capture_error.message;
        return nullptr;
    }
    if (!is_supported_link_type(live->capture_->link_type())) {
        error = options.interface + ": link type " + std::to_string(live->capture_->link_type()) +
                " is not one tcpviz decodes";
        return nullptr;
    }
    if (!live->capture_->warning().empty()) warnings.push_back(live->capture_->warning());
    live->time_decimals_ = live->capture_->time_decimals();
    live->timeline_ = std::make_unique<TimelineSession>(
        TimelineSource{"live:" + options.interface, live->capture_->link_type(), live->time_decimals_});
    // Every connection object has its kernel array, empty without a sampler.
    live->timeline_->add_kernel_samples({});
    if (options.sample_ms > 0) {
        SamplerOptions sampling;
        sampling.ports = ports_in_filter(options.filter);
        sampling.interval = std::chrono::milliseconds(options.sample_ms);
        if (sampling.ports.empty()) {
            warnings.push_back(
                "no kernel TCP_INFO samples: the filter names no port to sample (e.g. \"tcp port 6666\")");
        } else {
            std::string sampler_error;
            live->sampler_ = TcpInfoSampler::start(sampling, sampler_error);
            if (!live->sampler_) warnings.push_back("no kernel TCP_INFO samples: " + sampler_error);
        }
    }
    return live;
}

LiveSession::LiveSession(const LiveOptions& options) : options_(options) {}

LiveSession::~LiveSession() { stop(); }

void LiveSession::start(std::size_t id) {
    id_ = id;
    timeline_->begin();  // no writers: the events are taken as add() returns them
    capture_thread_ = std::thread([this] {
        try {
            capture_->run(LiveCapture::Limits{},
                          [this](const PacketRecord& r, std::uint64_t frame) { on_packet(r, frame); });
        } catch (const std::exception& ex) {
            std::lock_guard lock(mutex_);
            capture_error_ = ex.what();
        }
    });
    ticker_ = std::thread([this] {
        while (!stopping_) {
            std::this_thread::sleep_for(SseHub::tick);
            on_tick();
        }
    });
}

void LiveSession::stop() {
    if (stopping_.exchange(true)) return;
    if (capture_) capture_->request_stop();
    if (capture_thread_.joinable()) capture_thread_.join();
    if (ticker_.joinable()) ticker_.join();
    if (sampler_) sampler_->stop();
    if (timeline_) {  // null when open() failed
        std::lock_guard lock(mutex_);
        timeline_->end();
    }
    hub_.close_all();
}

std::string LiveSession::hello() const {
    std::lock_guard lock(mutex_);
    return sse_message("hello", "{\"session\":" + std::to_string(id_) + ",\"total\":" + std::to_string(total_) + "}");
}

void LiveSession::on_packet(const PacketRecord& record, std::uint64_t frame) {
    std::lock_guard lock(mutex_);
    if (const Event* e = timeline_->add(record, frame)) on_event(*e);
}

// Kept, drawn and pushed; called with mutex_ held.
void LiveSession::on_event(const Event& e) {
    const Analyzer& analyzer = timeline_->analyzer();
    const std::uint64_t index = total_++;
    std::string object;
    append_event_json(object, e, analyzer, WriterOptions{}, time_decimals_);
    if (kept_.size() == kept_events) {
        kept_.pop_front();
        kept_frames_.pop_front();
    }
    kept_frames_.push_back(e.frame);

    if (e.conn >= 0) {
        const auto conn = static_cast<std::size_t>(e.conn);
        if (conn >= columns_.size()) {
            columns_.resize(conn + 1);
            kernel_points_.resize(conn + 1);
            states_sent_.resize(conn + 1, 0);
        }
        if (index < max_column_segments) columns_[conn].add(e, seconds(e.ts - analyzer.stats().first_ts));
        // A connection is announced when first seen and again when its states change.
        const Connection& c = analyzer.connections()[conn];
        if (states_sent_[conn] != c.states.size() + 1) {
            states_sent_[conn] = c.states.size() + 1;
            std::string summary;
            append_connection_json(summary, c, analyzer, time_decimals_);
            hub_.publish(sse_message("connection", summary));
        }
    }
    // The pushed object: the timeline's, plus its index and the capture time.
    std::string pushed = object;
    pushed.pop_back();  // its closing brace
    pushed += ",\"index\":" + std::to_string(index) + ",\"wall\":";
    json::append_seconds(pushed, e.ts, 6);
    pushed += '}';
    hub_.publish_segment(sse_message("segment", pushed, std::to_string(index)), index, e.conn, e.len);
    kept_.push_back(std::move(object));
}

void LiveSession::on_tick() {
    if (sampler_) add_kernel_samples(sampler_->take_new());
    hub_.on_tick();
}

void LiveSession::add_kernel_samples(const std::vector<TcpInfoSample>& samples) {
    if (samples.empty()) return;
    std::lock_guard lock(mutex_);
    // Matched against the connections seen so far; a sample of a connection
    // whose first packet has not been analysed yet is dropped.
    timeline_->add_kernel_samples(samples, [this](std::uint32_t conn, const KernelTimeline::Entry& entry,
                                                  const std::string& json) { on_kernel_sample(conn, entry, json); });
}

// Drawn and pushed; called with mutex_ held.
void LiveSession::on_kernel_sample(std::uint32_t conn, const KernelTimeline::Entry& entry, const std::string& json) {
    if (conn >= kernel_points_.size()) return;  // every analysed connection has had an event
    KernelPoint p;
    p.t = seconds(entry.time - timeline_->analyzer().stats().first_ts);
    p.side = entry.side == Side::client ? 0 : 1;
    p.ca_state = ca_state_name(entry.info.ca_state);
    p.cwnd = entry.info.snd_cwnd;
    p.ssthresh = entry.info.snd_ssthresh >= ssthresh_infinity ? -1 : entry.info.snd_ssthresh;
    p.rtt_us = entry.info.rtt_us;
    kernel_points_[conn].push_back(p);
    hub_.publish(sse_message("kernel", "{\"conn\":" + std::to_string(conn) + ",\"sample\":" + json + "}"));
}

SessionSummary LiveSession::summary() const {
    std::lock_guard lock(mutex_);
    const Analyzer& analyzer = timeline_->analyzer();
    SessionSummary s;
    s.name = "live:" + options_.interface;
    s.source = "live";
    s.segments = total_;
    s.connections = analyzer.connections().size();
    s.packets = analyzer.stats().frames;
    s.ready = true;
    s.progress = 1;
    const CaptureStats& st = analyzer.stats();
    s.duration = st.frames ? seconds(st.last_ts - st.first_ts) : 0;
    s.error = capture_error_;
    return s;
}

Answer LiveSession::meta() const {
    std::lock_guard lock(mutex_);
    const Analyzer& analyzer = timeline_->analyzer();
    Answer a;
    std::string& b = a.body;
    b = "\"source\":{\"file\":";
    json::append_string(b, "live:" + options_.interface);
    b += ",\"link_type\":";
    json::append_string(b, link_type_name(analyzer.link_type()));
    b += ",\"generator\":\"tcpviz\"},\"segments\":" + std::to_string(total_) + ",\"connections\":[";
    bool first = true;
    for (const Connection& c : analyzer.connections()) {
        if (!first) b += ',';
        first = false;
        timeline_->append_connection_json(b, c);  // with the kernel samples matched so far
    }
    b += "],\"stats\":";
    append_stats_json(b, analyzer, {});
    const CaptureStats& st = analyzer.stats();
    b += ",\"duration\":";
    json::append_seconds(b, st.frames ? st.last_ts - st.first_ts : 0, 6);
    return a;
}

Answer LiveSession::events(std::uint64_t from, std::uint64_t count) const {
    std::lock_guard lock(mutex_);
    const std::uint64_t first_kept = total_ - kept_.size();
    if (from < first_kept) {
        return error_answer(410, "the live session keeps its last " + std::to_string(kept_events) + " events",
                            ",\"first_kept\":" + std::to_string(first_kept));
    }
    Answer a;
    a.body = "{\"from\":" + std::to_string(from) + ",\"total\":" + std::to_string(total_) + ",\"events\":[";
    const std::uint64_t end = std::min(total_, from + count);
    for (std::uint64_t i = from; i < end; ++i) {
        if (i > from) a.body += ',';
        a.body += kept_[static_cast<std::size_t>(i - first_kept)];
    }
    a.body += "]}";
    return a;
}

Answer LiveSession::frame(std::uint64_t frame) const {
    std::lock_guard lock(mutex_);
    const auto it = std::lower_bound(kept_frames_.begin(), kept_frames_.end(), frame);
    if (it == kept_frames_.end())
        return error_answer(404, "no kept TCP segment at or after frame " + std::to_string(frame));
    const std::uint64_t index = total_ - kept_.size() + static_cast<std::uint64_t>(it - kept_frames_.begin());
    return Answer{200, "{\"index\":" + std::to_string(index) + ",\"frame\":" + std::to_string(*it) + "}"};
}

Answer LiveSession::series(const SeriesQuery& q) const {
    std::lock_guard lock(mutex_);
    if (q.conn >= columns_.size()) return error_answer(404, "no connection " + std::to_string(q.conn));
    const ConnectionColumns& c = columns_[q.conn];
    const double first = c.size() ? c.t.front() : 0, last = c.size() ? c.t.back() : 0;
    if (q.kind == "kernel") {
        const auto& points = kernel_points_[q.conn];
        const double kfirst = points.empty() ? first : std::min(first, points.front().t);
        const double klast = points.empty() ? last : std::max(last, points.back().t);
        return Answer{200, kernel_series_json(points, q.conn, series_window(q, kfirst, klast))};
    }
    return Answer{200, series_json(c, q.conn, q.kind, series_window(q, first, last))};
}

}  // namespace tcpviz::serve
