// The sampler against this machine's kernel, on a real loopback connection:
// it must find both sockets, read a sane tcp_info, stamp samples with the
// packet clock, and keep a sample only when something changed. Needs no
// privilege (sock_diag answers any user about TCP sockets).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <thread>

#include "tcpviz/tcp_info_sampler.h"

namespace tcpviz {
namespace {

// A connected pair on 127.0.0.1, closed at the end of the test.
class LoopbackPair {
public:
    LoopbackPair() {
        listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof addr;
        if (::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(listener_, 1) != 0 ||
            ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
            return;
        }
        server_port = ntohs(addr.sin_port);
        client_ = ::socket(AF_INET, SOCK_STREAM, 0);
        if (::connect(client_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return;
        accepted_ = ::accept(listener_, nullptr, nullptr);
        len = sizeof addr;
        ::getsockname(client_, reinterpret_cast<sockaddr*>(&addr), &len);
        client_port = ntohs(addr.sin_port);
    }
    ~LoopbackPair() {
        for (int fd : {client_, accepted_, listener_}) {
            if (fd >= 0) ::close(fd);
        }
    }
    bool ok() const { return accepted_ >= 0 && client_port != 0; }
    void send_and_receive(std::size_t bytes) {
        std::vector<char> data(bytes, 'x');
        ASSERT_EQ(::send(client_, data.data(), data.size(), 0), static_cast<ssize_t>(data.size()));
        std::size_t got = 0;
        while (got < bytes) {
            const ssize_t n = ::recv(accepted_, data.data(), data.size(), 0);
            ASSERT_GT(n, 0);
            got += static_cast<std::size_t>(n);
        }
    }

    std::uint16_t server_port = 0;
    std::uint16_t client_port = 0;

private:
    int listener_ = -1, client_ = -1, accepted_ = -1;
};

Nanos realtime_now() {
    timespec ts{};
    ::clock_gettime(CLOCK_REALTIME, &ts);
    return Nanos{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

TEST(TcpInfoSampler, SamplesBothSocketsOfALoopbackConnection) {
    LoopbackPair pair;
    ASSERT_TRUE(pair.ok());
    SamplerOptions options;
    options.ports = {pair.server_port};
    options.interval = std::chrono::milliseconds(5);
    const Nanos before = realtime_now();
    std::string error;
    std::unique_ptr<TcpInfoSampler> sampler = TcpInfoSampler::start(options, error);
    ASSERT_TRUE(sampler) << error;
    pair.send_and_receive(100'000);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    const std::vector<TcpInfoSample> samples = sampler->take_samples();
    const Nanos after = realtime_now();
    EXPECT_EQ(sampler->warning(), "");

    bool client_seen = false, server_seen = false;
    for (const TcpInfoSample& s : samples) {
        EXPECT_GE(s.time, before);
        EXPECT_LE(s.time, after);
        EXPECT_EQ(s.local.ip.to_string(), "127.0.0.1");
        EXPECT_NE(s.remote.port, 0) << "the listener has no connection and is not sampled";
        EXPECT_EQ(s.info.state, 1) << "ESTABLISHED";
        EXPECT_GT(s.info.snd_cwnd, 0u);
        EXPECT_GT(s.info.snd_mss, 0u);
        if (s.local.port == pair.client_port) {
            client_seen = true;
            EXPECT_EQ(s.remote.port, pair.server_port);
        }
        if (s.local.port == pair.server_port) {
            server_seen = true;
            EXPECT_EQ(s.remote.port, pair.client_port);
        }
    }
    EXPECT_TRUE(client_seen);
    EXPECT_TRUE(server_seen);
    for (std::size_t i = 1; i < samples.size(); ++i) EXPECT_LE(samples[i - 1].time, samples[i].time);
}

TEST(TcpInfoSampler, AnIdleConnectionGivesOneSampleASocket) {
    LoopbackPair pair;
    ASSERT_TRUE(pair.ok());
    pair.send_and_receive(1000);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // let the last ACK settle
    SamplerOptions options;
    options.ports = {pair.server_port};
    options.interval = std::chrono::milliseconds(5);
    std::string error;
    std::unique_ptr<TcpInfoSampler> sampler = TcpInfoSampler::start(options, error);
    ASSERT_TRUE(sampler) << error;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // about 20 dumps
    EXPECT_EQ(sampler->take_samples().size(), 2u) << "nothing changed, so nothing more is kept";
}

TEST(TcpInfoSampler, LeavesOutSocketsOnOtherPorts) {
    LoopbackPair pair;
    ASSERT_TRUE(pair.ok());
    SamplerOptions options;
    options.ports = {static_cast<std::uint16_t>(pair.server_port == 1 ? 2 : 1)};
    options.interval = std::chrono::milliseconds(5);
    std::string error;
    std::unique_ptr<TcpInfoSampler> sampler = TcpInfoSampler::start(options, error);
    ASSERT_TRUE(sampler) << error;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    for (const TcpInfoSample& s : sampler->take_samples()) {
        EXPECT_NE(s.local.port, pair.server_port);
        EXPECT_NE(s.remote.port, pair.server_port);
    }
}

}  // namespace
}  // namespace tcpviz
