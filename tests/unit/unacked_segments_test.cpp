// The list of unacknowledged segments answers from its ends while it is in
// order; these tests hold it to Wireshark's walk of the whole list, written
// out plainly here as the reference, on random traffic: in-order transfers,
// retransmissions, overlapping and partial ACKs, and wraparound.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

#include "tcpviz/seq_num.h"
#include "tcpviz/unacked_segments.h"

namespace tcpviz {
namespace {

// Wireshark's rules (tcp_analyze_sequence_number), one walk per question.
struct ReferenceList {
    std::vector<UnackedSegment> segments;

    UnackedSegments::Acknowledged acknowledge(std::uint32_t ack_raw) {
        const SeqNum ack(ack_raw);
        UnackedSegments::Acknowledged result;
        for (auto it = segments.rbegin(); it != segments.rend(); ++it) {
            if (ack_raw == it->nextseq) result = {true, it->frame, it->ts};
        }
        std::vector<UnackedSegment> kept;
        for (UnackedSegment s : segments) {
            if (ack_raw != s.nextseq) {
                if (ack > SeqNum(s.seq) && ack <= SeqNum(s.nextseq)) {
                    s.seq = ack_raw;
                    kept.push_back(s);
                    continue;
                }
                if (SeqNum(s.nextseq) > ack) {
                    kept.push_back(s);
                    continue;
                }
            }
        }
        segments = kept;
        return result;
    }

    UnackedSegments::Extent extent_from(SeqNum base) const {
        UnackedSegments::Extent x{segments.back().seq - base, segments.back().nextseq - base};
        for (const UnackedSegment& s : segments) {
            x.last = std::max(x.last, s.nextseq - base);
            x.first = std::min(x.first, s.seq - base);
        }
        return x;
    }
};

void expect_same(const UnackedSegments& fast, const ReferenceList& ref, int step) {
    ASSERT_EQ(fast.size(), ref.segments.size()) << "step " << step;
    for (std::size_t i = 0; i < fast.size(); ++i) {
        ASSERT_EQ(fast[i], ref.segments[i]) << "step " << step << " segment " << i;
    }
}

// A sender that mostly sends new data, sometimes resends old data, and a
// receiver whose ACKs are mostly in step, sometimes partial, old or wild.
void run_random_traffic(std::uint32_t isn, std::uint32_t seed, int steps) {
    std::mt19937 rng(seed);
    auto chance = [&rng](int percent) { return static_cast<int>(rng() % 100) < percent; };
    UnackedSegments fast;
    ReferenceList ref;
    std::uint32_t next = isn;   // next new byte to send
    std::uint32_t acked = isn;  // highest ack sent so far
    std::uint64_t frame = 1;
    int fast_answers = 0;
    for (int step = 0; step < steps; ++step) {
        if (chance(55)) {
            UnackedSegment s;
            s.frame = frame++;
            s.ts = static_cast<Nanos>(s.frame) * 1000;
            const std::uint32_t len = chance(10) ? 0 : 1 + rng() % 1448;
            if (chance(8) && next != acked) {
                // A retransmission of something already sent.
                s.seq = acked + rng() % (next - acked);
            } else {
                s.seq = next;
            }
            s.nextseq = s.seq + len + (len == 0 ? 1 : 0);  // empty ones stand for SYN/FIN
            if (SeqNum(s.nextseq) > SeqNum(next)) next = s.nextseq.value;
            fast.push_back(s);
            ref.segments.push_back(s);
        } else {
            std::uint32_t ack;
            const int kind = static_cast<int>(rng() % 100);
            if (kind < 50 && !ref.segments.empty()) {
                ack = ref.segments[rng() % ref.segments.size()].nextseq.value;  // ends a segment exactly
            } else if (kind < 80) {
                ack = acked + rng() % (next - acked + 1);  // anywhere in flight, often mid-segment
            } else if (kind < 90) {
                ack = acked - rng() % 5000;  // an old ACK
            } else {
                ack = static_cast<std::uint32_t>(rng());  // garbage
            }
            if (SeqNum(ack) > SeqNum(acked) && SeqNum(ack) <= SeqNum(next)) acked = ack;
            if (fast.in_order()) ++fast_answers;
            const auto a = fast.acknowledge(ack);
            const auto b = ref.acknowledge(ack);
            ASSERT_EQ(a.exact, b.exact) << "step " << step;
            ASSERT_EQ(a.frame, b.frame) << "step " << step;
            ASSERT_EQ(a.ts, b.ts) << "step " << step;
        }
        expect_same(fast, ref, step);
        if (!ref.segments.empty()) {
            for (std::uint32_t base : {isn, isn - 1, next, static_cast<std::uint32_t>(rng())}) {
                const auto a = fast.extent_from(base);
                const auto b = ref.extent_from(base);
                ASSERT_EQ(a.first, b.first) << "step " << step << " base " << base;
                ASSERT_EQ(a.last, b.last) << "step " << step << " base " << base;
            }
        }
    }
    // The point of the list: most ACKs are answered from its ends.
    EXPECT_GT(fast_answers, 0);
}

TEST(UnackedSegments, AgreesWithWiresharksWalkOnRandomTraffic) {
    for (std::uint32_t seed = 1; seed <= 40; ++seed) run_random_traffic(1000u * seed, seed, 3000);
}

TEST(UnackedSegments, AgreesAcrossSequenceWraparound) {
    for (std::uint32_t seed = 1; seed <= 20; ++seed) run_random_traffic(0xFFFF0000u + seed, seed, 3000);
}

TEST(UnackedSegments, InOrderTransferIsAnsweredFromTheEnds) {
    UnackedSegments list;
    for (std::uint32_t i = 0; i < 100; ++i) list.push_back({i + 1, 1000 + i * 100, 1100 + i * 100, 0});
    EXPECT_TRUE(list.in_order());
    const auto acked = list.acknowledge(1000 + 50 * 100 + 30);  // into the 51st segment
    EXPECT_FALSE(acked.exact);
    ASSERT_EQ(list.size(), 50u);
    EXPECT_EQ(list[0].seq, 1000u + 50 * 100 + 30);  // its rest stays unacknowledged
    EXPECT_TRUE(list.in_order());
    const auto extent = list.extent_from(999);
    EXPECT_EQ(extent.last - extent.first, 49u * 100 + 70);
}

TEST(UnackedSegments, ARetransmissionPutsItOutOfOrderUntilAcknowledged) {
    UnackedSegments list;
    list.push_back({1, 100, 200, 0});
    list.push_back({2, 200, 300, 0});
    list.push_back({3, 100, 200, 0});  // the first one again
    EXPECT_FALSE(list.in_order());
    const auto acked = list.acknowledge(200);
    EXPECT_TRUE(acked.exact);
    EXPECT_EQ(acked.frame, 1u);  // the oldest segment ending there, as Wireshark reports
    ASSERT_EQ(list.size(), 1u);
    EXPECT_TRUE(list.in_order());
}

}  // namespace
}  // namespace tcpviz
