// Error messages say what to do, and --bulk lines have the promised shape.
#include <netdb.h>

#include <gtest/gtest.h>

#include <cerrno>

#include "tcpviz/chat/chat_client.h"
#include "tcpviz/chat/chat_error.h"

namespace tcpviz::chat {
namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(ErrorMessages, PortInUseSuggestsAnotherServerAndPort) {
    const std::string m = explain_listen_error(EADDRINUSE, "[::]:6666", 6666);
    EXPECT_TRUE(contains(m, "another server is running on port 6666? stop it or use --port")) << m;
}

TEST(ErrorMessages, PermissionDeniedExplainsPortsBelow1024) {
    const std::string m = explain_listen_error(EACCES, "0.0.0.0:80", 80);
    EXPECT_TRUE(contains(m, "below 1024")) << m;
    EXPECT_TRUE(contains(m, "6666")) << m;
}

TEST(ErrorMessages, ConnectionRefusedAsksWhetherTheServerRuns) {
    const std::string m = explain_connect_error(ECONNREFUSED, "127.0.0.1:6666", 6666);
    EXPECT_TRUE(contains(m, "is the server running?")) << m;
    EXPECT_TRUE(contains(m, "tcpviz chat server --port 6666")) << m;
}

TEST(ErrorMessages, UnknownHostSaysHostNotFound) {
    const std::string m = explain_resolve_error(EAI_NONAME, "no-such-host", false);
    EXPECT_TRUE(contains(m, "host not found: \"no-such-host\"")) << m;
    EXPECT_TRUE(contains(explain_resolve_error(EAI_NONAME, "x", true), "--bind"));
}

TEST(ErrorMessages, BusyLocalPortMentionsTimeWait) {
    EXPECT_TRUE(contains(explain_bind_port_error(EADDRINUSE, 8888), "TIME_WAIT"));
}

TEST(ErrorMessages, AreOneLine) {
    for (const std::string& m :
         {explain_listen_error(EADDRINUSE, "a", 1), explain_listen_error(EACCES, "a", 1),
          explain_listen_error(EADDRNOTAVAIL, "a", 1), explain_connect_error(ECONNREFUSED, "a", 1),
          explain_connect_error(ETIMEDOUT, "a", 1), explain_resolve_error(EAI_NONAME, "a", false)}) {
        EXPECT_EQ(m.find('\n'), std::string::npos) << m;
    }
}

TEST(BulkLine, HasTheRequestedLengthANumberAndANewline) {
    const std::string line = make_bulk_line(42, ChatClient::bulk_line_bytes);
    EXPECT_EQ(line.size(), 100u);
    EXPECT_TRUE(line.starts_with("bulk 00000042 abc")) << line;
    EXPECT_EQ(line.back(), '\n');
    EXPECT_EQ(line.find('\n'), 99u);
    EXPECT_EQ(make_bulk_line(1, 1), "\n");
    EXPECT_EQ(make_bulk_line(1, 5), "abcd\n");
}

}  // namespace
}  // namespace tcpviz::chat
