// Random and mutated frames through the whole analyzer, for every link
// type: nothing may read past the captured bytes (the sanitizer build turns
// any overread into a failure) and every frame gets an answer.
#include <gtest/gtest.h>

#include <random>

#include "packet_builder.h"
#include "tcpviz/analyzer.h"

namespace tcpviz {
namespace {

using test::ByteVec;

std::vector<ByteVec> seed_frames() {
    test::TcpSpec t;
    t.flags = tcp_flag::syn;
    t.options = test::concat(
        {test::opt_mss(1460), test::opt_sack_perm(), test::opt_timestamps(1, 0), test::opt_nop(), test::opt_wscale(7)});
    const ByteVec syn4 = test::ip_packet({}, test::tcp_segment(t, {}));
    const test::IpSpec six{.version = 6, .src = "::1", .dst = "::1"};
    t.flags = tcp_flag::ack | tcp_flag::psh;
    t.options = test::opt_sack({{1, 2}, {3, 4}});
    t.payload = test::text("payload \xe4\xbd\xa0\xe5\xa5\xbd\n");
    const ByteVec data6 = test::ip_packet(six, test::tcp_segment(t, six));
    return {test::ethernet(syn4, 4, {0x8100}),
            test::ethernet(data6, 6),
            test::linux_sll2(data6, 6),
            test::bsd_null(syn4, 4, false),
            syn4,
            data6};
}

TEST(RandomFrames, MutatedFramesNeverCrashTheAnalyzer) {
    std::mt19937 rng(12345);
    const int link_types[] = {dlt::ethernet,      dlt::ethernet,     dlt::linux_sll2,
                              dlt::null_loopback, dlt::raw_linktype, dlt::raw_linktype};
    const std::vector<ByteVec> seeds = seed_frames();
    for (int link_index = 0; link_index < 6; ++link_index) {
        Analyzer analyzer(link_types[link_index]);
        for (int round = 0; round < 3000; ++round) {
            ByteVec frame = seeds[static_cast<std::size_t>(link_index)];
            const int flips = static_cast<int>(rng() % 6);
            for (int i = 0; i < flips; ++i) frame[rng() % frame.size()] ^= static_cast<std::uint8_t>(1u << (rng() % 8));
            const std::size_t caplen = rng() % (frame.size() + 1);
            // Copy exactly the captured bytes into their own buffer, so an
            // overread lands outside the allocation.
            ByteVec captured(frame.begin(), frame.begin() + static_cast<std::ptrdiff_t>(caplen));
            PacketRecord r;
            r.ts_sec = 1'700'000'000 + round;
            r.wire_length = static_cast<std::uint32_t>(rng() % 2 ? frame.size() : rng() % 70000);
            r.data = Bytes(reinterpret_cast<const std::byte*>(captured.data()), captured.size());
            const Event* e = analyzer.add(r);
            if (e) {
                EXPECT_LE(e->payload.size(), captured.size());
            }
        }
        EXPECT_EQ(analyzer.stats().frames, 3000u);
    }
}

TEST(RandomFrames, PureNoiseIsCountedNotDecoded) {
    std::mt19937 rng(99);
    Analyzer analyzer(dlt::ethernet);
    for (int i = 0; i < 2000; ++i) {
        ByteVec noise(rng() % 200);
        for (auto& b : noise) b = static_cast<std::uint8_t>(rng());
        PacketRecord r;
        r.wire_length = static_cast<std::uint32_t>(noise.size());
        r.data = Bytes(reinterpret_cast<const std::byte*>(noise.data()), noise.size());
        analyzer.add(r);
    }
    const CaptureStats& s = analyzer.stats();
    EXPECT_EQ(s.frames, 2000u);
    EXPECT_EQ(s.tcp_segments + s.not_ip + s.not_tcp + s.ip_fragments + s.undecodable, 2000u);
}

}  // namespace
}  // namespace tcpviz
