#include "tcpviz/serve/capture_session.h"

#include <malloc.h>

#include <algorithm>
#include <cstdio>

#include "tcpviz/json_text.h"

namespace tcpviz::serve {

Answer error_answer(int status, const std::string& message, const std::string& extra) {
    Answer a{status, "{\"error\":"};
    json::append_string(a.body, message);
    a.body += extra;
    a.body += '}';
    return a;
}

SeriesWindow series_window(const SeriesQuery& q, double first_t, double last_t) {
    SeriesWindow w;
    w.from_t = q.from_t.value_or(first_t);
    w.to_t = q.to_t.value_or(last_t);
    w.width = q.width;
    return w;
}

std::string CaptureSession::index() {
    std::string error;
    index_ = CaptureIndex::build(path_, progress_, error, checkpoint_every_);
    if (!index_) {
        std::lock_guard lock(error_mutex_);
        error_ = error.empty() ? "cannot be read" : error;
        return error_;
    }
    // The columns grew by doubling: give the freed blocks back, so that the
    // server's RSS is the index, not the index's history.
    ::malloc_trim(0);
    ready_.store(true, std::memory_order_release);
    return {};
}

SessionSummary CaptureSession::summary() const {
    SessionSummary s;
    s.name = name_;
    s.source = "capture";
    s.packets = progress_.packets.load(std::memory_order_relaxed);
    s.segments = progress_.segments.load(std::memory_order_relaxed);
    s.connections = progress_.connections.load(std::memory_order_relaxed);
    if (const CaptureIndex* index = ready_index()) {
        s.ready = true;
        s.progress = 1;
        s.duration = index->duration();
    } else if (progress_.file_size > 0) {
        s.progress = std::min(1.0, static_cast<double>(progress_.bytes_read.load(std::memory_order_relaxed)) /
                                       static_cast<double>(progress_.file_size));
    }
    std::lock_guard lock(error_mutex_);
    s.error = error_;
    return s;
}

Answer CaptureSession::not_ready() const {
    const SessionSummary s = summary();
    if (!s.error.empty()) return error_answer(409, s.name + ": " + s.error);
    char extra[48];
    std::snprintf(extra, sizeof extra, ",\"progress\":%.3f", s.progress);
    return error_answer(409, "the capture is still being indexed", extra);
}

Answer CaptureSession::meta() const {
    const CaptureIndex* index = ready_index();
    if (!index) return not_ready();
    Answer a;
    a.body = "\"source\":" + index->source_json() + ",\"segments\":" + std::to_string(index->events()) +
             ",\"connections\":" + index->connections_json() + ",\"stats\":" + index->stats_json() + ",\"duration\":";
    json::append_seconds(a.body, static_cast<std::int64_t>(index->duration() * 1e9), 6);
    return a;
}

Answer CaptureSession::events(std::uint64_t from, std::uint64_t count) const {
    const CaptureIndex* index = ready_index();
    if (!index) return not_ready();
    Answer a;
    a.body = "{\"from\":" + std::to_string(from) + ",\"total\":" + std::to_string(index->events()) + ",\"events\":[";
    std::string error;
    if (!index->append_events(a.body, from, count, error)) return error_answer(500, error);
    a.body += "]}";
    return a;
}

Answer CaptureSession::frame(std::uint64_t frame) const {
    const CaptureIndex* index = ready_index();
    if (!index) return not_ready();
    const auto at = index->index_at_frame(frame);
    if (!at) return error_answer(404, "no TCP segment at or after frame " + std::to_string(frame));
    return Answer{200,
                  "{\"index\":" + std::to_string(*at) + ",\"frame\":" + std::to_string(index->frame_of(*at)) + "}"};
}

Answer CaptureSession::series(const SeriesQuery& q) const {
    const CaptureIndex* index = ready_index();
    if (!index) return not_ready();
    const ConnectionColumns* c = index->columns(q.conn);
    if (!c) return error_answer(404, "no connection " + std::to_string(q.conn));
    const double first = c->size() ? c->t.front() : 0, last = c->size() ? c->t.back() : 0;
    const SeriesWindow w = series_window(q, first, last);
    if (q.kind == "kernel") return Answer{200, kernel_series_json({}, q.conn, w)};
    return Answer{200, series_json(*c, q.conn, q.kind, w)};
}

}  // namespace tcpviz::serve
