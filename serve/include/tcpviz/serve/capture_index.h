// The index of a capture file, built in one pass, from which any window of
// the timeline is re-made on demand.
//
// Sequence analysis depends on everything before a segment, so a window
// cannot be analysed from its own packets. The index keeps, every so many
// packets, a checkpoint: the file offset of the next record and a copy of
// the whole analyzer state there. A window [from, from + count) is re-made by
// copying the last checkpoint before it, seeking the file there and analysing
// forward: the events are those a full `tcpviz analyze` writes, field for
// field, at the cost of at most one checkpoint interval of extra packets.
//
// Besides the checkpoints it keeps a few numbers per segment: the frame
// number (frame -> event index) and the columns charts are drawn from (see
// series.h). See serve/README.md for the sizes.
//
// Both passes are TimelineSessions (session/), as in `tcpviz analyze`: the
// index is a writer fed by read_capture_file, with the same warnings; a
// window is a session resumed from a checkpoint's analyzer.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tcpviz/analyzer.h"
#include "tcpviz/serve/series.h"

namespace tcpviz::serve {

struct IndexProgress {
    std::atomic<std::uint64_t> packets{0};
    std::atomic<std::uint64_t> segments{0};
    std::atomic<std::uint64_t> connections{0};
    std::atomic<std::uint64_t> bytes_read{0};
    std::uint64_t file_size = 0;
    std::atomic<bool> cancel{false};  // set by another thread: build() gives up
};

class CaptureIndex {
public:
    // Packets between checkpoints (at least; more when the analyzer state is
    // large): a window costs this many packets of re-analysis at most (about
    // 10 ms here) and one copy of the analyzer state.
    static constexpr std::uint64_t checkpoint_packets = 16384;

    // Reads `path` once. nullptr with `error` set when it cannot be read at all;
    // a file damaged or cut off part way is indexed up to there, with a warning.
    static std::unique_ptr<CaptureIndex> build(const std::string& path, IndexProgress& progress, std::string& error,
                                               std::uint64_t checkpoint_every = checkpoint_packets);

    std::uint64_t events() const { return frames_.size(); }
    std::uint64_t packets() const { return packets_; }
    std::size_t connections() const { return columns_.size(); }
    double duration() const { return duration_; }
    // CPU time the indexing thread spent: on a busy machine the wall time says little.
    double cpu_seconds() const { return cpu_seconds_; }

    // The JSON objects of events [from, from + count), comma-separated, as the
    // JSON timeline has them. False with `error` when the file can no longer
    // be read as it was indexed.
    bool append_events(std::string& out, std::uint64_t from, std::uint64_t count, std::string& error) const;

    // The index of the first event whose frame number is >= `frame`.
    std::optional<std::uint64_t> index_at_frame(std::uint64_t frame) const;
    std::uint64_t frame_of(std::uint64_t index) const { return frames_[index]; }

    const ConnectionColumns* columns(std::uint32_t conn) const {
        return conn < columns_.size() ? &columns_[conn] : nullptr;
    }
    // Connection summaries (a JSON array), `stats` and `source` objects, as in the timeline.
    const std::string& connections_json() const { return connections_json_; }
    const std::string& stats_json() const { return stats_json_; }
    const std::string& source_json() const { return source_json_; }
    const std::vector<std::string>& warnings() const { return warnings_; }
    // Memory held, for the README's figures and the start-up line.
    std::size_t bytes() const;
    std::size_t checkpoints() const { return checkpoints_.size(); }

private:
    struct Checkpoint {
        std::uint64_t offset = 0;  // of the record with frame number next_frame
        std::uint64_t next_frame = 1;
        std::uint64_t event_index = 0;  // of the first event at or after next_frame
        std::shared_ptr<const Analyzer> analyzer;
    };
    class Builder;  // the TimelineWriter that fills the index as the session analyses
    CaptureIndex() = default;
    // The connection summaries, stats and source, once the pass is done.
    void summarize(const Analyzer& analyzer);

    std::string path_;
    std::uint64_t file_size_ = 0;
    std::int64_t file_mtime_ = 0;
    int link_type_ = 0;
    int time_decimals_ = 9;
    std::uint64_t packets_ = 0;
    double duration_ = 0;
    double cpu_seconds_ = 0;
    std::vector<Checkpoint> checkpoints_;
    std::vector<std::uint32_t> frames_;  // frame number of each event
    std::vector<ConnectionColumns> columns_;
    std::string connections_json_, stats_json_, source_json_;
    std::vector<std::string> warnings_;
};

}  // namespace tcpviz::serve
