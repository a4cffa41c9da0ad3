// Backpressure: a flooder beside slow readers. The server must slow the
// flooder down to what the readers take -- not drop them -- and drop only a
// reader that has truly stopped reading.
#include <signal.h>

#include <gtest/gtest.h>

#include <cinttypes>
#include <cstdio>
#include <string>
#include <thread>

#include "chat_test_support.h"

namespace tcpviz::chat {
namespace {

using namespace testing;

// "flood 00000042 xxxx...", 100 bytes with its '\n'.
std::string flood_line(int number) {
    char prefix[32];
    std::snprintf(prefix, sizeof prefix, "flood %08d ", number);
    return prefix + std::string(100 - 16, 'x') + "\n";
}

// Sends `lines` flood lines as fast as the socket takes them, in 64 KiB writes.
void flood(TestClient& flooder, int lines) {
    std::string batch;
    for (int i = 0; i < lines; ++i) {
        batch += flood_line(i);
        if (batch.size() >= 64 * 1024) {
            flooder.send_bytes(batch);
            batch.clear();
        }
    }
    flooder.send_bytes(batch);
    flooder.say("done");
}

// Reads at `rate` until "flooder: done"; returns how many flood lines came in
// order before the first one out of order (or -1 if the connection ended).
int read_flood(LineReader& in, double rate) {
    in.keep_history(false);
    PacedReader paced(in, rate);
    int next = 0;
    while (std::optional<std::string> line = paced.next()) {
        if (*line == "flooder: done") return next;
        if (!line->starts_with("flooder: flood ")) continue;  // joins, leaves
        if (*line != "flooder: " + flood_line(next).substr(0, 99)) {
            ADD_FAILURE() << "expected flood line " << next << ", got \"" << line->substr(0, 40) << "\"";
            return next;
        }
        ++next;
    }
    return in.at_end() ? -1 : next;
}

TEST(ChatBackpressure, AReaderAt1MBPerSecondGetsEveryLineOfAFlooderAndOneThatNeverReadsIsDropped) {
    ServerConfig config = loopback_config();
    config.stall_time = 1s;
    config.socket.send_buffer = 32 * 1024;  // a shallow pipe, so the queues, not the kernel, hold the backlog
    RunningServer server(std::move(config));
    constexpr int line_count = 40'000;  // 4 MB: four seconds for the 1 MB/s reader

    TestClient reader =
        TestClient::connect("127.0.0.1", server.port(), {.receive_buffer = 64 * 1024, .no_delay = false});
    reader.set_nick("reader");
    TestClient never_reads =
        TestClient::connect("127.0.0.1", server.port(), {.receive_buffer = 4096, .no_delay = false});
    never_reads.set_nick("sleeper");
    TestClient flooder = TestClient::connect("127.0.0.1", server.port());
    flooder.set_nick("flooder");
    reader.sync();

    std::jthread flooding([&] { flood(flooder, line_count); });
    EXPECT_EQ(read_flood(reader.in(), 1e6), line_count);
    flooding.join();

    EXPECT_TRUE(
        server.server().wait_until([](const ServerStats& s) { return s.dropped_not_reading == 1; }, test_timeout));
    const ServerStats stats = server.server().stats();
    EXPECT_EQ(stats.dropped_not_reading, 1u) << "only the client that never reads goes";
    EXPECT_GE(stats.read_pauses, 1u) << "the flooder was never held back";
    EXPECT_LE(stats.peak_client_queue, ServerConfig{}.max_queued_bytes);
    // The sleeper was reset; the reader is still in the room and hears it.
    bool ended = false;
    never_reads.in().keep_history(false);
    never_reads.in().rest(ended, 5s);
    EXPECT_TRUE(ended);
    EXPECT_EQ(never_reads.in().error(), ECONNRESET);
    reader.in().keep_history(true);
    reader.sync();
    flooder.say("still there?");
    EXPECT_EQ(reader.in().find("flooder: still"), "flooder: still there?");
}

TEST(ChatBackpressure, ARealClientReadingAt20MBPerSecondBesideARealFlooderGetsEveryLine) {
    RunningServer server(loopback_config());  // the defaults a teacher runs
    const std::string port = std::to_string(server.port());
    ChildProcess reader(
        {TCPVIZ_EXE, "chat", "client", "--port", port, "--nick", "reader", "--quit-after", "300", "-q"});
    ASSERT_TRUE(reader.out().find("you are now reader"));
    constexpr long bulk_bytes = 60'000'000;  // 600,000 lines: three seconds at 20 MB/s
    ChildProcess flooder({TCPVIZ_EXE, "chat", "client", "--port", port, "--nick", "flooder", "--bulk",
                          std::to_string(bulk_bytes), "-q"});

    // The reader's terminal: its stdout, read at 20 MB/s.
    reader.out().keep_history(false);
    PacedReader paced(reader.out(), 20e6);
    long next = 1;
    bool left = false;
    while (std::optional<std::string> line = paced.next(30s)) {
        if (line->find("flooder left") != std::string::npos) {
            left = true;
            break;
        }
        if (!line->starts_with("flooder: bulk ")) continue;
        char expected[48];
        std::snprintf(expected, sizeof expected, "flooder: bulk %08ld ", next);
        if (!line->starts_with(expected)) {
            ADD_FAILURE() << "expected bulk line " << next << ", got \"" << line->substr(0, 40) << "\"";
            break;
        }
        ++next;
    }
    EXPECT_TRUE(left) << "the flooder's goodbye never came";
    EXPECT_EQ(next - 1, bulk_bytes / 100);
    EXPECT_EQ(flooder.wait(30s), 0);
    EXPECT_EQ(server.server().stats().dropped_not_reading, 0u);
    reader.signal(SIGTERM);
    reader.wait();
}

}  // namespace
}  // namespace tcpviz::chat
