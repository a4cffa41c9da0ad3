// What tcpviz knows about one TCP connection: its endpoints, the analysis
// state of each direction, and the summary the timeline reports.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "tcpviz/analysis_flags.h"
#include "tcpviz/ip_address.h"
#include "tcpviz/nanos.h"
#include "tcpviz/tcp_header.h"
#include "tcpviz/tcp_state.h"

namespace tcpviz {

struct Endpoint {
    IpAddress ip;
    std::uint16_t port = 0;
    friend bool operator==(const Endpoint&, const Endpoint&) = default;
};

enum class Direction : std::uint8_t { c2s = 0, s2c = 1 };

constexpr Side sender_of(Direction d) { return d == Direction::c2s ? Side::client : Side::server; }
constexpr std::string_view name_of(Direction d) { return d == Direction::c2s ? "c2s" : "s2c"; }

struct StateChange {
    Side side = Side::client;
    TcpState from = TcpState::unknown;
    TcpState to = TcpState::unknown;
    std::uint64_t frame = 0;
    Nanos ts = 0;
    friend bool operator==(const StateChange&, const StateChange&) = default;
};

// Per direction (indexed by the sending side).
struct SideSummary {
    bool isn_known = false;
    std::uint32_t isn = 0;
    bool syn_seen = false;
    TcpOptions syn_options;  // what this side offered in its SYN / SYN-ACK
    std::uint64_t segments = 0;
    std::uint64_t payload_bytes = 0;         // on the wire, retransmissions included
    std::uint64_t bytes_after_peer_fin = 0;  // data sent after the peer's FIN (half-close)
    std::uint64_t fin_frame = 0;             // first FIN sent, 0 if none
    std::uint32_t fin_end = 0;               // raw sequence number just past the FIN
    std::uint64_t fin_acked_frame = 0;
    std::uint64_t rst_frame = 0;  // first RST sent, 0 if none
};

struct Handshake {
    std::uint64_t syn_frame = 0;
    std::uint64_t syn_ack_frame = 0;
    std::uint64_t ack_frame = 0;
    Nanos syn_ts = 0;
    Nanos syn_ack_ts = 0;
    Nanos ack_ts = 0;
    std::uint32_t syn_count = 0;  // SYNs sent (more than 1: retransmitted)
    std::uint32_t syn_ack_count = 0;
    bool complete = false;
};

// The summary of a connection: what the timeline reports of it. The analysis
// state behind it is in TrackedConnection (tracked_connection.h).
struct Connection {
    std::uint32_t id = 0;
    Endpoint client;
    Endpoint server;
    bool roles_from_syn = false;  // false: no SYN/SYN-ACK was captured, roles guessed

    std::uint64_t first_frame = 0;
    std::uint64_t last_frame = 0;
    Nanos first_ts = 0;
    Nanos last_ts = 0;

    std::array<SideSummary, 2> side;  // indexed by Side
    std::array<TcpState, 2> state{TcpState::unknown, TcpState::unknown};
    std::vector<StateChange> states;
    Handshake handshake;
    std::array<std::uint32_t, finding_count> finding_counts{};
    bool saw_rst = false;
    bool saw_fin = false;
    bool simultaneous_close = false;

    SideSummary& summary_of(Side s) { return side[static_cast<std::size_t>(s)]; }
    const SideSummary& summary_of(Side s) const { return side[static_cast<std::size_t>(s)]; }
    TcpState& state_of(Side s) { return state[static_cast<std::size_t>(s)]; }
};

// How a connection ended, derived from its summary.
enum class TeardownKind : std::uint8_t { none, fin, rst };

// How a FIN teardown went.
enum class TeardownStyle : std::uint8_t {
    four_way,      // FIN, ACK, FIN, ACK: the second side closed right after the first
    half_close,    // the second side kept sending after the first FIN (or has not closed yet)
    simultaneous,  // the two FINs crossed
};

struct Teardown {
    TeardownKind kind = TeardownKind::none;
    TeardownStyle style = TeardownStyle::four_way;  // for kind fin
    Side by = Side::client;                         // who closed or reset first
    bool refused = false;                           // RST answering a SYN: nothing was listening
    bool complete = false;                          // both FINs sent and acknowledged
    std::uint64_t first_frame = 0;
};

Teardown teardown_of(const Connection& c);
std::string_view name_of(TeardownKind k);
std::string_view name_of(TeardownStyle s);

}  // namespace tcpviz
