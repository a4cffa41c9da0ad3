// Connection tracking and per-segment analysis, following the order of
// Wireshark 4.0's dissect_tcp so that every field agrees with tshark:
//   1. find the conversation (a new one when a SYN reuses the ports with a
//      new ISN), 2. set the base sequence numbers, 3. run the sequence
//   analysis on raw numbers, 4. make seq/ack relative and scale the window,
//   5. remember what the options say (window scale, SACK) for the segments
//   that follow.
// On top of that, tcpviz infers each endpoint's state and explains the
// segment in one sentence.
#include "tcpviz/analyzer.h"

#include <algorithm>

#include "tcpviz/note_selection.h"
#include "tcpviz/segment_steps.h"
#include "tcpviz/state_inference.h"

namespace tcpviz {
namespace {

// Saturates to [0, max_record_seconds] (1970 to 2262): a damaged pcapng
// (if_tsresol 0, timestamps near 2^64) must not overflow the nanoseconds, and
// times clamped to this range leave every difference of two of them in int64.
Nanos to_nanos(const PacketRecord& r) {
    const std::int64_t sec = std::clamp<std::int64_t>(r.ts_sec, 0, max_record_seconds);
    const std::int32_t nsec = std::clamp<std::int32_t>(r.ts_nsec, 0, 999'999'999);
    return sec * 1'000'000'000LL + nsec;
}

}  // namespace

Analyzer::Analyzer(int link_type, RetirementPolicy retirement) : link_type_(link_type), table_(retirement) {}
Analyzer::~Analyzer() = default;

const Event* Analyzer::add(const PacketRecord& record) { return add(record, next_frame_); }

const Event* Analyzer::add(const PacketRecord& record, std::uint64_t frame) {
    next_frame_ = frame + 1;
    const Nanos ts = to_nanos(record);
    if (stats_.frames++ == 0) stats_.first_ts = ts;
    stats_.last_ts = ts;
    packet_ = decode_packet(link_type_, record);
    if (!count(packet_)) return nullptr;

    Event& e = event_;
    fill_event(e, packet_, frame, ts);
    if (!header_reaches_window(packet_)) return &e;  // too little to tell the connection
    const ConnectionTable::Found found = table_.find_or_open(e.src, e.dst, packet_.tcp.header, frame, ts);
    TrackedConnection& c = found.conn;
    place(e, c);
    analyze_segment(e, c, packet_);
    if (found.reused_ports) e.analysis.findings.add(Finding::reused_ports);
    gather_note_facts(e, c);
    handle_options(c, e.dir, packet_.tcp.header, ts);
    update_summary(c.summary, e, packet_.tcp.header);
    const StateStep states = infer_states(c.summary, sent_segment(e, packet_.tcp.header));
    record_states(e, c.summary, states);
    e.phase = phase_of(e, states.roles, c.summary.saw_fin || c.summary.saw_rst);
    e.note = select_note(e, states.roles);
    table_.retire(ts);
    return &e;
}

// Counts the frame by kind; true for a TCP segment.
bool Analyzer::count(const DecodedPacket& packet) {
    switch (packet.kind) {
        case PacketKind::tcp: break;
        case PacketKind::not_ip: ++stats_.not_ip; return false;
        case PacketKind::not_tcp: ++stats_.not_tcp; return false;
        case PacketKind::ip_fragment: ++stats_.ip_fragments; return false;
        case PacketKind::undecodable:
            ++stats_.undecodable;
            if (packet.ip.status == IpStatus::ok && packet.ip.protocol == ip_protocol_tcp) ++stats_.tcp_without_ports;
            return false;
    }
    ++stats_.tcp_segments;
    if (packet.tcp.status == TcpStatus::truncated) ++stats_.truncated;
    if (packet.tcp.status == TcpStatus::malformed) ++stats_.malformed;
    return true;
}

}  // namespace tcpviz
