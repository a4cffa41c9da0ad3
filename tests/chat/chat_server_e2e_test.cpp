// The chat server over real TCP on loopback: in-process server on a thread,
// blocking test clients with timeouts. Ports are chosen by the kernel, so
// tests can run in parallel.
#include <linux/sockios.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <thread>
#include <vector>

#include "chat_test_support.h"
#include "tcpviz/chat/chat_error.h"

namespace tcpviz::chat {
namespace {

using namespace testing;

bool ipv6_loopback_available() {
    FileDescriptor fd(::socket(AF_INET6, SOCK_STREAM, 0));
    if (!fd) return false;
    sockaddr_in6 address{};
    address.sin6_family = AF_INET6;
    address.sin6_addr = in6addr_loopback;
    return ::bind(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
}

// Connects `count` clients named c0, c1, ... and waits until all are in.
std::vector<TestClient> join(RunningServer& server, int count, const std::string& host = "127.0.0.1") {
    std::vector<TestClient> clients;
    for (int i = 0; i < count; ++i) {
        clients.push_back(TestClient::connect(host, server.port()));
        clients.back().set_nick("c" + std::to_string(i));
    }
    // Read every join announcement queued so far, so each test starts clean.
    for (TestClient& client : clients) client.sync();
    return clients;
}

TEST(ChatServer, EveryClientGetsEveryOtherClientsLinesExactlyOnceAndInOrder) {
    RunningServer server(loopback_config());
    constexpr int client_count = 5;
    constexpr int line_count = 20;
    std::vector<TestClient> clients = join(server, client_count);

    // Everyone talks at once: the lines of different clients interleave in
    // the server, each client's own lines stay in order.
    for (int k = 0; k < line_count; ++k) {
        for (int i = 0; i < client_count; ++i) {
            clients[i].say("line " + std::to_string(k) + (k % 5 == 0 ? " \xE4\xBD\xA0\xE5\xA5\xBD" : ""));
        }
    }
    // Each client: read until it has all the others' lines, then end its
    // input and read the rest up to the server's FIN.
    for (int i = 0; i < client_count; ++i) {
        int seen = 0;
        while (seen < (client_count - 1) * line_count) {
            const std::optional<std::string> line = clients[i].in().next();
            ASSERT_TRUE(line) << "c" << i << " got only " << seen << " lines";
            if (line->find(": line ") != std::string::npos) ++seen;
        }
    }
    for (int i = 0; i < client_count; ++i) {
        clients[i].half_close();
        bool ended = false;
        clients[i].in().rest(ended);
        ASSERT_TRUE(ended);
    }
    for (int i = 0; i < client_count; ++i) {
        std::map<std::string, std::vector<int>> by_sender;
        for (const std::string& line : clients[i].in().history()) {
            const std::size_t colon = line.find(": line ");
            if (colon == std::string::npos || line.starts_with("***")) continue;
            by_sender[line.substr(0, colon)].push_back(std::stoi(line.substr(colon + 7)));
        }
        ASSERT_EQ(by_sender.size(), static_cast<std::size_t>(client_count - 1)) << "c" << i;
        EXPECT_EQ(by_sender.count("c" + std::to_string(i)), 0u) << "c" << i << " got its own lines back";
        for (const auto& [sender, numbers] : by_sender) {
            std::vector<int> expected(line_count);
            for (int k = 0; k < line_count; ++k) expected[k] = k;
            EXPECT_EQ(numbers, expected) << "c" << i << " from " << sender;
        }
    }
    EXPECT_TRUE(server.server().wait_until(
        [](const ServerStats& s) {
            return s.messages_relayed == static_cast<std::uint64_t>(client_count * line_count);
        },
        test_timeout));
}

TEST(ChatServer, ReassemblesALineThatArrivesInPiecesAndSplitsLinesThatArriveTogether) {
    RunningServer server(loopback_config());
    std::vector<TestClient> clients = join(server, 2);
    TestClient sender = TestClient::connect("127.0.0.1", server.port(), {.receive_buffer = 0, .no_delay = true});
    sender.set_nick("sender");
    ASSERT_TRUE(clients[0].in().find("is now sender"));
    // TCP_NODELAY: each piece leaves as its own segment; the server's recv()
    // sees "hel", then "lo wo", then "rld\r\nsecond\nthird\n".
    sender.send_bytes("hel");
    ASSERT_FALSE(clients[0].in().next(50ms));  // nothing yet: no '\n' has arrived
    sender.send_bytes("lo wo");
    sender.send_bytes("rld\r\nsecond\nthird\n");
    EXPECT_EQ(clients[0].in().next(), "sender: hello world");
    EXPECT_EQ(clients[0].in().next(), "sender: second");
    EXPECT_EQ(clients[0].in().next(), "sender: third");
}

TEST(ChatServer, AHalfClosedClientStillGetsItsGoodbyeAndThenTheServersFin) {
    RunningServer server(loopback_config());
    std::vector<TestClient> clients = join(server, 2);
    clients[0].say("last words");
    clients[0].half_close();  // our FIN; we keep reading
    EXPECT_EQ(clients[0].in().next(), "*** goodbye, c0");
    EXPECT_FALSE(clients[0].in().next());
    EXPECT_TRUE(clients[0].in().at_end());
    EXPECT_EQ(clients[0].in().error(), 0);  // a FIN, not an RST
    EXPECT_EQ(clients[1].in().next(), "c0: last words");
    EXPECT_EQ(clients[1].in().next(), "*** c0 left");
    EXPECT_TRUE(server.server().wait_until([](const ServerStats& s) { return s.connections == 1; }, test_timeout));
}

TEST(ChatServer, ALastLineWithoutNewlineCountsWhenTheFinEndsIt) {
    RunningServer server(loopback_config());
    std::vector<TestClient> clients = join(server, 2);
    clients[0].send_bytes("no newline before the FIN");
    clients[0].half_close();
    EXPECT_EQ(clients[1].in().next(), "c0: no newline before the FIN");
}

TEST(ChatServer, QuitGetsAGoodbyeThenTheServerHalfClosesAndWaitsForOurFin) {
    RunningServer server(loopback_config());
    std::vector<TestClient> clients = join(server, 2);
    clients[0].say("/quit");
    EXPECT_EQ(clients[0].in().next(), "*** goodbye, c0");
    EXPECT_FALSE(clients[0].in().next());  // the server's FIN (shutdown SHUT_WR)
    EXPECT_TRUE(clients[0].in().at_end());
    EXPECT_EQ(clients[1].in().next(), "*** c0 left");
    EXPECT_EQ(server.server().stats().connections, 2u);  // still waiting for our FIN
    clients[0].half_close();
    EXPECT_TRUE(server.server().wait_until([](const ServerStats& s) { return s.connections == 1; }, test_timeout));
}

TEST(ChatServer, SurvivesAClientThatResetsAndTellsTheOthers) {
    RunningServer server(loopback_config());
    std::vector<TestClient> clients = join(server, 2);
    clients[0].say("before the reset");
    ASSERT_EQ(clients[1].in().next(), "c0: before the reset");
    clients[0].reset();  // SO_LINGER 0: RST instead of FIN
    EXPECT_EQ(clients[1].in().next(), "*** c0 left (connection reset)");
    EXPECT_TRUE(server.server().wait_until([](const ServerStats& s) { return s.connections_lost == 1; }, test_timeout));
    TestClient late = TestClient::connect("127.0.0.1", server.port());
    late.set_nick("late");
    late.say("still here?");
    EXPECT_EQ(clients[1].in().find("late: "), "late: still here?");
}

TEST(ChatServer, PassesOnLinesSentBeforeAnRstThatCameBeforeAccept) {
    // The client connects, talks and resets before the server has even
    // accepted it: the handshake, the data and the RST were all handled by
    // the kernel. The server's first send() (the welcome) fails -- but the
    // lines that arrived before the RST must still be passed on.
    ServerConfig config = loopback_config();
    config.drain_time = 200ms;  // bob never closes
    ChatServer server(config);
    TestClient bob = TestClient::connect("127.0.0.1", server.port());
    TestClient gone = TestClient::connect("127.0.0.1", server.port());
    gone.send_bytes("/nick gone\nsent before the reset\n");
    const auto give_up = std::chrono::steady_clock::now() + test_timeout;
    int unacknowledged = 1;
    while (::ioctl(gone.fd(), SIOCOUTQ, &unacknowledged) == 0 && unacknowledged > 0 &&
           std::chrono::steady_clock::now() < give_up) {
        std::this_thread::sleep_for(1ms);  // until the server's kernel has ACKed our bytes
    }
    gone.reset();
    std::jthread loop([&server] { server.run(); });
    struct StopAtEnd {
        ChatServer& server;
        ~StopAtEnd() { server.stop(); }
    } stop_at_end{server};
    EXPECT_EQ(bob.in().find("gone: "), "gone: sent before the reset");
    EXPECT_EQ(bob.in().next(), "*** gone left (connection reset)");
}

TEST(ChatServer, RejectsAnOverlongLineWithAMessageAndCarriesOn) {
    RunningServer server(loopback_config());
    std::vector<TestClient> clients = join(server, 2);
    clients[0].send_bytes(std::string(5000, 'x'));
    EXPECT_EQ(clients[0].in().next(), "*** line too long (over 4096 bytes): it was not sent");
    clients[0].send_bytes(std::string(5000, 'y') + "\nshort one\n");
    EXPECT_EQ(clients[1].in().next(), "c0: short one");
    EXPECT_TRUE(server.server().wait_until([](const ServerStats& s) { return s.long_lines == 1; }, test_timeout));
}

TEST(ChatServer, ReplacesInvalidUtf8AndControlCharactersBeforePassingALineOn) {
    RunningServer server(loopback_config());
    std::vector<TestClient> clients = join(server, 2);
    clients[0].send_bytes(std::string("a\0b\x1B[2J\xFF\xE4\xBD\xA0\n", 12));
    EXPECT_EQ(clients[1].in().next(),
              "c0: a\xEF\xBF\xBD"
              "b\xEF\xBF\xBD[2J\xEF\xBF\xBD\xE4\xBD\xA0");
}

TEST(ChatServer, TalksIpv6OnTheIpv6Loopback) {
    if (!ipv6_loopback_available()) GTEST_SKIP() << "no IPv6 loopback here";
    RunningServer server(loopback_config("::1"));
    EXPECT_EQ(server.server().endpoints().front(), "[::1]:" + std::to_string(server.port()));
    std::vector<TestClient> clients = join(server, 2, "::1");
    clients[0].say("over IPv6");
    EXPECT_EQ(clients[1].in().next(), "c0: over IPv6");
}

TEST(ChatServer, TurnsClientsAwayPolitelyWhenTheRoomIsFull) {
    ServerConfig config = loopback_config();
    config.max_clients = 2;
    RunningServer server(std::move(config));
    std::vector<TestClient> clients = join(server, 2);
    TestClient third = TestClient::connect("127.0.0.1", server.port());
    EXPECT_EQ(third.in().next(), "*** the room is full (2 people); try again later");
    EXPECT_FALSE(third.in().next());
    EXPECT_TRUE(third.in().at_end());
    EXPECT_TRUE(server.server().wait_until([](const ServerStats& s) { return s.refused_full == 1; }, test_timeout));
}

TEST(ChatServer, StopTellsEveryClientSendsFinAndReturnsWithinTheDrainTime) {
    ServerConfig config = loopback_config();
    config.drain_time = 500ms;
    RunningServer server(std::move(config));
    std::vector<TestClient> clients = join(server, 3);
    server.server().stop();
    for (TestClient& client : clients) {
        EXPECT_EQ(client.in().next(), "*** the server is shutting down; goodbye");
        EXPECT_FALSE(client.in().next());  // the server's FIN
        EXPECT_TRUE(client.in().at_end());
        EXPECT_EQ(client.in().error(), 0);
    }
    // Two clients answer with their FIN; the third never does, and the
    // server stops waiting when the drain time is up.
    clients[0].half_close();
    clients[1].half_close();
    const auto start = std::chrono::steady_clock::now();
    EXPECT_TRUE(server.stop_and_join(5s));
    EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
}

TEST(ChatServer, RestartsOnTheSamePortRightAfterStopping) {
    std::uint16_t port = 0;
    {
        RunningServer first(loopback_config());
        port = first.port();
        std::vector<TestClient> clients = join(first, 2);
        first.server().stop();
        for (TestClient& client : clients) {
            bool ended = false;
            client.in().rest(ended);  // up to the server's FIN
            ASSERT_TRUE(ended);
        }
        // The server closed first: its side of each connection is now in TIME_WAIT.
    }
    ServerConfig config = loopback_config();
    config.port = port;
    RunningServer second(std::move(config));  // SO_REUSEADDR makes this work
    EXPECT_EQ(second.port(), port);
}

TEST(ChatServer, ExplainsAPortInUse) {
    RunningServer first(loopback_config());
    ServerConfig config = loopback_config();
    config.port = first.port();
    try {
        ChatServer second(config);
        FAIL() << "a second server on the same port";
    } catch (const ChatError& e) {
        EXPECT_NE(std::string(e.what()).find("another server is running on port"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace tcpviz::chat
