// The built programs as a user runs them: `tcpviz chat server|client` and the
// classic one-to-one pair, as child processes talking through pipes.
#include <signal.h>

#include <poll.h>
#include <sys/socket.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "chat_test_support.h"
#include "tcpviz/chat/listener.h"

namespace tcpviz::chat {
namespace {

using namespace testing;

const std::string tcpviz_exe = TCPVIZ_EXE;
const std::string classic_server_exe = CLASSIC_SERVER_EXE;
const std::string classic_client_exe = CLASSIC_CLIENT_EXE;

// `tcpviz chat server` on 127.0.0.1 with a kernel-chosen port.
struct ServerProcess {
    explicit ServerProcess(std::vector<std::string> extra = {}) {
        std::vector<std::string> argv{tcpviz_exe, "chat", "server", "--bind", "127.0.0.1", "--port", "0"};
        argv.insert(argv.end(), extra.begin(), extra.end());
        process = std::make_unique<ChildProcess>(argv);
        const std::optional<std::string> banner = process->out().find("listening on");
        if (banner) port = port_in(*banner);
    }
    std::unique_ptr<ChildProcess> process;
    std::uint16_t port = 0;
};

std::unique_ptr<ChildProcess> chat_client(std::uint16_t port, std::vector<std::string> extra = {}) {
    std::vector<std::string> argv{tcpviz_exe, "chat", "client", "--port", std::to_string(port)};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return std::make_unique<ChildProcess>(argv);
}

TEST(ChatCli, AClassroomThroughStdinChineseIncludedEveryonePrintsEveryoneElse) {
    ServerProcess server;
    ASSERT_NE(server.port, 0);
    const std::vector<std::string> names{"alice", "bob", "\xE5\xB0\x8F\xE6\x98\x8E"};  // 小明
    std::vector<std::unique_ptr<ChildProcess>> clients;
    for (const std::string& name : names) {
        clients.push_back(chat_client(server.port));
        clients.back()->write_stdin("/nick " + name + "\n");
        ASSERT_TRUE(clients.back()->out().find("*** you are now " + name));
    }
    // The first two see the later ones arrive; then everyone talks.
    ASSERT_TRUE(clients[0]->out().find("is now " + names[2]));
    ASSERT_TRUE(clients[1]->out().find("is now " + names[2]));
    for (std::size_t i = 0; i < clients.size(); ++i) {
        clients[i]->write_stdin("hello from " + names[i] + "\n\xE5\xA4\xA7\xE5\xAE\xB6\xE5\xA5\xBD " + names[i] + "\n");
    }
    // Lines from different senders may arrive in either order; each
    // client must print all of them.
    for (std::size_t i = 0; i < clients.size(); ++i) {
        std::set<std::string> expected;
        for (std::size_t j = 0; j < clients.size(); ++j) {
            if (i == j) continue;
            expected.insert(names[j] + ": hello from " + names[j]);
            expected.insert(names[j] + ": \xE5\xA4\xA7\xE5\xAE\xB6\xE5\xA5\xBD " + names[j]);
        }
        while (!expected.empty()) {
            const std::optional<std::string> line = clients[i]->out().next();
            ASSERT_TRUE(line) << names[i] << " is missing " << *expected.begin();
            expected.erase(*line);
        }
    }
    // Ctrl-D for everyone: each still prints its goodbye, and exits 0.
    for (auto& client : clients) client->close_stdin();
    for (auto& client : clients) {
        EXPECT_TRUE(client->out().find("*** goodbye"));
        EXPECT_EQ(client->wait(), 0);
    }
    // Ctrl-C on the server: it stops gracefully.
    server.process->signal(SIGINT);
    EXPECT_TRUE(server.process->out().find("tcpviz chat server: stopped"));
    EXPECT_EQ(server.process->wait(), 0);
}

TEST(ChatCli, ScriptedClientsForDemos) {
    ServerProcess server;
    ASSERT_NE(server.port, 0);
    auto watcher = chat_client(server.port, {"--nick", "watcher"});
    ASSERT_TRUE(watcher->out().find("*** you are now watcher"));
    auto demo = chat_client(server.port, {"--nick", "demo", "--say", "one two", "--say", "three", "--interval", "10",
                                          "--nodelay", "--rcvbuf", "65536", "--keepalive", "30"});
    EXPECT_EQ(demo->wait(), 0);
    EXPECT_TRUE(watcher->out().find("demo: one two"));
    EXPECT_EQ(watcher->out().next(), "demo: three");
    EXPECT_EQ(watcher->out().next(), "*** demo left");
    watcher->close_stdin();
    EXPECT_EQ(watcher->wait(), 0);
}

TEST(ChatCli, ErrorsAreOneLineOnStderrWithExitStatus2) {
    ServerProcess server;
    ASSERT_NE(server.port, 0);
    {
        ChildProcess second(
            {tcpviz_exe, "chat", "server", "--bind", "127.0.0.1", "--port", std::to_string(server.port)});
        EXPECT_EQ(second.wait(), 2);
        bool ended = false;
        const std::vector<std::string> lines = second.err().rest(ended);
        ASSERT_EQ(lines.size(), 1u);
        EXPECT_EQ(lines[0], "tcpviz: error: port " + std::to_string(server.port) + " is already in use on 127.0.0.1:" +
                                std::to_string(server.port) + ": another server is running on port " +
                                std::to_string(server.port) + "? stop it or use --port");
    }
    server.process->signal(SIGTERM);
    EXPECT_EQ(server.process->wait(), 0);
    {
        // The server is gone: nobody listens on its port now.
        auto refused = chat_client(server.port);
        EXPECT_EQ(refused->wait(), 2);
        bool ended = false;
        const std::vector<std::string> lines = refused->err().rest(ended);
        ASSERT_EQ(lines.size(), 1u);
        EXPECT_NE(lines[0].find("is the server running?"), std::string::npos) << lines[0];
    }
}

TEST(ChatCli, StaysSmallInAHostileClassroom) {
    // A hundred idle clients, one sending megabytes without a newline, one
    // that never reads, one sending binary garbage -- and two polite clients
    // whose every line must arrive. The server must stay under 64 MB. (The
    // room waits --stall-timeout for the client that never reads.)
    ServerProcess server({"--stall-timeout", "2"});
    ASSERT_NE(server.port, 0);
    std::vector<TestClient> idle;
    for (int i = 0; i < 100; ++i) idle.push_back(TestClient::connect("127.0.0.1", server.port));
    TestClient alice = TestClient::connect("127.0.0.1", server.port);
    alice.set_nick("alice");
    TestClient bob = TestClient::connect("127.0.0.1", server.port);
    bob.set_nick("bob");
    TestClient never_reads = TestClient::connect("127.0.0.1", server.port, {.receive_buffer = 4096, .no_delay = false});
    TestClient flooder = TestClient::connect("127.0.0.1", server.port);
    TestClient garbage = TestClient::connect("127.0.0.1", server.port);

    std::string junk(64 * 1024, '\0');
    for (std::size_t i = 0; i < junk.size(); ++i) junk[i] = static_cast<char>((i * 7919 + 13) % 251);
    garbage.send_bytes(junk);
    const std::string block(1 << 20, 'm');
    for (int i = 0; i < 8; ++i) flooder.send_bytes(block);  // 8 MB, no newline
    flooder.send_bytes("\n");
    EXPECT_TRUE(flooder.in().find("*** line too long"));

    for (int i = 0; i < 200; ++i) {
        alice.say("alice " + std::to_string(i) + std::string(200, 'a'));
        bob.say("bob " + std::to_string(i) + std::string(200, 'b'));
    }
    for (int i = 0; i < 200; ++i) {
        ASSERT_EQ(bob.in().find("alice: "), "alice: alice " + std::to_string(i) + std::string(200, 'a'));
        ASSERT_EQ(alice.in().find("bob: "), "bob: bob " + std::to_string(i) + std::string(200, 'b'));
    }
    const long peak_kib = peak_rss_kib(server.process->pid());
    RecordProperty("server_peak_rss_kib", static_cast<int>(peak_kib));
    std::printf("server peak RSS: %ld KiB\n", peak_kib);
    EXPECT_GT(peak_kib, 0);
    EXPECT_LT(peak_kib, 64 * 1024) << "server peak RSS " << peak_kib << " KiB";
    server.process->signal(SIGINT);
    EXPECT_EQ(server.process->wait(), 0);
}

// The course's first program, done right: lines go both ways, and the end of
// each side's input is a half-close the other side sees.
TEST(ChatClassic, LinesFlowBothWaysAndEndOfInputHalfCloses) {
    ChildProcess server({classic_server_exe, "0", "127.0.0.1"});
    const std::optional<std::string> banner = server.err().find("listening on");
    ASSERT_TRUE(banner);
    const std::uint16_t port = port_in(*banner);
    ASSERT_NE(port, 0);
    ChildProcess client({classic_client_exe, "127.0.0.1", std::to_string(port)});
    ASSERT_TRUE(server.err().find("connected to 127.0.0.1:"));
    ASSERT_TRUE(client.err().find("connected to 127.0.0.1:"));

    client.write_stdin("hello server\n\xE4\xBD\xA0\xE5\xA5\xBD\n");
    EXPECT_EQ(server.out().next(), "hello server");
    EXPECT_EQ(server.out().next(), "\xE4\xBD\xA0\xE5\xA5\xBD");  // only the line's bytes, no stale buffer
    server.write_stdin("hello client\n");
    EXPECT_EQ(client.out().next(), "hello client");

    // The client's input ends: it sends FIN, the server's reader sees it...
    client.close_stdin();
    EXPECT_TRUE(client.err().find("end of input: sent FIN"));
    EXPECT_TRUE(server.err().find("the peer closed its side (FIN received)"));
    // ...but the other direction is still open: the server can still talk.
    server.write_stdin("still talking after your FIN\n");
    EXPECT_EQ(client.out().next(), "still talking after your FIN");
    server.close_stdin();
    EXPECT_TRUE(client.err().find("the peer closed its side (FIN received)"));
    EXPECT_EQ(client.wait(), 0);
    EXPECT_EQ(server.wait(), 0);
    EXPECT_EQ(server.out().next(1s), std::nullopt);  // nothing else ever arrived
}

TEST(ChatClassic, ALongLineArrivesWholeThoughFgetsReadsItInPieces) {
    ChildProcess server({classic_server_exe, "0", "127.0.0.1"});
    const std::optional<std::string> banner = server.err().find("listening on");
    ASSERT_TRUE(banner);
    ChildProcess client({classic_client_exe, "127.0.0.1", std::to_string(port_in(*banner))});
    std::string line(5000, 'x');
    for (std::size_t i = 0; i < line.size(); ++i) line[i] = static_cast<char>('a' + i % 26);
    client.write_stdin(line + "\n");
    EXPECT_EQ(server.out().next(), line);
    client.close_stdin();
    server.close_stdin();
    EXPECT_EQ(client.wait(), 0);
    EXPECT_EQ(server.wait(), 0);
}

// What a hostile peer sends: an OSC that retitles the window, BEL, a
// clear-screen, the C1 CSI, a right-to-left override.
const std::string hostile_text =
    "\x1B]0;owned\x07\x1B[2J\xC2\x9B"
    "31m\xE2\x80\xAE"
    "olleh\r\n";

TEST(ChatCli, TheClientShowsAHostileServersControlBytesInsteadOfObeyingThem) {
    Listeners hostile("127.0.0.1", 0, {}, {});
    ChildProcess client(
        {tcpviz_exe, "chat", "client", "--port", std::to_string(hostile.port()), "--quit-after", "5", "-q"});
    pollfd p{hostile.sockets().front().get(), POLLIN, 0};
    ASSERT_EQ(::poll(&p, 1, 10'000), 1);
    FileDescriptor server(::accept(hostile.sockets().front().get(), nullptr, nullptr));
    ASSERT_TRUE(server.valid());
    ASSERT_EQ(::send(server.get(), hostile_text.data(), hostile_text.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(hostile_text.size()));
    const std::string R = "\xEF\xBF\xBD";
    EXPECT_EQ(client.out().next(), R + "]0;owned" + R + R + "[2J" + R + "31m" + R + "olleh" + R);
    server.reset();  // our FIN: the client ends
    EXPECT_EQ(client.wait(), 0);
}

TEST(ChatClassic, ShowsControlBytesFromThePeerAsQuestionMarks) {
    ChildProcess server({classic_server_exe, "0", "127.0.0.1"});
    const std::optional<std::string> banner = server.err().find("listening on");
    ASSERT_TRUE(banner);
    TestClient peer = TestClient::connect("127.0.0.1", port_in(*banner));
    peer.send_bytes(hostile_text);
    EXPECT_EQ(server.out().next(), "?]0;owned??[2J?31m?olleh?");
    peer.half_close();
    server.close_stdin();
    EXPECT_EQ(server.wait(), 0);
}

}  // namespace
}  // namespace tcpviz::chat
