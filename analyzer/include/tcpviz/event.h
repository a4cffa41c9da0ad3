// One TCP segment as the timeline reports it: the fields of the timeline
// contract (see analyzer/timeline.schema.json), as values.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "tcpviz/connection.h"
#include "tcpviz/note.h"
#include "tcpviz/note_facts.h"
#include "tcpviz/seq_analysis.h"
#include "tcpviz/tcp_header.h"

namespace tcpviz {

enum class Phase : std::uint8_t { handshake, data, teardown };

constexpr std::string_view name_of(Phase p) {
    switch (p) {
        case Phase::handshake: return "handshake";
        case Phase::data: return "data";
        case Phase::teardown: return "teardown";
    }
    return "data";
}

struct Event {
    std::uint64_t frame = 0;
    Nanos ts = 0;            // absolute
    std::int64_t conn = -1;  // -1: too little of the header to tell
    Direction dir = Direction::c2s;
    Endpoint src;
    Endpoint dst;
    std::uint16_t flags = 0;
    std::uint8_t reserved = 0;  // the header's reserved bits (0 on every honest segment)
    std::uint32_t seq = 0;      // relative to the ISN of this direction
    std::uint32_t ack = 0;      // relative to the ISN of the other direction (raw when ACK is not set)
    std::uint32_t seq_raw = 0;
    std::uint32_t ack_raw = 0;
    std::uint32_t len = 0;  // payload length on the wire
    std::uint32_t win = 0;  // calculated window (scaled)
    std::uint16_t win_raw = 0;
    int win_scale = -1;                      // shift applied: -1 unknown, -2 none, >= 0 the shift
    bool have_seglen = true;                 // false: the header claims more than the segment holds
    bool analysis_unreported = false;        // options cut by the capture: Wireshark shows no analysis
    std::size_t captured_header_bytes = 20;  // of the fixed header: fields past this were not captured
    TcpOptions options;                      // as decoded: SACK edges are raw sequence numbers
    // options.sack made relative to the ISN of the data they acknowledge (the
    // other direction's), as Wireshark shows them; options.sack_count of them.
    std::array<SackBlock, 4> relative_sack{};
    SegmentAnalysis analysis;
    NoteFacts note_facts;  // what the note says beyond Wireshark's flags
    Bytes payload;         // captured payload bytes (may be fewer than len)
    bool truncated = false;
    bool malformed = false;
    std::string_view problem;
    std::uint8_t ip_version = 4;
    std::uint8_t ttl = 0;
    std::uint16_t ip_header_length = 0;
    std::uint8_t tcp_header_length = 0;
    std::uint16_t vlan_tags = 0;
    Phase phase = Phase::data;
    std::array<StateChange, 4> state_changes{};
    std::uint8_t state_change_count = 0;
    Note note;
};

}  // namespace tcpviz
