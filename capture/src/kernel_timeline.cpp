#include "tcpviz/kernel_timeline.h"

#include <map>
#include <tuple>

#include "tcpviz/json_writer.h"
#include "tcpviz/tcp_state.h"

namespace tcpviz {
namespace {

// A connection's endpoints in a fixed order, so both sockets of it (and the
// analyzer's client/server view) give the same key.
struct PairKey {
    IpAddress ip_a, ip_b;
    std::uint16_t port_a = 0, port_b = 0;
    friend auto operator<=>(const PairKey&, const PairKey&) = default;
};

PairKey key_of(const Endpoint& x, const Endpoint& y) {
    if (std::tie(x.ip, x.port) < std::tie(y.ip, y.port)) return {x.ip, y.ip, x.port, y.port};
    return {y.ip, x.ip, y.port, x.port};
}

// The congestion control's name: 15 bytes, each at most 6 when escaped.
static_assert(KernelTimeline::max_entry_json >= 256 + 13 * json::max_number_chars + 8 + 15 * 6);

json::Writer write_entry(json::Writer out, const KernelTimeline::Entry& e, Nanos origin) {
    const TcpInfo& i = e.info;
    out.open();
    out.key("t");
    out.seconds(e.time - origin, 6);
    out.key("side");
    out.name(name_of(e.side));
    out.key("state");
    out.name(kernel_state_name(i.state));
    out.key("ca_state");
    out.name(ca_state_name(i.ca_state));
    out.key("cwnd");
    out.uint(i.snd_cwnd);
    out.key("ssthresh");
    out.uint_or_null(i.snd_ssthresh < ssthresh_infinity, i.snd_ssthresh);
    out.key("mss");
    out.uint(i.snd_mss);
    out.key("rtt_us");
    out.uint(i.rtt_us);
    out.key("rttvar_us");
    out.uint(i.rttvar_us);
    out.key("retrans");
    out.uint(i.total_retrans);
    out.key("retransmits");
    out.uint(i.retransmits);
    out.key("unacked");
    out.uint(i.unacked);
    out.key("snd_wnd");
    out.uint_or_null(i.snd_wnd);
    out.key("rcv_wnd");
    out.uint_or_null(i.rcv_wnd);
    out.key("rcv_space");
    out.uint(i.rcv_space);
    if (!i.congestion.empty()) {
        out.key("cc");
        out.string(i.congestion);  // the kernel's name; escaped all the same
    }
    out.close();
    return out;
}

}  // namespace

std::string_view kernel_state_name(std::uint8_t state) {
    // include/net/tcp_states.h numbers them; NEW_SYN_RECV is the kernel's
    // light-weight SYN-RECEIVED socket, CLOSE is CLOSED.
    constexpr TcpState by_number[] = {
        TcpState::unknown,      TcpState::established, TcpState::syn_sent,  TcpState::syn_received,
        TcpState::fin_wait_1,   TcpState::fin_wait_2,  TcpState::time_wait, TcpState::closed,
        TcpState::close_wait,   TcpState::last_ack,    TcpState::listen,    TcpState::closing,
        TcpState::syn_received,
    };
    return state < std::size(by_number) ? name_of(by_number[state]) : name_of(TcpState::unknown);
}

std::string_view ca_state_name(std::uint8_t ca_state) {
    // enum tcp_ca_state in linux/tcp.h
    constexpr std::string_view names[] = {"open", "disorder", "cwr", "recovery", "loss"};
    return ca_state < std::size(names) ? names[ca_state] : "unknown";
}

KernelTimeline::KernelTimeline(const std::vector<TcpInfoSample>& samples, const Analyzer& analyzer)
    : origin_(analyzer.stats().first_ts) {
    // What matching needs of each connection, copied: a retired connection
    // is read back into a copy valid only until the next look-up.
    struct Known {
        std::uint32_t id;
        Nanos first_ts;
        Endpoint client;
    };
    const auto& connections = analyzer.connections();
    by_connection_.resize(connections.size());
    std::map<PairKey, std::vector<Known>> known;  // in order of first appearance
    for (const Connection& c : connections) known[key_of(c.client, c.server)].push_back({c.id, c.first_ts, c.client});

    for (const TcpInfoSample& s : samples) {
        const auto found = known.find(key_of(s.local, s.remote));
        if (found == known.end()) continue;
        const Known* owner = nullptr;
        for (const Known& k : found->second) {
            if (k.first_ts <= s.time) owner = &k;
        }
        if (owner == nullptr) continue;
        const Side side = s.local == owner->client ? Side::client : Side::server;
        by_connection_[owner->id].push_back(Entry{s.time, side, s.info});
        ++matched_;
    }
}

const std::vector<KernelTimeline::Entry>& KernelTimeline::samples_of(std::uint32_t id) const {
    static const std::vector<Entry> none;
    return id < by_connection_.size() ? by_connection_[id] : none;
}

void KernelTimeline::append_json(std::string& out, const Connection& c) const {
    const std::vector<Entry>& entries = samples_of(c.id);
    json::append_record(out, 16 + entries.size() * (max_entry_json + 1), [&](json::Writer& w) {
        w.key("kernel");
        w.open_array();
        for (const Entry& e : entries) {
            w.item();
            w = write_entry(w, e, origin_);
        }
        w.close_array();
    });
}

void KernelTimeline::append_entry_json(std::string& out, const Entry& e) const {
    json::append_record(out, max_entry_json, [&](json::Writer& w) { w = write_entry(w, e, origin_); });
}

}  // namespace tcpviz
