#include "tcpviz/timeline_session.h"

#include <utility>

namespace tcpviz {

// A writer and, when the session opened it, the file it writes.
struct TimelineSession::Output {
    std::string name;                  // the path the user gave, or what the stream is
    std::unique_ptr<OutputFile> file;  // null for a stream the caller owns
    std::unique_ptr<TimelineWriter> writer;
};

TimelineSession::TimelineSession(const TimelineSource& source) : source_(source), analyzer_(source.link_type) {}

TimelineSession::TimelineSession(const TimelineSource& source, Analyzer resumed)
    : source_(source), analyzer_(std::move(resumed)) {}

TimelineSession::~TimelineSession() = default;

bool TimelineSession::add_output(const std::string& path, const WriterFactory& make, WriterOptions options,
                                 std::string& error) {
    std::unique_ptr<OutputFile> file = OutputFile::open(path, error);
    if (!file) return false;
    // The kernel's samples are known only at the end; the hook reads them then.
    options.connection_extra = [this](std::string& out, const Connection& c) { append_kernel(out, c); };
    auto output = std::make_unique<Output>();
    output->name = path == "-" ? "standard output" : path;
    output->writer = make(file->file(), options);
    output->file = std::move(file);
    writers_.push_back(std::move(output));
    return true;
}

void TimelineSession::add_writer(std::string name, std::unique_ptr<TimelineWriter> writer) {
    auto output = std::make_unique<Output>();
    output->name = std::move(name);
    output->writer = std::move(writer);
    writers_.push_back(std::move(output));
}

void TimelineSession::set_kernel_samples(std::vector<TcpInfoSample> samples) { samples_ = std::move(samples); }

void TimelineSession::add_kernel_samples(const std::vector<TcpInfoSample>& samples, const KernelSink& matched) {
    kernel_given_ = true;
    if (samples.empty()) return;
    const KernelTimeline timeline(samples, analyzer_);
    kernel_json_.resize(analyzer_.connections().size());
    for (std::uint32_t conn = 0; conn < kernel_json_.size(); ++conn) {
        for (const KernelTimeline::Entry& entry : timeline.samples_of(conn)) {
            std::string object;
            timeline.append_entry_json(object, entry);
            std::string& all = kernel_json_[conn];
            if (!all.empty()) all += ',';
            all += object;
            ++kernel_matched_;
            if (matched) matched(conn, entry, object);
        }
    }
}

// The same `,"kernel":[...]` as KernelTimeline::append_json, from the
// objects kept (samples may have come in several batches).
void TimelineSession::append_kernel(std::string& out, const Connection& c) const {
    if (!kernel_given_) return;
    out += ",\"kernel\":[";
    if (c.id < kernel_json_.size()) out += kernel_json_[c.id];
    out += ']';
}

void TimelineSession::append_connection_json(std::string& out, const Connection& c) const {
    WriterOptions options;
    options.connection_extra = [this](std::string& o, const Connection& k) { append_kernel(o, k); };
    tcpviz::append_connection_json(out, c, analyzer_, source_.time_decimals, options);
}

void TimelineSession::begin() {
    for (const auto& w : writers_) {
        try {
            w->writer->begin(source_);
        } catch (const std::exception& ex) {
            throw OutputFailure({w->name, ex.what()});
        }
    }
}

const Event* TimelineSession::add(const PacketRecord& record, std::uint64_t frame) {
    const Event* e = analyzer_.add(record, frame);
    if (e == nullptr) return nullptr;
    for (const auto& w : writers_) {
        try {
            w->writer->event(*e, analyzer_);
        } catch (const std::exception& ex) {
            throw OutputFailure({w->name, ex.what()});
        }
    }
    return e;
}

std::optional<OutputError> TimelineSession::end() {
    // A sample is matched to the connection begun by its time: all of them are known now.
    if (samples_) add_kernel_samples(*std::exchange(samples_, std::nullopt));
    // A ladder whose terminal went away must not cost the timeline its end.
    std::optional<OutputError> first;
    for (const auto& w : writers_) {
        try {
            w->writer->end(analyzer_, warnings_);
        } catch (const std::exception& ex) {
            if (!first) first = OutputError{w->name, ex.what()};
        }
    }
    return first;
}

std::optional<OutputError> TimelineSession::commit() {
    std::optional<OutputError> first;
    for (const auto& w : writers_) {
        std::string error;
        if (w->file && !w->file->commit(error) && !first) first = OutputError{w->name, error};
    }
    return first;
}

void TimelineSession::print_warnings(std::FILE* err, const std::string& about) const {
    for (const std::string& w : warnings_) {
        if (about.empty()) std::fprintf(err, "tcpviz: warning: %s\n", w.c_str());
        else std::fprintf(err, "tcpviz: warning: %s: %s\n", about.c_str(), w.c_str());
    }
}

}  // namespace tcpviz
