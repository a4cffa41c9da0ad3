// StreamAssembler on hand-made events: in-order data, a retransmission read
// once, out-of-order segments held behind a gap, overlaps, a gap never
// filled, wraparound; append_stream_bytes on control bytes.
#include <gtest/gtest.h>

#include "tcpviz/stream_reassembly.h"
#include "tcpviz/stream_text.h"

namespace tcpviz {
namespace {

using Kind = StreamPiece::Kind;

struct Segment {
    std::uint64_t frame;
    std::uint32_t seq;
    std::string data;
    std::uint16_t flags = tcp_flag::ack;
};

// The events keep pointers into `segments`, which outlives them.
std::vector<StreamPiece> assemble(const std::vector<Segment>& segments) {
    StreamAssembler s;
    for (const Segment& seg : segments) {
        Event e;
        e.conn = 0;
        e.frame = seg.frame;
        e.seq = seg.seq;
        e.flags = seg.flags;
        e.len = static_cast<std::uint32_t>(seg.data.size());
        e.payload = Bytes(reinterpret_cast<const std::byte*>(seg.data.data()), seg.data.size());
        s.add(e);
    }
    s.finish();
    return s.pieces();
}

std::string read_text(const std::vector<StreamPiece>& pieces) {
    std::string out;
    for (const StreamPiece& p : pieces) {
        if (p.kind == Kind::data) out += p.bytes;
    }
    return out;
}

TEST(StreamAssembler, InOrderSegmentsAreReadAsTheyCame) {
    const auto pieces = assemble({{1, 0, "", tcp_flag::syn}, {3, 1, "hello "}, {4, 7, "world\n"}});
    ASSERT_EQ(pieces.size(), 2u);
    EXPECT_EQ(read_text(pieces), "hello world\n");
    EXPECT_EQ(pieces[0].seq, 1u);
    EXPECT_EQ(pieces[1].frame, 4u);
    EXPECT_EQ(pieces[1].seq, 7u);
}

TEST(StreamAssembler, ARetransmissionIsNotReadTwice) {
    const auto pieces = assemble({{1, 0, "", tcp_flag::syn}, {2, 1, "abc"}, {3, 1, "abc"}, {4, 4, "def"}});
    EXPECT_EQ(read_text(pieces), "abcdef");
    ASSERT_EQ(pieces.size(), 3u);
    EXPECT_EQ(pieces[1].kind, Kind::repeat);
    EXPECT_EQ(pieces[1].frame, 3u);
}

TEST(StreamAssembler, AnEarlySegmentWaitsForTheGapInFrontOfIt) {
    const auto pieces = assemble({{1, 0, "", tcp_flag::syn}, {2, 1, "aa"}, {3, 5, "cc"}, {4, 3, "bb"}});
    EXPECT_EQ(read_text(pieces), "aabbcc");
    ASSERT_EQ(pieces.size(), 3u);
    EXPECT_EQ(pieces[1].frame, 4u);
    EXPECT_FALSE(pieces[1].arrived_early);
    EXPECT_EQ(pieces[2].frame, 3u);
    EXPECT_TRUE(pieces[2].arrived_early);
    EXPECT_EQ(pieces[2].released_by, 4u);
}

TEST(StreamAssembler, AnOverlapKeepsOnlyTheNewBytes) {
    const auto pieces = assemble({{1, 0, "", tcp_flag::syn}, {2, 1, "abcd"}, {3, 3, "cdef"}});
    EXPECT_EQ(read_text(pieces), "abcdef");
    EXPECT_EQ(pieces[1].seq, 5u);
    EXPECT_EQ(pieces[1].length, 2u);
}

TEST(StreamAssembler, AGapNeverFilledIsShownThenTheStreamGoesOn) {
    const auto pieces = assemble({{1, 0, "", tcp_flag::syn}, {2, 1, "aa"}, {3, 5, "cc"}});
    ASSERT_EQ(pieces.size(), 3u);
    EXPECT_EQ(pieces[1].kind, Kind::gap);
    EXPECT_EQ(pieces[1].seq, 3u);
    EXPECT_EQ(pieces[1].length, 2u);
    EXPECT_TRUE(pieces[2].arrived_early);
    EXPECT_EQ(pieces[2].released_by, 0u);
    EXPECT_EQ(read_text(pieces), "aacc");
}

TEST(StreamAssembler, WithoutTheSynTheFirstSegmentStartsTheStream) {
    const auto pieces = assemble({{7, 500, "xy"}, {8, 502, "z"}});
    EXPECT_EQ(read_text(pieces), "xyz");
}

TEST(StreamAssembler, SequenceNumbersWrapAround) {
    const auto pieces = assemble({{1, 0xFFFFFFFEu, "ab"}, {2, 0, "cd"}, {3, 0xFFFFFFFEu, "ab"}});
    EXPECT_EQ(read_text(pieces), "abcd");
    EXPECT_EQ(pieces[2].kind, Kind::repeat);
}

TEST(StreamAssembler, FinAndRstAreMarkedOnce) {
    const auto pieces = assemble({{1, 0, "", tcp_flag::syn},
                                  {2, 1, "a", tcp_flag::ack | tcp_flag::fin},
                                  {3, 2, "", tcp_flag::ack | tcp_flag::fin},
                                  {4, 3, "", tcp_flag::rst}});
    ASSERT_EQ(pieces.size(), 3u);
    EXPECT_EQ(pieces[0].kind, Kind::data);
    EXPECT_EQ(pieces[1].kind, Kind::fin);
    EXPECT_EQ(pieces[1].frame, 2u);
    EXPECT_EQ(pieces[2].kind, Kind::rst);
}

TEST(StreamText, ControlBytesAreVisibleAndLongRunsCounted) {
    std::string out;
    append_stream_bytes(out, std::string("hi\x1b[2J\n", 7) + std::string(20, '\0') + "end");
    EXPECT_EQ(out, "  hi\\x1b[2J\\n\n  \\x00\u00d720end\n");
}

TEST(StreamText, ShortRunsAreWrittenOneByOne) {
    std::string out;
    append_stream_bytes(out, std::string("a\0\0b", 4));
    EXPECT_EQ(out, "  a\\x00\\x00b\n");
}

}  // namespace
}  // namespace tcpviz
