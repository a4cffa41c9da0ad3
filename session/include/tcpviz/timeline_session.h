// One timeline being made: packets in, every output written as they come.
//
// `tcpviz analyze`, `capture`, `demo` and `serve` all do the same thing
// around their own source of packets: open some outputs, analyse each record
// and hand its event to every writer, match the kernel's TCP_INFO samples to
// the connections, end the writers with the warnings gathered on the way, and
// only then put the files in place. This class is that sequence, once. (The
// labs run `tcpviz` itself, so they use it through those commands.)
//
//   TimelineSession session({"c.pcap", link_type, 9});
//   session.add_output("t.json", make_json_writer, {}, error);   // through a temporary file
//   session.add_writer("the ladder", std::make_unique<LiveLadder>(stdout, options));
//   session.begin();
//   while (...) session.add(record, frame);                      // may throw OutputFailure
//   session.set_kernel_samples(sampler->take_samples());         // any time before end()
//   session.warn("3 packets were dropped");
//   if (auto e = session.end()) ...                              // every writer ended
//   if (auto e = session.commit()) ...                           // outputs renamed into place
//   session.print_warnings(stderr, "c.pcap");
//
// The JSON writers' connection objects get a `kernel` array when samples
// were given (even an empty list of them), and none otherwise.
//
// `tcpviz serve` uses the same object in three more ways: its index of a
// capture is a writer like the others (serve/src/capture_index.cpp), a window
// of that capture is re-made by a session that resumes from a copy of the
// analyzer (a checkpoint), and `serve --live` gives the kernel's samples as
// they come (add_kernel_samples) instead of all at the end.
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "tcpviz/analyzer.h"
#include "tcpviz/kernel_timeline.h"
#include "tcpviz/output_file.h"
#include "tcpviz/tcp_info_sampler.h"
#include "tcpviz/timeline_writer.h"

namespace tcpviz {

// Makes a writer onto an open stream: make_json_writer and its siblings, or
// a lambda that wraps one (the HTML report).
using WriterFactory = std::function<std::unique_ptr<TimelineWriter>(std::FILE*, const WriterOptions&)>;

// Which output failed and why: "out/t.json", "No space left on device".
struct OutputError {
    std::string output;
    std::string reason;
};

// Thrown by begin() and add() when a writer cannot write (a full disk, a
// closed pipe under the ladder): the caller stops feeding and reports it.
class OutputFailure : public std::runtime_error {
public:
    explicit OutputFailure(OutputError e) : std::runtime_error(e.output + ": " + e.reason), error(std::move(e)) {}
    OutputError error;
};

class TimelineSession {
public:
    explicit TimelineSession(const TimelineSource& source);
    // A session that goes on from `resumed`, a copy of another session's
    // analyzer taken between two records (serve's checkpoints): records are
    // then fed from the one after it, with their own frame numbers.
    TimelineSession(const TimelineSource& source, Analyzer resumed);
    ~TimelineSession();
    // The writers' kernel hook refers to this object: it stays where it is.
    TimelineSession(const TimelineSession&) = delete;
    TimelineSession& operator=(const TimelineSession&) = delete;

    // A writer made by `make` onto `path` ("-": standard output), written
    // through a temporary file beside it that commit() renames into place.
    // False with `error` set when the file cannot be opened.
    bool add_output(const std::string& path, const WriterFactory& make, WriterOptions options, std::string& error);
    // A writer onto a stream the caller owns (the live ladder on a terminal);
    // `name` says which output it is in an OutputError.
    void add_writer(std::string name, std::unique_ptr<TimelineWriter> writer);
    bool has_writers() const { return !writers_.empty(); }

    // The kernel's samples for the connections of this timeline, matched
    // when end() is called (a sample is assigned to the connection that had
    // begun by its time, so all packets must be in first).
    void set_kernel_samples(std::vector<TcpInfoSample> samples);
    // While records still come (serve --live): `samples` matched now, against
    // the connections begun so far (a sample of a connection not seen yet is
    // dropped), kept for the connection objects written from then on, and
    // each match handed to `matched` with its JSON object as in the timeline.
    using KernelSink =
        std::function<void(std::uint32_t conn, const KernelTimeline::Entry& entry, const std::string& json)>;
    void add_kernel_samples(const std::vector<TcpInfoSample>& samples, const KernelSink& matched = {});
    // A line for the end of every output and for print_warnings().
    void warn(std::string warning) { warnings_.push_back(std::move(warning)); }

    void begin();
    // Analyses one record; when it is a TCP segment, every writer gets its
    // event, which is also returned (nullptr otherwise).
    const Event* add(const PacketRecord& record, std::uint64_t frame);
    // Ends every writer, also after one has failed. The first failure, if any.
    std::optional<OutputError> end();
    // Renames every output into place. Without it (an error found after
    // end(), say a damaged capture) the outputs' targets are left as they were.
    std::optional<OutputError> commit();

    // "tcpviz: warning: ABOUT: text" per warning ("tcpviz: warning: text"
    // when `about` is empty).
    void print_warnings(std::FILE* err, const std::string& about) const;

    // Connection `c`'s object as this session's JSON writers write it, with
    // the kernel samples matched so far (serve --live's `meta`).
    void append_connection_json(std::string& out, const Connection& c) const;

    const Analyzer& analyzer() const { return analyzer_; }
    const std::vector<std::string>& warnings() const { return warnings_; }
    // Samples matched to a connection (0 until end(), or without samples).
    std::size_t kernel_samples_matched() const { return kernel_matched_; }

private:
    struct Output;
    void append_kernel(std::string& out, const Connection& c) const;

    TimelineSource source_;
    Analyzer analyzer_;
    std::vector<std::unique_ptr<Output>> writers_;
    std::optional<std::vector<TcpInfoSample>> samples_;  // matched by end()
    bool kernel_given_ = false;                          // connection objects have a kernel array
    std::vector<std::string> kernel_json_;               // per connection: its samples' objects, comma-separated
    std::size_t kernel_matched_ = 0;
    std::vector<std::string> warnings_;
};

}  // namespace tcpviz
