// The kernel's TCP_INFO samples, matched to the analyzer's connections and
// written into the timeline as `connections[i].kernel`:
//
//   "kernel":[{"t":0.001234,"side":"client","state":"ESTABLISHED","ca_state":"open",
//              "cwnd":10,"ssthresh":null,"mss":32768,"rtt_us":41,"rttvar_us":20,
//              "retrans":0,"retransmits":0,"unacked":3,"snd_wnd":65536,"rcv_wnd":65536,
//              "rcv_space":65495}, ...]
//
// `t` has the events' origin (seconds since the first packet); `side` says
// whose socket it is; `cwnd` is in segments (times `mss` for bytes);
// `ssthresh` is null while the kernel reports infinity (slow start has not
// ended); `retrans` counts retransmitted segments over the connection's life,
// `retransmits` the current run of timeouts; `snd_wnd` / `rcv_wnd` are null
// on kernels too old to report them. A sample is kept only when a value
// changed, so the values hold until the next sample.
#pragma once

#include <string>
#include <vector>

#include "tcpviz/analyzer.h"
#include "tcpviz/tcp_info_sampler.h"

namespace tcpviz {

class KernelTimeline {
public:
    // Assigns each sample to the connection with the same endpoints (either
    // orientation) that had begun by the sample's time: a 4-tuple reused by a
    // later connection goes to the later one. Samples from before a
    // connection's first packet, or of no captured connection, are dropped.
    KernelTimeline(const std::vector<TcpInfoSample>& samples, const Analyzer& analyzer);

    // Appends `,"kernel":[...]` for connection `c`: the hook that
    // WriterOptions::connection_extra calls.
    void append_json(std::string& out, const Connection& c) const;

    std::size_t matched() const { return matched_; }

    struct Entry {
        Nanos time;
        Side side;
        TcpInfo info;
    };
    // The samples matched to connection `id`, in time order.
    const std::vector<Entry>& samples_of(std::uint32_t id) const;
    // One sample's JSON object, as in `connections[i].kernel`; at most
    // max_entry_json characters.
    void append_entry_json(std::string& out, const Entry& e) const;
    // About 200 characters of names and punctuation, state names of at most
    // 12 characters, 13 numbers, and the congestion control's name escaped.
    static constexpr std::size_t max_entry_json = 256 + 13 * 22 + 8 + 15 * 6;

private:
    std::vector<std::vector<Entry>> by_connection_;  // index: connection id
    Nanos origin_ = 0;
    std::size_t matched_ = 0;
};

// Names used in the JSON: the RFC 9293 name of a kernel TCP state number, and
// the congestion-avoidance state.
std::string_view kernel_state_name(std::uint8_t state);
std::string_view ca_state_name(std::uint8_t ca_state);

}  // namespace tcpviz
