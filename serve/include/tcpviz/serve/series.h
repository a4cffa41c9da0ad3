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
    void shrink();  // gives back the room vectors keep for growth
};

// A kernel TCP_INFO sample, reduced to what the charts draw.
struct KernelPoint {
    double t = 0;
    std::uint8_t side = 0;  // 0 client, 1 server
    std::string ca_state;   // lower case, as in the timeline
    double cwnd = 0;
    double ssthresh = -1;  // -1: infinity (the timeline's null)
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

// Builds one series in a single pass, in memory bounded by the width: points
// inside the window are kept as they come while there are at most 2 x width
// of them; past that, each pixel column keeps only its minimum and its
// maximum, in the order they happened, so no spike disappears.
class SeriesBuilder {
public:
    SeriesBuilder(std::string name, const SeriesWindow& w);
    void add(double t, double v);  // in time order
    Series finish();               // call once
    bool thinned() const { return thinned_; }

private:
    std::int64_t column_of(double t) const;
    void add_thinned(double t, double v);
    void flush_column();

    SeriesWindow w_;
    Series s_;
    bool thinned_ = false;
    std::int64_t column_ = -1;
    double min_t_ = 0, min_v_ = 0, max_t_ = 0, max_v_ = 0;
    bool min_first_ = true;  // the minimum came before the maximum
};

// The `series` answer's body for kinds seq and win from a connection's columns.
std::string series_json(const ConnectionColumns& c, std::uint32_t conn, const std::string& kind, const SeriesWindow& w);
// The same for kind kernel.
std::string kernel_series_json(const std::vector<KernelPoint>& points, std::uint32_t conn, const SeriesWindow& w);

}  // namespace tcpviz::serve
