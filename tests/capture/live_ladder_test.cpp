// The live ladder: each segment reaches the terminal the moment it is
// analysed, not when a buffer fills. Its output goes into a pipe, whose
// FILE* stdio buffers fully; the row must be readable from the other end
// right after event() returns.
#include "tcpviz/live_ladder.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <stdexcept>

#include "segments.h"

namespace tcpviz {
namespace {

class Pipe {
public:
    Pipe() {
        int fds[2];
        if (::pipe(fds) != 0) return;
        read_fd_ = fds[0];
        ::fcntl(read_fd_, F_SETFL, O_NONBLOCK);
        out = ::fdopen(fds[1], "w");
    }
    ~Pipe() {
        if (out) std::fclose(out);
        if (read_fd_ >= 0) ::close(read_fd_);
    }
    // What has been written so far, without waiting.
    std::string drain() {
        std::string text;
        char buffer[4096];
        ssize_t n;
        while ((n = ::read(read_fd_, buffer, sizeof buffer)) > 0) text.append(buffer, static_cast<std::size_t>(n));
        return text;
    }
    void close_reader() {
        ::close(read_fd_);
        read_fd_ = -1;
    }

    std::FILE* out = nullptr;

private:
    int read_fd_ = -1;
};

TEST(LiveLadder, EachSegmentIsOnTheTerminalAsSoonAsItIsAnalysed) {
    Pipe pipe;
    ASSERT_NE(pipe.out, nullptr);
    Analyzer a(test::dlt_ethernet);
    LiveLadder ladder(pipe.out, WriterOptions{});

    ladder.event(*test::segment(a, test::t0, true, tcp_flag::syn, 100, 0), a);
    const std::string first = pipe.drain();
    EXPECT_NE(first.find("conn 0: client 127.0.0.1:40000  <->  server 127.0.0.1:6666"), std::string::npos) << first;
    EXPECT_NE(first.find("|-- SYN seq=0 "), std::string::npos) << first;
    EXPECT_NE(first.find("SYN-SENT"), std::string::npos) << first;

    ladder.event(*test::segment(a, test::t0 + 10'000, false, tcp_flag::syn | tcp_flag::ack, 5000, 101), a);
    const std::string second = pipe.drain();
    EXPECT_NE(second.find("SYN,ACK seq=0 ack=1"), std::string::npos) << second;
    EXPECT_EQ(second.find("conn 0:"), std::string::npos) << "the heading is printed once";

    ladder.end(a, {"1 packet was dropped"});
    const std::string end = pipe.drain();
    EXPECT_NE(end.find("# conn 0: handshake incomplete"), std::string::npos) << end;
    EXPECT_NE(end.find("# warning: 1 packet was dropped"), std::string::npos) << end;
}

TEST(LiveLadder, NotesAndChineseAreTheLadderWritersOwn) {
    Pipe pipe;
    ASSERT_NE(pipe.out, nullptr);
    Analyzer a(test::dlt_ethernet);
    WriterOptions options;
    options.lang = Lang::zh;
    options.notes = true;
    LiveLadder ladder(pipe.out, options);
    ladder.event(*test::segment(a, test::t0, true, tcp_flag::syn, 100, 0), a);
    const std::string text = pipe.drain();
    EXPECT_NE(text.find("连接 0"), std::string::npos) << text;
    EXPECT_GT(std::count(text.begin(), text.end(), '\n'), 4) << "heading, arrow, state and note lines: " << text;
}

TEST(LiveLadder, AClosedTerminalEndsWithAnErrorNotASignal) {
    struct sigaction ignore {
    }, old{};
    ignore.sa_handler = SIG_IGN;
    ::sigaction(SIGPIPE, &ignore, &old);  // as `tcpviz capture` does while it runs
    Pipe pipe;
    ASSERT_NE(pipe.out, nullptr);
    pipe.close_reader();  // `tcpviz capture --ladder | head -1` after head exits
    Analyzer a(test::dlt_ethernet);
    LiveLadder ladder(pipe.out, WriterOptions{});
    EXPECT_THROW(ladder.event(*test::segment(a, test::t0, true, tcp_flag::syn, 100, 0), a), std::runtime_error);
    std::clearerr(pipe.out);
    ::sigaction(SIGPIPE, &old, nullptr);
}

}  // namespace
}  // namespace tcpviz
