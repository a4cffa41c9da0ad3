// The segments one direction sent that the other has not acknowledged yet,
// oldest first (Wireshark's list of tcp_unacked_t), and the two questions the
// analysis asks of them on every segment: what does this ACK acknowledge, and
// how many bytes are in flight.
//
// Wireshark walks the whole list for both, which costs as many steps per
// segment as there are segments in flight (thousands on a long fat pipe).
// In a transfer without loss the list is in order -- every segment starts and
// ends no earlier than the one before -- and both answers come from the ends
// of the list. After a retransmission (which starts earlier than the newest
// segment) the list is out of order until that segment is acknowledged, and
// it is walked exactly as Wireshark walks it. The answers are the same either
// way; a unit test drives both with random segments and ACKs.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "tcpviz/nanos.h"
#include "tcpviz/seq_num.h"

namespace tcpviz {

// A segment sent but not yet acknowledged (Wireshark's tcp_unacked_t).
struct UnackedSegment {
    std::uint64_t frame = 0;
    SeqNum seq;      // raw; moved up when an ACK covers the start
    SeqNum nextseq;  // raw: seq + length (+1 for SYN or FIN)
    Nanos ts = 0;
    friend bool operator==(const UnackedSegment&, const UnackedSegment&) = default;
};

class UnackedSegments {
public:
    std::size_t size() const { return items_.size() - head_; }
    bool empty() const { return size() == 0; }
    const UnackedSegment& operator[](std::size_t i) const { return items_[head_ + i]; }
    const UnackedSegment& back() const { return items_.back(); }
    // True while both answers come from the ends of the list.
    bool in_order() const { return in_order_; }

    void push_back(const UnackedSegment& s);

    // What an ACK with this ack number acknowledged: the oldest segment that
    // ends exactly at it, if one does.
    struct Acknowledged {
        bool exact = false;
        std::uint64_t frame = 0;
        Nanos ts = 0;
    };
    // Drops the segments the ACK covers in full and moves the start of those
    // it covers in part, as Wireshark does.
    Acknowledged acknowledge(SeqNum ack);

    // The smallest start and the largest end of the segments, each as an
    // unsigned distance from `base` (Wireshark's bytes-in-flight span).
    // Needs a non-empty list.
    struct Extent {
        std::uint32_t first = 0;
        std::uint32_t last = 0;
    };
    Extent extent_from(SeqNum base) const;

    // The segments and the order flag as they are, to store the list away
    // and restore it exactly (the connection archive).
    std::span<const UnackedSegment> pending() const { return {items_.data() + head_, size()}; }
    void restore(std::span<const UnackedSegment> segments, bool in_order);

private:
    Acknowledged acknowledge_by_walking(SeqNum ack);
    void recheck_order();

    std::vector<UnackedSegment> items_;  // [head_, size) are the segments, oldest first
    std::size_t head_ = 0;               // acknowledged segments before it are dropped lazily
    bool in_order_ = true;
};

}  // namespace tcpviz
