// The connection states of RFC 9293 section 3.3.2, as tcpviz infers them for
// each endpoint from the segments it sees.
#pragma once

#include <cstdint>
#include <string_view>

namespace tcpviz {

enum class TcpState : std::uint8_t {
    unknown,  // before the capture showed anything about this endpoint
    closed,
    listen,
    syn_sent,
    syn_received,
    established,
    fin_wait_1,
    fin_wait_2,
    closing,
    time_wait,
    close_wait,
    last_ack,
};

constexpr std::string_view name_of(TcpState s) {
    switch (s) {
        case TcpState::unknown: return "UNKNOWN";
        case TcpState::closed: return "CLOSED";
        case TcpState::listen: return "LISTEN";
        case TcpState::syn_sent: return "SYN-SENT";
        case TcpState::syn_received: return "SYN-RECEIVED";
        case TcpState::established: return "ESTABLISHED";
        case TcpState::fin_wait_1: return "FIN-WAIT-1";
        case TcpState::fin_wait_2: return "FIN-WAIT-2";
        case TcpState::closing: return "CLOSING";
        case TcpState::time_wait: return "TIME-WAIT";
        case TcpState::close_wait: return "CLOSE-WAIT";
        case TcpState::last_ack: return "LAST-ACK";
    }
    return "UNKNOWN";
}

enum class Side : std::uint8_t { client = 0, server = 1 };

constexpr Side other(Side s) { return s == Side::client ? Side::server : Side::client; }
constexpr std::string_view name_of(Side s) { return s == Side::client ? "client" : "server"; }

}  // namespace tcpviz
