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

std::size_t ConnectionColumns::bytes() const {
    return t.capacity() * sizeof(double) +
           (seq.capacity() + ack.capacity() + win.capacity() + in_flight.capacity()) * sizeof(std::uint32_t) +
           bits.capacity();
}

bool thin_to_pixels(Series& s, const SeriesWindow& w) {
    const std::size_t n = s.t.size();
    if (n <= 2 * static_cast<std::size_t>(w.width)) return false;
    const double span = w.to_t - w.from_t;
    const auto last_column = static_cast<std::int64_t>(w.width) - 1;
    // The pixel column of a time; the window's right edge belongs to the last column.
    auto column_of = [&](double t) {
        const double x = span > 0 ? (t - w.from_t) / span * w.width : 0;
        return std::clamp<std::int64_t>(static_cast<std::int64_t>(std::floor(x)), 0, last_column);
    };
    Series out;
    out.name = std::move(s.name);
    std::size_t i = 0;
    while (i < n) {
        // The points of one pixel column: [i, j).
        const std::int64_t column = column_of(s.t[i]);
        std::size_t j = i, lo = i, hi = i;
        while (j < n) {
            if (column_of(s.t[j]) != column) break;
            if (s.v[j] < s.v[lo]) lo = j;
            if (s.v[j] > s.v[hi]) hi = j;
            ++j;
        }
        const std::size_t first = lo < hi ? lo : hi, second = lo < hi ? hi : lo;
        out.t.push_back(s.t[first]);
        out.v.push_back(s.v[first]);
        if (second != first) {
            out.t.push_back(s.t[second]);
            out.v.push_back(s.v[second]);
        }
        i = j;
    }
    s = std::move(out);
    return true;
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

std::string to_json(std::vector<Series>& all, std::uint32_t conn, const std::string& kind, const SeriesWindow& w,
                    const std::string& markers) {
    bool cut = false;
    for (Series& s : all) cut |= thin_to_pixels(s, w);
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

std::string series_json(const ConnectionColumns& c, std::uint32_t conn, const std::string& kind, const SeriesWindow& w) {
    using B = ConnectionColumns;
    std::vector<Series> all;
    if (kind == "seq") {
        all = {{"c2s", {}, {}}, {"s2c", {}, {}}, {"c2s_ack", {}, {}}, {"s2c_ack", {}, {}}};
        for (std::size_t i = 0; i < c.size(); ++i) {
            const int d = (c.bits[i] & B::s2c) ? 1 : 0;
            if (c.bits[i] & B::carries) add_point(all[d], w, c.t[i], c.seq[i]);
            if (c.bits[i] & B::has_ack) add_point(all[2 + d], w, c.t[i], c.ack[i]);
        }
    } else {
        all = {{"c2s", {}, {}}, {"s2c", {}, {}}, {"c2s_in_flight", {}, {}}, {"s2c_in_flight", {}, {}}};
        for (std::size_t i = 0; i < c.size(); ++i) {
            const int d = (c.bits[i] & B::s2c) ? 1 : 0;
            add_point(all[d], w, c.t[i], c.win[i]);
            if (c.bits[i] & B::in_flight_known) add_point(all[2 + d], w, c.t[i], c.in_flight[i]);
        }
    }
    return to_json(all, conn, kind, w, "[]");
}

std::string kernel_series_json(const std::vector<KernelPoint>& points, std::uint32_t conn, const SeriesWindow& w) {
    std::vector<Series> all = {{"client_cwnd", {}, {}},     {"server_cwnd", {}, {}},   {"client_ssthresh", {}, {}},
                               {"server_ssthresh", {}, {}}, {"client_rtt_us", {}, {}}, {"server_rtt_us", {}, {}}};
    std::string markers = "[";
    std::string last_state[2];
    for (const KernelPoint& p : points) {
        const int s = p.side ? 1 : 0;
        add_point(all[s], w, p.t, p.cwnd);
        if (p.ssthresh >= 0) add_point(all[2 + s], w, p.t, p.ssthresh);
        add_point(all[4 + s], w, p.t, p.rtt_us);
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
