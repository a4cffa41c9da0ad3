// The analyzer: records in, one Event per TCP segment out, in capture order.
//
// It streams: memory grows with the number of open connections (and the
// unacknowledged segments in them), never with the number of packets.
//
//   Analyzer a(link_type);
//   for each record: if (const Event* e = a.add(record)) write(*e);
//   a.connections()  // summaries at the end
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <unordered_map>

#include "tcpviz/connection.h"
#include "tcpviz/event.h"
#include "tcpviz/packet.h"

namespace tcpviz {

struct CaptureStats {
    std::uint64_t frames = 0;
    std::uint64_t tcp_segments = 0;
    std::uint64_t not_ip = 0;
    std::uint64_t not_tcp = 0;
    std::uint64_t ip_fragments = 0;
    std::uint64_t undecodable = 0;
    std::uint64_t tcp_without_ports = 0;  // of the undecodable: a TCP header cut before its ports
    std::uint64_t truncated = 0;   // TCP segments whose header was cut by the capture
    std::uint64_t malformed = 0;   // TCP segments with a wrong header
    Nanos first_ts = 0;
    Nanos last_ts = 0;
};

class Analyzer {
public:
    explicit Analyzer(int link_type);
    ~Analyzer();
    // Copyable: a copy is a checkpoint of the whole analysis state, from which
    // `tcpviz serve` re-analyses a window of a capture exactly as a full run.
    Analyzer(const Analyzer&) = default;
    Analyzer& operator=(const Analyzer&) = default;

    // Decodes and analyzes the next frame of the capture. Returns the event
    // for a TCP segment (valid until the next call), or nullptr for a frame
    // that is not one. Frames are numbered 1, 2, ... in the order given.
    const Event* add(const PacketRecord& record);

    // Like add(), for a frame whose number is given (when a filter skipped
    // frames in between, numbering still follows the capture).
    const Event* add(const PacketRecord& record, std::uint64_t frame_number);

    const CaptureStats& stats() const { return stats_; }
    // All connections, in order of first appearance (index == id).
    const std::deque<Connection>& connections() const { return connections_; }
    int link_type() const { return link_type_; }

private:
    struct Key {
        IpAddress a, b;
        std::uint16_t port_a = 0, port_b = 0;
        friend bool operator==(const Key&, const Key&) = default;
    };
    struct KeyHash {
        std::size_t operator()(const Key& k) const;
    };

    Connection& new_connection(const Key& key, const Endpoint& src, const Endpoint& dst, const TcpHeader& h,
                               std::uint64_t frame, Nanos ts);

    int link_type_;
    std::uint64_t next_frame_ = 1;
    CaptureStats stats_;
    std::deque<Connection> connections_;  // stable addresses
    std::unordered_map<Key, std::uint32_t, KeyHash> by_key_;
    // The conversation of the previous segment, to skip the map look-up.
    static constexpr std::uint32_t no_connection = 0xFFFFFFFFu;
    Key last_key_;
    std::uint32_t last_conn_ = no_connection;
    Event event_;
    DecodedPacket packet_;
};

}  // namespace tcpviz
