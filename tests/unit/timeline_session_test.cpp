// TimelineSession (session/): every writer ended even after one fails, the
// kernel array present exactly when samples were given, outputs in place
// only after commit(), a writer's failure named.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "tcpviz/capture_file_reader.h"
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

TEST(TimelineSessionOpen, AnOutputThatCannotBeOpenedIsRefused) {
    TimelineSession session({capture, 1, 9});
    std::string error;
    EXPECT_FALSE(session.add_output("/nonexistent-dir/t.json", make_json_writer, {}, error));
    EXPECT_FALSE(error.empty());
    EXPECT_FALSE(session.has_writers());
}

}  // namespace
}  // namespace tcpviz
