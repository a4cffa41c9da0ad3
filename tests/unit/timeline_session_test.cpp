// TimelineSession (session/): every writer ended even after one fails, the
// kernel array present exactly when samples were given, outputs in place
// only after commit(), a writer's failure named; what `tcpviz serve` uses:
// samples given as they come, a session resumed from a copy of the analyzer,
// reading stopped by its progress callback.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "tcpviz/capture_file_reader.h"
#include "tcpviz/kernel_timeline.h"
#include "tcpviz/timeline_session.h"

namespace tcpviz {
namespace {

const std::string capture = std::string(TCPVIZ_CAPTURES_DIR) + "/handshake_data_fin.pcap";

// Counts what it was given; throws where told to.
class ProbeWriter : public TimelineWriter {
public:
    explicit ProbeWriter(bool throw_in_event = false, bool throw_in_end = false)
        : throw_in_event_(throw_in_event), throw_in_end_(throw_in_end) {}
    void begin(const TimelineSource&) override { ++begun; }
    void event(const Event&, const Analyzer&) override {
        if (throw_in_event_) throw std::runtime_error("disk full");
        ++events;
    }
    void end(const Analyzer&, const std::vector<std::string>& w) override {
        ++ended;
        warnings = w.size();
        if (throw_in_end_) throw std::runtime_error("pipe closed");
    }
    inline static int begun = 0, events = 0, ended = 0;
    inline static std::size_t warnings = 0;

private:
    bool throw_in_event_, throw_in_end_;
};

class TimelineSessionTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() / ("timeline_session_test_" + std::to_string(::getpid()));
        std::filesystem::create_directories(dir_);
        ProbeWriter::begun = ProbeWriter::events = ProbeWriter::ended = 0;
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    // Reads the test capture into `session` (begun here); ends it.
    std::optional<OutputError> run(TimelineSession& session) {
        std::string error;
        std::unique_ptr<PcapFile> file = open_capture_file(capture, "", error);
        EXPECT_TRUE(file) << error;
        session.begin();
        EXPECT_FALSE(read_capture_file(*file, session));
        return session.end();
    }
    static std::string read(const std::filesystem::path& p) {
        std::ifstream in(p);
        std::stringstream text;
        text << in.rdbuf();
        return text.str();
    }
    std::size_t files_in_dir() const {
        return static_cast<std::size_t>(std::distance(std::filesystem::directory_iterator(dir_), {}));
    }
    std::filesystem::path dir_;
};

TEST_F(TimelineSessionTest, KernelArrayOnlyWhenSamplesWereGiven) {
    const std::string without = dir_ / "without.json", with = dir_ / "with.json";
    std::string error;
    {
        TimelineSession session({capture, 1, 9});
        ASSERT_TRUE(session.add_output(without, make_json_writer, {}, error)) << error;
        ASSERT_FALSE(run(session));
        ASSERT_FALSE(session.commit());
    }
    {
        TimelineSession session({capture, 1, 9});
        ASSERT_TRUE(session.add_output(with, make_json_writer, {}, error)) << error;
        session.set_kernel_samples({});
        ASSERT_FALSE(run(session));
        ASSERT_FALSE(session.commit());
    }
    EXPECT_EQ(read(without).find("\"kernel\""), std::string::npos);
    EXPECT_NE(read(with).find("\"kernel\":[]"), std::string::npos);
}

TEST_F(TimelineSessionTest, EveryWriterEndsAfterOneFailedAndTheFirstFailureIsNamed) {
    TimelineSession session({capture, 1, 9});
    session.add_writer("the ladder", std::make_unique<ProbeWriter>(false, true));
    session.add_writer("second", std::make_unique<ProbeWriter>());
    session.warn("a warning");
    const std::optional<OutputError> failed = run(session);
    ASSERT_TRUE(failed);
    EXPECT_EQ(failed->output, "the ladder");
    EXPECT_EQ(failed->reason, "pipe closed");
    EXPECT_EQ(ProbeWriter::begun, 2);
    EXPECT_EQ(ProbeWriter::ended, 2);
    EXPECT_EQ(ProbeWriter::events, 2 * 17);  // the capture's 17 segments, to each writer
    EXPECT_EQ(ProbeWriter::warnings, 1u);
}

TEST_F(TimelineSessionTest, AWriterFailingOnAnEventIsNamed) {
    TimelineSession session({capture, 1, 9});
    session.add_writer("out.json", std::make_unique<ProbeWriter>(true, false));
    std::string error;
    std::unique_ptr<PcapFile> file = open_capture_file(capture, "", error);
    ASSERT_TRUE(file) << error;
    session.begin();
    try {
        read_capture_file(*file, session);
        FAIL() << "no OutputFailure";
    } catch (const OutputFailure& ex) {
        EXPECT_EQ(ex.error.output, "out.json");
        EXPECT_EQ(ex.error.reason, "disk full");
    }
}

TEST_F(TimelineSessionTest, OutputsReplaceTheirTargetsOnlyOnCommit) {
    const std::filesystem::path target = dir_ / "t.json";
    std::ofstream(target) << "the previous timeline";
    std::string error;
    {
        TimelineSession session({capture, 1, 9});
        ASSERT_TRUE(session.add_output(target, make_json_writer, {}, error)) << error;
        ASSERT_FALSE(run(session));
        EXPECT_EQ(files_in_dir(), 2u);  // the target and the temporary file beside it
    }                                   // no commit(): a damaged capture, say
    EXPECT_EQ(read(target), "the previous timeline");
    EXPECT_EQ(files_in_dir(), 1u);
    {
        TimelineSession session({capture, 1, 9});
        ASSERT_TRUE(session.add_output(target, make_json_writer, {}, error)) << error;
        ASSERT_FALSE(run(session));
        ASSERT_FALSE(session.commit());
    }
    EXPECT_EQ(read(target).rfind("{\"format\":\"tcpviz-timeline\"", 0), 0u);
    EXPECT_EQ(files_in_dir(), 1u);
}

// The capture's connections, analysed to the end (for samples that match them).
Analyzer analysed_capture() {
    std::string error;
    std::unique_ptr<PcapFile> file = open_capture_file(capture, "", error);
    EXPECT_TRUE(file) << error;
    TimelineSession session({capture, file->link_type(), file->time_decimals()});
    read_capture_file(*file, session);
    return session.analyzer();
}

// Samples of the capture's first connection from both sockets, one before
// its first packet (dropped), and one of a connection never captured.
std::vector<TcpInfoSample> samples_for(const Analyzer& analyzer) {
    const Connection& c = analyzer.connections()[0];
    std::vector<TcpInfoSample> samples;
    for (int i = 0; i < 4; ++i) {
        TcpInfoSample s;
        s.time = c.first_ts + i * 1000;
        s.local = i % 2 ? c.server : c.client;
        s.remote = i % 2 ? c.client : c.server;
        s.info.snd_cwnd = 10u + static_cast<std::uint32_t>(i);
        samples.push_back(s);
    }
    samples.front().time = c.first_ts - 1;
    TcpInfoSample stranger = samples.back();
    stranger.local.port = static_cast<std::uint16_t>(stranger.local.port + 1);
    samples.push_back(stranger);
    return samples;
}

TEST_F(TimelineSessionTest, SamplesGivenInBatchesWriteWhatAllAtTheEndWrite) {
    const Analyzer full = analysed_capture();
    const std::vector<TcpInfoSample> samples = samples_for(full);
    std::string expected;
    KernelTimeline(samples, full).append_json(expected, full.connections()[0]);

    TimelineSession at_end({capture, 1, 9});
    at_end.set_kernel_samples(samples);
    ASSERT_FALSE(run(at_end));
    TimelineSession in_batches({capture, 1, 9});
    ASSERT_FALSE(run(in_batches));
    std::vector<std::uint32_t> matched_conns;
    const auto sink = [&](std::uint32_t conn, const KernelTimeline::Entry&, const std::string& json) {
        matched_conns.push_back(conn);
        EXPECT_EQ(json.front(), '{');
    };
    in_batches.add_kernel_samples({samples.begin(), samples.begin() + 2}, sink);
    in_batches.add_kernel_samples({samples.begin() + 2, samples.end()}, sink);

    EXPECT_EQ(at_end.kernel_samples_matched(), 3u);
    EXPECT_EQ(in_batches.kernel_samples_matched(), 3u);
    EXPECT_EQ(matched_conns, (std::vector<std::uint32_t>{0, 0, 0}));
    for (const TimelineSession* session : {&at_end, &in_batches}) {
        std::string object;
        session->append_connection_json(object, session->analyzer().connections()[0]);
        EXPECT_NE(object.find(expected), std::string::npos) << object;
        EXPECT_NE(object.find("\"cwnd\":13"), std::string::npos);
    }
}

TEST_F(TimelineSessionTest, ASessionResumedFromACopyOfTheAnalyzerGoesOnAsTheWholeRun) {
    std::string error;
    std::unique_ptr<PcapFile> file = open_capture_file(capture, "", error);
    ASSERT_TRUE(file) << error;
    const TimelineSource source{capture, file->link_type(), file->time_decimals()};
    TimelineSession whole(source);
    std::optional<Analyzer> at_frame_6;
    std::uint64_t offset = 0;
    std::vector<std::string> expected;  // the events after frame 6
    PacketRecord record;
    std::string message;
    for (std::uint64_t frame = 1; file->next(record, message) == PcapFile::Status::packet; ++frame) {
        const Event* e = whole.add(record, frame);
        if (e && frame > 6) append_event_json(expected.emplace_back(), *e, whole.analyzer(), {}, 9);
        if (frame == 6) {
            at_frame_6 = whole.analyzer();
            offset = file->position();
        }
    }
    ASSERT_TRUE(at_frame_6);
    ASSERT_GT(expected.size(), 5u);

    TimelineSession resumed(source, *at_frame_6);
    ASSERT_TRUE(file->seek(offset));
    std::vector<std::string> events;
    for (std::uint64_t frame = 7; file->next(record, message) == PcapFile::Status::packet; ++frame) {
        if (const Event* e = resumed.add(record, frame)) {
            append_event_json(events.emplace_back(), *e, resumed.analyzer(), {}, 9);
        }
    }
    EXPECT_EQ(events, expected);
}

TEST_F(TimelineSessionTest, ReadingStopsWhenProgressSaysSoWithTheFileAtTheNextRecord) {
    std::string error;
    std::unique_ptr<PcapFile> file = open_capture_file(capture, "", error);
    ASSERT_TRUE(file) << error;
    TimelineSession session({capture, 1, 9});
    session.add_writer("probe", std::make_unique<ProbeWriter>());
    session.begin();
    std::uint64_t last = 0;
    EXPECT_FALSE(read_capture_file(*file, session, [&](std::uint64_t packets) {
        last = packets;
        return packets < 5;
    }));
    EXPECT_EQ(last, 5u);
    EXPECT_EQ(session.analyzer().stats().frames, 5u);  // each record is in before progress hears of it
    PacketRecord record;
    std::string message;
    ASSERT_EQ(file->next(record, message), PcapFile::Status::packet);
    EXPECT_EQ(session.add(record, 6)->frame, 6u);
}

TEST(TimelineSessionOpen, AnOutputThatCannotBeOpenedIsRefused) {
    TimelineSession session({capture, 1, 9});
    std::string error;
    EXPECT_FALSE(session.add_output("/nonexistent-dir/t.json", make_json_writer, {}, error));
    EXPECT_FALSE(error.empty());
    EXPECT_FALSE(session.has_writers());
}

}  // namespace
}  // namespace tcpviz
