// OutputQueue: bytes waiting for send(), in order, never more than the limit.
#include "tcpviz/chat/output_queue.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace tcpviz::chat {
namespace {

TEST(OutputQueue, HandsOutBytesInOrderAcrossPartialSends) {
    OutputQueue queue(100);
    ASSERT_TRUE(queue.push("hello\n"));
    ASSERT_TRUE(queue.push("world\n"));
    EXPECT_EQ(queue.pending(), "hello\nworld\n");
    queue.consume(3);  // send() took only 3 bytes
    EXPECT_EQ(queue.pending(), "lo\nworld\n");
    EXPECT_EQ(queue.size(), 9u);
    queue.consume(9);
    EXPECT_TRUE(queue.empty());
    EXPECT_EQ(queue.pending(), "");
}

TEST(OutputQueue, TakesExactlyUpToItsLimit) {
    OutputQueue queue(10);
    EXPECT_TRUE(queue.push("12345"));
    EXPECT_TRUE(queue.push("67890"));
    EXPECT_EQ(queue.size(), 10u);
    EXPECT_FALSE(queue.push("x"));
}

TEST(OutputQueue, RefusesAWholeLineRatherThanQueueingPartOfIt) {
    OutputQueue queue(10);
    ASSERT_TRUE(queue.push("1234567"));
    EXPECT_FALSE(queue.push("abcd\n"));
    EXPECT_EQ(queue.pending(), "1234567");  // unchanged
    queue.consume(4);
    EXPECT_TRUE(queue.push("abcd\n"));  // room again once send() took bytes
    EXPECT_EQ(queue.pending(), "567abcd\n");
}

TEST(OutputQueue, DefaultLimitIs256KiB) {
    OutputQueue queue;
    EXPECT_EQ(queue.limit(), 256u * 1024u);
    EXPECT_TRUE(queue.push(std::string(256 * 1024, 'a')));
    EXPECT_FALSE(queue.push("b"));
}

TEST(OutputQueue, StaysCorrectOverManyRandomPushesAndSends) {
    // Checked against a plain string as the model.
    OutputQueue queue(1000);
    std::string model;
    std::mt19937 random(3);
    for (int step = 0; step < 20000; ++step) {
        if (random() % 2 == 0) {
            const std::string bytes(random() % 200, static_cast<char>('a' + step % 26));
            const bool fits = model.size() + bytes.size() <= 1000;
            ASSERT_EQ(queue.push(bytes), fits);
            if (fits) model += bytes;
        } else {
            const std::size_t n = model.empty() ? 0 : random() % (model.size() + 1);
            queue.consume(n);
            model.erase(0, n);
        }
        ASSERT_EQ(queue.pending(), model);
        ASSERT_LE(queue.size(), queue.limit());
    }
}

}  // namespace
}  // namespace tcpviz::chat
