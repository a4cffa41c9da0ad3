// Kernel samples matched to the analyzer's connections and written as
// `connections[i].kernel`: by endpoints in either orientation, by time when a
// 4-tuple is reused, with the names and nulls of the contract.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "segments.h"
#include "tcpviz/analyzer.h"
#include "tcpviz/kernel_timeline.h"
#include "tcpviz/timeline_writer.h"

namespace tcpviz {
namespace {

using test::client;
using test::dlt_ethernet;
using test::handshake;
using test::second;
using test::segment;
using test::server;
using test::t0;

TcpInfoSample sample(Nanos at, bool client_socket, std::uint32_t cwnd) {
    TcpInfoSample s;
    s.time = at;
    s.local = client_socket ? client : server;
    s.remote = client_socket ? server : client;
    s.info.state = 1;
    s.info.snd_cwnd = cwnd;
    s.info.snd_ssthresh = ssthresh_infinity;
    s.info.snd_mss = 1448;
    s.info.rtt_us = 50;
    return s;
}

nlohmann::json kernel_of(const KernelTimeline& k, const Connection& c) {
    std::string text = "{\"id\":0";
    k.append_json(text, c);
    text += '}';
    return nlohmann::json::parse(text).at("kernel");
}

TEST(KernelTimeline, GivesEachSampleToItsConnectionAndSide) {
    Analyzer a(dlt_ethernet);
    handshake(a, t0, 100);
    const std::vector<TcpInfoSample> samples = {
        sample(t0 + 500'000, true, 10),   // the client's socket
        sample(t0 + 600'000, false, 10),  // the server's: endpoints the other way round
        sample(t0 + second, true, 42),
    };
    const KernelTimeline k(samples, a);
    EXPECT_EQ(k.matched(), 3u);
    const nlohmann::json kernel = kernel_of(k, a.connections()[0]);
    ASSERT_EQ(kernel.size(), 3u);
    EXPECT_EQ(kernel[0]["side"], "client");
    EXPECT_EQ(kernel[1]["side"], "server");
    EXPECT_DOUBLE_EQ(kernel[0]["t"].get<double>(), 0.0005);  // seconds since the first packet, like events
    EXPECT_DOUBLE_EQ(kernel[2]["t"].get<double>(), 1.0);
    EXPECT_EQ(kernel[2]["cwnd"], 42);
}

TEST(KernelTimeline, DropsSamplesOfOtherSocketsAndFromBeforeTheConnection) {
    Analyzer a(dlt_ethernet);
    handshake(a, t0, 100);
    TcpInfoSample stranger = sample(t0 + 1000, true, 10);
    stranger.remote.port = 7777;
    const std::vector<TcpInfoSample> samples = {sample(t0 - 5'000'000, true, 10), stranger};
    const KernelTimeline k(samples, a);
    EXPECT_EQ(k.matched(), 0u);
    EXPECT_TRUE(kernel_of(k, a.connections()[0]).empty());  // the key is there, the array empty
}

TEST(KernelTimeline, AReusedFourTupleGivesLaterSamplesToTheLaterConnection) {
    Analyzer a(dlt_ethernet);
    handshake(a, t0, 100);
    segment(a, t0 + second, true, tcp_flag::rst, 101, 0);
    handshake(a, t0 + 10 * second, 900'000);
    ASSERT_EQ(a.connections().size(), 2u);
    const std::vector<TcpInfoSample> samples = {sample(t0 + second / 2, true, 11), sample(t0 + 11 * second, true, 22)};
    const KernelTimeline k(samples, a);
    const nlohmann::json first = kernel_of(k, a.connections()[0]);
    const nlohmann::json second_conn = kernel_of(k, a.connections()[1]);
    ASSERT_EQ(first.size(), 1u);
    ASSERT_EQ(second_conn.size(), 1u);
    EXPECT_EQ(first[0]["cwnd"], 11);
    EXPECT_EQ(second_conn[0]["cwnd"], 22);
}

TEST(KernelTimeline, WritesTheContractsNamesAndNulls) {
    Analyzer a(dlt_ethernet);
    handshake(a, t0, 100);
    TcpInfoSample slow_start = sample(t0 + 1000, true, 10);
    TcpInfoSample after_loss = sample(t0 + 2000, true, 7);
    after_loss.info.snd_ssthresh = 7;
    after_loss.info.ca_state = 3;
    after_loss.info.state = 4;
    after_loss.info.total_retrans = 2;
    after_loss.info.retransmits = 1;
    after_loss.info.unacked = 5;
    after_loss.info.rttvar_us = 9;
    after_loss.info.rcv_space = 1000;
    after_loss.info.snd_wnd = 65536;
    after_loss.info.rcv_wnd = 32768;
    const KernelTimeline k({slow_start, after_loss}, a);
    const nlohmann::json kernel = kernel_of(k, a.connections()[0]);
    ASSERT_EQ(kernel.size(), 2u);
    EXPECT_TRUE(kernel[0]["ssthresh"].is_null()) << "infinity means slow start has not ended";
    EXPECT_TRUE(kernel[0]["snd_wnd"].is_null()) << "a kernel without tcpi_snd_wnd";
    EXPECT_TRUE(kernel[0]["rcv_wnd"].is_null());
    EXPECT_EQ(kernel[0]["state"], "ESTABLISHED");
    EXPECT_EQ(kernel[0]["ca_state"], "open");
    const nlohmann::json& s = kernel[1];
    EXPECT_EQ(s["ssthresh"], 7);
    EXPECT_EQ(s["ca_state"], "recovery");
    EXPECT_EQ(s["state"], "FIN-WAIT-1");
    EXPECT_EQ(s["retrans"], 2);
    EXPECT_EQ(s["retransmits"], 1);
    EXPECT_EQ(s["unacked"], 5);
    EXPECT_EQ(s["rtt_us"], 50);
    EXPECT_EQ(s["rttvar_us"], 9);
    EXPECT_EQ(s["mss"], 1448);
    EXPECT_EQ(s["snd_wnd"], 65536);
    EXPECT_EQ(s["rcv_wnd"], 32768);
    EXPECT_EQ(s["rcv_space"], 1000);
}

TEST(KernelTimeline, NamesEveryKernelStateAndCongestionState) {
    EXPECT_EQ(kernel_state_name(1), "ESTABLISHED");
    EXPECT_EQ(kernel_state_name(2), "SYN-SENT");
    EXPECT_EQ(kernel_state_name(3), "SYN-RECEIVED");
    EXPECT_EQ(kernel_state_name(6), "TIME-WAIT");
    EXPECT_EQ(kernel_state_name(7), "CLOSED");
    EXPECT_EQ(kernel_state_name(8), "CLOSE-WAIT");
    EXPECT_EQ(kernel_state_name(10), "LISTEN");
    EXPECT_EQ(kernel_state_name(12), "SYN-RECEIVED");  // NEW_SYN_RECV
    EXPECT_EQ(kernel_state_name(0), "UNKNOWN");
    EXPECT_EQ(kernel_state_name(200), "UNKNOWN");
    EXPECT_EQ(ca_state_name(0), "open");
    EXPECT_EQ(ca_state_name(1), "disorder");
    EXPECT_EQ(ca_state_name(2), "cwr");
    EXPECT_EQ(ca_state_name(4), "loss");
    EXPECT_EQ(ca_state_name(9), "unknown");
}

TEST(KernelTimeline, TheWriterHookPutsTheArrayInsideTheConnectionObject) {
    Analyzer a(dlt_ethernet);
    handshake(a, t0, 100);
    const KernelTimeline k({sample(t0 + 1000, true, 10)}, a);
    WriterOptions options;
    options.connection_extra = [&k](std::string& out, const Connection& c) { k.append_json(out, c); };
    std::string text;
    append_connection_json(text, a.connections()[0], a, 6, options);
    const nlohmann::json c = nlohmann::json::parse(text);
    EXPECT_EQ(c["id"], 0);
    ASSERT_EQ(c["kernel"].size(), 1u);
    EXPECT_EQ(c["kernel"][0]["cwnd"], 10);
    EXPECT_TRUE(c.contains("final_states"));
}

}  // namespace
}  // namespace tcpviz

namespace tcpviz {
namespace {

// Samples are written into room reserved up front: the widest sample fits it.
TEST(KernelTimeline, TheWidestSampleFitsItsBound) {
    KernelTimeline::Entry e{INT64_MIN, Side::server, {}};
    e.info.state = 3;     // SYN-RECEIVED, the longest name
    e.info.ca_state = 3;  // recovery
    e.info.snd_cwnd = e.info.snd_ssthresh = e.info.snd_mss = e.info.rtt_us = e.info.rttvar_us = UINT32_MAX;
    e.info.total_retrans = e.info.unacked = e.info.rcv_space = UINT32_MAX;
    e.info.retransmits = UINT8_MAX;
    e.info.snd_wnd = e.info.rcv_wnd = UINT32_MAX;
    e.info.congestion = std::string(15, '\x01');  // the longest name, every byte escaped as \u0001
    Analyzer a(dlt_ethernet);
    const KernelTimeline k({}, a);
    std::string text;
    k.append_entry_json(text, e);
    EXPECT_LE(text.size(), KernelTimeline::max_entry_json);
    EXPECT_GE(text.size() * 2, KernelTimeline::max_entry_json);  // not wildly off either
    EXPECT_EQ(nlohmann::json::parse(text)["ssthresh"], nullptr) << "UINT32_MAX is past infinity";
    EXPECT_EQ(nlohmann::json::parse(text)["cc"], std::string(15, '\x01'));
}

}  // namespace
}  // namespace tcpviz
