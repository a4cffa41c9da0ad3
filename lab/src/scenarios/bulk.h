// The bulk transfer the congestion labs share: a client sends to a server
// over client - router - server, the router's way to the server a token
// bucket (rate limit and queue), the algorithm pinned on the sender's socket
// with TCP_CONGESTION (--cc, reno by default; never the host's default
// silently). Losses are made precisely: one marked segment dropped once,
// and/or a blackout (every segment dropped for a while).
#pragma once

#include "common.h"

namespace tcpviz::lab {

struct BulkPlan {
    std::size_t bytes = 3000000;
    std::string marker;         // drop the first segment carrying it, once
    std::size_t marker_at = 0;  // byte offset of the marker
    double blackout_at = -1;    // seconds after connect() when every segment starts being dropped
    double blackout_s = 0;      // for how long
};

void run_bulk(Session& s, const BulkPlan& plan);

// The sender's kernel samples of connection 0 (the client's side).
std::vector<const Json*> sender_samples(const Timeline& t);
// The first sample whose ca_state is `state` ("loss", "recovery"); nullptr when none.
const Json* first_in_state(const std::vector<const Json*>& samples, const std::string& state);
// The largest cwnd before sample `until` (exclusive; nullptr: all).
long long peak_cwnd(const std::vector<const Json*>& samples, const Json* until);

}  // namespace tcpviz::lab

namespace tcpviz::lab {

// The plan slow-start, congestion-avoidance and fast-recovery share: 3 MB,
// one marked segment dropped once at 150 KB, in the middle of slow start.
BulkPlan one_loss_plan();
// The plan timeout and loss share: one loss early (as above), then every
// segment dropped for 1.5 s, 1 s in.
BulkPlan blackout_plan();

// Slow start, read from the samples: cwnd one round trip after another
// (each sample's own smoothed RTT) until ssthresh is first set.
struct SlowStart {
    std::vector<const Json*> steps;  // samples about one RTT apart
    const Json* end = nullptr;       // the first sample with a ssthresh
    long long peak = 0;              // the largest cwnd before it
};
SlowStart slow_start_of(const std::vector<const Json*>& samples);

// Congestion avoidance after the first loss: the first sample back in
// "open" after `from`, and the last sample of the transfer before any other
// loss; the round trips between them.
struct Avoidance {
    const Json* start = nullptr;
    const Json* end = nullptr;
    double rtts = 0;
};
Avoidance avoidance_after(const std::vector<const Json*>& samples, const Json* from);

// A ca_state as the lab's language names it (the kernel's name in English).
std::string ca_state_in(const std::string& state, Lang lang);

// "0.123 s: cwnd 20" lists.
std::string cwnd_list(const std::vector<const Json*>& samples, Lang lang);

}  // namespace tcpviz::lab
