// The JSON of the values events and connections share: TCP flags, options,
// analysis findings, state changes; and the bounds of each. Internal to the
// JSON writers (event_json.cpp, connection_json.cpp).
#pragma once

#include <array>
#include <string_view>

#include "tcpviz/analysis_flags.h"
#include "tcpviz/connection.h"
#include "tcpviz/json_writer.h"
#include "tcpviz/tcp_header.h"

namespace tcpviz {

struct FlagName {
    std::uint16_t bit;
    std::string_view name;
};
// In Wireshark's order (by bit), so "SYN,ACK", "PSH,ACK", "FIN,ACK" read as in its Info column.
inline constexpr FlagName flag_table[] = {
    {tcp_flag::fin, "FIN"}, {tcp_flag::syn, "SYN"}, {tcp_flag::rst, "RST"},
    {tcp_flag::psh, "PSH"}, {tcp_flag::ack, "ACK"}, {tcp_flag::urg, "URG"},
    {tcp_flag::ece, "ECE"}, {tcp_flag::cwr, "CWR"}, {tcp_flag::ae, "AE"},
};

// ["SYN","ACK"]: the names of the flags set, in flag_table's order.
inline json::Writer write_flags_json(json::Writer out, std::uint16_t flags) {
    out.open_array();
    for (const FlagName& f : flag_table) {
        if (!(flags & f.bit)) continue;
        out.item();
        out.name(f.name);
    }
    out.close_array();
    return out;
}

// The most write_options_json writes: the named fields (about 190
// characters at most) and 38 per entry of the list.
constexpr std::size_t options_json_bound(const TcpOptions& o) { return 256 + 40 * std::size_t{o.entry_count}; }
// {"mss":1460,"ws":7,...,"list":[{"kind":2,"len":4},...]}; `sack` holds the
// o.sack_count SACK blocks to show (relative ones for a segment).
json::Writer write_options_json(json::Writer out, const TcpOptions& o, const std::array<SackBlock, 4>& sack);

// The most write_findings_json writes: every name quoted, with commas and brackets.
inline constexpr std::size_t findings_json_bound = [] {
    std::size_t n = 2;
    for (std::string_view name : finding_names) n += name.size() + 3;
    return n;
}();
// ["retransmission","duplicate_ack"]
json::Writer write_findings_json(json::Writer out, Findings findings);

// The most write_state_change_json writes (state names are at most 12 characters).
inline constexpr std::size_t state_change_json_bound = 160;
// {"side":"client","from":"SYN-SENT","to":"ESTABLISHED"}, with "frame" and
// "t" (seconds since `origin`) when `with_frame`.
json::Writer write_state_change_json(json::Writer out, const StateChange& sc, Nanos origin, int decimals,
                                     bool with_frame);

}  // namespace tcpviz
