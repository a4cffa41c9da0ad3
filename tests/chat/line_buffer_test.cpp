// LineBuffer: TCP cuts the byte stream wherever it likes; the lines must come
// out the same however the bytes were split.
#include "tcpviz/chat/line_buffer.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace tcpviz::chat {
namespace {

using Kind = LineBuffer::Item::Kind;

std::vector<LineBuffer::Item> drain(LineBuffer& buffer) {
    std::vector<LineBuffer::Item> items;
    while (auto item = buffer.next()) items.push_back(*item);
    return items;
}

std::vector<LineBuffer::Item> feed(const std::vector<std::string>& chunks, std::size_t limit = 4096) {
    LineBuffer buffer(limit);
    std::vector<LineBuffer::Item> items;
    for (const std::string& chunk : chunks) {
        buffer.append(chunk);
        for (auto& item : drain(buffer)) items.push_back(item);
    }
    return items;
}

LineBuffer::Item line(std::string text) { return {Kind::line, std::move(text)}; }
LineBuffer::Item too_long() { return {Kind::too_long, {}}; }

TEST(LineBuffer, SplitsOneChunkHoldingSeveralLines) {
    EXPECT_EQ(feed({"hello\nworld\n"}), (std::vector{line("hello"), line("world")}));
}

TEST(LineBuffer, KeepsAnUnfinishedLineUntilItsNewlineArrives) {
    LineBuffer buffer;
    buffer.append("hel");
    EXPECT_FALSE(buffer.next());
    EXPECT_EQ(buffer.buffered(), 3u);
    buffer.append("lo\nwor");
    EXPECT_EQ(buffer.next(), line("hello"));
    EXPECT_FALSE(buffer.next());
    buffer.append("ld\n");
    EXPECT_EQ(buffer.next(), line("world"));
    EXPECT_EQ(buffer.buffered(), 0u);
}

TEST(LineBuffer, GivesTheSameLinesForEveryWayOfCuttingTheStreamInThree) {
    const std::string stream = "hello\nw\xC3\xB6rld \xE4\xBD\xA0\xE5\xA5\xBD\r\n\nlast line\n";
    const std::vector expected{line("hello"), line("w\xC3\xB6rld \xE4\xBD\xA0\xE5\xA5\xBD"), line(""),
                               line("last line")};
    for (std::size_t i = 0; i <= stream.size(); ++i) {
        for (std::size_t j = i; j <= stream.size(); ++j) {
            ASSERT_EQ(feed({stream.substr(0, i), stream.substr(i, j - i), stream.substr(j)}), expected)
                << "cut at " << i << " and " << j;
        }
    }
}

TEST(LineBuffer, GivesTheSameLinesForRandomCutsAndByteByByte) {
    std::string stream;
    std::vector<LineBuffer::Item> expected;
    for (int i = 0; i < 200; ++i) {
        std::string text = "message " + std::to_string(i) + std::string(static_cast<std::size_t>(i % 37), 'x');
        stream += text + (i % 3 == 0 ? "\r\n" : "\n");
        expected.push_back(line(text));
    }
    std::mt19937 random(42);  // fixed seed: the same cuts every run
    for (int round = 0; round < 50; ++round) {
        std::vector<std::string> chunks;
        for (std::size_t at = 0; at < stream.size();) {
            const std::size_t length = std::uniform_int_distribution<std::size_t>(1, 300)(random);
            chunks.push_back(stream.substr(at, length));
            at += length;
        }
        ASSERT_EQ(feed(chunks), expected) << "round " << round;
    }
    std::vector<std::string> bytes;
    for (const char c : stream) bytes.emplace_back(1, c);
    EXPECT_EQ(feed(bytes), expected);
}

TEST(LineBuffer, DropsTheCarriageReturnOfCrLfEvenWhenTheTwoArriveApart) {
    EXPECT_EQ(feed({"telnet\r", "\n"}), std::vector{line("telnet")});
    EXPECT_EQ(feed({"a\r\nb\n"}), (std::vector{line("a"), line("b")}));
}

TEST(LineBuffer, LeavesACarriageReturnInsideALineForTheSanitizer) {
    EXPECT_EQ(feed({"bob: hi\ralice: x\n"}), std::vector{line("bob: hi\ralice: x")});
}

TEST(LineBuffer, AcceptsALineOfExactlyTheLimit) {
    const std::string longest(4096, 'a');
    EXPECT_EQ(feed({longest + "\n"}), std::vector{line(longest)});
    EXPECT_EQ(feed({longest + "\r", "\n"}), std::vector{line(longest)});
    EXPECT_EQ(feed({longest, "\r\n"}), std::vector{line(longest)});
}

TEST(LineBuffer, RejectsALineOneByteOverTheLimit) {
    const std::string too_long_line(4097, 'a');
    EXPECT_EQ(feed({too_long_line + "\nnext\n"}), (std::vector{too_long(), line("next")}));
    EXPECT_EQ(feed({too_long_line, "\nnext\n"}), (std::vector{too_long(), line("next")}));
    EXPECT_EQ(feed({too_long_line + "\r\n"}), std::vector{too_long()});
}

TEST(LineBuffer, ReportsAMegabyteWithoutNewlineOnceAndHoldsAtMostTheLimit) {
    LineBuffer buffer(4096);
    std::vector<LineBuffer::Item> items;
    const std::string chunk(1000, 'z');
    for (int i = 0; i < 1000; ++i) {
        buffer.append(chunk);
        ASSERT_LE(buffer.buffered(), 4097u);
        for (auto& item : drain(buffer)) items.push_back(item);
    }
    buffer.append("still the same line\nnext\n");
    for (auto& item : drain(buffer)) items.push_back(item);
    EXPECT_EQ(items, (std::vector{too_long(), line("next")}));
}

TEST(LineBuffer, HonoursASmallerLimit) {
    EXPECT_EQ(feed({"12345\n123456\n1234"}, 5), (std::vector{line("12345"), too_long()}));
}

TEST(LineBuffer, FinishGivesTheUnterminatedTailAtTheFin) {
    LineBuffer buffer;
    buffer.append("complete\nno newline at the end\r");
    EXPECT_EQ(buffer.next(), line("complete"));
    EXPECT_EQ(buffer.finish(), std::optional<std::string>("no newline at the end"));
    EXPECT_EQ(buffer.finish(), std::nullopt);
}

TEST(LineBuffer, FinishGivesNothingForAnEmptyTailOrAnOverlongOne) {
    LineBuffer empty;
    empty.append("done\n");
    EXPECT_EQ(empty.finish(), std::nullopt);
    LineBuffer overlong(8);
    overlong.append("far too long for eight");
    EXPECT_EQ(overlong.next(), too_long());
    EXPECT_EQ(overlong.finish(), std::nullopt);
}

}  // namespace
}  // namespace tcpviz::chat
