#include "tcpviz/kernel_timeline.h"

#include <map>
#include <tuple>

#include "tcpviz/json_text.h"
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

void append_optional(std::string& out, const std::optional<std::uint32_t>& v) {
    if (v) json::append_uint(out, *v);
    else out += "null";
}

}  // namespace

std::string_view kernel_state_name(std::uint8_t state) {
    // include/net/tcp_states.h numbers them; NEW_SYN_RECV is the kernel's
    // light-weight SYN-RECEIVED socket, CLOSE is CLOSED.
    constexpr TcpState by_number[] = {
        TcpState::unknown,     TcpState::established, TcpState::syn_sent,   TcpState::syn_received,
        TcpState::fin_wait_1,  TcpState::fin_wait_2,  TcpState::time_wait,  TcpState::closed,
        TcpState::close_wait,  TcpState::last_ack,    TcpState::listen,     TcpState::closing,
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
    out += ",\"kernel\":[";
    bool first = true;
    for (const Entry& e : samples_of(c.id)) {
        if (!first) out += ',';
        first = false;
        append_entry_json(out, e);
    }
    out += ']';
}

void KernelTimeline::append_entry_json(std::string& out, const Entry& e) const {
    const TcpInfo& i = e.info;
    out += "{\"t\":";
    json::append_seconds(out, e.time - origin_, 6);
    out += ",\"side\":\"";
    out += name_of(e.side);
    out += "\",\"state\":\"";
    out += kernel_state_name(i.state);
    out += "\",\"ca_state\":\"";
    out += ca_state_name(i.ca_state);
    out += "\",\"cwnd\":";
    json::append_uint(out, i.snd_cwnd);
    out += ",\"ssthresh\":";
    if (i.snd_ssthresh >= ssthresh_infinity) out += "null";
    else json::append_uint(out, i.snd_ssthresh);
    out += ",\"mss\":";
    json::append_uint(out, i.snd_mss);
    out += ",\"rtt_us\":";
    json::append_uint(out, i.rtt_us);
    out += ",\"rttvar_us\":";
    json::append_uint(out, i.rttvar_us);
    out += ",\"retrans\":";
    json::append_uint(out, i.total_retrans);
    out += ",\"retransmits\":";
    json::append_uint(out, i.retransmits);
    out += ",\"unacked\":";
    json::append_uint(out, i.unacked);
    out += ",\"snd_wnd\":";
    append_optional(out, i.snd_wnd);
    out += ",\"rcv_wnd\":";
    append_optional(out, i.rcv_wnd);
    out += ",\"rcv_space\":";
    json::append_uint(out, i.rcv_space);
    out += '}';
}

}  // namespace tcpviz
