// Retiring connections (connection_table.h) must change nothing in the
// timeline, only what is in memory: every capture of the suite analyzed with
// every connection retired after every segment (and read back for the next)
// gives the same events and connection summaries, byte for byte, as with no
// retirement at all. Stream numbers stay tshark's because they stay what the
// oracle checks without retirement.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "tcpviz/analyzer.h"
#include "tcpviz/pcap_file.h"
#include "tcpviz/timeline_writer.h"

namespace tcpviz {
namespace {

namespace fs = std::filesystem;

struct Result {
    std::string timeline;
    std::uint64_t retired = 0;
    std::size_t connections = 0;
};

Result analyze(const fs::path& path, const RetirementPolicy& policy) {
    std::string error;
    const auto file = PcapFile::open(path.string(), error);
    EXPECT_TRUE(file) << path << ": " << error;
    Result r;
    if (!file) return r;
    Analyzer analyzer(file->link_type(), policy);
    const WriterOptions options;
    PacketRecord record;
    std::string message;
    while (file->next(record, message) == PcapFile::Status::packet) {
        if (const Event* e = analyzer.add(record)) {
            append_event_json(r.timeline, *e, analyzer, options, 9);
            r.timeline += '\n';
        }
    }
    for (const Connection& c : analyzer.connections()) {
        append_connection_json(r.timeline, c, analyzer, 9, options);
        r.timeline += '\n';
    }
    r.retired = analyzer.connections().retired_count();
    r.connections = analyzer.connections().size();
    return r;
}

std::vector<fs::path> suite_captures() {
    std::vector<fs::path> found;
    for (const char* dir : {TCPVIZ_CAPTURES_DIR, TCPVIZ_CAPTURES_DIR "/crafted"}) {
        for (const auto& entry : fs::directory_iterator(dir)) {
            const std::string ext = entry.path().extension().string();
            if (ext == ".pcap" || ext == ".pcapng") found.push_back(entry.path());
        }
    }
    return found;
}

constexpr RetirementPolicy never{INT64_MAX, INT64_MAX, SIZE_MAX};
constexpr RetirementPolicy always{1, 1, 0};  // retire everything after every segment

TEST(ConnectionRetirement, ChangesNothingInTheTimeline) {
    const std::vector<fs::path> captures = suite_captures();
    ASSERT_GE(captures.size(), 20u);
    std::uint64_t retired = 0;
    for (const fs::path& path : captures) {
        const Result kept = analyze(path, never);
        const Result churned = analyze(path, always);
        EXPECT_EQ(kept.retired, 0u) << path;
        EXPECT_EQ(kept.connections, churned.connections) << path;
        EXPECT_EQ(kept.timeline, churned.timeline) << path;
        retired += churned.retired;
    }
    EXPECT_GT(retired, 5000u);  // connections really went to the archive and came back
}

// With the default policy, on a capture whose ports come back after long
// pauses: connections are retired, and come back under their old numbers.
TEST(ConnectionRetirement, DefaultPolicyRetiresAndBringsBack) {
    const fs::path path = fs::path(TCPVIZ_CAPTURES_DIR) / "crafted" / "reuse_after_idle.pcap";
    const Result kept = analyze(path, never);
    const Result normal = analyze(path, RetirementPolicy{});
    EXPECT_GE(normal.retired, 4u);
    EXPECT_EQ(normal.connections, 5u);  // a, b, c, d and a's ports reused
    EXPECT_EQ(kept.timeline, normal.timeline);
}

}  // namespace
}  // namespace tcpviz
