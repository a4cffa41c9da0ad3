// The numbers charts need, kept per connection in columns (a few bytes per
// segment instead of a JSON object), and their downsampling to the pixels a
// chart draws.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tcpviz/event.h"

namespace tcpviz::serve {

// One connection's segments, one entry per event of that connection, in
// capture order. `bits` says what the numbers mean for that segment.
struct ConnectionColumns {
    enum Bit : std::uint8_t { s2c = 1, has_ack = 2, carries = 4 /* data, SYN or FIN */, in_flight_known = 8 };
    std::vector<double> t;  // seconds since the capture's first packet
    std::vector<std::uint32_t> seq, ack, win, in_flight;
    std::vector<std::uint8_t> bits;

    void add(const Event& e, double t_seconds);
    std::size_t size() const { return t.size(); }
    std::size_t bytes() const;
};

// A kernel TCP_INFO sample, reduced to what the charts draw.
struct KernelPoint {
    double t = 0;
    std::uint8_t side = 0;  // 0 client, 1 server
    std::string ca_state;   // lower case, as in the timeline
    double cwnd = 0;
    double ssthresh = -1;   // -1: infinity (the timeline's null)
    double rtt_us = 0;
};

struct Series {
    std::string name;
    std::vector<double> t;
    std::vector<double> v;
};

struct SeriesWindow {
    double from_t = 0;
    double to_t = 0;
    std::uint32_t width = 1000;
};

// Appends (t, v) to `out` when it falls inside the window: the points of one
// series, given in time order, before thinning.
inline void add_point(Series& out, const SeriesWindow& w, double t, double v) {
    if (t >= w.from_t && t <= w.to_t) {
        out.t.push_back(t);
        out.v.push_back(v);
    }
}

// Keeps every point when there are at most 2 x width; otherwise, per pixel
// column, the minimum and the maximum, in the order they happened, so that no
// spike disappears. Returns whether points were dropped.
bool thin_to_pixels(Series& s, const SeriesWindow& w);

// The `series` answer's body for kinds seq and win from a connection's columns.
std::string series_json(const ConnectionColumns& c, std::uint32_t conn, const std::string& kind, const SeriesWindow& w);
// The same for kind kernel.
std::string kernel_series_json(const std::vector<KernelPoint>& points, std::uint32_t conn, const SeriesWindow& w);

}  // namespace tcpviz::serve
