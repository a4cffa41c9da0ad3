#include "tcpviz/stream_reassembly.h"

#include <algorithm>

namespace tcpviz {
namespace {

// A piece without bytes: a FIN, a RST or a gap.
StreamPiece marker(StreamPiece::Kind kind, std::uint64_t frame, Nanos ts, std::uint32_t seq, std::uint32_t length = 0) {
    StreamPiece piece;
    piece.kind = kind;
    piece.frame = frame;
    piece.ts = ts;
    piece.seq = seq;
    piece.length = length;
    return piece;
}

}  // namespace

// Relative sequence numbers are 32-bit and wrap after 4 GiB: each is placed
// at the 64-bit position nearest to the next byte to read (RFC 9293's
// comparison, (int32_t)(a - b)), so a long stream keeps its order.
std::uint64_t StreamAssembler::unwrap(std::uint32_t seq) const {
    const auto distance = static_cast<std::int32_t>(seq - static_cast<std::uint32_t>(next_));
    return static_cast<std::uint64_t>(static_cast<std::int64_t>(next_) + distance);
}

void StreamAssembler::add(const Event& e) {
    if (e.conn < 0 || e.malformed || e.captured_header_bytes < 16) return;
    const bool syn = (e.flags & tcp_flag::syn) != 0;
    if (!started_) {
        // The first byte follows the SYN; without a SYN, the first segment seen
        // starts the stream (as Wireshark's relative numbers do).
        next_ = static_cast<std::uint64_t>(e.seq) + (syn ? 1 : 0);
        started_ = true;
    }
    StreamPiece piece;
    piece.frame = e.frame;
    piece.ts = e.ts;
    piece.retransmission = e.analysis.findings.is_any_retransmission();
    piece.out_of_order = e.analysis.findings.has(Finding::out_of_order);
    const std::uint64_t start = unwrap(e.seq + (syn ? 1u : 0u));
    const std::uint64_t end = start + e.len;
    if (e.len > 0) {
        piece.seq = e.seq + (syn ? 1u : 0u);
        piece.length = e.len;
        piece.bytes.assign(reinterpret_cast<const char*>(e.payload.data()), e.payload.size());
        if (end <= next_) {
            // 1. Everything in it was read already: a retransmission, read once.
            piece.kind = StreamPiece::Kind::repeat;
            pieces_.push_back(std::move(piece));
        } else if (start > next_) {
            // 2. Bytes in front of it are missing: it waits (out of order at the receiver).
            piece.arrived_early = true;
            waiting_.emplace(start, Waiting{std::move(piece), end});
        } else {
            // 3. It continues the stream (maybe overlapping what was read).
            deliver(std::move(piece), start, end);
            release_waiting(e.frame);
        }
    }
    if ((e.flags & tcp_flag::fin) != 0 && !fin_seen_) {
        fin_seen_ = true;
        StreamPiece fin = marker(StreamPiece::Kind::fin, e.frame, e.ts, e.seq + e.len);
        pieces_.push_back(std::move(fin));
    }
    if ((e.flags & tcp_flag::rst) != 0) {
        pieces_.push_back(marker(StreamPiece::Kind::rst, e.frame, e.ts, e.seq));
    }
}

void StreamAssembler::deliver(StreamPiece piece, std::uint64_t start, std::uint64_t end) {
    // Bytes before next_ were read from an earlier segment: keep only the new ones.
    const std::uint64_t skip = next_ > start ? next_ - start : 0;
    piece.kind = StreamPiece::Kind::data;
    piece.seq += static_cast<std::uint32_t>(skip);
    piece.length -= static_cast<std::uint32_t>(skip);
    piece.bytes.erase(0, std::min<std::size_t>(skip, piece.bytes.size()));
    next_ = end;
    delivered_ += piece.length;
    pieces_.push_back(std::move(piece));
}

void StreamAssembler::release_waiting(std::uint64_t frame) {
    while (!waiting_.empty() && waiting_.begin()->first <= next_) {
        Waiting w = std::move(waiting_.begin()->second);
        const std::uint64_t start = waiting_.begin()->first;
        waiting_.erase(waiting_.begin());
        if (w.end <= next_) continue;  // a later segment already brought these bytes
        w.piece.released_by = frame;
        deliver(std::move(w.piece), start, w.end);
    }
}

void StreamAssembler::finish() {
    // Segments still waiting: the bytes in front of them never came (lost
    // before the capture point, or not captured). The reader would still be
    // waiting; tcpviz shows the gap and goes on.
    while (!waiting_.empty()) {
        const std::uint64_t start = waiting_.begin()->first;
        const StreamPiece& first = waiting_.begin()->second.piece;
        if (start > next_) {
            StreamPiece gap = marker(StreamPiece::Kind::gap, first.frame, first.ts, static_cast<std::uint32_t>(next_),
                                     static_cast<std::uint32_t>(start - next_));
            pieces_.push_back(std::move(gap));
            next_ = start;
        }
        release_waiting(0);
    }
}

}  // namespace tcpviz
