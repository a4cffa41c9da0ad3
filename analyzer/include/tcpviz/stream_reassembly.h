// One direction of a connection as the receiving application reads it: the
// bytes in sequence order, each once, whatever order the segments came in.
// This is the picture for "TCP delivers a byte stream, in order" and for
// "one recv() is not one send()": the pieces keep the segment boundaries the
// capture saw, which are neither the sender's writes nor the reader's reads.
//
//   capture order:  [1..100]  [201..300]  [101..200]  [1..100]
//   read order:     [1..100]  [101..200]  [201..300]
//                   frame 1   frame 3     frame 2 (arrived early, held until frame 3)
//                                         and frame 4: a retransmission, nothing new to read
//
// Write layer: it sees the analyzer's Events only.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "tcpviz/event.h"

namespace tcpviz {

struct StreamPiece {
    enum class Kind : std::uint8_t {
        data,    // bytes the application reads next
        repeat,  // bytes already delivered: a retransmission (not read twice)
        gap,     // bytes never captured before the stream went on
        fin,     // the sender's FIN: the reader's recv() returns 0 here
        rst,     // a reset: the stream ends abruptly
    };
    Kind kind = Kind::data;
    std::uint64_t frame = 0;  // where the bytes arrived
    Nanos ts = 0;
    std::uint32_t seq = 0;     // relative sequence number of the first byte
    std::uint32_t length = 0;  // bytes in the stream this piece covers
    std::string bytes;         // data: the captured ones (fewer than length when the snaplen cut them)
    // data: this segment arrived before bytes in front of it and waited for
    // frame `released_by` to fill the gap (or for the end of the capture).
    bool arrived_early = false;
    std::uint64_t released_by = 0;
    // The analyzer's own findings on the segment, as Wireshark names them.
    bool retransmission = false;
    bool out_of_order = false;
};

class StreamAssembler {
public:
    // Events of one direction of one connection, in capture order.
    void add(const Event& e);
    // The capture ended: segments still waiting behind a gap are read after it.
    void finish();

    const std::vector<StreamPiece>& pieces() const { return pieces_; }
    std::uint64_t delivered_bytes() const { return delivered_; }

private:
    struct Waiting {
        StreamPiece piece;
        std::uint64_t end = 0;  // unwrapped
    };
    std::uint64_t unwrap(std::uint32_t seq) const;
    void deliver(StreamPiece piece, std::uint64_t start, std::uint64_t end);
    void release_waiting(std::uint64_t frame);

    bool started_ = false;
    bool fin_seen_ = false;
    std::uint64_t next_ = 0;  // unwrapped sequence number of the next byte to read
    std::uint64_t delivered_ = 0;
    std::multimap<std::uint64_t, Waiting> waiting_;  // by unwrapped start
    std::vector<StreamPiece> pieces_;
};

}  // namespace tcpviz
