// ChatClient against the in-process server: the client runs on a thread with
// pipes for its stdin and stdout.
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <future>
#include <string>

#include "chat_test_support.h"
#include "tcpviz/chat/addr_info.h"
#include "tcpviz/chat/chat_client.h"
#include "tcpviz/chat/chat_error.h"

namespace tcpviz::chat {
namespace {

using namespace testing;

// A ChatClient whose stdin and stdout are pipes the test holds.
class PipedClient {
public:
    explicit PipedClient(ClientConfig config) {
        int in[2], out[2];
        if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe");
        input_read_.reset(in[0]);
        input_write_.reset(in[1]);
        output_read_.reset(out[0]);
        output_write_.reset(out[1]);
        config.input_fd = input_read_.get();
        config.output_fd = output_write_.get();
        client_ = std::make_unique<ChatClient>(std::move(config));
        output_.reset(output_read_.get());
        result_ = std::async(std::launch::async, [this] { return client_->run(); });
    }
    ~PipedClient() {
        input_write_.reset();  // end of input, in case the test did not
        if (result_.valid()) result_.wait();
    }
    void type(std::string_view bytes) {
        ASSERT_EQ(::write(input_write_.get(), bytes.data(), bytes.size()), ssize_t(bytes.size()));
    }
    void end_input() { input_write_.reset(); }
    LineReader& printed() { return output_; }
    ChatClient& client() { return *client_; }
    // run()'s exit status, or -1 if it has not returned within `timeout`.
    // Once run() has returned, printed() reaches the end of the output.
    int exit_status(std::chrono::milliseconds timeout = test_timeout) {
        if (!result_.valid()) return status_;
        if (result_.wait_for(timeout) != std::future_status::ready) return -1;
        status_ = result_.get();
        output_write_.reset();
        return status_;
    }

private:
    FileDescriptor input_read_, input_write_, output_read_, output_write_;
    std::unique_ptr<ChatClient> client_;
    LineReader output_;
    std::future<int> result_;
    int status_ = -1;
};

ClientConfig config_for(const RunningServer& server, std::string host = "127.0.0.1") {
    ClientConfig config;
    config.host = std::move(host);
    config.port = server.port();
    config.interval = 1ms;
    return config;
}

TEST(ChatClient, ScriptedSaysItsLinesThenHalfClosesAndStillPrintsTheGoodbye) {
    RunningServer server(loopback_config());
    TestClient listener = TestClient::connect("127.0.0.1", server.port());
    listener.set_nick("listener");
    ClientConfig config = config_for(server);
    config.nick = "alice";
    config.say = {"hello", "\xE4\xBD\xA0\xE5\xA5\xBD", "bye"};
    PipedClient alice(std::move(config));
    EXPECT_EQ(listener.in().find("alice: "), "alice: hello");
    EXPECT_EQ(listener.in().next(), "alice: \xE4\xBD\xA0\xE5\xA5\xBD");
    EXPECT_EQ(listener.in().next(), "alice: bye");
    EXPECT_EQ(listener.in().next(), "*** alice left");
    EXPECT_TRUE(alice.printed().find("*** goodbye, alice"));
    EXPECT_EQ(alice.exit_status(), 0);
    bool ended = false;
    alice.printed().rest(ended);
    EXPECT_TRUE(ended);
}

TEST(ChatClient, PrintsWhatArrivesWhileReadingItsInputAndHalfClosesAtTheEndOfInput) {
    RunningServer server(loopback_config());
    TestClient bob = TestClient::connect("127.0.0.1", server.port());
    bob.set_nick("bob");
    PipedClient alice(config_for(server));
    alice.type("/nick alice\n");
    ASSERT_TRUE(alice.printed().find("*** you are now alice"));
    bob.say("hi alice");
    EXPECT_EQ(alice.printed().next(), "bob: hi alice");
    alice.type("hi ");  // half a line: the server waits for the rest
    alice.type("bob\n");
    EXPECT_EQ(bob.in().find("alice: "), "alice: hi bob");
    alice.end_input();  // Ctrl-D: shutdown(SHUT_WR), but keep printing
    EXPECT_EQ(alice.printed().next(), "*** goodbye, alice");
    EXPECT_EQ(alice.exit_status(), 0);
    EXPECT_EQ(bob.in().next(), "*** alice left");
}

TEST(ChatClient, Linger0EndsTheConnectionWithAReset) {
    RunningServer server(loopback_config());
    TestClient bob = TestClient::connect("127.0.0.1", server.port());
    bob.set_nick("bob");
    ClientConfig config = config_for(server);
    config.nick = "rst";
    config.say = {"about to reset"};
    config.linger_reset = true;
    PipedClient client(std::move(config));
    EXPECT_EQ(client.exit_status(), 0);
    EXPECT_EQ(bob.in().find("rst: "), "rst: about to reset");  // acknowledged before the RST
    EXPECT_EQ(bob.in().next(), "*** rst left (connection reset)");
    EXPECT_TRUE(server.server().wait_until([](const ServerStats& s) { return s.connections_lost == 1; }, test_timeout));
}

TEST(ChatClient, BulkSendsNumberedLinesAddingUpToTheRequestedBytes) {
    RunningServer server(loopback_config());
    TestClient reader = TestClient::connect("127.0.0.1", server.port());
    reader.set_nick("reader");
    ClientConfig config = config_for(server);
    config.nick = "bulk";
    config.bulk_bytes = 200'050;  // 2000 full lines and one of 50 bytes
    PipedClient client(std::move(config));
    std::size_t bytes = 0;
    int lines = 0;
    while (true) {
        const std::optional<std::string> line = reader.in().next();
        ASSERT_TRUE(line);
        if (*line == "*** bulk left") break;
        if (!line->starts_with("bulk: ")) continue;
        ++lines;
        bytes += line->size() - 6 + 1;  // without "bulk: ", with its '\n'
        if (lines <= 2000) {
            char number[16];
            std::snprintf(number, sizeof number, "%08d", lines);
            ASSERT_EQ(line->substr(6, 14), "bulk " + std::string(number) + " ") << *line;
        }
    }
    EXPECT_EQ(lines, 2001);
    EXPECT_EQ(bytes, 200'050u);
    EXPECT_EQ(client.exit_status(), 0);
}

TEST(ChatClient, PausedReadingMissesNothingOnceItReadsAgain) {
    RunningServer server(loopback_config());
    TestClient talker = TestClient::connect("127.0.0.1", server.port());
    talker.set_nick("talker");
    ClientConfig config = config_for(server);
    config.nick = "sleepy";
    config.pause_reading = 300ms;
    config.socket.receive_buffer = 4096;
    PipedClient sleepy(std::move(config));
    ASSERT_TRUE(talker.in().find("*** guest2 is now sleepy"));
    for (int i = 0; i < 500; ++i) talker.say("filler line " + std::to_string(i) + std::string(100, '.'));
    for (int i = 0; i < 500; ++i) {
        const std::optional<std::string> line = sleepy.printed().find("talker: ");
        ASSERT_TRUE(line) << i;
        ASSERT_EQ(*line, "talker: filler line " + std::to_string(i) + std::string(100, '.'));
    }
    sleepy.end_input();
    EXPECT_EQ(sleepy.exit_status(), 0);
}

TEST(ChatClient, AppliesTheDemoSocketOptions) {
    RunningServer server(loopback_config());
    ClientConfig config = config_for(server);
    config.socket.no_delay = true;
    config.socket.receive_buffer = 8192;
    config.socket.max_segment = 536;
    config.socket.congestion = "reno";
    config.socket.keepalive_seconds = 7;
    ChatClient client(config);
    const auto get = [&](int level, int name) {
        int value = 0;
        socklen_t length = sizeof value;
        ::getsockopt(client.fd(), level, name, &value, &length);
        return value;
    };
    EXPECT_EQ(get(IPPROTO_TCP, TCP_NODELAY), 1);
    EXPECT_EQ(get(SOL_SOCKET, SO_RCVBUF), 2 * 8192);  // Linux doubles it
    EXPECT_LE(get(IPPROTO_TCP, TCP_MAXSEG), 536);
    EXPECT_EQ(get(SOL_SOCKET, SO_KEEPALIVE), 1);
    EXPECT_EQ(get(IPPROTO_TCP, TCP_KEEPIDLE), 7);
    EXPECT_EQ(get(IPPROTO_TCP, TCP_KEEPINTVL), 7);
    EXPECT_EQ(get(IPPROTO_TCP, TCP_KEEPCNT), keepalive_probes);
    char congestion[16] = {};
    socklen_t length = sizeof congestion;
    ::getsockopt(client.fd(), IPPROTO_TCP, TCP_CONGESTION, congestion, &length);
    EXPECT_STREQ(congestion, "reno");
}

TEST(ChatClient, BindsTheSourcePortItIsGiven) {
    RunningServer server(loopback_config());
    // A free port: bind to 0, read it, release it.
    std::uint16_t free_port = 0;
    {
        FileDescriptor probe(::socket(AF_INET, SOCK_STREAM, 0));
        sockaddr_in any{};
        any.sin_family = AF_INET;
        any.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ASSERT_EQ(::bind(probe.get(), reinterpret_cast<sockaddr*>(&any), sizeof any), 0);
        free_port = local_port(probe.get());
    }
    ClientConfig config = config_for(server);
    config.bind_port = free_port;
    ChatClient client(config);
    EXPECT_EQ(client.local_endpoint(), "127.0.0.1:" + std::to_string(free_port));
}

TEST(ChatClient, ConnectionRefusedAsksWhetherTheServerIsRunning) {
    // A bound socket that does not listen: the kernel answers our SYN with
    // an RST. Kept open so no one else takes the port meanwhile.
    FileDescriptor closed(::socket(AF_INET, SOCK_STREAM, 0));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::bind(closed.get(), reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    ClientConfig config;
    config.port = local_port(closed.get());
    try {
        ChatClient client(config);
        FAIL() << "connected to a port nobody listens on";
    } catch (const ChatError& e) {
        EXPECT_NE(std::string(e.what()).find("is the server running?"), std::string::npos) << e.what();
    }
}

TEST(ChatClient, AnUnknownCongestionControlIsAClearError) {
    RunningServer server(loopback_config());
    ClientConfig config = config_for(server);
    config.socket.congestion = "no-such-cc";
    try {
        ChatClient client(config);
        FAIL() << "accepted an unknown congestion control";
    } catch (const ChatError& e) {
        EXPECT_NE(std::string(e.what()).find("not available in this kernel (available: "), std::string::npos)
            << e.what();
    }
}

TEST(ChatClient, QuitAfterMakesAListenerThatIgnoresStdinAndLeavesOnTime) {
    RunningServer server(loopback_config());
    ClientConfig config = config_for(server);
    config.quit_after = 2s;
    PipedClient client(std::move(config));
    client.end_input();  // stdin ends at once (like </dev/null); the listener stays anyway
    TestClient talker = TestClient::connect("127.0.0.1", server.port());
    talker.say("are you listening?");
    EXPECT_TRUE(client.printed().find("guest2: are you listening?"));
    EXPECT_TRUE(client.printed().find("*** goodbye"));
    EXPECT_EQ(client.exit_status(), 0);
}

}  // namespace
}  // namespace tcpviz::chat
