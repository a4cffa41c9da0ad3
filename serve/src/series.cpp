#include "tcpviz/serve/series.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "tcpviz/json_text.h"

namespace tcpviz::serve {

void ConnectionColumns::add(const Event& e, double t_seconds) {
    std::uint8_t b = 0;
    if (e.dir == Direction::s2c) b |= s2c;
    if (e.flags & tcp_flag::ack) b |= has_ack;
    if (e.len > 0 || (e.flags & (tcp_flag::syn | tcp_flag::fin))) b |= carries;
    if (e.analysis.bytes_in_flight) b |= in_flight_known;
    t.push_back(t_seconds);
    seq.push_back(e.seq);
    ack.push_back(e.ack);
    win.push_back(e.win);
    in_flight.push_back(e.analysis.bytes_in_flight.value_or(0));
    bits.push_back(b);
}

void ConnectionColumns::shrink() {
    t.shrink_to_fit();
    seq.shrink_to_fit();
    ack.shrink_to_fit();
    win.shrink_to_fit();
    in_flight.shrink_to_fit();
    bits.shrink_to_fit();
}

std::size_t ConnectionColumns::bytes() const {
    return t.capacity() * sizeof(double) +
           (seq.capacity() + ack.capacity() + win.capacity() + in_flight.capacity()) * sizeof(std::uint32_t) +
           bits.capacity();
}

SeriesBuilder::SeriesBuilder(std::string name, const SeriesWindow& w) : w_(w) { s_.name = std::move(name); }

std::int64_t SeriesBuilder::column_of(double t) const {
    // The window's right edge belongs to the last column.
    const double span = w_.to_t - w_.from_t;
    const double x = span > 0 ? (t - w_.from_t) / span * w_.width : 0;
    return std::clamp<std::int64_t>(static_cast<std::int64_t>(std::floor(x)), 0,
                                    static_cast<std::int64_t>(w_.width) - 1);
}

void SeriesBuilder::add(double t, double v) {
    if (!(t >= w_.from_t && t <= w_.to_t)) return;
    if (thinned_) return add_thinned(t, v);
    s_.t.push_back(t);
    s_.v.push_back(v);
    if (s_.t.size() <= 2 * static_cast<std::size_t>(w_.width)) return;
    // Too many to keep: thin what was kept, and from now on as points come.
    thinned_ = true;
    Series kept = std::move(s_);
    s_ = Series{std::move(kept.name), {}, {}};
    for (std::size_t i = 0; i < kept.t.size(); ++i) add_thinned(kept.t[i], kept.v[i]);
}

void SeriesBuilder::add_thinned(double t, double v) {
    const std::int64_t column = column_of(t);
    if (column != column_) {
        flush_column();
        column_ = column;
        min_t_ = max_t_ = t;
        min_v_ = max_v_ = v;
        min_first_ = true;
        return;
    }
    if (v < min_v_) {
        min_t_ = t;
        min_v_ = v;
        min_first_ = false;  // it came after the current maximum
    }
    if (v > max_v_) {
        max_t_ = t;
        max_v_ = v;
        min_first_ = true;
    }
}

void SeriesBuilder::flush_column() {
    if (column_ < 0) return;
    const bool same = min_t_ == max_t_ && min_v_ == max_v_;
    if (min_first_ || same) {
        s_.t.push_back(min_t_);
        s_.v.push_back(min_v_);
        if (!same) {
            s_.t.push_back(max_t_);
            s_.v.push_back(max_v_);
        }
    } else {
        s_.t.push_back(max_t_);
        s_.v.push_back(max_v_);
        s_.t.push_back(min_t_);
        s_.v.push_back(min_v_);
    }
}

Series SeriesBuilder::finish() {
    if (thinned_) flush_column();
    column_ = -1;
    return std::move(s_);
}

namespace {

void append_number(std::string& out, double v) {
    if (v == std::floor(v) && std::fabs(v) < 9e15) {
        out += std::to_string(static_cast<std::int64_t>(v));
    } else {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.12g", v);  // no locale is set: '.' is the decimal point
        out += buf;
    }
}

std::string to_json(std::vector<SeriesBuilder>& builders, std::uint32_t conn, const std::string& kind,
                    const SeriesWindow& w, const std::string& markers) {
    bool cut = false;
    std::vector<Series> all;
    for (SeriesBuilder& b : builders) {
        cut |= b.thinned();
        all.push_back(b.finish());
    }
    std::string out = "{\"conn\":" + std::to_string(conn) + ",\"kind\":";
    json::append_string(out, kind);
    out += ",\"from_t\":";
    append_number(out, w.from_t);
    out += ",\"to_t\":";
    append_number(out, w.to_t);
    out += ",\"width\":" + std::to_string(w.width) + ",\"downsampled\":" + (cut ? "true" : "false") + ",\"series\":[";
    for (std::size_t k = 0; k < all.size(); ++k) {
        if (k > 0) out += ',';
        out += "{\"name\":";
        json::append_string(out, all[k].name);
        out += ",\"t\":[";
        for (std::size_t i = 0; i < all[k].t.size(); ++i) {
            if (i > 0) out += ',';
            append_number(out, all[k].t[i]);
        }
        out += "],\"v\":[";
        for (std::size_t i = 0; i < all[k].v.size(); ++i) {
            if (i > 0) out += ',';
            append_number(out, all[k].v[i]);
        }
        out += "]}";
    }
    out += "],\"markers\":" + markers + "}";
    return out;
}

}  // namespace

std::string series_json(const ConnectionColumns& c, std::uint32_t conn, const std::string& kind,
                        const SeriesWindow& w) {
    using B = ConnectionColumns;
    const bool seq = kind == "seq";
    std::vector<SeriesBuilder> all;
    static constexpr const char* seq_names[] = {"c2s", "s2c", "c2s_ack", "s2c_ack"};
    static constexpr const char* win_names[] = {"c2s", "s2c", "c2s_in_flight", "s2c_in_flight"};
    for (const char* name : seq ? seq_names : win_names) all.emplace_back(name, w);
    // Times ascend within a connection (a capture clock that steps back may
    // cost a point at the window's edge): start at the window's first point.
    const auto first = std::lower_bound(c.t.begin(), c.t.end(), w.from_t);
    for (std::size_t i = static_cast<std::size_t>(first - c.t.begin()); i < c.size() && c.t[i] <= w.to_t; ++i) {
        const int d = (c.bits[i] & B::s2c) ? 1 : 0;
        if (seq) {
            if (c.bits[i] & B::carries) all[d].add(c.t[i], c.seq[i]);
            if (c.bits[i] & B::has_ack) all[2 + d].add(c.t[i], c.ack[i]);
        } else {
            all[d].add(c.t[i], c.win[i]);
            if (c.bits[i] & B::in_flight_known) all[2 + d].add(c.t[i], c.in_flight[i]);
        }
    }
    return to_json(all, conn, kind, w, "[]");
}

std::string kernel_series_json(const std::vector<KernelPoint>& points, std::uint32_t conn, const SeriesWindow& w) {
    std::vector<SeriesBuilder> all;
    for (const char* name :
         {"client_cwnd", "server_cwnd", "client_ssthresh", "server_ssthresh", "client_rtt_us", "server_rtt_us"}) {
        all.emplace_back(name, w);
    }
    std::string markers = "[";
    std::string last_state[2];
    for (const KernelPoint& p : points) {
        const int s = p.side ? 1 : 0;
        all[s].add(p.t, p.cwnd);
        if (p.ssthresh >= 0) all[2 + s].add(p.t, p.ssthresh);
        all[4 + s].add(p.t, p.rtt_us);
        // A marker wherever the congestion state changes (and at the first sample).
        if (p.ca_state != last_state[s]) {
            last_state[s] = p.ca_state;
            if (p.t >= w.from_t && p.t <= w.to_t) {
                if (markers.size() > 1) markers += ',';
                markers += "{\"t\":";
                append_number(markers, p.t);
                markers += s ? ",\"side\":\"server\",\"ca_state\":" : ",\"side\":\"client\",\"ca_state\":";
                json::append_string(markers, p.ca_state);
                markers += '}';
            }
        }
    }
    markers += ']';
    return to_json(all, conn, "kernel", w, markers);
}

}  // namespace tcpviz::serve
