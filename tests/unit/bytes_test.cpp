#include <gtest/gtest.h>

#include <array>

#include "tcpviz/bytes.h"
#include "tcpviz/seq_num.h"

namespace tcpviz {
namespace {

TEST(Bytes, ReadsBigEndianFields) {
    const std::array<std::byte, 6> b{std::byte{0x12}, std::byte{0x34}, std::byte{0x56},
                                     std::byte{0x78}, std::byte{0x9a}, std::byte{0xbc}};
    EXPECT_EQ(be16(b, 0), 0x1234);
    EXPECT_EQ(be32(b, 2), 0x56789abcu);
    EXPECT_TRUE(has(b, 2, 4));
    EXPECT_FALSE(has(b, 3, 4));
    EXPECT_FALSE(has(b, 7, 0));
}

TEST(SeqNum, ComparesAcrossTheWrap) {
    EXPECT_TRUE(SeqNum(0xFFFFFFF0u) < SeqNum(0x10));
    EXPECT_FALSE(SeqNum(0x10) < SeqNum(0xFFFFFFF0u));
    EXPECT_TRUE(SeqNum(5) <= SeqNum(5));
    EXPECT_EQ(SeqNum(0xFFFFFFFFu) + 2, SeqNum(1));
    EXPECT_EQ(SeqNum(1) - SeqNum(0xFFFFFFFFu), 2u);
}

}  // namespace
}  // namespace tcpviz
