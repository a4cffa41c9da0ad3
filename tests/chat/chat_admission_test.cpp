// Who may come in: a login time for clients that never send a line, a limit
// per address, and silent connections making room for newcomers -- so idle
// sockets, a thousand of them or a full descriptor table, never lock a
// classroom out.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "chat_test_support.h"
#include "tcpviz/chat/listener.h"

namespace tcpviz::chat {
namespace {

using namespace testing;

// A newcomer joins, names itself and is heard by `listener`.
void expect_newcomer_joins(std::uint16_t port, TestClient& listener, const std::string& nick,
                           const std::string& from = "127.0.0.1") {
    TestClient newcomer = TestClient::connect("127.0.0.1", port, {}, from);
    ASSERT_TRUE(newcomer.in().find("*** welcome")) << nick;
    newcomer.set_nick(nick);
    newcomer.say("hello from " + nick);
    EXPECT_EQ(listener.in().find(nick + ": "), nick + ": hello from " + nick);
}

TEST(ChatAdmission, ClosesAClientThatSendsNoLineWithinTheLoginTimeButNotOneThatDid) {
    ServerConfig config = loopback_config();
    config.login_time = 300ms;
    RunningServer server(std::move(config));
    TestClient talker = TestClient::connect("127.0.0.1", server.port());
    talker.set_nick("talker");
    TestClient slowloris = TestClient::connect("127.0.0.1", server.port());
    slowloris.send_bytes("/nick slo");  // never finishes its line
    EXPECT_TRUE(slowloris.in().find("*** no line from you in time; goodbye"));
    bool ended = false;
    slowloris.in().rest(ended, 5s);
    EXPECT_TRUE(ended);
    EXPECT_EQ(slowloris.in().error(), 0) << "a FIN after the goodbye, not an RST";
    EXPECT_TRUE(talker.in().find("left (said nothing)"));
    EXPECT_TRUE(server.server().wait_until([](const ServerStats& s) { return s.login_timeouts == 1; }, test_timeout));
    // The talker spoke in time and stays, however long it is quiet.
    TestClient other = TestClient::connect("127.0.0.1", server.port());
    other.set_nick("other");
    std::this_thread::sleep_for(500ms);  // past the login time: what is being tested
    talker.say("still here");
    EXPECT_EQ(other.in().find("talker: "), "talker: still here");
}

TEST(ChatAdmission, LimitsConnectionsPerAddressAndSilentOnesMakeRoom) {
    ServerConfig config = loopback_config();
    config.max_per_address = 3;
    RunningServer server(std::move(config));
    const std::uint16_t port = server.port();
    std::vector<TestClient> talkers;
    for (int i = 0; i < 3; ++i) {
        talkers.push_back(TestClient::connect("127.0.0.1", port));
        talkers.back().set_nick("t" + std::to_string(i));
    }
    // A fourth from 127.0.0.1, where all three have spoken: turned away.
    TestClient fourth = TestClient::connect("127.0.0.1", port);
    EXPECT_EQ(fourth.in().next(), "*** too many connections from 127.0.0.1 (3); close one and try again");
    EXPECT_FALSE(fourth.in().next());
    EXPECT_TRUE(fourth.in().at_end());
    // Another address has its own share.
    expect_newcomer_joins(port, talkers[0], "second", "127.0.0.2");
    // Three silent ones from 127.0.0.3; a fourth takes the place of the oldest.
    std::vector<TestClient> silent;
    for (int i = 0; i < 3; ++i) silent.push_back(TestClient::connect("127.0.0.1", port, {}, "127.0.0.3"));
    for (TestClient& s : silent) ASSERT_TRUE(s.in().find("*** welcome"));
    expect_newcomer_joins(port, talkers[0], "late", "127.0.0.3");
    bool ended = false;
    silent[0].in().rest(ended, 5s);
    EXPECT_TRUE(ended);
    EXPECT_EQ(silent[0].in().error(), ECONNRESET);
    const ServerStats stats = server.server().stats();
    EXPECT_EQ(stats.refused_address, 1u);
    EXPECT_EQ(stats.evicted_silent, 1u);
}

TEST(ChatAdmission, NewcomersJoinWhileAThousandIdleConnectionsAreOpen) {
    raise_descriptor_limit();                 // this process holds both ends of every connection
    RunningServer server(loopback_config());  // default limits: 512 clients, 64 per address
    const std::uint16_t port = server.port();
    TestClient listener = TestClient::connect("127.0.0.1", port, {}, "127.0.0.9");
    listener.set_nick("listener");
    std::vector<TestClient> idle;
    for (int i = 0; i < 1000; ++i) {
        // From 127.0.0.1 and, for the second half, 127.0.1.x: one address
        // each, so the room itself fills, not only one address's share.
        const std::string from = i < 500 ? "127.0.0.1" : "127.0.1." + std::to_string(i % 250 + 1);
        idle.push_back(TestClient::connect("127.0.0.1", port, {}, from));
    }
    ASSERT_TRUE(server.server().wait_until([](const ServerStats& s) { return s.accepted >= 1001; }, 30s));
    listener.in().keep_history(false);
    expect_newcomer_joins(port, listener, "newcomer1", "127.0.0.1");
    expect_newcomer_joins(port, listener, "newcomer2", "127.0.1.7");
    expect_newcomer_joins(port, listener, "newcomer3", "127.0.2.1");
    const ServerStats stats = server.server().stats();
    EXPECT_EQ(stats.refused_full + stats.refused_address, 0u);
    EXPECT_GE(stats.evicted_silent, 400u);
    EXPECT_LE(stats.connections, ServerConfig::default_max_clients);
}

TEST(ChatAdmission, NewcomersJoinWhenTheServerIsOutOfDescriptors) {
    raise_descriptor_limit();
    // ulimit -n 128: the server runs out of descriptors long before 1,100 connections.
    ChildProcess server({"/bin/sh", "-c",
                         std::string("ulimit -n 128 && exec ") + TCPVIZ_EXE +
                             " chat server --bind 127.0.0.1 --port 0 --max-per-address 5000 -q"});
    const std::optional<std::string> banner = server.out().next();
    ASSERT_TRUE(banner);
    const std::uint16_t port = port_in(*banner);
    ASSERT_NE(port, 0) << *banner;
    TestClient listener = TestClient::connect("127.0.0.1", port);
    listener.set_nick("listener");
    std::vector<TestClient> idle;
    for (int i = 0; i < 1100; ++i) idle.push_back(TestClient::connect("127.0.0.1", port));
    listener.in().keep_history(false);
    expect_newcomer_joins(port, listener, "newcomer1");
    expect_newcomer_joins(port, listener, "newcomer2");
    server.signal(SIGTERM);
    EXPECT_EQ(server.wait(), 0);
}

}  // namespace
}  // namespace tcpviz::chat
