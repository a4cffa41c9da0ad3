// A hostile classroom: 200 clients at once. Among them one sends a megabyte
// without a newline, one never reads, one sends binary garbage, one resets
// in the middle of a line, one types one byte at a time. The polite clients
// must still get every line, exactly once and in order, and the server must
// stay up with bounded buffers.
//
// Labelled "robust": it also runs under AddressSanitizer.
#include <poll.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "chat_test_support.h"
#include "tcpviz/chat/text.h"

namespace tcpviz::chat {
namespace {

using namespace testing;

constexpr int client_count = 200;
constexpr int polite_lines = 300;  // per polite client
constexpr int lead_lines = 40;     // lines the talk may run ahead of the slowest reader
constexpr std::size_t queue_limit = 64 * 1024;
const std::vector<std::string> polite_nicks{"alice", "bob", "carol"};
const std::string slow_typist_line = "slow: one byte at a time still makes a line";

std::string polite_line(const std::string& who, int i) {
    return who + " says " + std::to_string(i) + " " + std::string(100, static_cast<char>('a' + i % 26));
}

// Reads every socket it is given with one poll() loop, as fast as the
// server sends, and checks what arrives: polite lines exactly once and in
// order, the slow client's line whole, and nothing that is not clean UTF-8.
class Drainer {
public:
    struct Reader {
        int fd = -1;
        std::string self;  // a polite name, or "" for a quiet client
        std::string buffer;
        std::map<std::string, int> next;  // polite sender -> index of the line expected next
        bool slow_line = false;
        bool ended = false;
        std::vector<std::string> problems;
    };

    void add(int fd, std::string self = "") {
        Reader r;
        r.fd = fd;
        r.self = std::move(self);
        for (const std::string& who : polite_nicks) r.next[who] = 0;
        readers_.push_back(std::move(r));
    }

    // Runs until every reader has everything, or `timeout`. True if complete.
    bool run(std::chrono::milliseconds timeout) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        std::vector<pollfd> fds;
        char chunk[65536];
        while (!complete()) {
            const auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now())
                    .count();
            if (left <= 0) return false;
            fds.clear();
            for (const Reader& r : readers_) fds.push_back(pollfd{r.ended ? -1 : r.fd, POLLIN, 0});
            if (::poll(fds.data(), fds.size(), static_cast<int>(std::min<long long>(left, 100))) < 0) continue;
            for (std::size_t i = 0; i < fds.size(); ++i) {
                if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
                Reader& r = readers_[i];
                const ssize_t n = ::read(r.fd, chunk, sizeof chunk);
                if (n <= 0) {
                    r.ended = true;
                    r.problems.push_back("connection ended early");
                    continue;
                }
                r.buffer.append(chunk, static_cast<std::size_t>(n));
                std::size_t start = 0;
                for (std::size_t newline; (newline = r.buffer.find('\n', start)) != std::string::npos;
                     start = newline + 1) {
                    check(r, std::string_view(r.buffer).substr(start, newline - start));
                }
                r.buffer.erase(0, start);  // once per read, not once per line
            }
            update_slowest();
        }
        return true;
    }

    const std::vector<Reader>& readers() const { return readers_; }

    // Waits until every reader has every polite line before `index`, or
    // until `timeout`. True if they have.
    bool wait_for_everyone_to_read(int index, std::chrono::milliseconds timeout) const {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (slowest_.load() < index) {
            if (std::chrono::steady_clock::now() >= deadline) return false;
            std::this_thread::sleep_for(1ms);
        }
        return true;
    }

private:
    // The fewest polite lines any reader has from any polite sender.
    void update_slowest() {
        int slowest = polite_lines;
        for (const Reader& r : readers_) {
            for (const std::string& who : polite_nicks) {
                if (who != r.self) slowest = std::min(slowest, r.next.at(who));
            }
        }
        slowest_.store(slowest);
    }

    static void check(Reader& r, std::string_view line) {
        if (!is_valid_utf8(line) || sanitize_text(line) != line) r.problems.push_back("unclean line");
        if (line == slow_typist_line) {
            if (r.slow_line) r.problems.push_back("slow line twice");
            r.slow_line = true;
            return;
        }
        for (const std::string& who : polite_nicks) {
            if (!line.starts_with(who + ": ")) continue;
            const std::string expected = who + ": " + polite_line(who, r.next[who]);
            if (line != expected) {
                r.problems.push_back("expected \"" + expected.substr(0, 30) + "\", got \"" +
                                     std::string(line.substr(0, 30)) + "\"");
            } else {
                ++r.next[who];
            }
        }
    }

    bool complete() const {
        for (const Reader& r : readers_) {
            if (r.ended) return true;  // give up: a connection broke (reported as a problem)
            if (!r.slow_line && r.self != "slow") return false;
            for (const std::string& who : polite_nicks) {
                if (who != r.self && r.next.at(who) < polite_lines) return false;
            }
        }
        return true;
    }

    std::vector<Reader> readers_;
    std::atomic<int> slowest_{0};
};

TEST(ChatRobust, AHostileClassroomOf200ClientsCannotHurtThePoliteOnes) {
    ServerConfig config = loopback_config();
    config.max_clients = client_count + 10;
    config.max_queued_bytes = queue_limit;  // small, so the reader that stops is found quickly
    config.queue_high_water = queue_limit / 4;
    config.queue_low_water = queue_limit / 16;
    config.stall_time = 1s;                      // the room waits this long for the reader that stopped
    config.max_per_address = client_count + 10;  // everyone comes from 127.0.0.1
    config.socket.send_buffer = 8192;            // likewise: the kernel holds little for it
    config.drain_time = 500ms;                   // at the end, the test's clients never send their FIN
    RunningServer server(std::move(config));
    const std::uint16_t port = server.port();

    // -- everyone arrives: quiet clients, the polite three, the slow typist, the troublemakers.
    // The readers all share one test thread on a possibly busy machine; a
    // large receive buffer lets them fall behind for a while without being
    // taken for a client that stopped reading (that one has 4 KiB).
    const TestClient::Options reader{.receive_buffer = 1 << 20, .no_delay = false};
    std::vector<TestClient> quiet;
    for (int i = 0; i < client_count - 8; ++i) quiet.push_back(TestClient::connect("127.0.0.1", port, reader));
    std::vector<TestClient> polite;
    for (const std::string& who : polite_nicks) {
        polite.push_back(TestClient::connect("127.0.0.1", port, reader));
        polite.back().set_nick(who);
    }
    TestClient slow = TestClient::connect("127.0.0.1", port, {.receive_buffer = 1 << 20, .no_delay = true});
    slow.set_nick("slow");
    TestClient flooder = TestClient::connect("127.0.0.1", port);
    TestClient garbage = TestClient::connect("127.0.0.1", port);
    TestClient mid_line = TestClient::connect("127.0.0.1", port);
    TestClient never_reads = TestClient::connect("127.0.0.1", port, {.receive_buffer = 4096, .no_delay = false});
    ASSERT_TRUE(
        server.server().wait_until([](const ServerStats& s) { return s.clients == client_count; }, test_timeout));

    // -- from here on every quiet and polite client is read continuously
    Drainer drainer;
    for (TestClient& q : quiet) drainer.add(q.fd());
    for (std::size_t i = 0; i < polite.size(); ++i) drainer.add(polite[i].fd(), polite_nicks[i]);
    drainer.add(slow.fd(), "slow");
    bool drained = false;
    std::jthread drain_thread([&] { drained = drainer.run(40s); });

    // A megabyte without a newline: rejected once, costs the server at most 4 KiB.
    const std::string megabyte(1 << 20, 'M');
    flooder.send_bytes(megabyte);
    flooder.send_bytes("\n");
    EXPECT_TRUE(flooder.in().find("*** line too long"));
    flooder.half_close();
    EXPECT_TRUE(flooder.in().find("*** goodbye"));

    // Binary garbage, NUL bytes and newlines included: passed on only as clean UTF-8.
    std::string junk(16 * 1024, '\0');
    std::mt19937 random(11);
    for (char& c : junk) c = static_cast<char>(random() & 0xFF);
    garbage.send_bytes(junk);
    garbage.half_close();
    EXPECT_TRUE(garbage.in().find("*** goodbye"));

    // Half a line, then an RST: the half line goes nowhere.
    mid_line.send_bytes("half a li");
    mid_line.reset();

    // The polite talk, with the slow typist in the middle of it.
    std::jthread typist([&] {
        for (const char c : slow_typist_line.substr(6) + "\n") {
            slow.send_bytes(std::string(1, c));
            std::this_thread::sleep_for(2ms);  // pacing a slow sender, not synchronisation
        }
    });
    // The talk stays at most lead_lines lines ahead of the slowest reader. All 200
    // readers share one test thread; on a busy machine it could otherwise
    // fall 64 KiB behind and be dropped like the client that never reads,
    // which gets every line (no reader waits for it) and must be dropped.
    for (int i = 0; i < polite_lines; ++i) {
        ASSERT_TRUE(drainer.wait_for_everyone_to_read(i - lead_lines, test_timeout))
            << "the readers stopped at line " << i;
        for (std::size_t p = 0; p < polite.size(); ++p) polite[p].say(polite_line(polite_nicks[p], i));
    }
    typist.join();
    drain_thread.join();

    // -- every polite line reached every quiet and polite client, once, in order
    EXPECT_TRUE(drained) << "not everything arrived in time";
    for (const Drainer::Reader& r : drainer.readers()) {
        for (const std::string& problem : r.problems)
            ADD_FAILURE() << "fd " << r.fd << " (" << r.self << "): " << problem;
        EXPECT_EQ(r.slow_line, r.self != "slow") << "fd " << r.fd;  // everyone but the typist
        for (const std::string& who : polite_nicks) {
            if (who != r.self) {
                EXPECT_EQ(r.next.at(who), polite_lines) << "fd " << r.fd << " from " << who;
            }
        }
    }

    // -- the client that never read was dropped (with an RST); nobody else was
    EXPECT_TRUE(
        server.server().wait_until([](const ServerStats& s) { return s.dropped_not_reading == 1; }, test_timeout));
    bool ended = false;
    never_reads.in().rest(ended);
    EXPECT_TRUE(ended);
    EXPECT_EQ(never_reads.in().error(), ECONNRESET);

    // -- bounded buffers
    const ServerStats stats = server.server().stats();
    EXPECT_LE(stats.peak_client_queue, queue_limit);
    EXPECT_LE(stats.peak_queued_bytes, static_cast<std::size_t>(client_count) * queue_limit);
    EXPECT_LE(stats.buffered_input_bytes, static_cast<std::size_t>(client_count) * 4097);
    EXPECT_GE(stats.long_lines, 1u);
    EXPECT_GE(stats.connections_lost, 1u);
    EXPECT_EQ(stats.dropped_not_reading, 1u);

    // -- and the server still works
    TestClient newcomer = TestClient::connect("127.0.0.1", port);
    newcomer.set_nick("newcomer");
    newcomer.say("is anyone still here?");
    EXPECT_EQ(polite[0].in().find("newcomer: "), "newcomer: is anyone still here?");
    for (const std::string& line : polite[0].in().history()) {
        EXPECT_EQ(line.find("half a li"), std::string::npos) << "a line cut by an RST was passed on";
    }
    EXPECT_TRUE(server.stop_and_join());
}

}  // namespace
}  // namespace tcpviz::chat
