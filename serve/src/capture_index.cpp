#include "tcpviz/serve/capture_index.h"

#include <sys/stat.h>
#include <time.h>

#include <algorithm>
#include <filesystem>

#include "tcpviz/capture_file_reader.h"
#include "tcpviz/json_text.h"
#include "tcpviz/link_layer.h"
#include "tcpviz/pcap_file.h"
#include "tcpviz/timeline_session.h"
#include "tcpviz/timeline_writer.h"

namespace tcpviz::serve {
namespace {

// What `tcpviz analyze` writes by default: 64 bytes of payload preview, English notes.
WriterOptions timeline_options() { return WriterOptions{}; }

bool file_identity(const std::string& path, std::uint64_t& size, std::int64_t& mtime) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
    size = static_cast<std::uint64_t>(st.st_size);
    mtime = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000LL + st.st_mtim.tv_nsec;
    return true;
}

double seconds(Nanos n) { return static_cast<double>(n) / 1e9; }

double thread_cpu_seconds() {
    timespec ts{};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

// Bytes a copy of the analyzer holds, roughly: its connections and their
// unacknowledged segments.
std::size_t state_bytes(const Analyzer& a) { return sizeof(Analyzer) + a.connections().memory_bytes(); }

// Checkpoints may cost at most this much per packet: a bulk transfer with
// thousands of segments in flight, or thousands of open connections, gets
// checkpoints further apart (windows cost more re-analysis, memory stays small).
constexpr std::size_t max_checkpoint_bytes_per_packet = 8;

// What the progress line shows, published for the thread that prints it.
void publish(IndexProgress& progress, std::uint64_t packets, std::size_t segments, std::size_t connections,
             std::uint64_t bytes_read) {
    progress.packets.store(packets, std::memory_order_relaxed);
    progress.segments.store(segments, std::memory_order_relaxed);
    progress.connections.store(connections, std::memory_order_relaxed);
    progress.bytes_read.store(bytes_read, std::memory_order_relaxed);
}

}  // namespace

// The index's share of the session: as each event is analysed, its frame
// number and its connection's chart columns; at the end, the summaries.
class CaptureIndex::Builder : public TimelineWriter {
public:
    explicit Builder(CaptureIndex& index) : index_(index) {}

    void begin(const TimelineSource&) override {}
    void event(const Event& e, const Analyzer& analyzer) override {
        if (e.frame > 0xFFFFFFFFu) {  // frame numbers are kept in 4 bytes
            too_many_packets = true;
            return;
        }
        index_.frames_.push_back(static_cast<std::uint32_t>(e.frame));
        if (e.conn >= 0) {
            const auto conn = static_cast<std::size_t>(e.conn);
            if (conn >= index_.columns_.size()) index_.columns_.resize(conn + 1);
            index_.columns_[conn].add(e, seconds(e.ts - analyzer.stats().first_ts));
        }
    }
    void end(const Analyzer& analyzer, const std::vector<std::string>& warnings) override {
        index_.frames_.shrink_to_fit();
        for (ConnectionColumns& c : index_.columns_) c.shrink();
        index_.columns_.resize(analyzer.connections().size());
        index_.warnings_ = warnings;
        index_.summarize(analyzer);
    }

    bool too_many_packets = false;

private:
    CaptureIndex& index_;
};

std::unique_ptr<CaptureIndex> CaptureIndex::build(const std::string& path, IndexProgress& progress, std::string& error,
                                                  std::uint64_t checkpoint_every) {
    const double cpu_start = thread_cpu_seconds();
    std::unique_ptr<CaptureIndex> index(new CaptureIndex());
    if (!file_identity(path, index->file_size_, index->file_mtime_)) {
        error = "not a regular file (serve needs a file it can read again)";
        return nullptr;
    }
    std::unique_ptr<PcapFile> file = open_capture_file(path, "", error);
    if (!file) return nullptr;
    index->path_ = path;
    index->link_type_ = file->link_type();
    index->time_decimals_ = file->time_decimals();
    progress.file_size = index->file_size_;
    // About 100 bytes a packet in a short-snaplen capture: one reservation, not a dozen regrowths.
    index->frames_.reserve(static_cast<std::size_t>(index->file_size_ / 100));

    TimelineSession session({path, file->link_type(), file->time_decimals()});
    auto builder = std::make_unique<Builder>(*index);
    Builder& built = *builder;
    session.add_writer("the index", std::move(builder));
    checkpoint_every = std::max<std::uint64_t>(checkpoint_every, 1);
    std::uint64_t since_checkpoint = 0, interval = checkpoint_every, packets = 0;
    // A checkpoint before the next record: the file's offset there and a
    // copy of the analyzer. False when the index is cancelled.
    const auto take_checkpoint = [&] {
        index->checkpoints_.push_back(Checkpoint{file->position(), packets + 1, index->frames_.size(),
                                                 std::make_shared<const Analyzer>(session.analyzer())});
        since_checkpoint = 0;
        interval = std::max<std::uint64_t>(checkpoint_every,
                                           state_bytes(session.analyzer()) / max_checkpoint_bytes_per_packet);
        publish(progress, packets, index->frames_.size(), index->columns_.size(), file->position());
        return !progress.cancel.load(std::memory_order_relaxed);
    };
    bool going = take_checkpoint();
    if (going) {
        session.begin();
        read_capture_file(*file, session, [&](std::uint64_t read) {
            packets = read;
            going = !built.too_many_packets && (++since_checkpoint < interval || take_checkpoint());
            return going;
        });
    }
    if (!going) {
        error = built.too_many_packets ? "more than 4294967295 packets" : "stopped before it was indexed";
        return nullptr;
    }
    // A damaged file is indexed up to the damage, which is among the warnings.
    session.end();
    index->packets_ = packets;
    publish(progress, packets, index->frames_.size(), index->columns_.size(), index->file_size_);
    index->cpu_seconds_ = thread_cpu_seconds() - cpu_start;
    return index;
}

void CaptureIndex::summarize(const Analyzer& analyzer) {
    const WriterOptions options = timeline_options();
    std::string& conns = connections_json_;
    conns = "[";
    for (const Connection& c : analyzer.connections()) {
        if (conns.size() > 1) conns += ',';
        append_connection_json(conns, c, analyzer, time_decimals_, options);
    }
    conns += ']';
    append_stats_json(stats_json_, analyzer, warnings_);
    std::string& source = source_json_;
    source = "{\"file\":";
    json::append_string(source, std::filesystem::path(path_).filename().string());
    source += ",\"link_type\":";
    json::append_string(source, link_type_name(link_type_));
    source += ",\"generator\":\"tcpviz\"}";
    const CaptureStats& s = analyzer.stats();
    duration_ = s.frames > 0 ? seconds(s.last_ts - s.first_ts) : 0;
}

bool CaptureIndex::append_events(std::string& out, std::uint64_t from, std::uint64_t count, std::string& error) const {
    const std::uint64_t end = std::min<std::uint64_t>(events(), from + count);
    if (from >= end) return true;
    std::uint64_t size = 0;
    std::int64_t mtime = 0;
    if (!file_identity(path_, size, mtime) || size != file_size_ || mtime != file_mtime_) {
        error = "the capture file changed since it was indexed; restart tcpviz serve";
        return false;
    }
    // The last checkpoint at or before the window's first event.
    auto it = std::upper_bound(checkpoints_.begin(), checkpoints_.end(), from,
                               [](std::uint64_t i, const Checkpoint& c) { return i < c.event_index; });
    const Checkpoint& cp = *std::prev(it);
    std::unique_ptr<PcapFile> file = PcapFile::open(path_, error);
    if (!file) return false;
    if (!file->seek(cp.offset)) {
        error = "cannot seek in the capture file";
        return false;
    }
    // The records after the checkpoint, read only as far as the window goes
    // (read_capture_file would go on to the end of the file and number from 1).
    TimelineSession window({path_, link_type_, time_decimals_}, *cp.analyzer);
    window.begin();
    const WriterOptions options = timeline_options();
    PacketRecord record;
    std::string message;
    std::uint64_t frame = cp.next_frame - 1;
    std::uint64_t index = cp.event_index;
    bool first = true;
    while (index < end) {
        if (file->next(record, message) != PcapFile::Status::packet) {
            error = "the capture file ended before the indexed packets";
            return false;
        }
        const Event* e = window.add(record, ++frame);
        if (!e) continue;
        if (index >= from) {
            if (!first) out += ',';
            first = false;
            append_event_json(out, *e, window.analyzer(), options, time_decimals_);
        }
        ++index;
    }
    return true;
}

std::optional<std::uint64_t> CaptureIndex::index_at_frame(std::uint64_t frame) const {
    const auto it = std::lower_bound(frames_.begin(), frames_.end(), frame);
    if (it == frames_.end()) return std::nullopt;
    return static_cast<std::uint64_t>(it - frames_.begin());
}

std::size_t CaptureIndex::bytes() const {
    std::size_t total = frames_.capacity() * sizeof(std::uint32_t) + checkpoints_.capacity() * sizeof(Checkpoint);
    for (const ConnectionColumns& c : columns_) total += c.bytes() + sizeof c;
    for (const Checkpoint& cp : checkpoints_) total += state_bytes(*cp.analyzer);
    return total;
}

}  // namespace tcpviz::serve
